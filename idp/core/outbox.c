#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "core/outbox.h"
#include "crypto/random.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"

#define KINDS_MAX 8
#define LEASE_MARGIN 30		/* seconds beyond the kind's timeout */
#define RECORD_TRIES 3

struct idp_outbox {
	struct idp_ctx *ctx;
	const struct idp_outbox_kind *kinds[KINDS_MAX];
	size_t nkinds;
	char kind_list[256];	/* "{mail,logout}" for the claim */
	char owner[96];		/* host:pid, in leased_by */
	int lease;
	int nthreads;
	pthread_t *threads;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wakes;		/* enqueues not yet looked at */
	bool stop;
};

int64_t
idp_outbox_backoff(int attempts, int base, int max, uint32_t rnd)
{
	int64_t d = base < 1 ? 1 : base;

	for (int i = 1; i < attempts && d < max; i++)
		d *= 2;
	if (d > max)
		d = max;
	return d - d / 2 + (int64_t)(rnd % (uint32_t)(d / 2 + 1));
}

struct idp_outbox *
idp_outbox_new(struct idp_ctx *ctx)
{
	struct idp_outbox *ob = idp_xcalloc(1, sizeof(*ob));
	char host[64] = "idp";

	ob->ctx = ctx;
	(void)gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	snprintf(ob->owner, sizeof(ob->owner), "%s:%ld", host, (long)getpid());
	pthread_mutex_init(&ob->mu, NULL);
	pthread_cond_init(&ob->cv, NULL);
	return ob;
}

void
idp_outbox_add_kind(struct idp_outbox *ob, const struct idp_outbox_kind *k)
{
	if (ob->nkinds == KINDS_MAX)
		idp_oom();	/* a programming error, caught at start */
	ob->kinds[ob->nkinds++] = k;
}

static const struct idp_outbox_kind *
kind_of(const struct idp_outbox *ob, const char *name)
{
	for (size_t i = 0; i < ob->nkinds; i++)
		if (!strcmp(ob->kinds[i]->name, name))
			return ob->kinds[i];
	return NULL;
}

/* Record the outcome, trying again briefly if the database went away:
 * an outcome lost here is the one way a message is sent twice. */
static void
record(struct idp_outbox *ob, struct idp_arena *a,
    const struct idp_outbox_msg *m, const struct idp_outbox_result *r)
{
	const struct idp_config *cfg = ob->ctx->cfg;
	enum idp_outbox_state final = r->outcome;
	uint32_t rnd = 0;
	int64_t delay = 0;
	struct idp_dbconn *c;
	enum idp_err rc = IDP_ERR_UNAVAILABLE;

	if (r->outcome == IDP_OUTBOX_RETRY) {
		if (idp_random_bytes(&rnd, sizeof(rnd)) != 0)
			rnd = (uint32_t)m->id;
		delay = idp_outbox_backoff(m->attempts, cfg->outbox_retry_base,
		    cfg->outbox_retry_max, rnd);
	}
	for (int i = 0; i < RECORD_TRIES && rc == IDP_ERR_UNAVAILABLE; i++) {
		if (i > 0)
			sleep(1);
		if (idp_db_acquire_background(ob->ctx->db, &c) != IDP_OK)
			continue;
		rc = idp_store_outbox_record(c, m->id, r->outcome, delay,
		    r->status, r->error, &final);
		idp_db_release(ob->ctx->db, c);
	}
	if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND) {
		IDP_WARN("outbox.unrecorded", " id=%lld kind=%s msg=\"the "
		    "outcome could not be recorded; delivered again after the "
		    "lease\"", m->id, m->kind);
		return;
	}
	if (final == IDP_OUTBOX_DELIVERED)
		IDP_INFO("outbox.delivered", " id=%lld kind=%s label=%s "
		    "attempts=%d", m->id, m->kind, idp_logq(a, m->label),
		    m->attempts);
	else
		IDP_WARN(final == IDP_OUTBOX_FAILED ? "outbox.failed" :
		    "outbox.retry", " id=%lld kind=%s label=%s attempts=%d "
		    "status=%ld delay=%lld msg=%s", m->id, m->kind,
		    idp_logq(a, m->label), m->attempts, r->status,
		    (long long)delay, idp_logq(a, r->error));
}

static void
deliver(struct idp_outbox *ob, struct idp_arena *a,
    const struct idp_outbox_msg *m)
{
	const struct idp_outbox_kind *k = kind_of(ob, m->kind);
	struct idp_outbox_result r = { IDP_OUTBOX_RETRY, 0, NULL };

	if (k == NULL || m->payload == NULL) {
		r.outcome = IDP_OUTBOX_FAILED;
		r.error = k ? "no payload" : "unknown kind";
	} else if ((int64_t)time(NULL) > m->give_up_at) {
		r.outcome = IDP_OUTBOX_FAILED;
		r.error = "given up before it could be tried again";
	} else {
		k->deliver(k->arg, a, m, &r);
		if (r.outcome == IDP_OUTBOX_RETRY && r.error == NULL)
			r.error = "not delivered";
	}
	record(ob, a, m, &r);
}

/* One due row: claimed, delivered, recorded. false when none was due
 * (or the database is away). */
static bool
one(struct idp_outbox *ob)
{
	struct idp_arena *a = idp_arena_new(16384);
	struct idp_outbox_msg *m = NULL;
	struct idp_dbconn *c;
	int n = 0;

	if (idp_db_acquire_background(ob->ctx->db, &c) == IDP_OK) {
		if (idp_store_outbox_claim(c, a, ob->kind_list, 1, ob->lease,
		    ob->owner, &m, &n) != IDP_OK)
			n = 0;
		idp_db_release(ob->ctx->db, c);
	}
	if (n == 1) {
		/* More may be due: let another thread look too. */
		pthread_mutex_lock(&ob->mu);
		pthread_cond_signal(&ob->cv);
		pthread_mutex_unlock(&ob->mu);
		deliver(ob, a, m);
	}
	idp_arena_free(a);	/* wipes the payload */
	return n == 1;
}

static void *
run(void *arg)
{
	struct idp_outbox *ob = arg;
	int poll = ob->ctx->cfg->outbox_poll_interval;
	unsigned seed = (unsigned)(uintptr_t)&arg ^ (unsigned)getpid();

	for (;;) {
		struct timespec until;

		pthread_mutex_lock(&ob->mu);
		if (ob->stop) {
			pthread_mutex_unlock(&ob->mu);
			break;
		}
		ob->wakes = 0;
		pthread_mutex_unlock(&ob->mu);
		if (one(ob))
			continue;
		/* Nothing due: sleep until woken or the next poll, spread a
		 * little so instances do not poll in step. */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += poll;
		until.tv_nsec = (long)(rand_r(&seed) % 1000000000);
		pthread_mutex_lock(&ob->mu);
		while (!ob->stop && ob->wakes == 0)
			if (pthread_cond_timedwait(&ob->cv, &ob->mu, &until)
			    != 0)
				break;
		pthread_mutex_unlock(&ob->mu);
	}
	return NULL;
}

void
idp_outbox_start(struct idp_outbox *ob)
{
	struct idp_buf b;
	struct idp_arena *a = idp_arena_new(512);
	int lease = 0;

	idp_buf_init(&b, a, sizeof(ob->kind_list) - 1);
	idp_buf_addc(&b, '{');
	for (size_t i = 0; i < ob->nkinds; i++) {
		idp_buf_addf(&b, "%s%s", i ? "," : "", ob->kinds[i]->name);
		if (ob->kinds[i]->timeout > lease)
			lease = ob->kinds[i]->timeout;
	}
	idp_buf_addc(&b, '}');
	memcpy(ob->kind_list, b.data, b.len + 1);
	idp_arena_free(a);
	ob->lease = lease + LEASE_MARGIN;
	if (ob->nkinds == 0)
		return;
	ob->nthreads = ob->ctx->cfg->outbox_workers;
	ob->threads = idp_xcalloc((size_t)ob->nthreads, sizeof(pthread_t));
	for (int i = 0; i < ob->nthreads; i++)
		if (pthread_create(&ob->threads[i], NULL, run, ob) != 0)
			idp_oom();
	IDP_INFO("outbox.start", " kinds=%s workers=%d lease=%d owner=%s",
	    ob->kind_list, ob->nthreads, ob->lease, ob->owner);
}

void
idp_outbox_wake(struct idp_outbox *ob)
{
	if (ob == NULL)
		return;
	pthread_mutex_lock(&ob->mu);
	ob->wakes++;
	pthread_cond_signal(&ob->cv);
	pthread_mutex_unlock(&ob->mu);
}

void
idp_outbox_free(struct idp_outbox *ob)
{
	if (ob == NULL)
		return;
	pthread_mutex_lock(&ob->mu);
	ob->stop = true;
	pthread_cond_broadcast(&ob->cv);
	pthread_mutex_unlock(&ob->mu);
	for (int i = 0; i < ob->nthreads; i++)
		pthread_join(ob->threads[i], NULL);
	free(ob->threads);
	pthread_mutex_destroy(&ob->mu);
	pthread_cond_destroy(&ob->cv);
	free(ob);
}

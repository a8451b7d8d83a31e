#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "core/outbox.h"
#include "core/outbox_health.h"
#include "crypto/random.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"

#define KINDS_MAX 8
#define LEASE_MARGIN 30		/* seconds beyond the kind's timeout */
#define RECORD_TRIES 3
#define KIND_LIST_MAX 256
/* Deliveries are background work: the thread that sends them yields the
 * cores to the requests a person or a service is waiting on. */
#define DELIVERY_NICE 10

/* The thread of a kind that is one outbound call: its calls in flight,
 * and those ended but not yet recorded. */
struct lane {
	struct idp_outbox *ob;
	const struct idp_outbox_kind *k;
	char kind_list[KIND_LIST_MAX];	/* "{logout}" */
	struct idp_fetch_multi *fm;
	pthread_t thread;
	atomic_bool woken;
	struct flight **landed;
	int nlanded, max;
	struct idp_health health;	/* services not answering */
	char **revived;		/* back since the last record, malloc'd */
	int nrevived;
};

/* One row whose call is in flight; lives in its own arena. */
struct flight {
	struct idp_arena *a;
	struct idp_outbox_msg m;
	struct idp_fetch call;
	struct idp_outbox_result r;
	int64_t wait_s;		/* >0: not sent, its service is down */
	bool sent;		/* a call was made: its answer says if the
				 * service is up */
	bool probe;		/* the one call to a service that was down */
};

struct idp_outbox {
	struct idp_ctx *ctx;
	const struct idp_outbox_kind *kinds[KINDS_MAX];
	size_t nkinds;
	char kind_list[KIND_LIST_MAX];	/* the kinds the workers claim */
	char owner[96];		/* host:pid, in leased_by */
	int lease;
	int nthreads;
	pthread_t *threads;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wakes;		/* enqueues not yet looked at */
	bool stop;
	struct lane lanes[KINDS_MAX];
	size_t nlanes;
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

/* How long a retry waits: the backoff, with jitter. */
static int64_t
retry_delay(const struct idp_config *cfg, const struct idp_outbox_msg *m,
    const struct idp_outbox_result *r)
{
	uint32_t rnd = 0;

	if (r->outcome != IDP_OUTBOX_RETRY)
		return 0;
	if (idp_random_bytes(&rnd, sizeof(rnd)) != 0)
		rnd = (uint32_t)m->id;
	return idp_outbox_backoff(m->attempts, cfg->outbox_retry_base,
	    cfg->outbox_retry_max, rnd);
}

static void
log_outcome(struct idp_arena *a, const struct idp_outbox_msg *m,
    const struct idp_outbox_result *r, enum idp_outbox_state final,
    int64_t delay)
{
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
log_unrecorded(const struct idp_outbox_msg *m)
{
	IDP_WARN("outbox.unrecorded", " id=%lld kind=%s msg=\"the outcome "
	    "could not be recorded; delivered again after the lease\"",
	    m->id, m->kind);
}

/* Record the outcome, trying again briefly if the database went away:
 * an outcome lost here is the one way a message is sent twice. */
static void
record(struct idp_outbox *ob, struct idp_arena *a,
    const struct idp_outbox_msg *m, const struct idp_outbox_result *r)
{
	enum idp_outbox_state final = r->outcome;
	int64_t delay = retry_delay(ob->ctx->cfg, m, r);
	struct idp_dbconn *c;
	enum idp_err rc = IDP_ERR_UNAVAILABLE;

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
		log_unrecorded(m);
		return;
	}
	log_outcome(a, m, r, final, delay);
}

/* Whether a claimed row may be tried; false with r filled in. */
static bool
sendable(const struct idp_outbox_kind *k, const struct idp_outbox_msg *m,
    struct idp_outbox_result *r)
{
	if (k == NULL || m->payload == NULL) {
		r->outcome = IDP_OUTBOX_FAILED;
		r->error = k ? "no payload" : "unknown kind";
		return false;
	}
	if ((int64_t)time(NULL) > m->give_up_at) {
		r->outcome = IDP_OUTBOX_FAILED;
		r->error = "given up before it could be tried again";
		return false;
	}
	return true;
}

static void
deliver(struct idp_outbox *ob, struct idp_arena *a,
    const struct idp_outbox_msg *m)
{
	const struct idp_outbox_kind *k = kind_of(ob, m->kind);
	struct idp_outbox_result r = { IDP_OUTBOX_RETRY, 0, NULL };

	if (sendable(k, m, &r)) {
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
		if (idp_store_outbox_claim(c, a, ob->kind_list, NULL, 1,
		    ob->lease, ob->owner, &m, &n) != IDP_OK)
			n = 0;
		idp_db_release(ob->ctx->db, c);
	}
	if (n == 1) {
		/* More may be due: let another thread look too. It counts as
		 * a wake, or the sleeper would go back to sleep until the
		 * next poll and a burst would be sent by one thread. */
		pthread_mutex_lock(&ob->mu);
		ob->wakes++;
		pthread_cond_signal(&ob->cv);
		pthread_mutex_unlock(&ob->mu);
		deliver(ob, a, m);
	}
	idp_arena_free(a);	/* wipes the payload */
	return n == 1;
}

/* A name for top -H and /proc, and the priority of background work (on
 * Linux the nice value belongs to a thread, not to the process). */
static void
background_thread(const char *name)
{
	char n[16];	/* the kernel keeps 15 bytes of a name */
	size_t len = strnlen(name, sizeof(n) - 1);

	memcpy(n, name, len);
	n[len] = '\0';
	(void)pthread_setname_np(pthread_self(), n);
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
	    DELIVERY_NICE);
}

static void *
run(void *arg)
{
	struct idp_outbox *ob = arg;
	int poll = ob->ctx->cfg->outbox_poll_interval;
	unsigned seed = (unsigned)(uintptr_t)&arg ^ (unsigned)getpid();

	background_thread("outbox");
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

/* --- The lane of a kind that is one outbound call --- */

static bool
stopping(struct idp_outbox *ob)
{
	bool stop;

	pthread_mutex_lock(&ob->mu);
	stop = ob->stop;
	pthread_mutex_unlock(&ob->mu);
	return stop;
}

static int64_t
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The outcomes of the calls that ended, in one transaction (one commit
 * for a burst of answers). */
static enum idp_err
record_together(struct lane *l, int64_t *delay, enum idp_outbox_state *final)
{
	struct idp_db *db = l->ob->ctx->db;
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_db_acquire_background(db, &c)) != IDP_OK)
		return rc;
	if ((rc = idp_db_begin(c)) != IDP_OK)
		goto out;
	for (int i = 0; i < l->nlanded; i++) {
		const struct flight *fl = l->landed[i];

		final[i] = fl->r.outcome;
		rc = idp_store_outbox_record(c, fl->m.id, fl->r.outcome,
		    delay[i], fl->r.status, fl->r.error, &final[i]);
		if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND) {
			idp_db_rollback(c);
			goto out;
		}
	}
	rc = idp_db_commit(c);
out:
	idp_db_release(db, c);
	return rc;
}

static void
record_landed(struct lane *l)
{
	int64_t *delays;
	enum idp_outbox_state *final;
	struct idp_arena *a;
	enum idp_err rc = IDP_ERR_UNAVAILABLE;

	if (l->nlanded == 0)
		return;
	a = idp_arena_new(1024);
	delays = idp_arena_zalloc(a, sizeof(*delays) * (size_t)l->nlanded);
	final = idp_arena_zalloc(a, sizeof(*final) * (size_t)l->nlanded);
	for (int i = 0; i < l->nlanded; i++)
		delays[i] = l->landed[i]->wait_s > 0 ? l->landed[i]->wait_s :
		    retry_delay(l->ob->ctx->cfg, &l->landed[i]->m,
		    &l->landed[i]->r);
	/* The database away: the same retries as record(), once for all. */
	for (int i = 0; l->nlanded > 1 && i < RECORD_TRIES &&
	    rc == IDP_ERR_UNAVAILABLE; i++) {
		if (i > 0)
			sleep(1);
		rc = record_together(l, delays, final);
	}
	for (int i = 0; i < l->nlanded; i++) {
		const struct flight *fl = l->landed[i];

		if (rc == IDP_OK)
			log_outcome(fl->a, &fl->m, &fl->r, final[i], delays[i]);
		else if (rc == IDP_ERR_UNAVAILABLE && l->nlanded > 1)
			log_unrecorded(&fl->m);
		else	/* one row, or one of them the statement refused */
			record(l->ob, fl->a, &fl->m, &fl->r);
	}
	for (int i = 0; i < l->nlanded; i++)
		idp_arena_free(l->landed[i]->a);	/* wipes the payload */
	idp_arena_free(a);
	l->nlanded = 0;
}

static void
settle(struct lane *l, struct flight *fl)
{
	if (l->nlanded == l->max)
		record_landed(l);
	l->landed[l->nlanded++] = fl;
}

/* What a call's end says about its service: no answer (or a 5xx) puts it
 * down for a while; an answer after that brings it back, and its waiting
 * rows go with the next claim (revive_landed). */
static void
note_health(struct lane *l, const char *target, bool answered)
{
	uint32_t rnd = 0;

	/* Only a failure sets a wait to spread. */
	if (!answered && idp_random_bytes(&rnd, sizeof(rnd)) != 0)
		rnd = (uint32_t)now_ms();
	if (!idp_health_report(&l->health, target, answered, now_ms(), rnd))
		return;
	if (l->nrevived < IDP_HEALTH_TARGETS)
		l->revived[l->nrevived++] = idp_xstrdup(target);
	atomic_store(&l->woken, true);
}

/* The services back since the last time: their rows that wait for a
 * backoff of their own are due now. A failure leaves them to that
 * backoff. */
static void
revive_landed(struct lane *l)
{
	struct idp_dbconn *c = NULL;

	if (l->nrevived == 0)
		return;
	if (idp_db_acquire_background(l->ob->ctx->db, &c) == IDP_OK) {
		for (int i = 0; i < l->nrevived; i++)
			if (idp_store_outbox_revive(c, l->k->name,
			    l->revived[i]) != IDP_OK)
				break;
		idp_db_release(l->ob->ctx->db, c);
	}
	for (int i = 0; i < l->nrevived; i++)
		free(l->revived[i]);
	l->nrevived = 0;
}

/* A row ended without a call: a probe that was not sent says nothing of
 * its service, whose rows go back to normal claims. */
static void
settle_unsent(struct lane *l, struct flight *fl)
{
	if (fl->probe)
		idp_health_forget(&l->health, fl->m.target);
	settle(l, fl);
}

/* A call ended (or never started): judged, then recorded with the
 * others that ended meanwhile. */
static void
land(void *arg, void *tag, enum idp_fetch_result res)
{
	struct lane *l = arg;
	struct flight *fl = tag;

	l->k->judge(l->k->arg, fl->a, &fl->m, res, &fl->call, &fl->r);
	if (fl->r.outcome == IDP_OUTBOX_RETRY && fl->r.error == NULL)
		fl->r.error = "not delivered";
	if (!fl->sent || res == IDP_FETCH_REFUSED) {
		settle_unsent(l, fl);
		return;
	}
	note_health(l, fl->m.target, fl->r.outcome != IDP_OUTBOX_RETRY);
	settle(l, fl);
}

/* Start the call of one claimed row, copied into an arena of its own;
 * probe: the row claimed alone for a service that was down. */
static void
launch(struct lane *l, const struct idp_outbox_msg *m, bool probe)
{
	struct idp_arena *a = idp_arena_new(16384);
	struct flight *fl = idp_arena_zalloc(a, sizeof(*fl));
	struct idp_fetch_caller who = { "-", NULL, NULL, NULL, NULL };
	enum idp_fetch_result res;

	fl->a = a;
	fl->m = *m;
	fl->m.kind = idp_arena_strdup(a, m->kind);
	fl->m.label = idp_arena_strdup(a, m->label);
	fl->m.target = idp_arena_strdup(a, m->target);
	fl->m.payload = m->payload ? idp_arena_strdup(a, m->payload) : NULL;
	fl->r = (struct idp_outbox_result){ IDP_OUTBOX_RETRY, 0, NULL };
	fl->probe = probe;
	if (!sendable(l->k, &fl->m, &fl->r)) {
		settle_unsent(l, fl);
		return;
	}
	if (!probe && idp_health_check(&l->health, fl->m.target, now_ms(),
	    &fl->wait_s) == IDP_HEALTH_WAIT) {
		fl->r.error = "not sent: the service did not answer a call "
		    "moments ago";
		settle(l, fl);
		return;
	}
	if (!l->k->call(l->k->arg, a, &fl->m, &fl->call, &who, &fl->r)) {
		settle_unsent(l, fl);
		return;
	}
	res = idp_fetch_multi_add(l->fm, a, &who, &fl->call, fl);
	if (res != IDP_FETCH_OK)
		land(l, fl, res);
	else
		fl->sent = true;
}

/* One row of each service whose wait is over, claimed alone as its
 * probe, into probes (up to free of them, memory from a); how many. */
static int
claim_probes(struct lane *l, struct idp_dbconn *c, struct idp_arena *a,
    int free, struct idp_outbox_msg *probes)
{
	const char *target;
	int got = 0;

	while (got < free &&
	    (target = idp_health_next_probe(&l->health, now_ms())) != NULL) {
		struct idp_outbox_msg *m = NULL;
		int n = 0;

		if (idp_store_outbox_claim_target(c, a, l->kind_list, target,
		    1, l->ob->lease, l->ob->owner, &m, &n) != IDP_OK) {
			/* The database: claimed as usual again. */
			idp_health_forget(&l->health, target);
			break;
		}
		if (n == 1)
			probes[got++] = *m;
		else	/* nothing left to send it */
			idp_health_forget(&l->health, target);
	}
	return got;
}

/* Claim up to free due rows of the lane's kind and start their calls;
 * the number claimed. */
static int
claim_into(struct lane *l, int free)
{
	struct idp_outbox *ob = l->ob;
	struct idp_arena *a = idp_arena_new(16384);
	struct idp_outbox_msg *m = NULL, *probes;
	struct idp_dbconn *c;
	int n = 0, np = 0;

	probes = idp_arena_zalloc(a, sizeof(*probes) * (size_t)free);
	if (idp_db_acquire_background(ob->ctx->db, &c) == IDP_OK) {
		if (idp_store_outbox_claim(c, a, l->kind_list,
		    idp_health_excluded(&l->health, a), free, ob->lease,
		    ob->owner, &m, &n) != IDP_OK)
			n = 0;
		if (n < free)
			np = claim_probes(l, c, a, free - n, probes);
		idp_db_release(ob->ctx->db, c);
	}
	for (int i = 0; i < n; i++)
		launch(l, &m[i], false);
	for (int i = 0; i < np; i++)
		launch(l, &probes[i], true);
	idp_arena_free(a);	/* wipes the claimed payloads */
	return n;
}

/* How long the lane may wait for answers or a wake: not at all when it
 * has free slots and rows may be due; until the poll with free slots;
 * with every slot taken, until an answer (or the poll interval), since
 * the next claim must wait for a free slot anyway. */
static int
lane_wait(const struct lane *l, bool stop, bool more, int64_t next_look,
    int poll)
{
	int64_t until = next_look - now_ms();

	if (stop)
		return 100;
	if (idp_fetch_multi_free_slots(l->fm) == 0)
		return poll;
	if (more || until < 0)
		return 0;
	return (int)until;
}

/* Claim while there are free slots and rows may be due (after a wake, a
 * full claim, or at the poll); between, wait for answers or a wake. On
 * stop, claim nothing more and let the calls in flight end. */
static void *
lane_run(void *arg)
{
	struct lane *l = arg;
	int poll = l->ob->ctx->cfg->outbox_poll_interval * 1000;
	unsigned seed = (unsigned)(uintptr_t)&arg ^ (unsigned)getpid();
	int64_t next_look = 0;
	bool more = true;	/* rows may be due beyond the last claim */
	int running = 0;
	char name[32];

	snprintf(name, sizeof(name), "outbox-%s", l->k->name);
	background_thread(name);
	for (;;) {
		bool stop = stopping(l->ob);
		int free = idp_fetch_multi_free_slots(l->fm);
		int wait;

		if (stop && running == 0)
			break;
		if (!stop && free > 0 && (more || now_ms() >= next_look ||
		    atomic_exchange(&l->woken, false))) {
			more = claim_into(l, free) == free;
			next_look = now_ms() + poll +
			    (int64_t)(rand_r(&seed) % 1000);
			record_landed(l);
		}
		wait = lane_wait(l, stop, more, next_look, poll);
		running = idp_fetch_multi_run(l->fm, wait, land, l);
		record_landed(l);
		revive_landed(l);
	}
	return NULL;
}

static void
lane_start(struct idp_outbox *ob, const struct idp_outbox_kind *k)
{
	struct lane *l = &ob->lanes[ob->nlanes++];

	l->ob = ob;
	l->k = k;
	l->max = k->concurrency < 1 ? 1 : k->concurrency;
	snprintf(l->kind_list, sizeof(l->kind_list), "{%s}", k->name);
	l->fm = idp_fetch_multi_new(ob->ctx->fetch, l->max);
	l->landed = idp_xcalloc((size_t)l->max, sizeof(*l->landed));
	l->revived = idp_xcalloc(IDP_HEALTH_TARGETS, sizeof(*l->revived));
	idp_health_init(&l->health, ob->ctx->cfg->outbox_retry_base,
	    ob->ctx->cfg->outbox_retry_max);
	atomic_init(&l->woken, false);
	if (pthread_create(&l->thread, NULL, lane_run, l) != 0)
		idp_oom();
	IDP_INFO("outbox.lane", " kind=%s concurrency=%d", k->name, l->max);
}

/* --- Start and stop --- */

void
idp_outbox_start(struct idp_outbox *ob)
{
	struct idp_buf b;
	struct idp_arena *a = idp_arena_new(512);
	int lease = 0, blocking = 0;

	idp_buf_init(&b, a, sizeof(ob->kind_list) - 1);
	idp_buf_addc(&b, '{');
	for (size_t i = 0; i < ob->nkinds; i++) {
		if (ob->kinds[i]->timeout > lease)
			lease = ob->kinds[i]->timeout;
		if (ob->kinds[i]->deliver == NULL)
			continue;
		idp_buf_addf(&b, "%s%s", blocking++ ? "," : "",
		    ob->kinds[i]->name);
	}
	idp_buf_addc(&b, '}');
	memcpy(ob->kind_list, b.data, b.len + 1);
	idp_arena_free(a);
	ob->lease = lease + LEASE_MARGIN;
	for (size_t i = 0; i < ob->nkinds; i++)
		if (ob->kinds[i]->deliver == NULL)
			lane_start(ob, ob->kinds[i]);
	if (blocking == 0)
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
	for (size_t i = 0; i < ob->nlanes; i++) {
		atomic_store(&ob->lanes[i].woken, true);
		idp_fetch_multi_wakeup(ob->lanes[i].fm);
	}
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
	for (size_t i = 0; i < ob->nlanes; i++)
		idp_fetch_multi_wakeup(ob->lanes[i].fm);
	for (int i = 0; i < ob->nthreads; i++)
		pthread_join(ob->threads[i], NULL);
	for (size_t i = 0; i < ob->nlanes; i++) {
		pthread_join(ob->lanes[i].thread, NULL);
		idp_fetch_multi_free(ob->lanes[i].fm);
		free(ob->lanes[i].landed);
		for (int j = 0; j < ob->lanes[i].nrevived; j++)
			free(ob->lanes[i].revived[j]);
		free(ob->lanes[i].revived);
		idp_health_free(&ob->lanes[i].health);
	}
	free(ob->threads);
	pthread_mutex_destroy(&ob->mu);
	pthread_cond_destroy(&ob->cv);
	free(ob);
}

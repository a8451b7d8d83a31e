#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "config.h"
#include "core/housekeeping.h"
#include "core/published.h"
#include "core/usage.h"
#include "core/signkeys.h"
#include "store/outbox.h"
#include "store/purge.h"
#include "util/log.h"
#include "util/mem.h"

struct idp_housekeeping {
	struct idp_ctx *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	bool poke;
};

static enum idp_err
load(struct idp_ctx *ctx, struct idp_dbconn *c, char *why, size_t whylen)
{
	struct idp_published *p = NULL;
	enum idp_err rc;
	size_t n;

	rc = idp_published_load(ctx->cfg, ctx->kek, ctx->served_paths, c, &p,
	    why, whylen);
	if (rc != IDP_OK)
		return rc;
	n = idp_keyset_count(p->keys);
	/* p belongs to the ring (or is freed) after the offer. */
	if (idp_pubring_offer(ctx->pub, p))
		IDP_INFO("keys.loaded", " keys=%zu", n);
	return IDP_OK;
}

enum idp_err
idp_keys_reload(struct idp_ctx *ctx, char *why, size_t whylen)
{
	struct idp_dbconn *c;
	enum idp_err rc;
	int changed = 0;

	rc = idp_db_acquire_background(ctx->db, &c);
	if (rc != IDP_OK) {
		snprintf(why, whylen, "database unavailable");
		return rc;
	}
	/* Rotate only when this node opens every key it would publish: a
	 * node with another KEK must not seal keys the others cannot read. */
	rc = load(ctx, c, why, whylen);
	if (rc == IDP_OK)
		rc = idp_signkeys_maintain(ctx->cfg, ctx->kek, c, "idp",
		    &changed, why, whylen);
	if (rc == IDP_OK && changed > 0)
		rc = load(ctx, c, why, whylen);
	idp_db_release(ctx->db, c);
	return rc;
}

static void
purge(struct idp_ctx *ctx)
{
	struct idp_dbconn *c;
	long long n = 0;

	if (idp_db_acquire_background(ctx->db, &c) != IDP_OK)
		return;
	if (idp_store_purge(c, ctx->cfg->purge_batch, 20, &n) == IDP_OK &&
	    n > 0)
		IDP_INFO("purge", " rows=%lld", n);
	if (idp_store_outbox_purge(c, ctx->cfg->outbox_retention,
	    ctx->cfg->purge_batch, 20, &n) == IDP_OK && n > 0)
		IDP_INFO("purge", " table=outbox rows=%lld", n);
	idp_db_release(ctx->db, c);
}

/* The usage counters into the store (core/usage.h). */
static void
flush_usage(struct idp_ctx *ctx)
{
	struct idp_dbconn *c;

	if (idp_db_acquire_background(ctx->db, &c) != IDP_OK)
		return;
	if (idp_usage_flush(ctx->usage, c) != IDP_OK)
		IDP_WARN("usage.flush", " msg=\"kept for the next flush\"");
	idp_db_release(ctx->db, c);
}

static void *
run(void *arg)
{
	struct idp_housekeeping *hk = arg;
	const struct idp_config *cfg = hk->ctx->cfg;
	time_t next_keys = time(NULL) + cfg->key_reload_interval;
	time_t next_purge = time(NULL) + 5;
	time_t next_usage = time(NULL) + IDP_USAGE_FLUSH_SECONDS;

	pthread_mutex_lock(&hk->mu);
	while (!hk->stop) {
		struct timespec until;
		time_t now = time(NULL);
		time_t next = next_keys < next_purge ? next_keys : next_purge;
		bool do_keys = false, do_purge = false, do_usage = false;

		if (hk->poke || now >= next_keys) {
			hk->poke = false;
			do_keys = true;
			next_keys = now + cfg->key_reload_interval;
		}
		if (now >= next_purge) {
			do_purge = true;
			next_purge = now + cfg->purge_interval;
		}
		if (now >= next_usage) {
			do_usage = true;
			next_usage = now + IDP_USAGE_FLUSH_SECONDS;
		}
		if (next_usage < next)
			next = next_usage;
		if (do_keys || do_purge || do_usage) {
			char why[512];

			pthread_mutex_unlock(&hk->mu);
			if (do_keys && idp_keys_reload(hk->ctx, why,
			    sizeof(why)) != IDP_OK)
				IDP_WARN("keys.reload", " msg=\"%s\"", why);
			if (do_purge)
				purge(hk->ctx);
			if (do_usage)
				flush_usage(hk->ctx);
			pthread_mutex_lock(&hk->mu);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += next - now;
		pthread_cond_timedwait(&hk->cv, &hk->mu, &until);
	}
	pthread_mutex_unlock(&hk->mu);
	/* The requests are drained by now: keep their counts. */
	flush_usage(hk->ctx);
	return NULL;
}

struct idp_housekeeping *
idp_housekeeping_start(struct idp_ctx *ctx)
{
	struct idp_housekeeping *hk = idp_xcalloc(1, sizeof(*hk));

	hk->ctx = ctx;
	pthread_mutex_init(&hk->mu, NULL);
	pthread_cond_init(&hk->cv, NULL);
	if (pthread_create(&hk->thread, NULL, run, hk) != 0)
		idp_oom();
	return hk;
}

void
idp_housekeeping_poke(struct idp_housekeeping *hk)
{
	pthread_mutex_lock(&hk->mu);
	hk->poke = true;
	pthread_cond_signal(&hk->cv);
	pthread_mutex_unlock(&hk->mu);
}

void
idp_housekeeping_stop(struct idp_housekeeping *hk)
{
	if (hk == NULL)
		return;
	pthread_mutex_lock(&hk->mu);
	hk->stop = true;
	pthread_cond_signal(&hk->cv);
	pthread_mutex_unlock(&hk->mu);
	pthread_join(hk->thread, NULL);
	pthread_mutex_destroy(&hk->mu);
	pthread_cond_destroy(&hk->cv);
	free(hk);
}

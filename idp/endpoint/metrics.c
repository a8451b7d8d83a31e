/* /metrics: the Prometheus text exposition (core/metrics.h), behind the
 * bearer token metrics_token; without one configured the route does not
 * exist for clients (404). The counters are this process's; PostgreSQL
 * is asked only for the outbox, and a database that does not answer
 * leaves the rest of the scrape intact (idp_outbox_up 0). */
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/hashq.h"
#include "core/metrics.h"
#include "core/reqdb.h"
#include "crypto/digest.h"
#include "endpoint/endpoints.h"
#include "http/response.h"
#include "idp_build.h"
#include "store/db.h"
#include "store/outbox.h"
#include "util/buf.h"
#include "util/log.h"

#define METRICS_MAX (1024 * 1024)

static bool
authorised(const struct idp_req *rq, const char *token)
{
	const char *h = idp_req_header(rq, "Authorization");

	return h != NULL && strncmp(h, "Bearer ", 7) == 0 &&
	    idp_ct_streq(h + 7, token);
}

/* The outbox's rows per kind (the labels summed). */
static void
outbox(struct idp_req *rq, struct idp_metrics_gauges *g)
{
	struct idp_outbox_stat *st = NULL;
	struct idp_dbconn *c;
	int n = 0;

	if (idp_reqdb(rq, &c) != IDP_OK ||
	    idp_store_outbox_status(c, rq->arena, NULL, &st, &n) != IDP_OK)
		return;
	g->outbox_ok = 1;
	g->outbox = idp_arena_zalloc(rq->arena, sizeof(*g->outbox) *
	    (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		struct idp_metrics_outbox *o = NULL;

		for (size_t k = 0; k < g->noutbox; k++)
			if (strcmp(g->outbox[k].kind, st[i].kind) == 0)
				o = &g->outbox[k];
		if (o == NULL) {
			o = &g->outbox[g->noutbox++];
			o->kind = st[i].kind;
		}
		o->pending += st[i].pending;
		o->delivered += st[i].delivered;
		o->failed += st[i].failed;
	}
}

enum idp_err
idp_metrics_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_metrics_gauges g = { .version = IDP_VERSION };
	struct idp_db_stats ds;
	struct idp_buf b;

	if (cfg->metrics_token == NULL || *cfg->metrics_token == '\0' ||
	    rq->ctx->metrics == NULL)
		return IDP_ERR_NOT_FOUND;
	if (!authorised(rq, cfg->metrics_token)) {
		IDP_WARN("metrics.refused", " req=%s ip=%s", rq->id, rq->ip);
		idp_resp_header(rs, "WWW-Authenticate", "Bearer realm=\"metrics\"");
		idp_resp_body(rs, 401, "text/plain; charset=utf-8",
		    "a bearer token is required\n", 27);
		return IDP_OK;
	}
	g.hash_queue_depth = idp_hashq_depth(rq->ctx->hashq);
	idp_db_stats(rq->ctx->db, &ds);
	g.db_size = ds.size;
	g.db_in_use = ds.in_use;
	g.db_waits = ds.waits;
	g.db_wait_us = ds.wait_us;
	g.db_timeouts = ds.timeouts;
	g.db_errors = ds.errors;
	outbox(rq, &g);
	idp_reqdb_release(rq);
	idp_buf_init(&b, rq->arena, METRICS_MAX);
	idp_metrics_render(rq->ctx->metrics, &b, &g);
	idp_resp_body(rs, 200, "text/plain; version=0.0.4; charset=utf-8",
	    b.data, b.len);
	idp_resp_no_store(rs);
	return IDP_OK;
}

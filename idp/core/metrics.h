/* Prometheus metrics (/metrics, text exposition format 0.0.4).
 *
 * Counting costs the hot path no lock and no shared cache line: each
 * thread that counts gets a slot of its own the first time it counts
 * (a thread-local pointer), writes only its own slot with relaxed
 * atomics (a plain load and store), and the scrape sums the slots. Past
 * IDP_METRICS_SLOTS threads, the rest share one slot with atomic adds.
 *
 * What is counted: requests per route and status, latency histograms per
 * route, tokens issued per grant type, sign-ins (success, failure,
 * throttled), second-factor use. What is read at scrape: the hash queue,
 * the database pool, the outbox, the build. */
#ifndef IDP_CORE_METRICS_H
#define IDP_CORE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define IDP_METRICS_SLOTS 64

enum idp_counter {
	IDP_M_SIGNIN_SUCCESS,
	IDP_M_SIGNIN_FAILURE,
	IDP_M_SIGNIN_THROTTLED,
	IDP_M_SECOND_FACTOR,		/* a sign-in that used one */
	IDP_M_TOKEN_AUTHORIZATION_CODE,
	IDP_M_TOKEN_REFRESH_TOKEN,
	IDP_M_TOKEN_CLIENT_CREDENTIALS,
	IDP_M_TOKEN_DEVICE_CODE,
	IDP_M_TOKEN_EXCHANGE,
	IDP_M_NCOUNTERS,
};

struct idp_metrics;

/* routes: the route table's paths, NULL-terminated (static strings);
 * requests on no route count as "other". */
struct idp_metrics *idp_metrics_new(const char *const *routes);
void idp_metrics_free(struct idp_metrics *m);

/* route: the index of the route's path in routes; -1 for none. */
void idp_metrics_request(struct idp_metrics *m, int route, int status,
    uint64_t us);
void idp_metrics_count(struct idp_metrics *m, enum idp_counter c);

/* What only the scrape reads, gathered by the endpoint. */
struct idp_metrics_gauges {
	const char *version;
	int hash_queue_depth;
	int db_size, db_in_use;
	uint64_t db_waits, db_wait_us, db_timeouts, db_errors;
	struct idp_metrics_outbox {
		const char *kind;
		long long pending, delivered, failed;
	} *outbox;
	size_t noutbox;
	int outbox_ok;			/* 0 when the database did not answer */
};

/* The whole exposition into b. */
void idp_metrics_render(struct idp_metrics *m, struct idp_buf *b,
    const struct idp_metrics_gauges *g);

#endif

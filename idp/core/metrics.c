#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "util/mem.h"

/* Status codes the provider answers with; anything else is "other". */
static const int statuses[] = { 200, 201, 204, 302, 303, 304, 400, 401,
	403, 404, 405, 409, 413, 415, 429, 431, 500, 501, 503, 0 };
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

/* Upper bounds in microseconds: 0.5 ms to 10 s. */
static const uint64_t bounds_us[] = { 500, 1000, 2500, 5000, 10000, 25000,
	50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000 };
#define NBUCKET (sizeof(bounds_us) / sizeof(bounds_us[0]))

static const char *const counter_names[IDP_M_NCOUNTERS][2] = {
	[IDP_M_SIGNIN_SUCCESS] = { "idp_signins_total", "success" },
	[IDP_M_SIGNIN_FAILURE] = { "idp_signins_total", "failure" },
	[IDP_M_SIGNIN_THROTTLED] = { "idp_signins_total", "throttled" },
	[IDP_M_SECOND_FACTOR] = { "idp_second_factor_total", NULL },
	[IDP_M_TOKEN_AUTHORIZATION_CODE] = { "idp_tokens_issued_total",
	    "authorization_code" },
	[IDP_M_TOKEN_REFRESH_TOKEN] = { "idp_tokens_issued_total",
	    "refresh_token" },
	[IDP_M_TOKEN_CLIENT_CREDENTIALS] = { "idp_tokens_issued_total",
	    "client_credentials" },
	[IDP_M_TOKEN_DEVICE_CODE] = { "idp_tokens_issued_total",
	    "urn:ietf:params:oauth:grant-type:device_code" },
	[IDP_M_TOKEN_EXCHANGE] = { "idp_tokens_issued_total",
	    "urn:ietf:params:oauth:grant-type:token-exchange" },
};

/* One thread's numbers: counters, then per route the requests per status,
 * the histogram buckets (not cumulative) and the sum of microseconds. */
struct slot {
	_Atomic uint64_t *v;
	bool shared;
};

struct idp_metrics {
	const char *const *routes;
	size_t nroutes;			/* with "other" */
	size_t per_slot;		/* values in a slot */
	struct slot slots[IDP_METRICS_SLOTS + 1];	/* the last: shared */
	atomic_size_t claimed;
};

static __thread struct {
	const struct idp_metrics *m;
	struct slot *s;
} mine;

#define OFF_REQ(m, r) (IDP_M_NCOUNTERS + (r) * (NSTATUS + NBUCKET + 2))
#define OFF_HIST(m, r) (OFF_REQ(m, r) + NSTATUS)
#define OFF_SUM(m, r) (OFF_HIST(m, r) + NBUCKET + 1)

struct idp_metrics *
idp_metrics_new(const char *const *routes)
{
	struct idp_metrics *m = idp_xcalloc(1, sizeof(*m));

	m->routes = routes;
	while (routes[m->nroutes] != NULL)
		m->nroutes++;
	m->nroutes++;
	m->per_slot = OFF_REQ(m, m->nroutes);
	for (size_t i = 0; i <= IDP_METRICS_SLOTS; i++)
		m->slots[i].v = idp_xcalloc(m->per_slot, sizeof(uint64_t));
	m->slots[IDP_METRICS_SLOTS].shared = true;
	return m;
}

void
idp_metrics_free(struct idp_metrics *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i <= IDP_METRICS_SLOTS; i++)
		free(m->slots[i].v);
	free(m);
}

static struct slot *
my_slot(struct idp_metrics *m)
{
	size_t i;

	if (mine.m == m)
		return mine.s;
	i = atomic_fetch_add(&m->claimed, 1);
	mine.m = m;
	mine.s = &m->slots[i < IDP_METRICS_SLOTS ? i : IDP_METRICS_SLOTS];
	return mine.s;
}

/* Only the owner writes its slot: a load and a store, no lock prefix. */
static void
add(struct slot *s, size_t off, uint64_t n)
{
	_Atomic uint64_t *p = &s->v[off];

	if (s->shared)
		atomic_fetch_add_explicit(p, n, memory_order_relaxed);
	else
		atomic_store_explicit(p, atomic_load_explicit(p,
		    memory_order_relaxed) + n, memory_order_relaxed);
}

void
idp_metrics_request(struct idp_metrics *m, int route, int status,
    uint64_t us)
{
	struct slot *s;
	size_t st = 0, b = 0;

	if (m == NULL)
		return;
	if (route < 0 || (size_t)route >= m->nroutes)
		route = (int)m->nroutes - 1;
	s = my_slot(m);
	while (statuses[st] != 0 && statuses[st] != status)
		st++;
	while (b < NBUCKET && us > bounds_us[b])
		b++;
	add(s, OFF_REQ(m, route) + st, 1);
	add(s, OFF_HIST(m, route) + b, 1);
	add(s, OFF_SUM(m, route), us);
}

void
idp_metrics_count(struct idp_metrics *m, enum idp_counter c)
{
	if (m != NULL && c < IDP_M_NCOUNTERS)
		add(my_slot(m), (size_t)c, 1);
}

static uint64_t
sum(const struct idp_metrics *m, size_t off)
{
	uint64_t n = 0;

	for (size_t i = 0; i <= IDP_METRICS_SLOTS; i++)
		n += atomic_load_explicit(&m->slots[i].v[off],
		    memory_order_relaxed);
	return n;
}

/* A label value: \, " and newline escaped (the format's rule). */
static void
label(struct idp_buf *b, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			idp_buf_addc(b, '\\');
		if (*v == '\n')
			idp_buf_adds(b, "\\n");
		else
			idp_buf_addc(b, *v);
	}
}

static void
family(struct idp_buf *b, const char *name, const char *type,
    const char *help)
{
	idp_buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

static const char *
route_name(const struct idp_metrics *m, size_t r)
{
	return r + 1 < m->nroutes ? m->routes[r] : "other";
}

static void
render_requests(struct idp_metrics *m, struct idp_buf *b)
{
	family(b, "idp_http_requests_total", "counter",
	    "HTTP requests answered, by route and status.");
	for (size_t r = 0; r < m->nroutes; r++)
		for (size_t st = 0; st < NSTATUS; st++) {
			uint64_t n = sum(m, OFF_REQ(m, r) + st);

			if (n == 0)
				continue;
			idp_buf_adds(b, "idp_http_requests_total{route=\"");
			label(b, route_name(m, r));
			if (statuses[st] != 0)
				idp_buf_addf(b, "\",status=\"%d\"} %llu\n",
				    statuses[st], (unsigned long long)n);
			else
				idp_buf_addf(b, "\",status=\"other\"} %llu\n",
				    (unsigned long long)n);
		}
}

static void
render_latency(struct idp_metrics *m, struct idp_buf *b)
{
	family(b, "idp_http_request_duration_seconds", "histogram",
	    "Time from the request's head to its answer, by route.");
	for (size_t r = 0; r < m->nroutes; r++) {
		uint64_t cum = 0, total = 0;

		for (size_t k = 0; k <= NBUCKET; k++)
			total += sum(m, OFF_HIST(m, r) + k);
		if (total == 0)
			continue;
		for (size_t k = 0; k <= NBUCKET; k++) {
			cum += sum(m, OFF_HIST(m, r) + k);
			idp_buf_adds(b, "idp_http_request_duration_seconds_bucket"
			    "{route=\"");
			label(b, route_name(m, r));
			if (k < NBUCKET)
				idp_buf_addf(b, "\",le=\"%g\"} %llu\n",
				    (double)bounds_us[k] / 1e6,
				    (unsigned long long)cum);
			else
				idp_buf_addf(b, "\",le=\"+Inf\"} %llu\n",
				    (unsigned long long)cum);
		}
		idp_buf_adds(b, "idp_http_request_duration_seconds_sum{route=\"");
		label(b, route_name(m, r));
		idp_buf_addf(b, "\"} %.6f\n", (double)sum(m, OFF_SUM(m, r)) / 1e6);
		idp_buf_adds(b, "idp_http_request_duration_seconds_count"
		    "{route=\"");
		label(b, route_name(m, r));
		idp_buf_addf(b, "\"} %llu\n", (unsigned long long)total);
	}
}

static void
render_counters(struct idp_metrics *m, struct idp_buf *b)
{
	family(b, "idp_signins_total", "counter",
	    "Password checks at /login, by outcome.");
	for (int c = IDP_M_SIGNIN_SUCCESS; c <= IDP_M_SIGNIN_THROTTLED; c++)
		idp_buf_addf(b, "idp_signins_total{outcome=\"%s\"} %llu\n",
		    counter_names[c][1], (unsigned long long)sum(m, (size_t)c));
	family(b, "idp_second_factor_total", "counter",
	    "Sign-ins completed with a second factor.");
	idp_buf_addf(b, "idp_second_factor_total %llu\n",
	    (unsigned long long)sum(m, IDP_M_SECOND_FACTOR));
	family(b, "idp_tokens_issued_total", "counter",
	    "Token responses issued at /token, by grant type.");
	for (int c = IDP_M_TOKEN_AUTHORIZATION_CODE; c < IDP_M_NCOUNTERS; c++)
		idp_buf_addf(b, "idp_tokens_issued_total{grant_type=\"%s\"} "
		    "%llu\n", counter_names[c][1],
		    (unsigned long long)sum(m, (size_t)c));
}

static void
render_gauges(struct idp_buf *b, const struct idp_metrics_gauges *g)
{
	family(b, "idp_build_info", "gauge", "The running build.");
	idp_buf_adds(b, "idp_build_info{version=\"");
	label(b, g->version ? g->version : "");
	idp_buf_adds(b, "\"} 1\n");
	family(b, "idp_hash_queue_depth", "gauge",
	    "Password hashes waiting or running.");
	idp_buf_addf(b, "idp_hash_queue_depth %d\n", g->hash_queue_depth);
	family(b, "idp_db_pool_connections", "gauge",
	    "Database connections of this process, by state.");
	idp_buf_addf(b, "idp_db_pool_connections{state=\"in_use\"} %d\n"
	    "idp_db_pool_connections{state=\"idle\"} %d\n", g->db_in_use,
	    g->db_size - g->db_in_use);
	family(b, "idp_db_pool_waits_total", "counter",
	    "Borrows that had to wait for a free connection.");
	idp_buf_addf(b, "idp_db_pool_waits_total %llu\n",
	    (unsigned long long)g->db_waits);
	family(b, "idp_db_pool_wait_seconds_total", "counter",
	    "Time borrows spent waiting for a connection.");
	idp_buf_addf(b, "idp_db_pool_wait_seconds_total %.6f\n",
	    (double)g->db_wait_us / 1e6);
	family(b, "idp_db_pool_timeouts_total", "counter",
	    "Borrows that found no connection in time.");
	idp_buf_addf(b, "idp_db_pool_timeouts_total %llu\n",
	    (unsigned long long)g->db_timeouts);
	family(b, "idp_db_errors_total", "counter",
	    "Statements or connections the database did not answer.");
	idp_buf_addf(b, "idp_db_errors_total %llu\n",
	    (unsigned long long)g->db_errors);
	family(b, "idp_outbox_rows", "gauge",
	    "Outbox rows (mail, sign-out deliveries), by kind and state.");
	for (size_t i = 0; i < g->noutbox; i++)
		idp_buf_addf(b, "idp_outbox_rows{kind=\"%s\",state=\"pending\"} "
		    "%lld\nidp_outbox_rows{kind=\"%s\",state=\"delivered\"} "
		    "%lld\nidp_outbox_rows{kind=\"%s\",state=\"failed\"} %lld\n",
		    g->outbox[i].kind, g->outbox[i].pending, g->outbox[i].kind,
		    g->outbox[i].delivered, g->outbox[i].kind,
		    g->outbox[i].failed);
	family(b, "idp_outbox_up", "gauge",
	    "1 when the outbox could be read at this scrape.");
	idp_buf_addf(b, "idp_outbox_up %d\n", g->outbox_ok);
}

void
idp_metrics_render(struct idp_metrics *m, struct idp_buf *b,
    const struct idp_metrics_gauges *g)
{
	render_requests(m, b);
	render_latency(m, b);
	render_counters(m, b);
	render_gauges(b, g);
}

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "config.h"
#include "core/hashq.h"
#include "crypto/random.h"
#include "http/response.h"
#include "http/router.h"
#include "http/server.h"
#include "page/trouble.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

struct idp_server {
	struct MHD_Daemon *d;
	struct idp_ctx *ctx;
	atomic_int inflight;
	atomic_uint_fast64_t seq;
	uint32_t id_base;
};

struct conn_state {
	struct idp_server *srv;
	struct MHD_Connection *conn;
	struct idp_req *rq;
	struct idp_resp rs;
	const struct idp_route *route;
	char *body;
	size_t body_len;
	size_t body_cap;
	bool too_large;
	bool suspended;
	bool responded;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static enum idp_method
method_of(const char *m)
{
	if (!strcmp(m, "GET"))
		return IDP_GET;
	if (!strcmp(m, "POST"))
		return IDP_POST;
	if (!strcmp(m, "HEAD"))
		return IDP_HEAD;
	if (!strcmp(m, "PUT"))
		return IDP_PUT;
	if (!strcmp(m, "DELETE"))
		return IDP_DELETE;
	if (!strcmp(m, "OPTIONS"))
		return IDP_OPTIONS;
	return IDP_OTHER;
}

/* Collect query arguments with their lengths: a value with an embedded
 * NUL or invalid UTF-8 is recorded as bad, a repeated name as duplicate. */
static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t klen, const char *val, size_t vlen)
{
	struct idp_req *rq = cls;

	(void)kind;
	if (key == NULL || klen == 0)
		return MHD_YES;
	if (val == NULL) {
		val = "";
		vlen = 0;
	}
	if (strlen(key) != klen || strlen(val) != vlen ||
	    !idp_utf8_valid(key, klen) || !idp_utf8_valid(val, vlen)) {
		if (rq->bad_param == NULL)
			rq->bad_param = idp_utf8_valid(key, strlen(key)) ?
			    idp_arena_strdup(rq->arena, key) : "(name)";
		return MHD_YES;
	}
	for (size_t i = 0; i < rq->nquery; i++) {
		if (!strcmp(rq->query[i].key, key)) {
			if (rq->dup_param == NULL)
				rq->dup_param = idp_arena_strdup(rq->arena, key);
			return MHD_YES;
		}
	}
	if (rq->nquery == IDP_MAX_PARAMS) {
		rq->bad_param = "(too many parameters)";
		return MHD_NO;
	}
	rq->query[rq->nquery].key = idp_arena_strndup(rq->arena, key, klen);
	rq->query[rq->nquery].val = idp_arena_strndup(rq->arena, val, vlen);
	rq->query[rq->nquery].len = vlen;
	rq->nquery++;
	return MHD_YES;
}

static enum MHD_Result
collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *val)
{
	struct idp_req *rq = cls;
	struct idp_kv *kv;
	size_t *n;

	if (key == NULL)
		return MHD_YES;
	if (kind == MHD_HEADER_KIND) {
		kv = rq->headers;
		n = &rq->nheaders;
	} else {
		kv = rq->cookies;
		n = &rq->ncookies;
		/* A repeated cookie name: keep the first, as browsers send
		 * the most specific path first. */
		for (size_t i = 0; i < *n; i++)
			if (!strcmp(kv[i].key, key))
				return MHD_YES;
	}
	if (*n == (kind == MHD_HEADER_KIND ? IDP_MAX_HEADERS : IDP_MAX_PARAMS))
		return MHD_YES;
	kv[*n].key = key;	/* MHD keeps these until the request ends */
	kv[*n].val = val ? val : "";
	kv[*n].len = val ? strlen(val) : 0;
	(*n)++;
	return MHD_YES;
}

static void
set_ip(struct idp_req *rq, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "-";

	if (ci != NULL && ci->client_addr != NULL) {
		if (ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)
			    (const void *)ci->client_addr)->sin_addr, buf,
			    sizeof(buf));
		else if (ci->client_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
			    (const void *)ci->client_addr)->sin6_addr, buf,
			    sizeof(buf));
	}
	rq->ip = idp_arena_strdup(rq->arena, buf);
}

/* Behind a proxy that appends the peer to X-Forwarded-For, its last entry
 * is the client; earlier entries are whatever the client claimed. */
static void
set_forwarded_ip(struct idp_req *rq)
{
	const char *xff = idp_req_header(rq, "X-Forwarded-For");
	const char *last;
	char buf[INET6_ADDRSTRLEN];
	unsigned char probe[sizeof(struct in6_addr)];
	size_t n;

	if (xff == NULL)
		return;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	n = strcspn(last, " ");
	if (n == 0 || n >= sizeof(buf))
		return;
	memcpy(buf, last, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, probe) == 1 ||
	    inet_pton(AF_INET6, buf, probe) == 1)
		rq->ip = idp_arena_strdup(rq->arena, buf);
}

static struct conn_state *
state_new(struct idp_server *srv, struct MHD_Connection *conn,
    const char *url, const char *method)
{
	struct idp_arena *a = idp_arena_new(8192);
	struct conn_state *st = idp_arena_zalloc(a, sizeof(*st));
	struct idp_req *rq = idp_arena_zalloc(a, sizeof(*rq));
	uint64_t seq = atomic_fetch_add(&srv->seq, 1);

	st->srv = srv;
	st->conn = conn;
	st->rq = rq;
	rq->arena = a;
	rq->ctx = srv->ctx;
	rq->issuer = srv->ctx->cfg->issuer;
	rq->conn = st;
	rq->method = method_of(method);
	rq->method_str = idp_arena_strdup(a, method);
	rq->path = idp_arena_strdup(a, url);
	rq->now = (int64_t)time(NULL);
	rq->start_ns = now_ns();
	snprintf(rq->id, sizeof(rq->id), "%08x%08x", srv->id_base,
	    (unsigned)(seq & 0xffffffffu));
	set_ip(rq, conn);
	MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_query,
	    rq);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_kv, rq);
	MHD_get_connection_values(conn, MHD_COOKIE_KIND, collect_kv, rq);
	if (srv->ctx->cfg->trust_x_forwarded_for)
		set_forwarded_ip(rq);
	return st;
}

static enum MHD_Result
send_resp(struct conn_state *st)
{
	struct idp_req *rq = st->rq;
	struct idp_resp *rs = &st->rs;
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (rs->status == 0)
		rs->status = 500;
	r = MHD_create_response_from_buffer(rs->body_len,
	    (void *)(uintptr_t)(rs->body ? rs->body : ""),
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	if (rs->content_type != NULL)
		MHD_add_response_header(r, "Content-Type", rs->content_type);
	for (size_t i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(r, rs->headers[i].key,
		    rs->headers[i].val);
	MHD_add_response_header(r, "X-Request-Id", rq->id);
	ret = MHD_queue_response(st->conn, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	st->responded = true;
	return ret;
}

/* An error no endpoint answered: a page (page/trouble.h) on HTML routes,
 * and for a browser on a path that is no route; OAuth JSON otherwise. */
static void
default_error(struct conn_state *st, enum idp_err rc)
{
	bool page = st->route != NULL ? st->route->kind == IDP_ROUTE_HTML :
	    idp_page_wanted(st->rq);

	if (page)
		idp_page_error(st->rq, &st->rs, rc, st->rs.err_desc);
	else
		idp_resp_oauth_error(st->rq, &st->rs, rc, st->rs.err_desc);
}

/* On a hashing thread: the endpoint's job, with its own argument. */
static void
async_trampoline(void *p)
{
	struct conn_state *st = p;

	st->rq->async_run(st->rq->async_arg);
}

static void
resume_cb(void *p)
{
	struct conn_state *st = p;

	MHD_resume_connection(st->conn);
}

static enum MHD_Result
finish(struct conn_state *st, enum idp_err rc)
{
	struct idp_req *rq = st->rq;
	struct idp_resp *rs = &st->rs;

	if (rs->suspend && rc == IDP_OK) {
		rs->suspend = false;
		if (rq->async_run == NULL || rq->cont == NULL ||
		    !idp_hashq_reserve(rq->ctx->hashq)) {
			IDP_WARN("hash.queue_full", " req=%s", rq->id);
			rs->err_desc = "The service is busy; retry shortly.";
			rc = IDP_ERR_UNAVAILABLE;
		} else {
			st->suspended = true;
			MHD_suspend_connection(st->conn);
			idp_hashq_submit(rq->ctx->hashq, async_trampoline,
			    resume_cb, st);
			return MHD_YES;
		}
	}
	if (rc != IDP_OK && rs->status == 0)
		default_error(st, rc);
	return send_resp(st);
}

static enum MHD_Result
dispatch(struct conn_state *st)
{
	struct idp_req *rq = st->rq;
	struct idp_resp *rs = &st->rs;
	const struct idp_route *r = idp_router_find(rq->path);
	enum idp_err rc;

	st->route = r;
	if (r == NULL) {
		rs->err_desc = "No such endpoint.";
		return finish(st, IDP_ERR_NOT_FOUND);
	}
	if (!(r->methods & rq->method)) {
		idp_resp_header(rs, "Allow", idp_router_allow(rq->arena, r));
		rs->err_desc = "Method not allowed for this endpoint.";
		return finish(st, IDP_ERR_METHOD);
	}
	if (st->body_len > 0) {
		const char *ct = idp_req_header(rq, "Content-Type");

		rq->body = st->body;
		rq->body_len = st->body_len;
		if (ct != NULL && !strncasecmp(ct,
		    "application/x-www-form-urlencoded", 33) &&
		    (ct[33] == '\0' || ct[33] == ';' || ct[33] == ' ')) {
			rq->has_form = true;
			if (idp_parse_form(rq->arena, st->body, st->body_len,
			    rq->form, IDP_MAX_PARAMS, &rq->nform,
			    &rq->dup_param, &rq->bad_param) != 0)
				rq->bad_param = "(too many parameters)";
		}
	} else {
		const char *ct = idp_req_header(rq, "Content-Type");

		rq->has_form = ct != NULL && !strncasecmp(ct,
		    "application/x-www-form-urlencoded", 33);
	}
	if (rq->dup_param != NULL) {
		rs->err_desc = idp_arena_printf(rq->arena, "Parameter %s is "
		    "repeated.", rq->dup_param);
		return finish(st, IDP_ERR_INVALID_REQUEST);
	}
	if (rq->bad_param != NULL) {
		rs->err_desc = "A parameter is malformed (bad escape, NUL or "
		    "invalid UTF-8), or there are too many.";
		return finish(st, IDP_ERR_INVALID_REQUEST);
	}
	rc = r->handler(rq, rs);
	return finish(st, rc);
}

static enum MHD_Result
access_cb(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct idp_server *srv = cls;
	struct conn_state *st = *con_cls;
	int64_t max = srv->ctx->cfg->max_body_bytes;

	(void)version;
	if (st == NULL) {
		const char *cl;
		int64_t len;

		st = state_new(srv, conn, url, method);
		*con_cls = st;
		atomic_fetch_add(&srv->inflight, 1);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    "Content-Length");
		if (cl != NULL && (idp_parse_i64(cl, 0, INT64_MAX, &len) != 0 ||
		    len > max)) {
			st->rs.err_desc = "The request body is too large.";
			return finish(st, IDP_ERR_TOO_LARGE);
		}
		return MHD_YES;
	}
	if (st->suspended) {
		/* Back from the hashing thread: build the response. */
		enum idp_err rc;

		st->suspended = false;
		rc = st->rq->cont(st->rq, &st->rs);
		return finish(st, rc);
	}
	if (st->responded) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		if ((int64_t)(st->body_len + n) > max) {
			*upload_data_size = 0;
			st->rs.err_desc = "The request body is too large.";
			return finish(st, IDP_ERR_TOO_LARGE);
		}
		if (st->body_len + n + 1 > st->body_cap) {
			size_t cap = st->body_cap ? st->body_cap * 2 : 1024;
			char *b;

			while (cap < st->body_len + n + 1)
				cap *= 2;
			b = idp_arena_alloc(st->rq->arena, cap);
			if (st->body_len)
				memcpy(b, st->body, st->body_len);
			st->body = b;
			st->body_cap = cap;
		}
		memcpy(st->body + st->body_len, upload_data, n);
		st->body_len += n;
		st->body[st->body_len] = '\0';
		*upload_data_size = 0;
		return MHD_YES;
	}
	return dispatch(st);
}

static void
completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct idp_server *srv = cls;
	struct conn_state *st = *con_cls;
	struct idp_req *rq;
	uint64_t us;

	(void)conn;
	if (st == NULL)
		return;
	rq = st->rq;
	us = (now_ns() - rq->start_ns) / 1000;
	if (idp_log_enabled(IDP_LOG_INFO))
		idp_log(IDP_LOG_INFO, "http", " req=%s ip=%s method=%s path=%s "
		    "status=%d us=%llu client=%s%s%s%s", rq->id, rq->ip,
		    idp_logq(rq->arena, rq->method_str),
		    idp_logq(rq->arena, rq->path),
		    st->responded ? st->rs.status : 0, (unsigned long long)us,
		    idp_logq(rq->arena, rq->log_client),
		    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" :
		    " aborted=1", rq->log_extra ? " " : "",
		    rq->log_extra ? rq->log_extra : "");
	*con_cls = NULL;
	idp_arena_free(rq->arena);
	atomic_fetch_sub(&srv->inflight, 1);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n;

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	IDP_DEBUG("mhd", " msg=\"%s\"", buf);
}

struct idp_server *
idp_server_start(struct idp_ctx *ctx, char *why, size_t whylen)
{
	const struct idp_config *cfg = ctx->cfg;
	struct idp_server *s = idp_xcalloc(1, sizeof(*s));
	struct sockaddr_in addr;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->listen_port);
	if (inet_pton(AF_INET, cfg->listen_host, &addr.sin_addr) != 1) {
		snprintf(why, whylen, "listen: %s is not an IPv4 address",
		    cfg->listen_host);
		free(s);
		return NULL;
	}
	s->ctx = ctx;
	atomic_init(&s->inflight, 0);
	atomic_init(&s->seq, 1);
	if (idp_random_bytes(&s->id_base, sizeof(s->id_base)) != 0)
		s->id_base = (uint32_t)getpid();
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, access_cb, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->worker_threads,
	    MHD_OPTION_CONNECTION_LIMIT, 4096u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
	    MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_END);
	if (s->d == NULL) {
		snprintf(why, whylen, "listen: cannot listen on %s (in use, or "
		    "not a local address)", cfg->listen);
		free(s);
		return NULL;
	}
	return s;
}

void
idp_server_stop(struct idp_server *s, int drain_seconds)
{
	uint64_t deadline;

	if (s == NULL)
		return;
	MHD_quiesce_daemon(s->d);
	deadline = now_ns() + (uint64_t)drain_seconds * 1000000000u;
	while (atomic_load(&s->inflight) > 0 && now_ns() < deadline)
		usleep(10000);
	if (atomic_load(&s->inflight) > 0)
		IDP_WARN("shutdown", " msg=\"requests still in flight\" n=%d",
		    atomic_load(&s->inflight));
	MHD_stop_daemon(s->d);
	free(s);
}

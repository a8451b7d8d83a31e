#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "config.h"
#include "core/hashq.h"
#include "core/metrics.h"
#include "crypto/random.h"
#include "daemon/accept.h"
#include "daemon/guard.h"
#include "daemon/router.h"
#include "daemon/server.h"
#include "http/response.h"
#include "page/trouble.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

/* One libmicrohttpd daemon with one thread per worker, so the accept
 * thread can hand a new connection to a worker that is not busy: a
 * thread pool of one daemon would pick the worker by descriptor number,
 * and a worker blocked in a slow request (a database deadline, an
 * outbound call) would hold up connections that other workers could
 * serve. */
struct worker {
	struct idp_server *srv;
	struct MHD_Daemon *d;
	atomic_int busy;	/* requests between head and completion */
};

struct idp_server {
	struct worker *w;
	unsigned nw;
	atomic_uint next;	/* where the search for an idle worker starts */
	struct idp_ctx *ctx;
	struct idp_guard *guard;
	struct idp_acceptor *acc;
	atomic_int inflight;
	atomic_uint_fast64_t seq;
	uint32_t id_base;
};

/* One request, from its request line to the completion notice. */
struct conn_state {
	struct idp_server *srv;
	struct worker *w;
	struct MHD_Connection *conn;
	struct idp_guard_conn *gc;
	struct idp_req *rq;
	struct idp_resp rs;
	const struct idp_route *route;
	const char *target;	/* raw, as received; NULL when missing */
	struct idp_buf body;	/* up to max_body_bytes */
	size_t dropped;		/* bytes of an oversized body read and dropped */
	bool started;		/* the head has been seen */
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

static enum MHD_Result
collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *val)
{
	(void)kind;
	if (key != NULL)
		idp_req_add_header(cls, key, val);	/* MHD keeps them */
	return MHD_YES;
}

static enum MHD_Result
collect_cookie(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *val)
{
	struct idp_req *rq = cls;

	(void)kind;
	if (key == NULL || rq->ncookies == IDP_MAX_PARAMS)
		return MHD_YES;
	/* A repeated cookie name: keep the first, as browsers send the most
	 * specific path first. */
	if (idp_req_cookie(rq, key) != NULL)
		return MHD_YES;
	rq->cookies[rq->ncookies].key = key;
	rq->cookies[rq->ncookies].val = val ? val : "";
	rq->cookies[rq->ncookies].len = val ? strlen(val) : 0;
	rq->ncookies++;
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

/* Called by MHD with the raw request target, before anything is
 * unescaped or split: the request's state starts here, so the target is
 * judged by our rules (http/request.c), never by MHD's lenient unescape. */
static void *
uri_cb(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct worker *w = cls;
	struct idp_server *srv = w->srv;
	struct idp_arena *a = idp_arena_new(8192);
	struct conn_state *st = idp_arena_zalloc(a, sizeof(*st));
	struct idp_req *rq = idp_arena_zalloc(a, sizeof(*rq));
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	st->srv = srv;
	st->w = w;
	st->conn = conn;
	st->gc = ci != NULL ? ci->socket_context : NULL;
	st->rq = rq;
	st->target = uri != NULL ? idp_arena_strdup(a, uri) : NULL;
	rq->arena = a;
	rq->ctx = srv->ctx;
	rq->issuer = srv->ctx->cfg->issuer;
	rq->conn = st;
	rq->path = st->target != NULL ? st->target : "";
	rq->start_ns = now_ns();
	idp_buf_init(&st->body, a, (size_t)srv->ctx->cfg->max_body_bytes);
	return st;
}

/* The head is complete: copy what the endpoint sees into the request. */
static void
state_setup(struct conn_state *st, const char *method)
{
	struct idp_server *srv = st->srv;
	struct idp_req *rq = st->rq;
	uint64_t seq = atomic_fetch_add(&srv->seq, 1);

	rq->method = method_of(method);
	rq->method_str = idp_arena_strdup(rq->arena, method);
	rq->now = (int64_t)time(NULL);
	snprintf(rq->id, sizeof(rq->id), "%08x%08x", srv->id_base,
	    (unsigned)(seq & 0xffffffffu));
	set_ip(rq, st->conn);
	MHD_get_connection_values(st->conn, MHD_HEADER_KIND, collect_header,
	    rq);
	MHD_get_connection_values(st->conn, MHD_COOKIE_KIND, collect_cookie,
	    rq);
	if (srv->ctx->cfg->trust_x_forwarded_for)
		set_forwarded_ip(rq);
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

/* An error answered before the body was read: MHD closes the connection
 * after it, so the guard drains what the client still sends (no reset
 * that would destroy the answer before the client reads it). */
static enum MHD_Result
refuse_early(struct conn_state *st, enum idp_err rc, int status,
    const char *desc)
{
	if (st->gc != NULL)
		idp_guard_linger_on_close(st->srv->guard, st->gc);
	st->rs.err_desc = desc;
	default_error(st, rc);
	if (status != 0)
		st->rs.status = status;
	return send_resp(st);
}

/* RFC 9112 §6: only chunked is understood; a coding we cannot undo is
 * 501, and a length next to a coding is a smuggling attempt (400). */
static enum MHD_Result
check_framing(struct conn_state *st, bool *body_follows)
{
	struct idp_req *rq = st->rq;
	const char *te = idp_req_header(rq, "Transfer-Encoding");
	const char *cl = idp_req_header(rq, "Content-Length");
	int64_t len = 0;

	*body_follows = te != NULL || (cl != NULL && strcmp(cl, "0") != 0);
	if (rq->dup_header != NULL)
		return refuse_early(st, IDP_ERR_INVALID_REQUEST, 0,
		    idp_arena_printf(rq->arena, "The %s header is repeated.",
		    rq->dup_header));
	if (te != NULL && cl != NULL)
		return refuse_early(st, IDP_ERR_INVALID_REQUEST, 0,
		    "Content-Length and Transfer-Encoding together.");
	if (te != NULL && strcasecmp(te, "chunked") != 0)
		return refuse_early(st, IDP_ERR_INVALID_REQUEST, 501,
		    "Only the chunked transfer coding is supported.");
	if (cl != NULL && (idp_parse_i64(cl, 0, INT64_MAX, &len) != 0 ||
	    len > st->srv->ctx->cfg->max_body_bytes))
		return refuse_early(st, IDP_ERR_TOO_LARGE, 0,
		    "The request body is too large.");
	return MHD_YES;
}

/* MHD ends the raw target at the byte before the version, so a shorter
 * string means a NUL inside it (which would silently cut the path). */
static bool
target_whole(const struct conn_state *st, const char *url,
    const char *version)
{
	if (st->target == NULL || version == NULL || version[0] == '\0')
		return false;
	return (uintptr_t)version - (uintptr_t)url == strlen(st->target) + 1;
}

static enum MHD_Result
dispatch(struct conn_state *st)
{
	struct idp_req *rq = st->rq;
	struct idp_resp *rs = &st->rs;
	const struct idp_route *r;
	enum idp_err rc;

	if (st->too_large) {
		rs->err_desc = "The request body is too large.";
		return finish(st, IDP_ERR_TOO_LARGE);
	}
	if (idp_parse_target(rq, st->target, strlen(st->target)) != IDP_OK) {
		rs->err_desc = "The request path is malformed (bad escape, "
		    "NUL, control character or invalid UTF-8).";
		return finish(st, IDP_ERR_INVALID_REQUEST);
	}
	r = idp_router_find(rq->path, rq->path_len);
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
	if (st->body.len > 0) {
		const char *ct = idp_req_header(rq, "Content-Type");

		rq->body = st->body.data;
		rq->body_len = st->body.len;
		if (ct != NULL && !strncasecmp(ct,
		    "application/x-www-form-urlencoded", 33) &&
		    (ct[33] == '\0' || ct[33] == ';' || ct[33] == ' ')) {
			rq->has_form = true;
			if (idp_parse_form(rq->arena, st->body.data, st->body.len,
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

/* Keep body bytes, up to max_body_bytes; past that, read and drop up to
 * as much again so the 413 can be sent once the body is over (MHD cannot
 * answer in the middle of a body), then give up on the connection. */
static enum MHD_Result
take_body(struct conn_state *st, const char *data, size_t n)
{
	if (!st->too_large) {
		idp_buf_add(&st->body, data, n);
		st->too_large = st->body.overflow;
		if (!st->too_large)
			return MHD_YES;
	}
	st->dropped += n;
	return (int64_t)st->dropped > st->srv->ctx->cfg->max_body_bytes ?
	    MHD_NO : MHD_YES;
}

static enum MHD_Result
access_cb(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct idp_server *srv = ((struct worker *)cls)->srv;
	struct conn_state *st = *con_cls;

	(void)conn;
	if (st == NULL)		/* no request line was seen: cannot happen */
		return MHD_NO;
	if (!st->started) {
		bool body_follows = false;
		enum MHD_Result ret;

		st->started = true;
		atomic_fetch_add(&srv->inflight, 1);
		atomic_fetch_add(&st->w->busy, 1);
		state_setup(st, method);
		if (!target_whole(st, url, version))
			st->target = NULL;
		ret = check_framing(st, &body_follows);
		if (st->gc != NULL)
			idp_guard_head_done(srv->guard, st->gc, body_follows &&
			    !st->responded);
		return ret;
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

		*upload_data_size = 0;
		return take_body(st, upload_data, n);
	}
	if (st->gc != NULL)
		idp_guard_body_done(srv->guard, st->gc);
	if (st->target == NULL) {
		st->rs.err_desc = "The request target is malformed.";
		return finish(st, IDP_ERR_INVALID_REQUEST);
	}
	return dispatch(st);
}

static void
completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct idp_server *srv = ((struct worker *)cls)->srv;
	struct conn_state *st = *con_cls;
	struct idp_req *rq;
	uint64_t us;

	(void)conn;
	if (st == NULL)
		return;
	rq = st->rq;
	us = (now_ns() - rq->start_ns) / 1000;
	/* A head that never completed is no request: the guard counts those
	 * (conn.cut), one line per flood connection would flood the log. */
	if (st->started && idp_log_enabled(IDP_LOG_INFO))
		idp_log(IDP_LOG_INFO, "http", " req=%s ip=%s method=%s path=%s "
		    "status=%d us=%llu client=%s%s%s%s", rq->id,
		    rq->ip ? rq->ip : "-",
		    idp_logq(rq->arena, rq->method_str),
		    idp_logq(rq->arena, rq->path),
		    st->responded ? st->rs.status : 0, (unsigned long long)us,
		    idp_logq(rq->arena, rq->log_client),
		    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" :
		    " aborted=1", rq->log_extra ? " " : "",
		    rq->log_extra ? rq->log_extra : "");
	if (st->started && st->responded) {
		/* No route (-1) counts as "other". */
		idp_metrics_request(srv->ctx->metrics,
		    idp_router_index(st->route), st->rs.status, us);
	}
	if (st->gc != NULL && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		idp_guard_request_done(srv->guard, st->gc);
	*con_cls = NULL;
	if (st->started) {
		atomic_fetch_sub(&st->w->busy, 1);
		atomic_fetch_sub(&srv->inflight, 1);
	}
	idp_arena_free(rq->arena);
}

/* Every connection, from accept to close, has a record in the guard. */
static void
connection_cb(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct idp_server *srv = ((struct worker *)cls)->srv;
	const union MHD_ConnectionInfo *fd, *peer;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		fd = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		peer = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		*socket_context = fd != NULL ? idp_guard_open(srv->guard,
		    fd->connect_fd, peer ? peer->client_addr : NULL) : NULL;
	} else {
		idp_guard_close(srv->guard, *socket_context);
		*socket_context = NULL;
	}
}

/* The worker with the fewest requests in progress, searched from a
 * rotating start so that idle workers share the new connections. */
static struct worker *
idle_worker(struct idp_server *srv)
{
	unsigned start = atomic_fetch_add(&srv->next, 1), best = start % srv->nw;

	for (unsigned i = 0; i < srv->nw; i++) {
		unsigned k = (start + i) % srv->nw;

		if (atomic_load(&srv->w[k].busy) < atomic_load(&srv->w[best].busy))
			best = k;
	}
	return &srv->w[best];
}

/* The accept thread hands over sockets whose first bytes look like HTTP.
 * The guard counts them first (its cap, its per-address limit):
 * libmicrohttpd 0.9.75 leaves a mutex locked (the worker hangs for good)
 * when a socket added with MHD_add_connection finds its daemon full, so
 * the daemons' own limit is set beyond the descriptor limit. */
static void
handoff(void *cls, int fd, const struct sockaddr *peer, socklen_t len)
{
	struct idp_server *srv = cls;

	if (!idp_guard_reserve(srv->guard, peer)) {
		close(fd);
		return;
	}
	if (MHD_add_connection(idle_worker(srv)->d, fd, peer, len) != MHD_YES)
		idp_guard_unreserve(srv->guard, peer);
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

/* Each connection needs a descriptor: raise the soft limit when the
 * configured connections would not fit. */
static void
fit_fd_limit(unsigned want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ?
	    want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < want)
		IDP_WARN("start", " msg=\"file descriptor limit below "
		    "max_connections\" limit=%llu want=%u",
		    (unsigned long long)rl.rlim_cur, want);
}

static struct MHD_Daemon *
start_worker(struct worker *w, unsigned limit)
{
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
	    MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, 0, NULL, NULL,
	    access_cb, w,
	    MHD_OPTION_CONNECTION_LIMIT, limit,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_cb, w,
	    MHD_OPTION_NOTIFY_CONNECTION, connection_cb, w,
	    MHD_OPTION_NOTIFY_COMPLETED, completed_cb, w,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_END);
}

static void
stop_workers(struct idp_server *s)
{
	for (unsigned i = 0; i < s->nw; i++)
		if (s->w[i].d != NULL)
			MHD_stop_daemon(s->w[i].d);
}

struct idp_server *
idp_server_start(struct idp_ctx *ctx, char *why, size_t whylen)
{
	const struct idp_config *cfg = ctx->cfg;
	struct idp_server *s = idp_xcalloc(1, sizeof(*s));
	struct idp_guard_limits lim = {
		.max_connections = (unsigned)cfg->max_connections,
		.max_per_addr = (unsigned)cfg->max_connections_per_ip,
		.head_ms = cfg->request_head_timeout * 1000,
		.body_ms = cfg->request_body_timeout * 1000,
		.linger_ms = 5000,
	};
	unsigned fds;

	/* Room above the cap for connections on their way in; shed ones
	 * still closing need descriptors too. */
	lim.max_held = lim.max_connections + lim.max_connections / 4 + 64;
	fds = 2 * lim.max_held + 256;
	s->ctx = ctx;
	atomic_init(&s->inflight, 0);
	atomic_init(&s->seq, 1);
	atomic_init(&s->next, 0);
	if (idp_random_bytes(&s->id_base, sizeof(s->id_base)) != 0)
		s->id_base = (uint32_t)getpid();
	fit_fd_limit(fds);
	s->guard = idp_guard_new(&lim);
	if (s->guard == NULL) {
		snprintf(why, whylen, "listen: cannot start the connection "
		    "watchdog");
		goto fail;
	}
	s->nw = (unsigned)cfg->worker_threads;
	s->w = idp_xcalloc(s->nw, sizeof(*s->w));
	for (unsigned i = 0; i < s->nw; i++) {
		s->w[i].srv = s;
		atomic_init(&s->w[i].busy, 0);
		if ((s->w[i].d = start_worker(&s->w[i], fds + 64)) == NULL) {
			snprintf(why, whylen, "listen: cannot start the HTTP "
			    "server");
			goto fail;
		}
	}
	s->acc = idp_acceptor_start(cfg->listen_host, cfg->listen_port,
	    s->guard, handoff, s, why, whylen);
	if (s->acc == NULL)
		goto fail;
	return s;
fail:
	stop_workers(s);
	free(s->w);
	idp_guard_free(s->guard);
	free(s);
	return NULL;
}

void
idp_server_stop(struct idp_server *s, int drain_seconds)
{
	uint64_t deadline;

	if (s == NULL)
		return;
	idp_acceptor_stop(s->acc);
	deadline = now_ns() + (uint64_t)drain_seconds * 1000000000u;
	while (atomic_load(&s->inflight) > 0 && now_ns() < deadline)
		usleep(10000);
	if (atomic_load(&s->inflight) > 0)
		IDP_WARN("shutdown", " msg=\"requests still in flight\" n=%d",
		    atomic_load(&s->inflight));
	stop_workers(s);
	free(s->w);
	idp_guard_free(s->guard);
	free(s);
}

/* What an endpoint sees of a request and what it fills in for the
 * response. No libmicrohttpd types here: endpoints are plain functions of
 * struct idp_req -> struct idp_resp, and http/server.c adapts. */
#ifndef IDP_HTTP_REQ_H
#define IDP_HTTP_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct idp_ctx;
struct idp_dbconn;

enum idp_method {
	IDP_GET = 1,
	IDP_POST = 2,
	IDP_PUT = 4,
	IDP_DELETE = 8,
	IDP_HEAD = 16,
	IDP_OPTIONS = 32,
	IDP_OTHER = 64,
};

struct idp_kv {
	const char *key;
	const char *val;
	size_t len;
};

#define IDP_MAX_PARAMS 64
#define IDP_MAX_HEADERS 64
#define IDP_MAX_RESP_HEADERS 16
#define IDP_REQ_ID_LEN 16

struct idp_req;
struct idp_resp;

/* A continuation: runs on an HTTP worker after an asynchronous job (a
 * password hash) finished; builds the response. */
typedef enum idp_err (*idp_cont_fn)(struct idp_req *rq, struct idp_resp *rs);

struct idp_req {
	struct idp_arena *arena;
	struct idp_ctx *ctx;
	enum idp_method method;
	const char *method_str;
	const char *path;	/* decoded; never holds NUL or control bytes */
	size_t path_len;
	char id[IDP_REQ_ID_LEN + 1];
	const char *ip;
	const char *issuer;	/* set by the server: realms, iss of redirects */
	int64_t now;		/* unix seconds at arrival */
	uint64_t start_ns;

	struct idp_kv query[IDP_MAX_PARAMS];
	size_t nquery;
	struct idp_kv form[IDP_MAX_PARAMS];
	size_t nform;
	bool has_form;		/* body was application/x-www-form-urlencoded */
	struct idp_kv headers[IDP_MAX_HEADERS];
	size_t nheaders;
	struct idp_kv cookies[IDP_MAX_PARAMS];
	size_t ncookies;

	const char *body;
	size_t body_len;

	/* Set by the parser: the first parameter given twice, or invalid;
	 * a header that may appear once (Authorization...) but came twice. */
	const char *dup_param;
	const char *bad_param;
	const char *dup_header;

	/* The RFC 7638 thumbprint of the key of the request's DPoP proof,
	 * once core/dpop.c verified it; NULL without one. */
	const char *dpop_jkt;

	/* Endpoints note who the request was for, for the access log. */
	const char *log_client;
	const char *log_extra;

	/* Asynchronous work: set by an endpoint that suspends. async_run
	 * (async_arg) runs on a hashing thread, then cont on a worker. */
	void (*async_run)(void *arg);
	void *async_arg;
	idp_cont_fn cont;
	void *conn;			/* opaque: owned by http/server.c */
	struct idp_dbconn *dbconn;	/* see core/reqdb.h */
};

struct idp_resp {
	int status;
	const char *content_type;
	const char *body;
	size_t body_len;
	struct idp_kv headers[IDP_MAX_RESP_HEADERS];
	size_t nheaders;
	bool suspend;		/* the endpoint queued async work */
	const char *err_desc;	/* for error responses built by http/:
				 * set it with idp_fail() */
};

/* Parameters: NULL when absent. */
const char *idp_req_query(const struct idp_req *rq, const char *key);
const char *idp_req_form(const struct idp_req *rq, const char *key);
/* Query for GET, form for POST (the authorization endpoint takes both). */
const char *idp_req_param(const struct idp_req *rq, const char *key);
const char *idp_req_header(const struct idp_req *rq, const char *name);
const char *idp_req_cookie(const struct idp_req *rq, const char *name);
/* A cookie holding a token the provider issued (session, browser): the
 * value when it has the shape of one (crypto/random.h), else NULL, so a
 * malformed cookie counts as an absent one. */
const char *idp_req_cookie_token(const struct idp_req *rq, const char *name);

/* Replace the parameters idp_req_param reads (the query of a GET, the form
 * of a POST) with kv, at most IDP_MAX_PARAMS (borrowed: they must live as
 * long as rq). For an authorization request whose parameters come from a
 * request object or a pushed request, which alone count (RFC 9101 §6.3). */
void idp_req_set_params(struct idp_req *rq, const struct idp_kv *kv,
    size_t n);

/* Parse an x-www-form-urlencoded string into kv (for bodies and tests).
 * Records duplicates and invalid (non-UTF-8, bad escape) parameters;
 * returns -1 when there are more than max parameters. */
int idp_parse_form(struct idp_arena *a, const char *s, size_t n,
    struct idp_kv *kv, size_t max, size_t *count, const char **dup,
    const char **bad);

/* Split a raw request target (origin-form, RFC 9112 §3.2.1) into rq->path
 * (decoded) and rq->query. The path must be '/' followed by RFC 3986 path
 * characters; a bad %-escape, an escaped NUL or control byte, or invalid
 * UTF-8 in it is IDP_ERR_INVALID_REQUEST. Query parameters are parsed like
 * a form: bad ones (escape, NUL, control byte, UTF-8) set rq->bad_param,
 * repeated ones rq->dup_param. */
enum idp_err idp_parse_target(struct idp_req *rq, const char *raw, size_t len);

/* Record a request header (borrowed: it must live as long as rq). At most
 * IDP_MAX_HEADERS are kept; a second Authorization, DPoP, Content-Type,
 * Content-Length or Transfer-Encoding sets rq->dup_header. */
void idp_req_add_header(struct idp_req *rq, const char *name,
    const char *val);

void idp_resp_header(struct idp_resp *rs, const char *name, const char *val);
/* A body that lives at least until the request completes (arena or a
 * refcounted document the request holds). */
void idp_resp_body(struct idp_resp *rs, int status, const char *ctype,
    const char *body, size_t len);
void idp_resp_json(struct idp_resp *rs, int status, const char *json);
void idp_resp_redirect(struct idp_resp *rs, const char *location);

#endif

#include <string.h>

#include <jansson.h>

#include "http/response.h"
#include "util/buf.h"
#include "util/log.h"

/* The issuer names the protection space of Basic and Bearer challenges
 * (RFC 9110 §11.5) and is the iss of error redirects (RFC 9207). */
static const char *
issuer_of(const struct idp_req *rq)
{
	return rq->issuer != NULL ? rq->issuer : "";
}

/* RFC 9110 §10.2.3: a 503 says when to come back. */
static void
retry_after(struct idp_resp *rs, enum idp_err e)
{
	if (idp_err_status(e) == 503)
		idp_resp_header(rs, "Retry-After", "1");
}

void
idp_resp_common_headers(struct idp_resp *rs, bool html)
{
	idp_resp_header(rs, "X-Content-Type-Options", "nosniff");
	idp_resp_header(rs, "Referrer-Policy", "no-referrer");
	/* A page's CSP is its own (page/csp.h); framing is refused for
	 * every page, also by browsers that predate frame-ancestors. */
	if (html)
		idp_resp_header(rs, "X-Frame-Options", "DENY");
}

enum idp_err
idp_resp_json_object(struct idp_req *rq, struct idp_resp *rs, int status,
    json_t *o)
{
	char *s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	if (s == NULL)
		return IDP_ERR_INTERNAL;
	idp_resp_json(rs, status, idp_arena_strdup(rq->arena, s));
	free(s);
	idp_resp_no_store(rs);
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

void
idp_resp_no_store(struct idp_resp *rs)
{
	idp_resp_header(rs, "Cache-Control", "no-store");
	idp_resp_header(rs, "Pragma", "no-cache");
}

void
idp_resp_oauth_error(struct idp_req *rq, struct idp_resp *rs, enum idp_err e,
    const char *desc)
{
	json_t *o = json_pack("{s:s}", "error", idp_err_str(e));
	char *s;

	desc = idp_err_public_desc(e, desc);
	if (o != NULL && desc != NULL)
		json_object_set_new(o, "error_description", json_string(desc));
	s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	idp_resp_json(rs, idp_err_status(e),
	    idp_arena_strdup(rq->arena, s ? s : "{\"error\":\"server_error\"}"));
	free(s);
	idp_resp_no_store(rs);
	if (e == IDP_ERR_INVALID_CLIENT)
		idp_resp_header(rs, "WWW-Authenticate", idp_arena_printf(
		    rq->arena, "Basic realm=\"%s\"", issuer_of(rq)));
	retry_after(rs, e);
}

/* RFC 6750 §3: quoted-string values may not carry '"' or '\'. */
static const char *
challenge_safe(struct idp_arena *a, const char *s)
{
	char *o = idp_arena_strdup(a, s), *p;

	for (p = o; *p; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			*p = ' ';
	return o;
}

void
idp_resp_bearer_error(struct idp_req *rq, struct idp_resp *rs, enum idp_err e,
    const char *desc)
{
	const char *chal;

	idp_resp_oauth_error(rq, rs, e, desc);
	if (idp_err_status(e) >= 500)
		return;
	if (desc == NULL && e == IDP_ERR_INVALID_TOKEN) {
		/* No credentials at all: no error code (RFC 6750 §3.1). */
		chal = idp_arena_printf(rq->arena, "Bearer realm=\"%s\"",
		    issuer_of(rq));
	} else {
		chal = idp_arena_printf(rq->arena, "Bearer realm=\"%s\", "
		    "error=\"%s\", error_description=\"%s\"", issuer_of(rq),
		    idp_err_str(e), challenge_safe(rq->arena, desc ? desc : ""));
	}
	idp_resp_header(rs, "WWW-Authenticate", chal);
}

void
idp_resp_dpop_error(struct idp_req *rq, struct idp_resp *rs, enum idp_err e,
    const char *desc, const char *algs)
{
	const char *chal;
	int status = idp_err_status(e);

	idp_resp_oauth_error(rq, rs, e, desc);
	if (status >= 500)
		return;
	/* RFC 9449 §7.1: a proof or token that fails is 401 at a resource
	 * server, whatever the token endpoint would answer. */
	if (e == IDP_ERR_INVALID_DPOP_PROOF || e == IDP_ERR_USE_DPOP_NONCE)
		rs->status = 401;
	if (desc == NULL && e == IDP_ERR_INVALID_TOKEN) {
		/* No credentials: both schemes are offered (§7.2). */
		chal = idp_arena_printf(rq->arena, "Bearer realm=\"%s\", DPoP "
		    "algs=\"%s\"", issuer_of(rq), algs);
	} else {
		chal = idp_arena_printf(rq->arena, "DPoP error=\"%s\", "
		    "error_description=\"%s\", algs=\"%s\"", idp_err_str(e),
		    challenge_safe(rq->arena, desc ? desc : ""), algs);
	}
	idp_resp_header(rs, "WWW-Authenticate", chal);
}

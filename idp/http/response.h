/* Where enum idp_err becomes what an API client sees: an HTTP status, an
 * OAuth error JSON (RFC 6749 §5.2), a Bearer challenge (RFC 6750 §3), or
 * a JSON answer. (Authorization error responses, which carry iss per RFC
 * 9207 in the request's response mode, are endpoint/respond.h's.)
 * Descriptions shown to clients are generic and fixed by the caller;
 * details go to the log only. Error pages for people are the page
 * layer's (page/trouble.h); http/ renders no HTML. */
#ifndef IDP_HTTP_RESPONSE_H
#define IDP_HTTP_RESPONSE_H

#include <jansson.h>

#include "http/req.h"

/* How an endpoint fails with a sentence for the client: the description
 * rendered (error_description, or the text of the error page) when the
 * endpoint returns e without building a response itself. Statuses, OAuth
 * names and the 5xx sentences come from the table in util/err.h. */
static inline enum idp_err
idp_fail(struct idp_resp *rs, enum idp_err e, const char *why)
{
	return idp_fail_why(&rs->err_desc, e, why);
}

/* Security headers every response carries (nosniff, no referrer), and for
 * html X-Frame-Options; the CSP of a page is set by the page layer. */
void idp_resp_common_headers(struct idp_resp *rs, bool html);
void idp_resp_no_store(struct idp_resp *rs);

void idp_resp_oauth_error(struct idp_req *rq, struct idp_resp *rs,
    enum idp_err e, const char *desc);
void idp_resp_bearer_error(struct idp_req *rq, struct idp_resp *rs,
    enum idp_err e, const char *desc);
/* The same with a DPoP challenge (RFC 9449 §7.1) naming the proof
 * algorithms algs (space-separated): for a request that used the DPoP
 * scheme or presented a DPoP-bound token. invalid_dpop_proof and
 * use_dpop_nonce are 401 here. With e IDP_ERR_INVALID_TOKEN and no desc (no
 * credentials at all), both the Bearer and the DPoP scheme are offered. */
void idp_resp_dpop_error(struct idp_req *rq, struct idp_resp *rs,
    enum idp_err e, const char *desc, const char *algs);
/* The error redirect (query response mode); returns e, or, when the URI
 * would be too long, IDP_ERR_INVALID_REQUEST without a response, for the
 * error page. */
enum idp_err idp_resp_error_redirect(struct idp_req *rq, struct idp_resp *rs,
    const char *redirect_uri, enum idp_err e, const char *desc,
    const char *state);
/* A JSON answer from o (the reference is taken), not to be stored:
 * IDP_ERR_INTERNAL when o is NULL or cannot be serialised. */
enum idp_err idp_resp_json_object(struct idp_req *rq, struct idp_resp *rs,
    int status, json_t *o);

#endif

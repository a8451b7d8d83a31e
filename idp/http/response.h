/* The one place where enum idp_err becomes something a client sees: an
 * HTTP status, an OAuth error JSON (RFC 6749 §5.2), a Bearer challenge
 * (RFC 6750 §3), an error page, or a redirect carrying error= (RFC 6749
 * §4.1.2.1, with iss per RFC 9207). Descriptions shown to clients are
 * generic and fixed by the caller; details go to the log only. */
#ifndef IDP_HTTP_RESPONSE_H
#define IDP_HTTP_RESPONSE_H

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

/* Security headers every response carries; HTML gets a strict CSP. */
void idp_resp_common_headers(struct idp_resp *rs, bool html);
void idp_resp_no_store(struct idp_resp *rs);

void idp_resp_oauth_error(struct idp_req *rq, struct idp_resp *rs,
    enum idp_err e, const char *desc);
void idp_resp_bearer_error(struct idp_req *rq, struct idp_resp *rs,
    enum idp_err e, const char *desc);
void idp_resp_error_page(struct idp_req *rq, struct idp_resp *rs,
    enum idp_err e, const char *desc);
/* mode: "query" (response_mode of the code flow). */
void idp_resp_error_redirect(struct idp_req *rq, struct idp_resp *rs,
    const char *redirect_uri, enum idp_err e, const char *desc,
    const char *state);

void idp_resp_html(struct idp_resp *rs, int status, const char *html,
    size_t len);

#endif

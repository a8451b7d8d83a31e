/* The authorization response (RFC 6749 §4.1.2, §4.1.2.1) as the request
 * asked for it to travel: a redirect with the parameters in the query
 * (response_mode=query, the default for code), or the OAuth 2.0 Form Post
 * Response Mode: a page whose form posts them to the redirect URI. The
 * page submits itself with a script the CSP allows by its hash, and shows
 * a button that does the same for a browser without JavaScript. Success
 * and error responses alike carry iss (RFC 9207). */
#ifndef IDP_ENDPOINT_RESPOND_H
#define IDP_ENDPOINT_RESPOND_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"
#include "oidc/authz.h"
#include "page/lang.h"

#define IDP_RESPONSE_PARAMS_MAX 8

/* Parameters of one response, in the order they are sent. */
struct idp_response {
	const char *name[IDP_RESPONSE_PARAMS_MAX];
	const char *value[IDP_RESPONSE_PARAMS_MAX];
	size_t n;
};

/* Add name=value (nothing when value is NULL). */
void idp_response_add(struct idp_response *r, const char *name,
    const char *value);

/* Send r to z's redirect URI in z's response mode. IDP_OK, or
 * IDP_ERR_INVALID_REQUEST without a response (an error page follows) when
 * the redirect would be too long. */
enum idp_err idp_flow_respond(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_authz *z, const struct idp_response *r);

/* The form_post page (pages_response.c). */
struct idp_form_post_page {
	const char *action;		/* the redirect URI */
	const char *ui_locales;
	const struct idp_response *params;
	bool error;			/* an error response */
};
enum idp_err idp_page_form_post(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_form_post_page *p);

/* The script of the page and its CSP source ('sha256-...' without the
 * quotes' hash part: the standard base64 of SHA-256 of the script). */
extern const char idp_form_post_script[];
const char *idp_form_post_script_hash(struct idp_arena *a);

extern const struct idp_msg idp_response_msgs[];
extern const size_t idp_response_nmsgs;

#endif

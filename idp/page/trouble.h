/* Pages for when something goes wrong. Each speaks the person's language
 * only and says three things: what happened, what to do next (start again,
 * go back to the service, call the helpdesk), and, in small print for the
 * helpdesk, the technical code and the request id. The English detail an
 * endpoint gives goes to the log line of the request id, not the page. */
#ifndef IDP_PAGE_TROUBLE_H
#define IDP_PAGE_TROUBLE_H

#include <stdbool.h>

#include "http/req.h"
#include "page/lang.h"

enum idp_trouble_kind {
	IDP_TROUBLE_FROM_ERROR,		/* by the error's status */
	IDP_TROUBLE_BAD_LINK,		/* no client_id */
	IDP_TROUBLE_UNKNOWN_SERVICE,	/* unknown or disabled client */
	IDP_TROUBLE_NOT_APPROVED,	/* registered, not approved yet */
	IDP_TROUBLE_REJECTED,		/* registration turned down */
	IDP_TROUBLE_BAD_RETURN,		/* redirect_uri not registered */
	IDP_TROUBLE_EXPIRED,		/* login page expired or used */
	IDP_TROUBLE_BAD_FORM,		/* CSRF or browser binding */
	IDP_TROUBLE_BAD_LOGOUT,		/* post_logout_redirect_uri */
	IDP_TROUBLE_SESSION_ENDED,	/* a form of an ended session */
	IDP_TROUBLE_NOT_DEVELOPER,	/* the portal, without the role */
	IDP_TROUBLE_RESET_EXPIRED,	/* a reset link used or expired */
};

struct idp_trouble {
	enum idp_trouble_kind kind;
	enum idp_err err;		/* status and code in small print */
	const char *detail;		/* English, for the log */
	const char *service_name;	/* where the person came from */
	const char *service_uri;	/* its home page (client_uri) */
	const char *retry;		/* a local link that starts again */
	const char *ui_locales;		/* of the authorization */
};

/* Render the page into rs; returns t->err, so an endpoint can end with
 * `return idp_page_trouble(rq, rs, &t);` (the response is kept). */
enum idp_err idp_page_trouble(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_trouble *t);

/* The page for an error an endpoint returned without a response, or the
 * server met before any endpoint (404, 405, 413): by status only. */
void idp_page_error(struct idp_req *rq, struct idp_resp *rs, enum idp_err e,
    const char *detail);

/* Whether the client reading this request is a person's browser (it asks
 * for text/html): the server answers it with a page rather than JSON. */
bool idp_page_wanted(const struct idp_req *rq);

/* The error pages' catalogue (for the catalogue tests). */
extern const struct idp_msg idp_trouble_msgs[];
extern const size_t idp_trouble_nmsgs;

#endif

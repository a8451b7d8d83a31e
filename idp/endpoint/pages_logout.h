/* The signed-out page (RP-Initiated Logout 1.0 §3, Front-Channel Logout
 * 1.0 §4): what the person was signed out of, a hidden iframe per service
 * with a frontchannel_logout_uri (the CSP framing exactly those origins),
 * the way back to the service that asked, and a way to sign in again. */
#ifndef IDP_ENDPOINT_PAGES_LOGOUT_H
#define IDP_ENDPOINT_PAGES_LOGOUT_H

#include <stddef.h>

#include "http/req.h"
#include "page/lang.h"

struct idp_signed_out_service {
	const char *name;		/* shown */
	const char *frame_uri;		/* front-channel URI with iss, sid;
					 * NULL for none */
};

struct idp_signed_out_page {
	const char *ui_locales;
	const struct idp_signed_out_service *services;	/* NULL: unknown */
	size_t nservices;
	/* The registered post_logout_redirect_uri with state, and whose it
	 * is; NULL when the person stays here. */
	const char *back_uri;
	const char *back_name;
};

enum idp_err idp_page_signed_out(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_signed_out_page *p);

extern const struct idp_msg idp_logout_msgs[];
extern const size_t idp_logout_nmsgs;

#endif

/* The pages of /device (RFC 8628 §3.3): the form where a person types the
 * code a kiosk or a command-line tool shows, and the question that names
 * the service and what it asks for, with the code to compare. Built with
 * the page toolkit like the sign-in pages; their catalogue is here. */
#ifndef IDP_ENDPOINT_PAGES_DEVICE_H
#define IDP_ENDPOINT_PAGES_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "oidc/client.h"
#include "page/lang.h"
#include "store/directory.h"

/* What the code form says about the code typed. */
enum idp_device_note {
	IDP_DEVICE_NOTE_NONE,
	IDP_DEVICE_NOTE_EMPTY,		/* nothing of a code typed */
	IDP_DEVICE_NOTE_MALFORMED,	/* not 8 letters */
	IDP_DEVICE_NOTE_UNKNOWN,	/* no such code (a typo) */
	IDP_DEVICE_NOTE_EXPIRED,	/* expired, or decided already */
	IDP_DEVICE_NOTE_THROTTLED,	/* too many wrong codes */
};

struct idp_device_entry_page {
	const struct idp_user *user;
	const char *typed;		/* shown again after an error */
	enum idp_device_note note;
	int wait;			/* seconds, with the throttled note */
	const char *csrf_token;
};

struct idp_device_confirm_page {
	const struct idp_client *client;
	const struct idp_user *user;
	const char *shown;		/* XXXX-XXXX */
	const char *code;		/* the normalised code, for the form */
	char *const *scopes;
	int64_t expires_at;
	const char *csrf_token;
};

/* status: 200, or 429 for a throttled person. */
enum idp_err idp_page_device_entry(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_device_entry_page *p, int status);
enum idp_err idp_page_device_confirm(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_device_confirm_page *p);

extern const struct idp_msg idp_device_msgs[];
extern const size_t idp_device_nmsgs;

#endif

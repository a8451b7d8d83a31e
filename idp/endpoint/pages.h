/* The provider's HTML pages: login and consent. Server-rendered, no
 * JavaScript, Bahasa Indonesia by default and English on request,
 * accessible labels. Every value is HTML-escaped. */
#ifndef IDP_ENDPOINT_PAGES_H
#define IDP_ENDPOINT_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "oidc/client.h"
#include "store/directory.h"

struct idp_login_page {
	const char *locale;		/* "id" or "en" */
	const struct idp_client *client;
	const char *login_id;
	const char *csrf_token;
	const char *username;		/* prefill, may be NULL */
	const char *error;		/* message key, may be NULL */
	const char *current_user;	/* "signed in as" for select_account */
};

struct idp_consent_page {
	const char *locale;
	const struct idp_client *client;
	const struct idp_user *user;
	char *const *scopes;
	const char *login_id;
	const char *csrf_token;
};

/* Message keys for the login page's error line. */
#define IDP_MSG_BAD_CREDENTIALS "bad_credentials"
#define IDP_MSG_THROTTLED "throttled"
#define IDP_MSG_MISSING "missing"

struct idp_account_consent {
	const char *client_id;
	const char *client_name;
	char *const *scopes;
};

struct idp_account_page {
	const char *locale;
	const struct idp_user *user;
	int64_t auth_time;
	const struct idp_account_consent *consents;
	size_t nconsents;
	const char *csrf_account;
	const char *csrf_logout;
};

struct idp_logout_page {
	const char *locale;
	const struct idp_user *user;
	const char *csrf_token;
	/* carried through the confirmation form */
	const char *client_id;
	const char *post_logout_redirect_uri;
	const char *state;
};

void idp_page_account(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_account_page *p);
void idp_page_logout_confirm(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_logout_page *p);

void idp_page_login(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_login_page *p);
void idp_page_consent(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_consent_page *p);
/* A short page for a person (expired login, ...), in their language. */
void idp_page_message(struct idp_req *rq, struct idp_resp *rs, int status,
    const char *locale, const char *key);

#endif

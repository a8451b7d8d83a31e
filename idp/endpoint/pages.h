/* The pages a person meets while signing in (pages_signin.c: login,
 * consent) and on their account (pages_account.c: account, withdrawing a
 * consent, signing out). All are built with the page toolkit (page/),
 * speak one language and work without JavaScript; each group has its own
 * message catalogue. Error pages are page/trouble.h's. */
#ifndef IDP_ENDPOINT_PAGES_H
#define IDP_ENDPOINT_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "oidc/client.h"
#include "page/lang.h"
#include "store/directory.h"

/* What the login form says above its fields. */
enum idp_login_note {
	IDP_LOGIN_NOTE_NONE,
	IDP_LOGIN_BAD_CREDENTIALS,	/* one message for every refusal */
	IDP_LOGIN_THROTTLED,		/* too many failures: wait */
	IDP_LOGIN_MISSING,		/* an empty field: marked on it */
	IDP_LOGIN_RESTARTED,		/* the old page had expired */
};

struct idp_login_page {
	/* The service the person signs in to; NULL for the provider's own
	 * pages (a local sign-in, /login?next=...). */
	const struct idp_client *client;
	const char *redirect_uri;	/* where the form may lead (CSP) */
	const char *ui_locales;
	const char *login_id;
	const char *csrf_token;
	const char *username;		/* prefill, may be NULL */
	bool password_missing;		/* with IDP_LOGIN_MISSING */
	int wait;			/* seconds, with IDP_LOGIN_THROTTLED */
	enum idp_login_note note;
	const char *current_user;	/* "signed in as" for select_account */
};

struct idp_consent_page {
	const struct idp_client *client;
	const char *redirect_uri;
	const char *ui_locales;
	const struct idp_user *user;
	char *const *scopes;
	const char *login_id;
	const char *csrf_token;
};

struct idp_account_consent {
	const char *client_id;
	const char *client_name;
	char *const *scopes;
};

struct idp_account_page {
	const struct idp_user *user;
	int64_t auth_time;
	const struct idp_account_consent *consents;
	size_t nconsents;
	const char *csrf_account;
	const char *csrf_logout;
};

/* The question before a consent is withdrawn. */
struct idp_withdraw_page {
	const char *client_id;
	const char *client_name;
	const char *csrf_token;
};

struct idp_logout_page {
	const struct idp_user *user;
	const char *ui_locales;
	const char *csrf_token;
	/* carried through the confirmation form */
	const char *client_id;
	const char *post_logout_redirect_uri;
	const char *state;
};

enum idp_err idp_page_login(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_login_page *p);
enum idp_err idp_page_consent(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_consent_page *p);
enum idp_err idp_page_account(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_account_page *p);
enum idp_err idp_page_withdraw(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_withdraw_page *p);
enum idp_err idp_page_logout_confirm(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_logout_page *p);

/* The scopes of a consent as a list a person can read (both groups). */
struct idp_page;
void idp_pages_scopes(struct idp_page *pg, char *const *scopes);
/* The same, with the client's API scopes described as their resource
 * servers declare them (c may be NULL). */
void idp_pages_client_scopes(struct idp_page *pg, const struct idp_client *c,
    char *const *scopes);

/* The catalogues, for the catalogue tests. */
extern const struct idp_msg idp_signin_msgs[];
extern const size_t idp_signin_nmsgs;
extern const struct idp_msg idp_account_msgs[];
extern const size_t idp_account_nmsgs;

#endif

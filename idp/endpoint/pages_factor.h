/* The pages of the second factor: the second step of a sign-in (a code
 * from the authenticator app, a recovery code, a passkey), setting up an
 * authenticator app (QR code, the secret as text, the first code), the
 * recovery codes shown once, and the person's factors on /account/mfa.
 * The same enrolment and recovery pages serve the sign-in (a service that
 * requires a second factor leads a person without one to set it up) and
 * the account page; action and login say where their forms go. */
#ifndef IDP_ENDPOINT_PAGES_FACTOR_H
#define IDP_ENDPOINT_PAGES_FACTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "page/lang.h"
#include "store/credential.h"

enum idp_factor_note {
	IDP_FACTOR_NOTE_NONE,
	IDP_FACTOR_WRONG_CODE,		/* not the code of now */
	IDP_FACTOR_USED_CODE,		/* accepted before: wait for the next */
	IDP_FACTOR_WRONG_RECOVERY,	/* not an unused recovery code */
	IDP_FACTOR_THROTTLED,		/* too many wrong: wait */
	IDP_FACTOR_PASSKEY_FAILED,	/* the ceremony did not verify */
};

/* Where the forms of a factor page go. */
struct idp_factor_form {
	const char *action;		/* "/login/factor" or "/account/mfa" */
	const char *csrf;
	const char *login_id;		/* the pending login; NULL on /account */
	const char *ui_locales;
	const char *redirect_uri;	/* where a form may lead (CSP) */
};

struct idp_factor_page {
	struct idp_factor_form f;
	const char *service;		/* the client's name; NULL: local */
	bool totp;			/* the person has each of these */
	bool passkey;
	bool recovery;
	bool must_enrol;		/* asked for, but the person has none */
	enum idp_factor_note note;
	int wait;			/* seconds, with IDP_FACTOR_THROTTLED */
	const char *webauthn_request;	/* options JSON, or NULL */
};

struct idp_totp_enrol_page {
	struct idp_factor_form f;
	const char *secret;		/* base32 */
	const char *uri;		/* otpauth:// */
	const char *enrol_id;		/* the pending credential */
	enum idp_factor_note note;
	int wait;
};

struct idp_recovery_page {
	struct idp_factor_form f;
	char (*codes)[16];
	size_t ncodes;
	bool signin;			/* a "continue" button, else a link */
};

struct idp_mfa_account_page {
	const char *csrf;
	const struct idp_credential *totp;	/* NULL: none */
	int recovery_left;
	const struct idp_credential *passkeys;
	size_t npasskeys;
	const char *webauthn_create;	/* options JSON, or NULL */
	bool org_requires;
};

enum idp_err idp_page_factor(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_factor_page *p);
enum idp_err idp_page_totp_enrol(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_totp_enrol_page *p);
enum idp_err idp_page_recovery_codes(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_recovery_page *p);
enum idp_err idp_page_mfa_account(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_mfa_account_page *p);
/* The question before a factor is removed. */
enum idp_err idp_page_mfa_remove(struct idp_req *rq, struct idp_resp *rs,
    const char *csrf, const char *what, long long id);

/* The script of the passkey ceremonies and its CSP hash (page/csp.h). */
extern const char idp_webauthn_js[];
const char *idp_webauthn_js_hash(struct idp_arena *a);

extern const struct idp_msg idp_factor_msgs[];
extern const size_t idp_factor_nmsgs;

#endif

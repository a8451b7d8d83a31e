/* What the password change (/account/password) and the reset
 * (/reset/new) share: the policy check of the new password with the
 * person's own words, the hashing job (off the HTTP workers), the one
 * transaction that sets the password, ends sessions, audits and mails,
 * and signing the person in afresh. */
#ifndef IDP_ENDPOINT_PASSWORD_H
#define IDP_ENDPOINT_PASSWORD_H

#include <stdbool.h>

#include "core/mail.h"
#include "core/session_end.h"
#include "core/throttle.h"
#include "crypto/pwhash.h"
#include "endpoint/pages_password.h"
#include "http/req.h"
#include "store/directory.h"

/* The new password of the form (new_password, new_password2) against the
 * policy for u; false with the note filled when it is refused. */
bool idp_password_acceptable(struct idp_req *rq, const struct idp_user *u,
    struct idp_newpw_note *note);

/* A hashing job: verify current (when set) against current_hash, the
 * person's stored password hash, then hash the new password. Both clear
 * texts are wiped on the thread. */
struct idp_pw_job {
	struct idp_user *user;
	char *current;			/* NULL: nothing to verify */
	size_t current_len;
	const char *current_hash;	/* NULL: the person has no password */
	char *fresh;
	size_t fresh_len;
	struct idp_pwhash_params params;
	bool current_ok;
	bool hashed;
	char hash[IDP_PWHASH_STRMAX];
	/* what the continuation needs */
	const char *ticket;		/* the reset's */
	bool keep_sessions;
	long long session_id;
	struct idp_throttle throttle;	/* guessing the current password */
};
struct idp_pw_job *idp_password_job(struct idp_req *rq, struct idp_user *u,
    const char *current, const char *fresh);
void idp_password_job_run(void *arg);

/* The change in one durable transaction: the password (only the reset's
 * ticket, when given, is used up first), the sessions that end, the audit
 * event and the notification mail (when the person has an address).
 * IDP_ERR_NOT_FOUND: the ticket is used or expired. */
struct idp_password_set {
	const struct idp_user *user;
	const char *hash;
	const char *ticket;		/* NULL for a change */
	struct idp_session_end end;
	const char *event;		/* password.changed, password.reset */
	enum idp_mail_template mail;
};
enum idp_err idp_password_commit(struct idp_req *rq, struct idp_password_set *s);

/* A new SSO session for u (after a reset), its cookie in rs. */
enum idp_err idp_password_sign_in(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_user *u);

#endif

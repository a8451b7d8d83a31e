/* The second step of a sign-in (POST /login/factor) and what /account/mfa
 * shares with it: checking a TOTP code or a recovery code through the
 * throttle, setting up an authenticator app, making recovery codes. */
#ifndef IDP_ENDPOINT_FACTOR_H
#define IDP_ENDPOINT_FACTOR_H

#include <stdint.h>

#include "endpoint/flow.h"
#include "endpoint/pages_factor.h"
#include "store/mfa.h"

/* The password of user was checked at password_at (methods amr) for
 * pending login p, and the reasons why (core/mfa.h) ask for a second
 * factor: the login waits for it and the second step's page is shown
 * (or, for a person who has none, the offer to set one up). Also the
 * step-up of a signed-in person whose session has no second factor.
 * csrf: the form's token when the pending login is new in this response,
 * NULL to derive it from the browser cookie of the request. */
enum idp_err idp_factor_ask(struct idp_req *rq, struct idp_resp *rs,
    struct idp_pending *p, const char *csrf, const struct idp_user *user,
    int64_t password_at, const char *amr, const struct idp_mfa_state *st,
    unsigned why);

struct idp_throttle;

/* The throttle's decision before a person's TOTP code is checked: its
 * own statement, committed at once like the password's before its hash
 * (core/throttle.h), so that a burst counts in full. *t is in the arena;
 * (*t)->allowed false: refused, for (*t)->wait seconds. */
enum idp_err idp_factor_totp_begin(struct idp_req *rq, long long user_id,
    struct idp_throttle **t);

/* Check the code a person typed against their TOTP factor cred (pending
 * or confirmed, its key opened by core/totpkey.h) after
 * idp_factor_totp_begin allowed it; on success the step is recorded (a
 * code is accepted once) and, when step is not NULL, given back. *note
 * says why not otherwise. The key in cred is wiped before the return.
 * Its writes may share the caller's transaction (idp_reqdb_once). */
enum idp_err idp_factor_totp_check(struct idp_req *rq, long long user_id,
    struct idp_credential *cred, const char *typed, struct idp_throttle *t,
    int64_t *step, enum idp_factor_note *note);

/* A new pending TOTP factor for the person (one that was pending before
 * goes); fills the enrolment page's secret, URI and id. IDP_ERR_CONFLICT
 * when the person has a confirmed one. */
enum idp_err idp_factor_enrol_start(struct idp_req *rq,
    const struct idp_user *user, struct idp_totp_enrol_page *page);

/* The first code of pending factor enrol_id: the factor counts from now,
 * ten new recovery codes replace the old ones (written to codes), a mail
 * tells the person, the event is audited. *note when the code is wrong. */
enum idp_err idp_factor_enrol_confirm(struct idp_req *rq,
    const struct idp_user *user, const char *enrol_id, const char *typed,
    char (*codes)[16], enum idp_factor_note *note, int *wait);

/* Ten new recovery codes for the person, the old ones removed, in the
 * caller's transaction; codes gets them as shown. */
#define IDP_RECOVERY_COUNT 10
enum idp_err idp_factor_recovery_new(struct idp_dbconn *c, long long user_id,
    char (*codes)[16]);

/* The otpauth:// URI of a TOTP secret (base32) for the person, as the
 * apps read it from the QR code: the provider's name as issuer, the
 * username as account. */
const char *idp_factor_otpauth_uri(struct idp_req *rq,
    const struct idp_user *user, const char *secret);

/* Audit and mail (when the person has an address) a change of factors. */
void idp_factor_changed(struct idp_req *rq, const struct idp_user *user,
    const char *event, bool added, json_t *details);

#endif

/* What the second factor needs from the database beyond credentials
 * (store/credential.h): a person's factors at a glance with their
 * organisation's rule, the WebAuthn challenges in flight, and the
 * operator's organisation setting. */
#ifndef IDP_STORE_MFA_H
#define IDP_STORE_MFA_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/digest.h"
#include "store/db.h"

struct idp_mfa_state {
	int totp;		/* confirmed TOTP factors */
	int passkeys;		/* confirmed passkeys */
	int recovery_left;	/* unused recovery codes */
	bool org_requires;	/* the person's organisation, or one above */
};

/* One statement: the person's confirmed factors and their organisation's
 * rule (organisations.require_mfa on the chain of parents). */
enum idp_err idp_store_mfa_state(struct idp_dbconn *c, long long user_id,
    struct idp_mfa_state *out);

/* Remove every second factor of the person (TOTP, passkeys, recovery
 * codes); *removed the number of rows. */
enum idp_err idp_store_mfa_remove_all(struct idp_dbconn *c,
    long long user_id, long long *removed);

/* A WebAuthn challenge by its digest, valid ttl seconds; user_id 0 for a
 * sign-in that has not named the person yet. */
enum idp_err idp_store_webauthn_challenge_put(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long user_id,
    const char *purpose, int64_t ttl);
/* Use it once: IDP_ERR_NOT_FOUND when unknown, expired, used, of another
 * purpose or (user_id given) another person's. */
enum idp_err idp_store_webauthn_challenge_take(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long user_id,
    const char *purpose);

/* The operator setting of an organisation by code. IDP_ERR_NOT_FOUND when
 * there is no such organisation. */
enum idp_err idp_store_org_set_require_mfa(struct idp_dbconn *c,
    const char *org_code, bool on);

#endif

/* The second factor as the rest of the provider sees it: whether a
 * session used one and when (the one question pages, the login flow and
 * the operator console ask), when a sign-in must ask for one, what the
 * session then says in acr and amr (RFC 8176), and the helpdesk's reset
 * for a lost phone. Used by the daemon and by idpctl. */
#ifndef IDP_CORE_MFA_H
#define IDP_CORE_MFA_H

#include <stdbool.h>
#include <stdint.h>

#include "oidc/authz.h"
#include "oidc/client.h"
#include "store/db.h"
#include "store/mfa.h"
#include "store/session.h"

/* Did session s use a second factor, and when? true and *at (unix time;
 * at may be NULL) when it did; false for a session of the password
 * alone, or no session. A caller that needs a recent one compares *at
 * with its own limit (the console: its own max age). */
bool idp_session_second_factor(const struct idp_session *s, int64_t *at);

/* Why a sign-in asks for a second factor: a bit for each reason. */
enum {
	IDP_MFA_PERSON = 1u,	/* the person has one: always asked */
	IDP_MFA_CLIENT = 2u,	/* the client's require_mfa */
	IDP_MFA_ORG = 4u,	/* the person's organisation's rule */
	IDP_MFA_ACR = 8u,	/* the request's acr_values */
};

/* The reasons (0: the password is enough). c and z are NULL for a
 * sign-in to the provider's own pages. */
unsigned idp_mfa_reasons(const struct idp_mfa_state *st,
    const struct idp_client *c, const struct idp_authz *z);

/* Whether the person can give a second factor now (has one). */
bool idp_mfa_has_factor(const struct idp_mfa_state *st);

/* The RFC 8176 methods and acr of a session: the password (methods the
 * password step left, "pwd"), then "otp" for a TOTP or recovery code,
 * "hwk" for a passkey (a key held in an authenticator; "swk" would be a
 * key in software, which WebAuthn cannot tell apart), and "mfa" when there
 * is more than one factor. In the arena. */
const char *idp_mfa_amr(struct idp_arena *a, const char *password_amr,
    const char *second);
const char *idp_mfa_acr(bool second_factor);

/* The helpdesk's reset for a lost phone or security key: every second
 * factor of the person goes (TOTP, passkeys, recovery codes) and every
 * session ends with the grants issued through it, in the caller's
 * transaction (idp_store_tx_begin_durable). The caller audits, with the
 * counts. The person signs in with the password and enrols again. */
struct idp_mfa_reset {
	long long user_id;
	const char *request_id;	/* for the log line; may be NULL */
	/* the outcome */
	long long factors;	/* rows removed */
	int sessions;		/* sessions ended */
	int revoked;		/* grants revoked */
};
enum idp_err idp_mfa_reset_tx(struct idp_dbconn *c, struct idp_mfa_reset *r);

#endif

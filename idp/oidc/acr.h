/* Authentication context classes (the acr claim, OIDC Core §2) and the
 * rule of §5.5.1.1 for an acr requested through the claims parameter.
 *
 * The classes the provider asserts, weakest first, are the table in
 * acr.c; discovery's acr_values_supported is that table: "1", the
 * password alone, and "2", the password and a second factor (core/mfa.h).
 * A session of a class satisfies every class at or below its level. Pure:
 * no I/O. */
#ifndef IDP_OIDC_ACR_H
#define IDP_OIDC_ACR_H

#include <stdbool.h>

#include "oidc/claims_req.h"

#define IDP_ACR_DEFAULT "1"
#define IDP_ACR_PASSWORD "1"	/* the password alone */
#define IDP_ACR_MFA "2"		/* the password and a second factor */

/* The classes, weakest first, NULL-terminated (discovery lists them). */
extern const char *const idp_acr_values[];

/* Does a sign-in of class have satisfy the class want? false for a class
 * the provider does not know, on either side. */
bool idp_acr_satisfies(const char *have, const char *want);

enum idp_acr_outcome {
	IDP_ACR_MET,		/* *out is the value to assert */
	IDP_ACR_UNMET,		/* essential and no requested class is met */
};

/* The acr to assert for a session of class session_acr, given the
 * request's id_token acr (ask, or NULL): the first requested class (value,
 * or values in order of preference) the session satisfies; when none is,
 * the session's own class for a voluntary request (§5.5.1.1: "SHOULD
 * return the session's current acr") and IDP_ACR_UNMET for an essential
 * one ("MUST treat that outcome as a failed authentication attempt"). A
 * step-up (asking for a second factor) belongs where IDP_ACR_UNMET is
 * handled, before the authorization fails. */
enum idp_acr_outcome idp_acr_choose(const struct idp_claim_ask *ask,
    const char *session_acr, const char **out);

#endif

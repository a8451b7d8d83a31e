/* Which claims a scope grants and their values for a user (OIDC Core
 * §5.4). Pure functions: no I/O. */
#ifndef IDP_OIDC_CLAIMS_H
#define IDP_OIDC_CLAIMS_H

#include <stdbool.h>

#include <jansson.h>

#include "oidc/claims_req.h"
#include "store/directory.h"

/* Every claim the provider releases or asserts: discovery's
 * claims_supported, and the claims a claims request may name. */
extern const char *const idp_claims_known[];

/* The scope that carries a person's claim (OIDC Core §5.4; "roles" for
 * roles and groups); NULL for the protocol claims (iss, sub, acr, ...). */
const char *idp_claim_scope(const char *claim);

/* The user's claims for the granted scopes, always with "sub". The
 * "organisation" scope adds an object {code, name, kind, parent} plus nip
 * and job_title; profile, email and phone are those of OIDC Core. */
json_t *idp_claims_for_user(const struct idp_user *u, char *const *scopes);

/* What one release (an ID token, a userinfo answer) may carry. */
struct idp_claims_ctx {
	const struct idp_user *user;
	const char *sub;		/* the subject as this client sees it */
	char *const *granted;		/* the scopes of the authorization */
	/* The scopes whose claims the claims parameter may ask for one by
	 * one: the granted ones, and for a first-party client (no consent
	 * screen) every scope its policy allows. */
	char *const *releasable;
	/* From the person's memberships (the "roles" scope):
	 *   roles  "role@organisation" for each role, e.g.
	 *          "developer@badung.diskominfo";
	 *   groups the codes of the person's organisation and of every
	 *          organisation of a membership, their own first.
	 * NULL-terminated; NULL when not loaded. */
	char *const *roles;
	char *const *groups;
	const struct idp_claims_req *req;	/* or NULL */
};

/* The claims for destination d (OIDC Core §5.4, §5.5): those of the
 * granted scopes, plus each claim the request names for d whose scope is
 * releasable; a claim asked for with value or values only when the
 * person's value matches (§5.5.1: otherwise left out, never an error).
 * "sub" is always ctx->sub. A new reference. */
json_t *idp_claims_release(const struct idp_claims_ctx *x,
    enum idp_claims_dest d);

/* Does the release need the person's memberships (roles, groups)? */
bool idp_claims_need_roles(const struct idp_claims_ctx *x);

#endif

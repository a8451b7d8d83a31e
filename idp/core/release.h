/* What the provider releases about a person to a client, for an ID token
 * or a userinfo answer: the claims of the granted scopes and of the
 * claims request (oidc/claims.h), under the subject the client is given
 * (core/subject.h), with the person's roles and groups read from their
 * memberships when the "roles" scope is in play (core/roles.h). Shared
 * by the token and userinfo endpoints, so both release the same. */
#ifndef IDP_CORE_RELEASE_H
#define IDP_CORE_RELEASE_H

#include <jansson.h>

#include "http/req.h"
#include "oidc/claims.h"
#include "oidc/client.h"
#include "store/directory.h"

struct idp_release {
	const struct idp_client *client;
	const struct idp_user *user;
	char *const *scopes;		/* granted */
	const char *claims;		/* the normalised claims request, or
					 * NULL (oidc/claims_req.h) */
};

/* *out is a new reference. Database errors are returned. */
enum idp_err idp_release_claims(struct idp_req *rq,
    const struct idp_release *r, enum idp_claims_dest d, json_t **out);

/* The claims request's id_token acr (oidc/acr.h), or NULL; the request's
 * document lives in the arena. */
const struct idp_claim_ask *idp_release_acr_ask(struct idp_req *rq,
    const char *claims);

#endif

/* Which claims a scope grants and their values for a user (OIDC Core
 * §5.4). Pure functions: no I/O. */
#ifndef IDP_OIDC_CLAIMS_H
#define IDP_OIDC_CLAIMS_H

#include <jansson.h>

#include "store/directory.h"

extern const char *const idp_claims_known[];

/* The user's claims for the granted scopes, always with "sub". The
 * "organisation" scope adds an object {code, name, kind, parent} plus nip
 * and job_title; profile, email and phone are those of OIDC Core. */
json_t *idp_claims_for_user(const struct idp_user *u, char *const *scopes);

#endif

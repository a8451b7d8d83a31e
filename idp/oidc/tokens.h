/* Claim sets of the tokens the provider signs: ID tokens (OIDC Core §2,
 * §3.1.3.6) and JWT access tokens (RFC 9068 §2.2). Pure: no I/O. */
#ifndef IDP_OIDC_TOKENS_H
#define IDP_OIDC_TOKENS_H

#include <stdint.h>

#include <jansson.h>

#include "util/arena.h"

struct idp_id_token_in {
	const char *issuer;
	const char *client_id;
	const char *sub;
	const char *nonce;		/* NULL when the request had none */
	const char *sid;
	const char *acr;
	char *const *amr;
	int64_t auth_time;
	int64_t iat;
	int64_t exp;
	const char *access_token;	/* for at_hash; NULL for none */
	json_t *user_claims;		/* scope claims, borrowed */
};

json_t *idp_id_token_claims(struct idp_arena *a,
    const struct idp_id_token_in *in);

struct idp_jwt_at_in {
	const char *issuer;
	/* RFC 9068 §3: the resource servers the token is for (RFC 8707);
	 * NULL or empty: the client itself (a token for the provider's
	 * userinfo). One value is a string, more an array. */
	char *const *aud;
	const char *sub;		/* the user, or the client itself */
	const char *client_id;
	const char *scope;
	const char *jti;
	int64_t iat;
	int64_t exp;
	int64_t auth_time;		/* 0 for client_credentials */
	const char *jkt;		/* DPoP key (cnf, RFC 9449 §6.1) */
};

json_t *idp_jwt_at_claims(const struct idp_jwt_at_in *in);

#endif

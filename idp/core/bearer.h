/* What an access token presented to the provider stands for: shared by
 * userinfo and introspection. Opaque tokens are looked up by digest; JWT
 * access tokens are verified against the provider's keys, then looked up
 * too (those of a grant are stored, so revocation reaches them) or, for
 * client_credentials JWTs, checked against the revoked-jti list. */
#ifndef IDP_CORE_BEARER_H
#define IDP_CORE_BEARER_H

#include <stdbool.h>
#include <stdint.h>

#include "http/req.h"
#include "store/directory.h"

struct idp_token_info {
	const char *client_id;
	const char *scope;
	char **scopes;
	int64_t exp;
	int64_t iat;
	int64_t auth_time;
	bool has_user;
	struct idp_user user;	/* when has_user */
	const char *sub;	/* the user's sub, or the client_id */
	const char *jti;	/* JWT access tokens */
	const char *aud;
	const char *jkt;	/* DPoP binding (RFC 9449 §6), or NULL */
	bool is_jwt;
	const char *grant_id;	/* the grant it belongs to, or NULL */
	const char *act;	/* act claim (RFC 8693 §4.1), JSON, or NULL */
	const char *audience;	/* of an exchanged token (RFC 8693), or NULL */
	const char *claims;	/* the grant's claims request, or NULL */
};

/* IDP_OK for an active token; IDP_ERR_INVALID_TOKEN for anything else
 * (unknown, expired, revoked, bad signature, disabled user). */
enum idp_err idp_bearer_lookup(struct idp_req *rq, const char *token,
    struct idp_token_info *out);

#endif

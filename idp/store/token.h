/* Authorization codes, grants, opaque access tokens and refresh tokens, all
 * kept as SHA-256 digests. A grant is one authorization; its refresh
 * tokens form a family, and revoking the grant ends every token issued
 * under it (code reuse, refresh reuse, consent withdrawal, revocation). */
#ifndef IDP_STORE_TOKEN_H
#define IDP_STORE_TOKEN_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/digest.h"
#include "store/db.h"
#include "store/directory.h"
#include "util/arena.h"

struct idp_code_new {
	const unsigned char *digest;
	const char *client_id;
	long long user_id;
	long long session_id;
	const char *redirect_uri;
	const char *scope;
	const char *nonce;
	const char *code_challenge;
	const char *code_challenge_method;
	int64_t auth_time;
	const char *acr;
	const char *amr;		/* space-separated */
	int64_t ttl;
	const char *dpop_jkt;		/* RFC 9449 §10 binding, or NULL */
	const char *claims;		/* the claims request (OIDC Core
					 * §5.5), normalised JSON, or NULL */
};
enum idp_err idp_store_code_insert(struct idp_dbconn *c,
    const struct idp_code_new *n);

struct idp_code {
	char *client_id;
	long long user_id;
	long long session_id;		/* 0 when the session is gone */
	char *sid;
	char *redirect_uri;
	char *scope;
	char *nonce;
	char *code_challenge;
	char *code_challenge_method;
	int64_t auth_time;
	char *acr;
	char *amr;
	bool expired;
	char *grant_id;			/* set when the code was used before */
	char *claims;			/* its claims request, or NULL; the
					 * grant made from it keeps it */
};
/* Mark the code used and return it. IDP_ERR_NOT_FOUND when no such code;
 * IDP_ERR_CONFLICT when it was used before (out->grant_id tells what it
 * issued, for revocation); IDP_ERR_FORBIDDEN, leaving it unused, when it
 * is bound to a DPoP key other than jkt (the request's, or NULL). */
enum idp_err idp_store_code_consume(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *jkt,
    struct idp_code **out);

/* What one token response issues. */
struct idp_issue {
	const char *client_id;
	long long user_id;
	long long session_id;		/* 0: none */
	const char *scope;
	int64_t auth_time;
	const char *acr;
	const char *amr;
	const unsigned char *code_digest;	/* the code it came from */
	const unsigned char *at_digest;	/* NULL for a JWT access token */
	int64_t at_ttl;
	const unsigned char *rt_digest;	/* NULL for no refresh token */
	int64_t rt_ttl;
	const char *at_jkt;		/* DPoP bindings (RFC 9449), or NULL */
	const char *rt_jkt;
};
/* A new grant with its tokens, one round trip. *grant_id in the arena. */
enum idp_err idp_store_issue_from_code(struct idp_dbconn *c,
    struct idp_arena *a, const struct idp_issue *is, char **grant_id);

struct idp_refresh {
	char *grant_id;
	char *client_id;
	char *scope;
	int64_t expires_at;
	long long session_id;
	char *sid;
	int64_t auth_time;
	char *acr;
	char *amr;
	bool grant_revoked;
	char *claims;			/* the grant's claims request */
	struct idp_user user;
};
/* Mark a refresh token used and return its grant. IDP_ERR_NOT_FOUND when
 * unknown or revoked; IDP_ERR_CONFLICT when it was used before (reuse:
 * out->grant_id is set for revocation); IDP_ERR_FORBIDDEN, leaving it
 * unused, when it is bound to a DPoP key other than jkt. */
enum idp_err idp_store_refresh_consume(struct idp_dbconn *c,
    struct idp_arena *a, const unsigned char digest[IDP_SHA256_LEN],
    const char *jkt, struct idp_refresh **out);
/* New tokens for an existing grant (rotation), bound to DPoP keys when
 * at_jkt and rt_jkt are not NULL. IDP_ERR_NOT_FOUND when the grant was
 * revoked meanwhile. */
enum idp_err idp_store_issue_refresh(struct idp_dbconn *c,
    const char *grant_id, const char *scope, const unsigned char *at_digest,
    int64_t at_ttl, const unsigned char *rt_digest, int64_t rt_ttl,
    const char *at_jkt, const char *rt_jkt);

/* An access token without a grant (client_credentials); jkt its DPoP
 * binding, or NULL. */
enum idp_err idp_store_access_insert(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id,
    const char *scope, int64_t ttl, const char *jkt);

struct idp_access {
	char *client_id;
	char *scope;
	int64_t expires_at;
	int64_t issued_at;
	int64_t auth_time;		/* 0 without a user */
	char *grant_id;			/* NULL without a grant */
	char *jkt;			/* DPoP binding (RFC 9449), or NULL */
	bool has_user;
	char *claims;			/* the grant's claims request */
	struct idp_user user;
	char *audience;			/* of an exchanged token (RFC 8693) */
	char *act;			/* its act claim, JSON; or NULL */
};
/* A live opaque access token (not expired, not revoked, grant live).
 * IDP_ERR_NOT_FOUND otherwise. */
enum idp_err idp_store_access_get(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_access **out);

/* A live refresh token (unused, unrevoked, unexpired, grant live), for
 * introspection. IDP_ERR_NOT_FOUND otherwise. */
struct idp_refresh_info {
	char *client_id;
	char *scope;
	int64_t expires_at;
	int64_t issued_at;
	char *sub;
	char *username;
};
enum idp_err idp_store_refresh_info(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_refresh_info **out);

/* Is this JWT access token's jti revoked? */
enum idp_err idp_store_jwt_revoked(struct idp_dbconn *c, const char *jti,
    bool *revoked);
/* Revoke a JWT access token (RFC 7009) until it expires. */
enum idp_err idp_store_jwt_revoke(struct idp_dbconn *c, const char *jti,
    const char *client_id, int64_t exp);
/* Revoke one opaque access token of client_id; IDP_ERR_NOT_FOUND when it
 * is not that client's (or unknown). */
enum idp_err idp_store_access_revoke(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id);
/* The grant of client_id's refresh token, for revocation; NOT_FOUND when
 * unknown or another client's. */
enum idp_err idp_store_refresh_grant(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id,
    char **grant_id);

enum idp_err idp_store_grant_revoke(struct idp_dbconn *c, const char *grant_id,
    const char *reason);

#endif

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
	int64_t session_idle_ttl;	/* the session's idle expiry moves on */
	const char *dpop_jkt;		/* RFC 9449 §10 binding, or NULL */
	const char *claims;		/* the claims request (OIDC Core
					 * §5.5), normalised JSON, or NULL */
};
/* A new code; in the same statement its session records that the client
 * used it now (session_clients, idle expiry). */
enum idp_err idp_store_code_insert(struct idp_dbconn *c,
    const struct idp_code_new *n);

struct idp_code {
	char *client_id;
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
	char *grant_id;			/* what it issued, once used */
	char *claims;			/* its claims request, or NULL; the
					 * grant made from it keeps it */
	struct idp_user user;		/* the person it was issued for */
};
/* Read a code with its person; writes nothing. IDP_ERR_NOT_FOUND when no
 * such code; IDP_ERR_CONFLICT when it was used before (out->grant_id tells
 * what it issued, for revocation); IDP_ERR_FORBIDDEN when it is bound to a
 * DPoP key other than jkt (the request's, or NULL). */
enum idp_err idp_store_code_get(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *jkt,
    struct idp_code **out);
/* Use a code up without issuing anything (a refused exchange). */
enum idp_err idp_store_code_burn(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN]);

/* What one token response issues. */
struct idp_issue {
	const char *client_id;
	long long user_id;
	long long session_id;		/* 0: none */
	const char *scope;
	int64_t auth_time;
	const char *acr;
	const char *amr;
	const unsigned char *code_digest;	/* the code; NULL: none */
	const unsigned char *at_digest;	/* NULL for a JWT access token */
	int64_t at_ttl;
	const unsigned char *rt_digest;	/* NULL for no refresh token */
	int64_t rt_ttl;
	const char *at_jkt;		/* DPoP bindings (RFC 9449), or NULL */
	const char *rt_jkt;
};
/* Use the code up (when there is one) and create a grant with its tokens:
 * one statement, one commit. *grant_id in the arena. IDP_ERR_CONFLICT
 * when a concurrent exchange used the code first (*grant_id is then what
 * that one issued, or NULL); IDP_ERR_NOT_FOUND when the code is gone. */
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
	/* Of a token already used (IDP_ERR_CONFLICT), for oidc/refresh.h: */
	int64_t rotated_ms_ago;		/* since its rotation */
	char *successor;		/* hex digest of the refresh token the
					 * rotation issued, or NULL */
	bool successor_unused;		/* never presented, not revoked */
	bool retried;			/* a retry of its rotation was answered */
	bool key_mismatch;		/* bound to a DPoP key other than jkt */
};
/* Read a refresh token with its grant and person; writes nothing.
 * IDP_ERR_NOT_FOUND when unknown, revoked or expired; IDP_ERR_CONFLICT
 * when it was used before (reuse, unless oidc/refresh.h calls it a retry:
 * out->grant_id is set for revocation); IDP_ERR_FORBIDDEN when it is live
 * but bound to a DPoP key other than jkt. */
enum idp_err idp_store_refresh_get(struct idp_dbconn *c,
    struct idp_arena *a, const unsigned char digest[IDP_SHA256_LEN],
    const char *jkt, struct idp_refresh **out);
/* Use a refresh token up without issuing anything (a refused request). */
enum idp_err idp_store_refresh_burn(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN]);

/* One rotation: the token presented and what replaces it. */
struct idp_rotate {
	const unsigned char *old_digest;
	const char *scope;
	const unsigned char *at_digest;
	int64_t at_ttl;
	const unsigned char *rt_digest;	/* NULL: no successor (scope) */
	int64_t rt_ttl;
	const char *at_jkt;		/* DPoP bindings (RFC 9449), or NULL */
	const char *rt_jkt;
};
/* Use the old token up and issue its successors under the same grant,
 * whose expiry moves on: one statement, one commit. IDP_ERR_CONFLICT when
 * a concurrent request used the old token first (*grant_id: its grant,
 * for revocation); IDP_ERR_NOT_FOUND when the token or its grant was
 * revoked meanwhile. */
enum idp_err idp_store_issue_refresh(struct idp_dbconn *c,
    struct idp_arena *a, const struct idp_rotate *ro, char **grant_id);

/* What the retry of a rotation came to (idp_store_refresh_retry). */
enum idp_retry_outcome {
	IDP_RETRY_ISSUED,	/* the successor revoked, new tokens issued */
	IDP_RETRY_RACE,		/* a concurrent retry was answered first */
	IDP_RETRY_REUSE,	/* the successor was used meanwhile, or the
				 * grace ran out: reuse after all */
	IDP_RETRY_REVOKED,	/* the grant was revoked meanwhile */
};
/* The retry of a rotation whose answer was lost (oidc/refresh.h): the old
 * token's row is locked and checked again (rotated within grace seconds,
 * not retried yet), the unused successor and the access token issued
 * with it are revoked (the successor also counts as used, so whoever
 * presents it later is taken for a second holder), and ro's tokens become
 * the old token's successors, the rotation marked retried. Call it inside
 * a transaction (idp_reqdb_once): the lock holds until the commit, so of
 * two concurrent retries exactly one issues. */
enum idp_err idp_store_refresh_retry(struct idp_dbconn *c,
    const struct idp_rotate *ro, int64_t grace,
    enum idp_retry_outcome *out);

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

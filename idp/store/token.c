#include <stdio.h>
#include <string.h>

#include "store/token.h"
#include "store/statements.h"
#include "store/user_rows.h"

#define SECS(n) "make_interval(secs => $" #n ")"

const struct idp_stmt idp_token_stmts[] = {
	{ "code_insert",
	  "INSERT INTO authorization_codes (code_digest, client_id, user_id, "
	  "session_id, redirect_uri, scope, nonce, code_challenge, "
	  "code_challenge_method, auth_time, acr, amr, expires_at, dpop_jkt, "
	  "claims) VALUES ($1, $2, $3, nullif($4, 0), $5, $6, $7, $8, $9, "
	  "to_timestamp($10), $11, string_to_array($12, ' '), now() + "
	  SECS(13) ", $14, $15::jsonb)", 15 },
	/* Single use: only the first UPDATE finds used_at NULL. A code bound
	 * to a DPoP key (RFC 9449 §10) is not used up by a request without
	 * a proof of that key. */
	{ "code_consume",
	  "UPDATE authorization_codes c SET used_at = now() "
	  "WHERE c.code_digest = $1 AND c.used_at IS NULL "
	  "AND (c.dpop_jkt IS NULL OR c.dpop_jkt = $2::text) "
	  "RETURNING c.client_id, c.user_id, coalesce(c.session_id, 0), "
	  "(SELECT sid FROM sessions WHERE id = c.session_id), c.redirect_uri, "
	  "c.scope, c.nonce, c.code_challenge, c.code_challenge_method, "
	  "floor(extract(epoch from c.auth_time))::bigint, c.acr, "
	  "array_to_string(c.amr, ' '), c.expires_at <= now(), c.claims::text",
	  2 },
	{ "code_used_grant",
	  "SELECT grant_id::text, used_at IS NOT NULL FROM authorization_codes "
	  "WHERE code_digest = $1", 1 },
	{ "issue_from_code",
	  "WITH g AS (INSERT INTO grants (client_id, user_id, session_id, "
	  "scope, auth_time, acr, amr, expires_at, claims) VALUES ($1, $2, "
	  "nullif($3, 0), $4, to_timestamp($5), $6, string_to_array($7, ' '), "
	  "now() + " SECS(13) ", (SELECT claims FROM authorization_codes "
	  "WHERE code_digest = $8)) RETURNING id), "
	  "c AS (UPDATE authorization_codes SET grant_id = (SELECT id FROM g) "
	  "WHERE code_digest = $8), "
	  "a AS (INSERT INTO access_tokens (token_digest, client_id, user_id, "
	  "grant_id, scope, expires_at, jkt) SELECT $9, $1, $2, g.id, $4, "
	  "now() + " SECS(10) ", $14::text FROM g WHERE $9::bytea IS NOT NULL), "
	  "r AS (INSERT INTO refresh_tokens (token_digest, grant_id, client_id, "
	  "scope, expires_at, jkt) SELECT $11, g.id, $1, $4, now() + " SECS(12)
	  ", $15::text FROM g WHERE $11::bytea IS NOT NULL) "
	  "SELECT id::text FROM g", 15 },
	{ "refresh_consume",
	  "UPDATE refresh_tokens r SET used_at = now() FROM grants g "
	  "JOIN users u ON u.id = g.user_id " IDP_USER_JOIN
	  "WHERE r.token_digest = $1 AND r.used_at IS NULL "
	  "AND r.revoked_at IS NULL AND r.expires_at > now() "
	  "AND (r.jkt IS NULL OR r.jkt = $2::text) AND g.id = r.grant_id "
	  "RETURNING r.grant_id::text, r.client_id, r.scope, "
	  "floor(extract(epoch from r.expires_at))::bigint, "
	  "coalesce(g.session_id, 0), "
	  "(SELECT sid FROM sessions WHERE id = g.session_id), "
	  "floor(extract(epoch from g.auth_time))::bigint, g.acr, "
	  "array_to_string(g.amr, ' '), g.revoked_at IS NOT NULL, "
	  "g.claims::text, " IDP_USER_COLS, 2 },
	/* Why it was not consumable: used before (a replay), or live but
	 * bound to another DPoP key (RFC 9449 §5), or gone. */
	{ "refresh_used_grant",
	  "SELECT grant_id::text, used_at IS NOT NULL, used_at IS NULL "
	  "AND revoked_at IS NULL AND expires_at > now() AND jkt IS NOT NULL "
	  "AND jkt IS DISTINCT FROM $2::text FROM refresh_tokens "
	  "WHERE token_digest = $1", 2 },
	{ "issue_refresh",
	  "WITH g AS (UPDATE grants SET expires_at = greatest(expires_at, "
	  "now() + " SECS(6) ") WHERE id = $1::uuid AND revoked_at IS NULL "
	  "RETURNING id, client_id, user_id), "
	  "a AS (INSERT INTO access_tokens (token_digest, client_id, user_id, "
	  "grant_id, scope, expires_at, jkt) SELECT $3, g.client_id, g.user_id, "
	  "g.id, $2, now() + " SECS(4) ", $7::text FROM g "
	  "WHERE $3::bytea IS NOT NULL), "
	  "r AS (INSERT INTO refresh_tokens (token_digest, grant_id, client_id, "
	  "scope, expires_at, jkt) SELECT $5, g.id, g.client_id, $2, now() + "
	  SECS(6) ", $8::text FROM g WHERE $5::bytea IS NOT NULL) "
	  "SELECT count(*) FROM g", 8 },
	{ "access_insert",
	  "INSERT INTO access_tokens (token_digest, client_id, scope, "
	  "expires_at, jkt) VALUES ($1, $2, $3, now() + " SECS(4) ", $5)", 5 },
	{ "access_get",
	  "SELECT t.client_id, t.scope, floor(extract(epoch from t.expires_at))::bigint, "
	  "floor(extract(epoch from t.created_at))::bigint, "
	  "coalesce(floor(extract(epoch from g.auth_time))::bigint, 0), "
	  "t.grant_id::text, t.jkt, u.id IS NOT NULL, g.claims::text, "
	  IDP_USER_COLS ", t.audience, t.act::text "
	  "FROM access_tokens t LEFT JOIN grants g ON g.id = t.grant_id "
	  "LEFT JOIN users u ON u.id = t.user_id " IDP_USER_JOIN
	  "WHERE t.token_digest = $1 AND t.revoked_at IS NULL "
	  "AND t.expires_at > now() AND g.revoked_at IS NULL", 1 },
	{ "grant_revoke",
	  "WITH g AS (UPDATE grants SET revoked_at = coalesce(revoked_at, now()), "
	  "revoked_reason = coalesce(revoked_reason, $2) WHERE id = $1::uuid "
	  "RETURNING id), "
	  "a AS (UPDATE access_tokens SET revoked_at = now() WHERE grant_id = "
	  "(SELECT id FROM g) AND revoked_at IS NULL) "
	  "UPDATE refresh_tokens SET revoked_at = now() WHERE grant_id = "
	  "(SELECT id FROM g) AND revoked_at IS NULL", 2 },
	{ "refresh_info",
	  "SELECT r.client_id, r.scope, floor(extract(epoch from r.expires_at))::bigint, "
	  "floor(extract(epoch from r.created_at))::bigint, u.sub::text, u.username "
	  "FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id "
	  "JOIN users u ON u.id = g.user_id WHERE r.token_digest = $1 "
	  "AND r.used_at IS NULL AND r.revoked_at IS NULL "
	  "AND r.expires_at > now() AND g.revoked_at IS NULL "
	  "AND NOT u.disabled", 1 },
	{ "jwt_revoked", "SELECT 1 FROM revoked_jwts WHERE jti = $1", 1 },
	{ "jwt_revoke",
	  "INSERT INTO revoked_jwts (jti, client_id, expires_at) "
	  "VALUES ($1, $2, to_timestamp($3)) ON CONFLICT (jti) DO NOTHING", 3 },
	{ "access_revoke",
	  "UPDATE access_tokens SET revoked_at = coalesce(revoked_at, now()) "
	  "WHERE token_digest = $1 AND client_id = $2", 2 },
	{ "refresh_grant",
	  "SELECT grant_id::text FROM refresh_tokens WHERE token_digest = $1 "
	  "AND client_id = $2", 2 },
	{ NULL, NULL, 0 },
};

static char *
dup(struct idp_arena *a, const PGresult *r, int i, int c)
{
	return idp_arena_strdup(a, idp_db_val(r, i, c));
}

static void
ll(char buf[24], long long v)
{
	snprintf(buf, 24, "%lld", v);
}

enum idp_err
idp_store_code_insert(struct idp_dbconn *c, const struct idp_code_new *n)
{
	char uid[24], sid[24], at[24], ttl[24];
	struct idp_param p[15] = { P_BIN(n->digest, IDP_SHA256_LEN),
		P_TXT(n->client_id), P_TXT(uid), P_TXT(sid),
		P_TXT(n->redirect_uri), P_TXT(n->scope), P_TXT(n->nonce),
		P_TXT(n->code_challenge), P_TXT(n->code_challenge_method),
		P_TXT(at), P_TXT(n->acr), P_TXT(n->amr), P_TXT(ttl),
		P_TXT(n->dpop_jkt), P_TXT(n->claims) };

	ll(uid, n->user_id);
	ll(sid, n->session_id);
	ll(at, n->auth_time);
	ll(ttl, n->ttl);
	return idp_db_run(c, "code_insert", p, 15);
}

enum idp_err
idp_store_code_consume(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *jkt,
    struct idp_code **out)
{
	struct idp_param p[2] = { P_BIN(digest, IDP_SHA256_LEN), P_TXT(jkt) };
	struct idp_code *k = idp_arena_zalloc(a, sizeof(*k));
	PGresult *r = NULL;
	enum idp_err rc;

	*out = k;
	rc = idp_db_exec(c, "code_consume", p, 2, &r);
	if (rc != IDP_OK)
		return rc;
	if (PQntuples(r) == 1) {
		k->client_id = dup(a, r, 0, 0);
		k->user_id = idp_db_ll(r, 0, 1);
		k->session_id = idp_db_ll(r, 0, 2);
		k->sid = dup(a, r, 0, 3);
		k->redirect_uri = dup(a, r, 0, 4);
		k->scope = dup(a, r, 0, 5);
		k->nonce = dup(a, r, 0, 6);
		k->code_challenge = dup(a, r, 0, 7);
		k->code_challenge_method = dup(a, r, 0, 8);
		k->auth_time = idp_db_ll(r, 0, 9);
		k->acr = dup(a, r, 0, 10);
		k->amr = dup(a, r, 0, 11);
		k->expired = idp_db_bool(r, 0, 12);
		k->claims = dup(a, r, 0, 13);
		PQclear(r);
		return IDP_OK;
	}
	PQclear(r);
	/* Not consumable: unknown, used before (a replay), or bound to
	 * another DPoP key. */
	rc = idp_db_exec(c, "code_used_grant", p, 1, &r);
	if (rc != IDP_OK)
		return rc;
	rc = PQntuples(r) != 1 ? IDP_ERR_NOT_FOUND : idp_db_bool(r, 0, 1) ?
	    IDP_ERR_CONFLICT : IDP_ERR_FORBIDDEN;
	if (rc == IDP_ERR_CONFLICT)
		k->grant_id = dup(a, r, 0, 0);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_issue_from_code(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_issue *is, char **grant_id)
{
	char uid[24], sid[24], at[24], atttl[24], rtttl[24];
	struct idp_param p[15] = { P_TXT(is->client_id), P_TXT(uid), P_TXT(sid),
		P_TXT(is->scope), P_TXT(at), P_TXT(is->acr), P_TXT(is->amr),
		is->code_digest ? P_BIN(is->code_digest, IDP_SHA256_LEN) : P_NULL,
		is->at_digest ? P_BIN(is->at_digest, IDP_SHA256_LEN) : P_NULL,
		P_TXT(atttl),
		is->rt_digest ? P_BIN(is->rt_digest, IDP_SHA256_LEN) : P_NULL,
		P_TXT(rtttl), P_TXT(rtttl), P_TXT(is->at_jkt),
		P_TXT(is->rt_jkt) };
	PGresult *r = NULL;
	enum idp_err rc;

	ll(uid, is->user_id);
	ll(sid, is->session_id);
	ll(at, is->auth_time);
	ll(atttl, is->at_ttl);
	/* The grant lives as long as its longest token. */
	ll(rtttl, is->rt_digest ? is->rt_ttl : is->at_ttl);
	rc = idp_db_exec(c, "issue_from_code", p, 15, &r);
	if (rc == IDP_OK)
		*grant_id = dup(a, r, 0, 0);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_refresh_consume(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *jkt,
    struct idp_refresh **out)
{
	struct idp_param p[2] = { P_BIN(digest, IDP_SHA256_LEN), P_TXT(jkt) };
	struct idp_refresh *f = idp_arena_zalloc(a, sizeof(*f));
	PGresult *r = NULL;
	enum idp_err rc;

	*out = f;
	rc = idp_db_exec(c, "refresh_consume", p, 2, &r);
	if (rc != IDP_OK)
		return rc;
	if (PQntuples(r) == 1) {
		f->grant_id = dup(a, r, 0, 0);
		f->client_id = dup(a, r, 0, 1);
		f->scope = dup(a, r, 0, 2);
		f->expires_at = idp_db_ll(r, 0, 3);
		f->session_id = idp_db_ll(r, 0, 4);
		f->sid = dup(a, r, 0, 5);
		f->auth_time = idp_db_ll(r, 0, 6);
		f->acr = dup(a, r, 0, 7);
		f->amr = dup(a, r, 0, 8);
		f->grant_revoked = idp_db_bool(r, 0, 9);
		f->claims = dup(a, r, 0, 10);
		idp_store_user_read(a, r, 0, 11, &f->user);
		PQclear(r);
		return IDP_OK;
	}
	PQclear(r);
	rc = idp_db_exec(c, "refresh_used_grant", p, 2, &r);
	if (rc != IDP_OK)
		return rc;
	rc = IDP_ERR_NOT_FOUND;
	if (PQntuples(r) == 1 && idp_db_bool(r, 0, 1)) {
		rc = IDP_ERR_CONFLICT;
		f->grant_id = dup(a, r, 0, 0);
	} else if (PQntuples(r) == 1 && idp_db_bool(r, 0, 2)) {
		rc = IDP_ERR_FORBIDDEN;
	}
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_issue_refresh(struct idp_dbconn *c, const char *grant_id,
    const char *scope, const unsigned char *at_digest, int64_t at_ttl,
    const unsigned char *rt_digest, int64_t rt_ttl, const char *at_jkt,
    const char *rt_jkt)
{
	char att[24], rtt[24];
	struct idp_param p[8] = { P_TXT(grant_id), P_TXT(scope),
		at_digest ? P_BIN(at_digest, IDP_SHA256_LEN) : P_NULL,
		P_TXT(att), rt_digest ? P_BIN(rt_digest, IDP_SHA256_LEN) : P_NULL,
		P_TXT(rtt), P_TXT(at_jkt), P_TXT(rt_jkt) };
	PGresult *r = NULL;
	enum idp_err rc;

	ll(att, at_ttl);
	ll(rtt, rt_ttl);
	rc = idp_db_exec(c, "issue_refresh", p, 8, &r);
	if (rc == IDP_OK && idp_db_ll(r, 0, 0) != 1)
		rc = IDP_ERR_NOT_FOUND;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_access_insert(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id,
    const char *scope, int64_t ttl, const char *jkt)
{
	char t[24];
	struct idp_param p[5] = { P_BIN(digest, IDP_SHA256_LEN),
		P_TXT(client_id), P_TXT(scope), P_TXT(t), P_TXT(jkt) };

	ll(t, ttl);
	return idp_db_run(c, "access_insert", p, 5);
}

enum idp_err
idp_store_access_get(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_access **out)
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "access_get", p, 1, &r);
	struct idp_access *t;

	if (rc != IDP_OK)
		return rc;
	t = idp_arena_zalloc(a, sizeof(*t));
	t->client_id = dup(a, r, 0, 0);
	t->scope = dup(a, r, 0, 1);
	t->expires_at = idp_db_ll(r, 0, 2);
	t->issued_at = idp_db_ll(r, 0, 3);
	t->auth_time = idp_db_ll(r, 0, 4);
	t->grant_id = dup(a, r, 0, 5);
	t->jkt = dup(a, r, 0, 6);
	t->has_user = idp_db_bool(r, 0, 7);
	t->claims = dup(a, r, 0, 8);
	if (t->has_user)
		idp_store_user_read(a, r, 0, 9, &t->user);
	t->audience = dup(a, r, 0, 9 + IDP_USER_NCOLS);
	t->act = dup(a, r, 0, 10 + IDP_USER_NCOLS);
	PQclear(r);
	*out = t;
	return IDP_OK;
}

enum idp_err
idp_store_grant_revoke(struct idp_dbconn *c, const char *grant_id,
    const char *reason)
{
	struct idp_param p[2] = { P_TXT(grant_id), P_TXT(reason) };

	PGresult *r = NULL;
	enum idp_err rc;

	if (grant_id == NULL)
		return IDP_OK;
	rc = idp_db_exec_durable(c, "grant_revoke", p, 2, &r);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_jwt_revoked(struct idp_dbconn *c, const char *jti, bool *revoked)
{
	struct idp_param p[1] = { P_TXT(jti) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "jwt_revoked", p, 1, &r);

	if (rc == IDP_OK)
		*revoked = PQntuples(r) > 0;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_jwt_revoke(struct idp_dbconn *c, const char *jti,
    const char *client_id, int64_t exp)
{
	char e[24];
	struct idp_param p[3] = { P_TXT(jti), P_TXT(client_id), P_TXT(e) };

	PGresult *r = NULL;
	enum idp_err rc;

	ll(e, exp);
	rc = idp_db_exec_durable(c, "jwt_revoke", p, 3, &r);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_access_revoke(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id)
{
	struct idp_param p[2] = { P_BIN(digest, IDP_SHA256_LEN),
		P_TXT(client_id) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_durable(c, "access_revoke", p, 2, &r);

	if (rc == IDP_OK && strcmp(PQcmdTuples(r), "1") != 0)
		rc = IDP_ERR_NOT_FOUND;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_refresh_grant(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id,
    char **grant_id)
{
	struct idp_param p[2] = { P_BIN(digest, IDP_SHA256_LEN),
		P_TXT(client_id) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "refresh_grant", p, 2, &r);

	if (rc == IDP_OK)
		*grant_id = dup(a, r, 0, 0);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_refresh_info(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_refresh_info **out)
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "refresh_info", p, 1, &r);
	struct idp_refresh_info *f;

	if (rc != IDP_OK)
		return rc;
	f = idp_arena_zalloc(a, sizeof(*f));
	f->client_id = dup(a, r, 0, 0);
	f->scope = dup(a, r, 0, 1);
	f->expires_at = idp_db_ll(r, 0, 2);
	f->issued_at = idp_db_ll(r, 0, 3);
	f->sub = dup(a, r, 0, 4);
	f->username = dup(a, r, 0, 5);
	PQclear(r);
	*out = f;
	return IDP_OK;
}

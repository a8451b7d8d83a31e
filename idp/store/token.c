#include <stdio.h>
#include <string.h>

#include "store/token.h"
#include "store/statements.h"
#include "store/user_rows.h"

#define SECS(n) "make_interval(secs => $" #n ")"

/* The tokens of a rotation under the grant of o (the old token's row,
 * RETURNING grant_id), whose expiry moves on: $2 scope, $3/$4 the access
 * token and its lifetime, $5/$6 the refresh token, $7/$8 their DPoP
 * bindings. Counts o and g, so the caller can tell which was missing. */
#define ROTATION_ISSUES \
	"g AS (UPDATE grants SET expires_at = greatest(expires_at, " \
	"now() + " SECS(6) ") WHERE id = (SELECT grant_id FROM o) " \
	"AND revoked_at IS NULL RETURNING id, client_id, user_id), " \
	"a AS (INSERT INTO access_tokens (token_digest, client_id, user_id, " \
	"grant_id, scope, expires_at, jkt) SELECT $3, g.client_id, g.user_id, " \
	"g.id, $2, now() + " SECS(4) ", $7::text FROM g " \
	"WHERE $3::bytea IS NOT NULL), " \
	"r AS (INSERT INTO refresh_tokens (token_digest, grant_id, client_id, " \
	"scope, expires_at, jkt) SELECT $5, g.id, g.client_id, $2, now() + " \
	SECS(6) ", $8::text FROM g WHERE $5::bytea IS NOT NULL) " \
	"SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM g)"

const struct idp_stmt idp_token_stmts[] = {
	/* A new code, and the session it came from is used by that client
	 * now (its idle expiry moves on): one statement, one commit. */
	{ "code_insert",
	  "WITH k AS (INSERT INTO authorization_codes (code_digest, client_id, "
	  "user_id, session_id, redirect_uri, scope, nonce, code_challenge, "
	  "code_challenge_method, auth_time, acr, amr, expires_at, dpop_jkt, "
	  "claims) VALUES ($1, $2, $3, nullif($4, 0), $5, $6, $7, $8, $9, "
	  "to_timestamp($10), $11, string_to_array($12, ' '), now() + "
	  SECS(13) ", $14, $15::jsonb)), "
	  "s AS (UPDATE sessions SET last_seen_at = now(), "
	  "idle_expires_at = least(expires_at, now() + " SECS(16) ") "
	  "WHERE id = $4 RETURNING id) "
	  "INSERT INTO session_clients (session_id, client_id) "
	  "SELECT id, $2 FROM s ON CONFLICT (session_id, client_id) "
	  "DO UPDATE SET last_at = now()", 16 },
	/* The code exchange reads the code with its person (no write, so no
	 * WAL flush), checks it, and then issues in one statement that also
	 * uses the code up: one commit per exchange. A code bound to a DPoP
	 * key (RFC 9449 §10) is refused, not used up, without a proof of that
	 * key. */
	{ "code_get",
	  "SELECT c.client_id, coalesce(c.session_id, 0), "
	  "(SELECT sid FROM sessions WHERE id = c.session_id), c.redirect_uri, "
	  "c.scope, c.nonce, c.code_challenge, c.code_challenge_method, "
	  "floor(extract(epoch from c.auth_time))::bigint, c.acr, "
	  "array_to_string(c.amr, ' '), c.expires_at <= now(), "
	  "c.used_at IS NOT NULL, c.grant_id::text, c.claims::text, "
	  "c.dpop_jkt IS NOT NULL AND c.dpop_jkt IS DISTINCT FROM $2::text, "
	  IDP_USER_COLS "FROM authorization_codes c "
	  "JOIN users u ON u.id = c.user_id " IDP_USER_JOIN
	  "WHERE c.code_digest = $1", 2 },
	{ "code_used_grant",
	  "SELECT grant_id::text, used_at IS NOT NULL FROM authorization_codes "
	  "WHERE code_digest = $1", 1 },
	/* A refused exchange uses the code up, as a successful one does. */
	{ "code_burn",
	  "UPDATE authorization_codes SET used_at = now() "
	  "WHERE code_digest = $1 AND used_at IS NULL", 1 },
	/* Single use: only the first UPDATE finds used_at NULL, so a
	 * concurrent second exchange of the code issues nothing. Without a
	 * code ($8 NULL: the device grant) the grant gets a new id. */
	{ "issue_from_code",
	  "WITH k AS (UPDATE authorization_codes SET used_at = now(), "
	  "grant_id = gen_random_uuid() WHERE code_digest = $8 "
	  "AND used_at IS NULL RETURNING grant_id, claims), "
	  "n AS (SELECT grant_id, claims FROM k UNION ALL "
	  "SELECT gen_random_uuid(), NULL::jsonb WHERE $8::bytea IS NULL), "
	  "g AS (INSERT INTO grants (id, client_id, user_id, session_id, "
	  "scope, auth_time, acr, amr, expires_at, claims) SELECT n.grant_id, "
	  "$1, $2, nullif($3, 0), $4, to_timestamp($5), $6, "
	  "string_to_array($7, ' '), now() + " SECS(13) ", n.claims FROM n "
	  "RETURNING id), "
	  "a AS (INSERT INTO access_tokens (token_digest, client_id, user_id, "
	  "grant_id, scope, expires_at, jkt) SELECT $9, $1, $2, g.id, $4, "
	  "now() + " SECS(10) ", $14::text FROM g WHERE $9::bytea IS NOT NULL), "
	  "r AS (INSERT INTO refresh_tokens (token_digest, grant_id, client_id, "
	  "scope, expires_at, jkt) SELECT $11, g.id, $1, $4, now() + " SECS(12)
	  ", $15::text FROM g WHERE $11::bytea IS NOT NULL) "
	  "SELECT id::text FROM g", 15 },
	/* Rotation likewise: read, check, then one statement that uses the
	 * old token up and issues its successors. A token used before comes
	 * with what its rotation issued (s), to tell a retry from reuse. */
	{ "refresh_get",
	  "SELECT r.grant_id::text, r.client_id, r.scope, "
	  "floor(extract(epoch from r.expires_at))::bigint, "
	  "coalesce(g.session_id, 0), "
	  "(SELECT sid FROM sessions WHERE id = g.session_id), "
	  "floor(extract(epoch from g.auth_time))::bigint, g.acr, "
	  "array_to_string(g.amr, ' '), g.revoked_at IS NOT NULL, "
	  "g.claims::text, r.used_at IS NOT NULL, "
	  "r.revoked_at IS NULL AND r.expires_at > now(), "
	  "r.jkt IS NOT NULL AND r.jkt IS DISTINCT FROM $2::text, "
	  "floor(extract(epoch from now() - r.used_at) * 1000)::bigint, "
	  "encode(r.successor_digest, 'hex'), coalesce(s.used_at IS NULL "
	  "AND s.revoked_at IS NULL AND s.expires_at > now(), false), "
	  "r.retried_at IS NOT NULL, "
	  IDP_USER_COLS "FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id "
	  "JOIN users u ON u.id = g.user_id " IDP_USER_JOIN
	  "LEFT JOIN refresh_tokens s ON s.token_digest = r.successor_digest "
	  "WHERE r.token_digest = $1", 2 },
	{ "refresh_used_grant",
	  "SELECT grant_id::text, used_at IS NOT NULL FROM refresh_tokens "
	  "WHERE token_digest = $1", 1 },
	{ "refresh_burn",
	  "UPDATE refresh_tokens SET used_at = now() "
	  "WHERE token_digest = $1 AND used_at IS NULL", 1 },
	/* The old token is used up and remembers its successors. */
	{ "issue_refresh",
	  "WITH o AS (UPDATE refresh_tokens SET used_at = now(), "
	  "successor_digest = $5, successor_at_digest = $3 "
	  "WHERE token_digest = $1 AND used_at IS NULL AND revoked_at IS NULL "
	  "AND expires_at > now() RETURNING grant_id), "
	  ROTATION_ISSUES, 8 },
	/* The retry of a rotation (idp_store_refresh_retry), in one
	 * transaction: the old token's row locked, not retried yet and
	 * rotated within the grace ($2 seconds) ... */
	{ "refresh_retry_lock",
	  "SELECT retried_at IS NULL, used_at > now() - " SECS(2)
	  " FROM refresh_tokens WHERE token_digest = $1 "
	  "AND used_at IS NOT NULL FOR UPDATE", 2 },
	/* ... that successor, unused, and its access token revoked; marked
	 * used too, so that presenting it later is reuse ... */
	{ "refresh_retry_displace",
	  "WITH o AS (SELECT successor_digest, successor_at_digest "
	  "FROM refresh_tokens WHERE token_digest = $1), "
	  "s AS (UPDATE refresh_tokens r SET used_at = now(), "
	  "revoked_at = now() FROM o WHERE r.token_digest = o.successor_digest "
	  "AND r.used_at IS NULL AND r.revoked_at IS NULL "
	  "RETURNING o.successor_at_digest), "
	  "a AS (UPDATE access_tokens SET revoked_at = coalesce(revoked_at, "
	  "now()) WHERE token_digest IN (SELECT successor_at_digest FROM s)) "
	  "SELECT count(*) FROM s", 1 },
	/* ... and the new tokens issued as the old token's successors. */
	{ "refresh_retry_issue",
	  "WITH o AS (UPDATE refresh_tokens SET successor_digest = $5, "
	  "successor_at_digest = $3, retried_at = now() "
	  "WHERE token_digest = $1 RETURNING grant_id), "
	  ROTATION_ISSUES, 8 },
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
	char uid[24], sid[24], at[24], ttl[24], idle[24];
	struct idp_param p[16] = { P_BIN(n->digest, IDP_SHA256_LEN),
		P_TXT(n->client_id), P_TXT(uid), P_TXT(sid),
		P_TXT(n->redirect_uri), P_TXT(n->scope), P_TXT(n->nonce),
		P_TXT(n->code_challenge), P_TXT(n->code_challenge_method),
		P_TXT(at), P_TXT(n->acr), P_TXT(n->amr), P_TXT(ttl),
		P_TXT(n->dpop_jkt), P_TXT(n->claims), P_TXT(idle) };

	ll(uid, n->user_id);
	ll(sid, n->session_id);
	ll(at, n->auth_time);
	ll(ttl, n->ttl);
	ll(idle, n->session_idle_ttl);
	return idp_db_run(c, "code_insert", p, 16);
}

enum idp_err
idp_store_code_get(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *jkt,
    struct idp_code **out)
{
	struct idp_param p[2] = { P_BIN(digest, IDP_SHA256_LEN), P_TXT(jkt) };
	struct idp_code *k = idp_arena_zalloc(a, sizeof(*k));
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "code_get", p, 2, &r);

	*out = k;
	if (rc != IDP_OK)
		return rc;
	k->client_id = dup(a, r, 0, 0);
	k->session_id = idp_db_ll(r, 0, 1);
	k->sid = dup(a, r, 0, 2);
	k->redirect_uri = dup(a, r, 0, 3);
	k->scope = dup(a, r, 0, 4);
	k->nonce = dup(a, r, 0, 5);
	k->code_challenge = dup(a, r, 0, 6);
	k->code_challenge_method = dup(a, r, 0, 7);
	k->auth_time = idp_db_ll(r, 0, 8);
	k->acr = dup(a, r, 0, 9);
	k->amr = dup(a, r, 0, 10);
	k->expired = idp_db_bool(r, 0, 11);
	k->grant_id = dup(a, r, 0, 13);
	k->claims = dup(a, r, 0, 14);
	idp_store_user_read(a, r, 0, 16, &k->user);
	/* A replay first: a used code revokes whatever key comes with it. */
	rc = idp_db_bool(r, 0, 12) ? IDP_ERR_CONFLICT :
	    idp_db_bool(r, 0, 15) ? IDP_ERR_FORBIDDEN : IDP_OK;
	PQclear(r);
	return rc;
}

static enum idp_err
run_by_digest(struct idp_dbconn *c, const char *stmt,
    const unsigned char digest[IDP_SHA256_LEN])
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };

	return idp_db_run(c, stmt, p, 1);
}

enum idp_err
idp_store_code_burn(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN])
{
	return run_by_digest(c, "code_burn", digest);
}

/* After an issuing statement found its code or refresh token no longer
 * usable: IDP_ERR_CONFLICT with the grant when it was used meanwhile (by a
 * concurrent request, whose grant is committed by then), for revocation;
 * IDP_ERR_NOT_FOUND when it was revoked, expired or purged. */
static enum idp_err
used_grant(struct idp_dbconn *c, struct idp_arena *a, const char *stmt,
    const unsigned char digest[IDP_SHA256_LEN], char **grant_id)
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, stmt, p, 1, &r);

	if (rc != IDP_OK)
		return rc;
	*grant_id = dup(a, r, 0, 0);
	rc = idp_db_bool(r, 0, 1) ? IDP_ERR_CONFLICT : IDP_ERR_NOT_FOUND;
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
	if (rc == IDP_OK && PQntuples(r) == 1)
		*grant_id = dup(a, r, 0, 0);
	else if (rc == IDP_OK && is->code_digest != NULL)
		rc = used_grant(c, a, "code_used_grant", is->code_digest,
		    grant_id);
	else if (rc == IDP_OK)
		rc = IDP_ERR_INTERNAL;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_refresh_get(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *jkt,
    struct idp_refresh **out)
{
	struct idp_param p[2] = { P_BIN(digest, IDP_SHA256_LEN), P_TXT(jkt) };
	struct idp_refresh *f = idp_arena_zalloc(a, sizeof(*f));
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "refresh_get", p, 2, &r);

	*out = f;
	if (rc != IDP_OK)
		return rc;
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
	f->key_mismatch = idp_db_bool(r, 0, 13);
	f->rotated_ms_ago = idp_db_ll(r, 0, 14);
	f->successor = dup(a, r, 0, 15);
	f->successor_unused = idp_db_bool(r, 0, 16);
	f->retried = idp_db_bool(r, 0, 17);
	idp_store_user_read(a, r, 0, 18, &f->user);
	/* A used token is a replay even when it was revoked since; a live
	 * one bound to another DPoP key is refused and stays usable (RFC
	 * 9449 §5). */
	rc = idp_db_bool(r, 0, 11) ? IDP_ERR_CONFLICT :
	    !idp_db_bool(r, 0, 12) ? IDP_ERR_NOT_FOUND :
	    idp_db_bool(r, 0, 13) ? IDP_ERR_FORBIDDEN : IDP_OK;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_refresh_burn(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN])
{
	return run_by_digest(c, "refresh_burn", digest);
}

/* One of the statements of ROTATION_ISSUES for ro; *o and *g its two
 * counts. */
static enum idp_err
rotation_issue(struct idp_dbconn *c, const char *stmt,
    const struct idp_rotate *ro, long long *o, long long *g)
{
	char att[24], rtt[24];
	struct idp_param p[8] = { P_BIN(ro->old_digest, IDP_SHA256_LEN),
		P_TXT(ro->scope),
		ro->at_digest ? P_BIN(ro->at_digest, IDP_SHA256_LEN) : P_NULL,
		P_TXT(att),
		ro->rt_digest ? P_BIN(ro->rt_digest, IDP_SHA256_LEN) : P_NULL,
		P_TXT(rtt), P_TXT(ro->at_jkt), P_TXT(ro->rt_jkt) };
	PGresult *r = NULL;
	enum idp_err rc;

	ll(att, ro->at_ttl);
	ll(rtt, ro->rt_ttl);
	if ((rc = idp_db_exec(c, stmt, p, 8, &r)) != IDP_OK)
		return rc;
	*o = idp_db_ll(r, 0, 0);
	*g = idp_db_ll(r, 0, 1);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_issue_refresh(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_rotate *ro, char **grant_id)
{
	long long o, g;
	enum idp_err rc = rotation_issue(c, "issue_refresh", ro, &o, &g);

	if (rc != IDP_OK)
		return rc;
	if (o != 1)	/* used or revoked meanwhile */
		return used_grant(c, a, "refresh_used_grant", ro->old_digest,
		    grant_id);
	return g == 1 ? IDP_OK : IDP_ERR_NOT_FOUND;	/* grant revoked */
}

/* The old token's row locked (refresh_retry_lock): not retried yet, and
 * rotated within the grace? */
static enum idp_err
retry_lock(struct idp_dbconn *c, const struct idp_rotate *ro, int64_t grace,
    enum idp_retry_outcome *out)
{
	char g[24];
	struct idp_param p[2] = { P_BIN(ro->old_digest, IDP_SHA256_LEN),
		P_TXT(g) };
	PGresult *r = NULL;
	enum idp_err rc;

	ll(g, grace);
	rc = idp_db_exec_row(c, "refresh_retry_lock", p, 2, &r);
	if (rc == IDP_ERR_NOT_FOUND) {	/* purged meanwhile */
		*out = IDP_RETRY_REVOKED;
		return IDP_OK;
	}
	if (rc != IDP_OK)
		return rc;
	*out = !idp_db_bool(r, 0, 0) ? IDP_RETRY_RACE :
	    !idp_db_bool(r, 0, 1) ? IDP_RETRY_REUSE : IDP_RETRY_ISSUED;
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_refresh_retry(struct idp_dbconn *c, const struct idp_rotate *ro,
    int64_t grace, enum idp_retry_outcome *out)
{
	struct idp_param p[1] = { P_BIN(ro->old_digest, IDP_SHA256_LEN) };
	PGresult *r = NULL;
	long long o, g;
	enum idp_err rc;

	if ((rc = retry_lock(c, ro, grace, out)) != IDP_OK ||
	    *out != IDP_RETRY_ISSUED)
		return rc;
	if ((rc = idp_db_exec(c, "refresh_retry_displace", p, 1, &r)) !=
	    IDP_OK)
		return rc;
	if (idp_db_ll(r, 0, 0) != 1)	/* the successor was used */
		*out = IDP_RETRY_REUSE;
	PQclear(r);
	if (*out != IDP_RETRY_ISSUED ||
	    (rc = rotation_issue(c, "refresh_retry_issue", ro, &o, &g)) !=
	    IDP_OK)
		return rc;
	if (o != 1 || g != 1)	/* the grant was revoked meanwhile */
		*out = IDP_RETRY_REVOKED;
	return IDP_OK;
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
	rc = idp_db_exec(c, "grant_revoke", p, 2, &r);
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
	rc = idp_db_exec(c, "jwt_revoke", p, 3, &r);
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
	enum idp_err rc = idp_db_exec(c, "access_revoke", p, 2, &r);

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

#include <stdio.h>
#include <string.h>

#include "store/session.h"
#include "store/statements.h"
#include "store/user_rows.h"

const struct idp_stmt idp_session_stmts[] = {
	{ "session_get",
	  "SELECT s.id, s.sid, floor(extract(epoch from s.auth_time))::bigint, "
	  "array_to_string(s.amr, ' '), s.acr, "
	  "floor(extract(epoch from s.expires_at))::bigint, "
	  "floor(extract(epoch from s.idle_expires_at))::bigint, "
	  "coalesce(floor(extract(epoch from s.mfa_at))::bigint, 0), "
	  IDP_USER_COLS
	  "FROM sessions s JOIN users u ON u.id = s.user_id " IDP_USER_JOIN
	  "WHERE s.id_digest = $1 AND s.ended_at IS NULL "
	  "AND s.expires_at > now() AND s.idle_expires_at > now()", 1 },
	{ "session_create",
	  "INSERT INTO sessions (id_digest, sid, user_id, auth_time, "
	  "idle_expires_at, expires_at, ip, user_agent, amr, acr, mfa_at) "
	  "VALUES ($1, $2, $3, to_timestamp($4), "
	  "now() + make_interval(secs => $5), "
	  "to_timestamp($4) + make_interval(secs => $6), $7::inet, $8, "
	  "string_to_array(coalesce($9, 'pwd'), ' '), coalesce($10, '1'), "
	  "CASE WHEN $11::bigint > 0 THEN to_timestamp($11::bigint) END) "
	  "RETURNING id", 11 },
	{ "session_touch",
	  "WITH s AS (UPDATE sessions SET last_seen_at = now(), "
	  "idle_expires_at = least(expires_at, now() + "
	  "make_interval(secs => $3)) WHERE id = $1 RETURNING id) "
	  "INSERT INTO session_clients (session_id, client_id) "
	  "SELECT id, $2 FROM s ON CONFLICT (session_id, client_id) "
	  "DO UPDATE SET last_at = now()", 3 },
	{ "session_end",
	  "UPDATE sessions SET ended_at = now() WHERE id = $1 "
	  "AND ended_at IS NULL", 1 },
	/* The update runs whether or not any client row is carried over. */
	{ "session_replace",
	  "WITH old AS (UPDATE sessions SET ended_at = now() "
	  "WHERE id_digest = $1 AND ended_at IS NULL RETURNING id, user_id) "
	  "INSERT INTO session_clients (session_id, client_id, first_at, "
	  "last_at) SELECT s.id, sc.client_id, sc.first_at, sc.last_at "
	  "FROM old JOIN session_clients sc ON sc.session_id = old.id "
	  "JOIN sessions s ON s.id = $2 AND s.user_id = old.user_id "
	  "ON CONFLICT (session_id, client_id) DO NOTHING", 2 },
	{ "login_create",
	  "INSERT INTO login_requests (id_digest, browser_digest, client_id, "
	  "params, expires_at) VALUES ($1, $2, $3, $4::jsonb, "
	  "now() + make_interval(secs => $5))", 5 },
	{ "login_create_local",
	  "INSERT INTO login_requests (id_digest, browser_digest, next_path, "
	  "params, expires_at) VALUES ($1, $2, $3, '{}', "
	  "now() + make_interval(secs => $4))", 4 },
	{ "login_get",
	  "SELECT client_id, params::text, encode(browser_digest, 'hex'), "
	  "coalesce(session_id, 0), completed_at IS NOT NULL, next_path, "
	  "expires_at <= now(), coalesce(factor_user_id, 0), "
	  "coalesce(floor(extract(epoch from password_at))::bigint, 0), "
	  "array_to_string(password_amr, ' ') "
	  "FROM login_requests WHERE id_digest = $1", 1 },
	{ "login_set_factor",
	  "UPDATE login_requests SET factor_user_id = $2, "
	  "password_at = to_timestamp($3::bigint), "
	  "password_amr = string_to_array($4, ' ') "
	  "WHERE id_digest = $1 AND completed_at IS NULL", 4 },
	{ "login_set_session",
	  "UPDATE login_requests SET session_id = $2 WHERE id_digest = $1", 2 },
	{ "login_complete",
	  "UPDATE login_requests SET completed_at = now() "
	  "WHERE id_digest = $1 AND completed_at IS NULL", 1 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_session_get(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_session **out)
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "session_get", p, 1, &r);
	struct idp_session *s;

	if (rc != IDP_OK)
		return rc;
	s = idp_arena_zalloc(a, sizeof(*s));
	s->id = idp_db_ll(r, 0, 0);
	s->sid = idp_arena_strdup(a, idp_db_val(r, 0, 1));
	s->auth_time = idp_db_ll(r, 0, 2);
	s->amr = idp_arena_strdup(a, idp_db_val(r, 0, 3));
	s->acr = idp_arena_strdup(a, idp_db_val(r, 0, 4));
	s->expires_at = idp_db_ll(r, 0, 5);
	s->idle_expires_at = idp_db_ll(r, 0, 6);
	s->mfa_at = idp_db_ll(r, 0, 7);
	idp_store_user_read(a, r, 0, 8, &s->user);
	PQclear(r);
	*out = s;
	return IDP_OK;
}

enum idp_err
idp_store_session_create(struct idp_dbconn *c, const struct idp_session_new *s,
    long long *id)
{
	char uid[24], at[24], idle[24], max[24], mfa[24];
	struct idp_param p[11] = { P_BIN(s->digest, IDP_SHA256_LEN),
		P_TXT(s->sid), P_TXT(uid), P_TXT(at), P_TXT(idle), P_TXT(max),
		P_TXT(s->ip), P_TXT(s->user_agent), P_TXT(s->amr), P_TXT(s->acr),
		P_TXT(mfa) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(uid, sizeof(uid), "%lld", s->user_id);
	snprintf(at, sizeof(at), "%lld", (long long)s->auth_time);
	snprintf(idle, sizeof(idle), "%lld", (long long)s->idle_ttl);
	snprintf(max, sizeof(max), "%lld", (long long)s->max_ttl);
	snprintf(mfa, sizeof(mfa), "%lld", (long long)s->mfa_at);
	rc = idp_db_exec(c, "session_create", p, 11, &r);
	if (rc == IDP_OK)
		*id = idp_db_ll(r, 0, 0);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_session_touch(struct idp_dbconn *c, long long id,
    const char *client_id, int64_t idle_ttl)
{
	char sid[24], idle[24];
	struct idp_param p[3] = { P_TXT(sid), P_TXT(client_id), P_TXT(idle) };

	snprintf(sid, sizeof(sid), "%lld", id);
	snprintf(idle, sizeof(idle), "%lld", (long long)idle_ttl);
	return idp_db_run(c, "session_touch", p, 3);
}

/* Ending a session is a revocation: it must survive a crash. */
static enum idp_err
run_durable(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *p, int n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_durable(c, stmt, p, n, &r);

	PQclear(r);
	return rc;
}

enum idp_err
idp_store_session_end(struct idp_dbconn *c, long long id)
{
	char sid[24];
	struct idp_param p[1] = { P_TXT(sid) };

	snprintf(sid, sizeof(sid), "%lld", id);
	return run_durable(c, "session_end", p, 1);
}

enum idp_err
idp_store_session_replace(struct idp_dbconn *c,
    const unsigned char old_digest[IDP_SHA256_LEN], long long new_id)
{
	char id[24];
	struct idp_param p[2] = { P_BIN(old_digest, IDP_SHA256_LEN),
		P_TXT(id) };

	snprintf(id, sizeof(id), "%lld", new_id);
	return run_durable(c, "session_replace", p, 2);
}

enum idp_err
idp_store_login_create(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN],
    const unsigned char browser[IDP_SHA256_LEN], const char *client_id,
    const char *params, int64_t ttl)
{
	char t[24];
	struct idp_param p[5] = { P_BIN(digest, IDP_SHA256_LEN),
		P_BIN(browser, IDP_SHA256_LEN), P_TXT(client_id),
		P_TXT(params), P_TXT(t) };

	snprintf(t, sizeof(t), "%lld", (long long)ttl);
	return idp_db_run(c, "login_create", p, 5);
}

enum idp_err
idp_store_login_create_local(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN],
    const unsigned char browser[IDP_SHA256_LEN], const char *next_path,
    int64_t ttl)
{
	char t[24];
	struct idp_param p[4] = { P_BIN(digest, IDP_SHA256_LEN),
		P_BIN(browser, IDP_SHA256_LEN), P_TXT(next_path), P_TXT(t) };

	snprintf(t, sizeof(t), "%lld", (long long)ttl);
	return idp_db_run(c, "login_create_local", p, 4);
}

enum idp_err
idp_store_login_get(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_login **out)
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "login_get", p, 1, &r);
	struct idp_login *l;

	if (rc != IDP_OK)
		return rc;
	l = idp_arena_zalloc(a, sizeof(*l));
	l->client_id = idp_arena_strdup(a, idp_db_val(r, 0, 0));
	l->params = idp_arena_strdup(a, idp_db_val(r, 0, 1));
	if (idp_db_hex32(idp_db_val(r, 0, 2), l->browser_digest) != 0)
		rc = IDP_ERR_INTERNAL;
	l->session_id = idp_db_ll(r, 0, 3);
	l->completed = idp_db_bool(r, 0, 4);
	l->next_path = idp_arena_strdup(a, idp_db_val(r, 0, 5));
	l->expired = idp_db_bool(r, 0, 6);
	l->factor_user_id = idp_db_ll(r, 0, 7);
	l->password_at = idp_db_ll(r, 0, 8);
	l->password_amr = idp_arena_strdup(a, idp_db_val(r, 0, 9));
	PQclear(r);
	if (rc == IDP_OK)
		*out = l;
	return rc;
}

enum idp_err
idp_store_login_set_session(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long session_id)
{
	char sid[24];
	struct idp_param p[2] = { P_BIN(digest, IDP_SHA256_LEN), P_TXT(sid) };

	snprintf(sid, sizeof(sid), "%lld", session_id);
	return idp_db_run(c, "login_set_session", p, 2);
}

enum idp_err
idp_store_login_complete(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN])
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "login_complete", p, 1, &r);

	if (rc == IDP_OK && strcmp(PQcmdTuples(r), "1") != 0)
		rc = IDP_ERR_CONFLICT;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_login_set_factor(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long user_id,
    int64_t password_at, const char *amr)
{
	char uid[24], at[24];
	struct idp_param p[4] = { P_BIN(digest, IDP_SHA256_LEN), P_TXT(uid),
		P_TXT(at), P_TXT(amr) };

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(at, sizeof(at), "%lld", (long long)password_at);
	return idp_db_run_one(c, "login_set_factor", p, 4);
}

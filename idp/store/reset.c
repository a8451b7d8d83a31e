#include <stdio.h>
#include <string.h>

#include "store/reset.h"
#include "store/statements.h"
#include "store/user_rows.h"

const struct idp_stmt idp_reset_stmts[] = {
	{ "reset_create",
	  "INSERT INTO password_resets (user_id, kind, digest, expires_at, "
	  "issued_by, ip) SELECT $1, $2, $3, now() + make_interval(secs => $4), "
	  "$5, $6::inet WHERE $7::int = 0 OR (SELECT count(*) FROM "
	  "password_resets WHERE user_id = $1 AND kind = $2 AND "
	  "created_at > now() - interval '1 hour') < $7::int", 7 },
	{ "reset_link_user",
	  "SELECT user_id FROM password_resets WHERE digest = $1 "
	  "AND kind = 'link' AND used_at IS NULL AND expires_at > now()", 1 },
	{ "reset_link_use",
	  "UPDATE password_resets SET used_at = now() WHERE digest = $1 "
	  "AND kind = 'link' AND used_at IS NULL AND expires_at > now() "
	  "RETURNING user_id", 1 },
	/* The row is locked while it is checked, so a burst of guesses is
	 * counted in full and stops at max_failures. */
	{ "reset_code_try",
	  "UPDATE password_resets SET "
	  "failures = failures + CASE WHEN digest = $2 THEN 0 ELSE 1 END, "
	  "used_at = CASE WHEN digest = $2 THEN now() END "
	  "WHERE id = (SELECT id FROM password_resets WHERE user_id = $1 "
	  "AND kind = 'code' AND used_at IS NULL AND expires_at > now() "
	  "AND failures < $3 ORDER BY created_at DESC LIMIT 1 FOR UPDATE) "
	  "RETURNING digest = $2", 3 },
	{ "reset_codes_end",
	  "UPDATE password_resets SET used_at = now() WHERE user_id = $1 "
	  "AND kind = 'code' AND used_at IS NULL", 1 },
	{ "user_by_email",
	  "SELECT " IDP_USER_COLS "FROM users u " IDP_USER_JOIN
	  "WHERE lower(u.email) = lower($1)", 1 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_reset_create(struct idp_dbconn *c, const struct idp_reset_new *n,
    bool *created)
{
	char uid[24], ttl[24], cap[16];
	struct idp_param p[7] = { P_TXT(uid), P_TXT(n->kind),
		P_BIN(n->digest, IDP_SHA256_LEN), P_TXT(ttl),
		P_TXT(n->issued_by), P_TXT(n->ip), P_TXT(cap) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(uid, sizeof(uid), "%lld", n->user_id);
	snprintf(ttl, sizeof(ttl), "%lld", (long long)n->ttl);
	snprintf(cap, sizeof(cap), "%d", n->max_per_hour);
	rc = idp_db_exec(c, "reset_create", p, 7, &r);
	if (rc == IDP_OK)
		*created = strcmp(PQcmdTuples(r), "1") == 0;
	PQclear(r);
	return rc;
}

static enum idp_err
link_row(struct idp_dbconn *c, const char *stmt,
    const unsigned char digest[IDP_SHA256_LEN], long long *user_id)
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, stmt, p, 1, &r);

	if (rc == IDP_OK)
		*user_id = idp_db_ll(r, 0, 0);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_reset_link_user(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long *user_id)
{
	return link_row(c, "reset_link_user", digest, user_id);
}

enum idp_err
idp_store_reset_link_use(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long *user_id)
{
	return link_row(c, "reset_link_use", digest, user_id);
}

enum idp_err
idp_store_reset_code_try(struct idp_dbconn *c, long long user_id,
    const unsigned char digest[IDP_SHA256_LEN], int max_failures, bool *ok)
{
	char uid[24], mf[16];
	struct idp_param p[3] = { P_TXT(uid), P_BIN(digest, IDP_SHA256_LEN),
		P_TXT(mf) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(mf, sizeof(mf), "%d", max_failures);
	rc = idp_db_exec_row(c, "reset_code_try", p, 3, &r);
	if (rc == IDP_OK)
		*ok = idp_db_bool(r, 0, 0);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_reset_codes_end(struct idp_dbconn *c, long long user_id)
{
	char uid[24];
	struct idp_param p[1] = { P_TXT(uid) };

	snprintf(uid, sizeof(uid), "%lld", user_id);
	return idp_db_run(c, "reset_codes_end", p, 1);
}

enum idp_err
idp_store_user_by_email(struct idp_dbconn *c, struct idp_arena *a,
    const char *email, struct idp_user **out)
{
	struct idp_param p[1] = { P_TXT(email) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "user_by_email", p, 1, &r);

	if (rc != IDP_OK)
		return rc;
	*out = idp_arena_zalloc(a, sizeof(**out));
	idp_store_user_read(a, r, 0, 0, *out);
	PQclear(r);
	return IDP_OK;
}

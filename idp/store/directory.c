#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/directory.h"
#include "store/statements.h"
#include "store/user_rows.h"

#define USER_COLS IDP_USER_COLS
#define USER_FROM "FROM users u " IDP_USER_JOIN

const struct idp_stmt idp_directory_stmts[] = {
	{ "org_upsert",
	  "INSERT INTO organisations (code, name, kind, parent_id) "
	  "SELECT $1, $2, $3, (SELECT id FROM organisations WHERE code = $4) "
	  "WHERE $4::text IS NULL OR EXISTS "
	  "(SELECT 1 FROM organisations WHERE code = $4) "
	  "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, "
	  "kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id "
	  "RETURNING (xmax = 0)", 4 },
	{ "org_list",
	  "SELECT o.code, o.name, o.kind, p.code FROM organisations o "
	  "LEFT JOIN organisations p ON p.id = o.parent_id ORDER BY o.code", 0 },
	{ "user_by_username",
	  "SELECT " USER_COLS USER_FROM "WHERE lower(u.username) = lower($1)", 1 },
	{ "user_by_id", "SELECT " USER_COLS USER_FROM "WHERE u.id = $1", 1 },
	{ "user_by_sub", "SELECT " USER_COLS USER_FROM "WHERE u.sub = $1::uuid", 1 },
	/* The person and, with a hash, their password: one statement. */
	{ "user_insert",
	  "WITH u AS (INSERT INTO users (username, name, given_name, "
	  "family_name, email, email_verified, phone_number, nip, job_title, "
	  "organisation_id, locale, password_changed_at) "
	  "SELECT $1, $3, $4, $5, $6, $7, $8, $9, $10, o.id, "
	  "coalesce($12, 'id'), CASE WHEN $2::text IS NULL THEN NULL ELSE now() END "
	  "FROM (SELECT NULL) AS one LEFT JOIN organisations o ON o.code = $11 "
	  "WHERE $11::text IS NULL OR o.id IS NOT NULL "
	  "RETURNING id, sub), "
	  "k AS (INSERT INTO credentials (user_id, kind, password_hash, "
	  "confirmed_at) SELECT id, 'password', $2, now() FROM u "
	  "WHERE $2::text IS NOT NULL) "
	  "SELECT sub::text FROM u", 12 },
	/* Whichever identifier a person typed: username, NIP or verified
	 * email (login_identifiers), with the password in the same trip. */
	{ "user_by_login",
	  "SELECT " USER_COLS ", k.password_hash, coalesce(k.id, 0) "
	  "FROM login_identifiers i JOIN users u ON u.id = i.user_id "
	  IDP_USER_JOIN
	  "LEFT JOIN credentials k ON k.user_id = u.id "
	  "AND k.kind = 'password' "
	  "WHERE i.identifier = lower($1)", 1 },
	{ "user_set_disabled",
	  "UPDATE users SET disabled = $2 WHERE lower(username) = lower($1)", 2 },
	{ "user_list",
	  "SELECT " USER_COLS USER_FROM
	  "WHERE $1::text IS NULL OR o.code = $1 "
	  "ORDER BY lower(u.username) LIMIT $2 OFFSET $3", 3 },
	{ NULL, NULL, 0 },
};

static const char *const org_kinds[] = { "province", "provincial_agency",
	"regency", "city", "local_agency", "desa_adat", "health_facility",
	"central_agency", NULL };

bool
idp_org_kind_valid(const char *kind)
{
	for (const char *const *k = org_kinds; *k; k++)
		if (strcmp(*k, kind) == 0)
			return true;
	return false;
}

static char *
dup(struct idp_arena *a, const PGresult *r, int row, int col)
{
	return idp_arena_strdup(a, idp_db_val(r, row, col));
}

void
idp_store_user_read(struct idp_arena *a, const PGresult *r, int i, int c,
    struct idp_user *u)
{
	u->id = idp_db_ll(r, i, c + 0);
	u->sub = dup(a, r, i, c + 1);
	u->username = dup(a, r, i, c + 2);
	u->has_password = idp_db_bool(r, i, c + 3);
	u->name = dup(a, r, i, c + 4);
	u->given_name = dup(a, r, i, c + 5);
	u->family_name = dup(a, r, i, c + 6);
	u->email = dup(a, r, i, c + 7);
	u->email_verified = idp_db_bool(r, i, c + 8);
	u->phone_number = dup(a, r, i, c + 9);
	u->phone_number_verified = idp_db_bool(r, i, c + 10);
	u->nip = dup(a, r, i, c + 11);
	u->job_title = dup(a, r, i, c + 12);
	u->locale = dup(a, r, i, c + 13);
	u->disabled = idp_db_bool(r, i, c + 14);
	u->updated_at = idp_db_ll(r, i, c + 15);
	u->org.code = dup(a, r, i, c + 16);
	u->org.name = dup(a, r, i, c + 17);
	u->org.kind = dup(a, r, i, c + 18);
	u->org.parent_code = dup(a, r, i, c + 19);
}

static enum idp_err
one_user(struct idp_dbconn *c, struct idp_arena *a, const char *stmt,
    const char *key, struct idp_user **out)
{
	struct idp_param p[1] = { P_TXT(key) };
	PGresult *r = NULL;
	enum idp_err rc;

	rc = idp_db_exec_row(c, stmt, p, 1, &r);
	if (rc != IDP_OK)
		return rc;
	*out = idp_arena_zalloc(a, sizeof(**out));
	idp_store_user_read(a, r, 0, 0, *out);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_user_by_username(struct idp_dbconn *c, struct idp_arena *a,
    const char *username, struct idp_user **out)
{
	return one_user(c, a, "user_by_username", username, out);
}

enum idp_err
idp_store_user_by_id(struct idp_dbconn *c, struct idp_arena *a, long long id,
    struct idp_user **out)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", id);
	return one_user(c, a, "user_by_id", buf, out);
}

enum idp_err
idp_store_user_by_sub(struct idp_dbconn *c, struct idp_arena *a,
    const char *sub, struct idp_user **out)
{
	return one_user(c, a, "user_by_sub", sub, out);
}

enum idp_err
idp_store_user_insert(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_user_new *u, char **sub)
{
	struct idp_param p[12] = {
		P_TXT(u->username), P_TXT(u->password_hash), P_TXT(u->name),
		P_TXT(u->given_name), P_TXT(u->family_name), P_TXT(u->email),
		P_TXT(u->email_verified ? "true" : "false"),
		P_TXT(u->phone_number), P_TXT(u->nip), P_TXT(u->job_title),
		P_TXT(u->org_code), P_TXT(u->locale),
	};
	PGresult *r = NULL;
	enum idp_err rc;

	rc = idp_db_exec(c, "user_insert", p, 12, &r);
	if (rc != IDP_OK)
		return rc;
	if (PQntuples(r) != 1)
		rc = IDP_ERR_NOT_FOUND;	/* no such organisation */
	else
		*sub = dup(a, r, 0, 0);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_user_by_login(struct idp_dbconn *c, struct idp_arena *a,
    const char *identifier, struct idp_user **out, char **hash,
    long long *cred_id)
{
	struct idp_param p[1] = { P_TXT(identifier) };
	PGresult *r = NULL;
	enum idp_err rc;

	rc = idp_db_exec_row(c, "user_by_login", p, 1, &r);
	if (rc != IDP_OK)
		return rc;
	*out = idp_arena_zalloc(a, sizeof(**out));
	idp_store_user_read(a, r, 0, 0, *out);
	*hash = dup(a, r, 0, IDP_USER_NCOLS);
	*cred_id = idp_db_ll(r, 0, IDP_USER_NCOLS + 1);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_user_set_disabled(struct idp_dbconn *c, const char *username,
    bool disabled)
{
	struct idp_param p[2] = { P_TXT(username),
		P_TXT(disabled ? "true" : "false") };

	return idp_db_run_one(c, "user_set_disabled", p, 2);
}

enum idp_err
idp_store_user_list(struct idp_dbconn *c, struct idp_arena *a,
    const char *org_code, int limit, int offset, struct idp_user **out, int *n)
{
	char lb[16], ob[16];
	struct idp_param p[3] = { P_TXT(org_code), P_TXT(lb), P_TXT(ob) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(lb, sizeof(lb), "%d", limit);
	snprintf(ob, sizeof(ob), "%d", offset);
	rc = idp_db_exec(c, "user_list", p, 3, &r);
	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++)
		idp_store_user_read(a, r, i, 0, &(*out)[i]);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_org_upsert(struct idp_dbconn *c, const char *code, const char *name,
    const char *kind, const char *parent_code, bool *created)
{
	struct idp_param p[4] = { P_TXT(code), P_TXT(name), P_TXT(kind),
		P_TXT(parent_code) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "org_upsert", p, 4, &r);

	if (rc != IDP_OK)
		return rc;
	if (PQntuples(r) != 1)
		rc = IDP_ERR_NOT_FOUND;	/* parent unknown */
	else if (created != NULL)
		*created = idp_db_bool(r, 0, 0);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_org_list(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_org **out, int *n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "org_list", NULL, 0, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		(*out)[i].code = dup(a, r, i, 0);
		(*out)[i].name = dup(a, r, i, 1);
		(*out)[i].kind = dup(a, r, i, 2);
		(*out)[i].parent_code = dup(a, r, i, 3);
	}
	PQclear(r);
	return IDP_OK;
}

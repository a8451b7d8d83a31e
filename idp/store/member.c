#include <stdio.h>
#include <string.h>

#include "store/member.h"
#include "store/statements.h"

#define MEMBER_COLS "u.id, u.username, u.name, o.code, m.role, " \
	"floor(extract(epoch from m.created_at))::bigint "

const struct idp_stmt idp_member_stmts[] = {
	{ "member_add",
	  "INSERT INTO memberships (user_id, organisation_id, role) "
	  "SELECT u.id, o.id, $3 FROM users u, organisations o "
	  "WHERE lower(u.username) = lower($1) AND NOT u.disabled "
	  "AND o.code = $2 RETURNING user_id", 3 },
	{ "member_remove",
	  "DELETE FROM memberships m USING users u, organisations o "
	  "WHERE m.user_id = u.id AND m.organisation_id = o.id "
	  "AND lower(u.username) = lower($1) AND o.code = $2 AND m.role = $3 "
	  "RETURNING u.id", 3 },
	{ "member_list",
	  "SELECT " MEMBER_COLS "FROM memberships m "
	  "JOIN users u ON u.id = m.user_id "
	  "JOIN organisations o ON o.id = m.organisation_id "
	  "WHERE ($1::text IS NULL OR o.code = $1) AND ($2::text IS NULL OR "
	  "lower(u.username) = lower($2)) ORDER BY o.code, m.role, u.username",
	  2 },
	{ "member_roles",
	  "SELECT o.code, m.role FROM memberships m "
	  "JOIN users u ON u.id = m.user_id "
	  "JOIN organisations o ON o.id = m.organisation_id "
	  "WHERE m.user_id = $1 AND NOT u.disabled ORDER BY o.code, m.role", 1 },
	{ "member_orgs",
	  "SELECT o.code, o.name, o.kind FROM memberships m "
	  "JOIN users u ON u.id = m.user_id "
	  "JOIN organisations o ON o.id = m.organisation_id "
	  "WHERE m.user_id = $1 AND m.role = $2 AND NOT u.disabled "
	  "ORDER BY o.name, o.code", 2 },
	{ NULL, NULL, 0 },
};

static enum idp_err
one(struct idp_dbconn *c, const char *stmt, const char *username,
    const char *org, const char *role, long long *user_id)
{
	struct idp_param p[3] = { P_TXT(username), P_TXT(org), P_TXT(role) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, stmt, p, 3, &r);

	if (rc == IDP_OK)
		*user_id = idp_db_ll(r, 0, 0);
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_member_add(struct idp_dbconn *c, const char *username,
    const char *org, const char *role, long long *user_id)
{
	return one(c, "member_add", username, org, role, user_id);
}

enum idp_err
idp_store_member_remove(struct idp_dbconn *c, const char *username,
    const char *org, const char *role, long long *user_id)
{
	return one(c, "member_remove", username, org, role, user_id);
}

enum idp_err
idp_store_member_list(struct idp_dbconn *c, struct idp_arena *a,
    const char *org, const char *username, struct idp_member **out, int *n)
{
	struct idp_param p[2] = { P_TXT(org), P_TXT(username) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "member_list", p, 2, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_member *m = &(*out)[i];

		m->user_id = idp_db_ll(r, i, 0);
		m->username = idp_arena_strdup(a, idp_db_val(r, i, 1));
		m->name = idp_arena_strdup(a, idp_db_val(r, i, 2));
		m->org = idp_arena_strdup(a, idp_db_val(r, i, 3));
		m->role = idp_arena_strdup(a, idp_db_val(r, i, 4));
		m->created_at = idp_db_ll(r, i, 5);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_member_roles(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, struct idp_member **out, int *n)
{
	char b[24];
	struct idp_param p[1] = { P_TXT(b) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(b, sizeof(b), "%lld", user_id);
	if ((rc = idp_db_exec(c, "member_roles", p, 1, &r)) != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		(*out)[i].user_id = user_id;
		(*out)[i].org = idp_arena_strdup(a, idp_db_val(r, i, 0));
		(*out)[i].role = idp_arena_strdup(a, idp_db_val(r, i, 1));
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_member_orgs(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, const char *role, struct idp_org **out, int *n)
{
	char b[24];
	struct idp_param p[2] = { P_TXT(b), P_TXT(role) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(b, sizeof(b), "%lld", user_id);
	if ((rc = idp_db_exec(c, "member_orgs", p, 2, &r)) != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		(*out)[i].code = idp_arena_strdup(a, idp_db_val(r, i, 0));
		(*out)[i].name = idp_arena_strdup(a, idp_db_val(r, i, 1));
		(*out)[i].kind = idp_arena_strdup(a, idp_db_val(r, i, 2));
	}
	PQclear(r);
	return IDP_OK;
}

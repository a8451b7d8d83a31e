#include <stdio.h>
#include <string.h>

#include "store/client.h"
#include "store/statements.h"

#define CLIENT_COLS "c.client_id, encode(c.secret_digest, 'hex'), " \
	"c.token_endpoint_auth_method, c.metadata::text, o.code, " \
	"c.first_party, c.enabled, c.source, " \
	"encode(c.registration_token_digest, 'hex'), " \
	"floor(extract(epoch from c.created_at))::bigint, " \
	"floor(extract(epoch from c.updated_at))::bigint, " \
	"coalesce(floor(extract(epoch from c.secret_rotated_at))::bigint, 0), " \
	"c.approval, c.approval_reason, o.name, " CLIENT_API ", " \
	"(SELECT string_agg(s.scope, ' ' ORDER BY s.scope) FROM api_scopes s " \
	"WHERE s.client_id = c.client_id), " \
	"(SELECT string_agg(r.resource, ' ' ORDER BY r.resource) " \
	"FROM api_resources r WHERE r.client_id = c.client_id) "
/* The API scopes a client may have: its own, those its resource server
 * allows to it or to its organisation, and approved requests; with the
 * server's resource URIs. */
#define CLIENT_API "(SELECT coalesce(json_agg(json_build_object(" \
	"'scope', s.scope, 'server', s.client_id, 'description', " \
	"s.description, 'server_name', (SELECT sc.metadata->>'client_name' " \
	"FROM clients sc WHERE sc.client_id = s.client_id), 'resources', " \
	"(SELECT coalesce(json_agg(r.resource ORDER BY r.resource), '[]') " \
	"FROM api_resources r WHERE r.client_id = s.client_id), " \
	"'approved', EXISTS (SELECT 1 FROM scope_requests q WHERE " \
	"q.scope = s.scope AND q.client_id = c.client_id AND " \
	"q.state = 'approved')) ORDER BY s.scope), '[]')::text " \
	"FROM api_scopes s WHERE s.client_id = c.client_id " \
	"OR EXISTS (SELECT 1 FROM api_scope_allows w WHERE w.scope = s.scope " \
	"AND (w.client_id = c.client_id OR " \
	"w.organisation_id = c.owner_organisation_id)) " \
	"OR EXISTS (SELECT 1 FROM scope_requests q WHERE q.scope = s.scope " \
	"AND q.client_id = c.client_id AND q.state = 'approved'))"
#define CLIENT_FROM "FROM clients c LEFT JOIN organisations o " \
	"ON o.id = c.owner_organisation_id "

const struct idp_stmt idp_client_stmts[] = {
	{ "client_get", "SELECT " CLIENT_COLS CLIENT_FROM
	  "WHERE c.client_id = $1", 1 },
	{ "client_by_registration", "SELECT " CLIENT_COLS CLIENT_FROM
	  "WHERE c.registration_token_digest = $1", 1 },
	{ "client_list", "SELECT " CLIENT_COLS CLIENT_FROM
	  "ORDER BY c.client_id", 0 },
	{ "client_list_orgs", "SELECT " CLIENT_COLS CLIENT_FROM
	  "WHERE o.code = ANY (string_to_array($1, ' ')) "
	  "ORDER BY o.code, c.metadata->>'client_name', c.client_id", 1 },
	{ "client_insert",
	  "INSERT INTO clients (client_id, secret_digest, "
	  "token_endpoint_auth_method, metadata, owner_organisation_id, "
	  "first_party, enabled, source, registration_token_digest, "
	  "secret_rotated_at, approval, approval_at, approval_by) "
	  "SELECT $1, $2, $3, $4::jsonb, o.id, $6, $7, $8, $9, "
	  "CASE WHEN $2::bytea IS NULL THEN NULL ELSE now() END, "
	  "coalesce($10, 'approved'), now(), $11 "
	  "FROM (SELECT NULL) AS one "
	  "LEFT JOIN organisations o ON o.code = $5 "
	  "WHERE $5::text IS NULL OR o.id IS NOT NULL", 11 },
	{ "client_update",
	  "UPDATE clients SET "
	  "secret_digest = CASE WHEN $10 THEN secret_digest ELSE $2 END, "
	  "secret_rotated_at = CASE WHEN $10 THEN secret_rotated_at "
	  "  WHEN $2::bytea IS NULL THEN NULL ELSE now() END, "
	  "token_endpoint_auth_method = $3, metadata = $4::jsonb, "
	  "owner_organisation_id = (SELECT id FROM organisations WHERE code = $5), "
	  "first_party = $6, enabled = $7, source = $8, "
	  "registration_token_digest = $9, updated_at = now() "
	  "WHERE client_id = $1 AND ($5::text IS NULL OR EXISTS "
	  "(SELECT 1 FROM organisations WHERE code = $5))", 10 },
	/* A removed client's grants and tokens end with it. */
	{ "client_delete",
	  "WITH d AS (DELETE FROM clients WHERE client_id = $1 RETURNING 1), "
	  "g AS (UPDATE grants SET revoked_at = now(), revoked_reason = "
	  "'client removed' WHERE client_id = $1 AND revoked_at IS NULL), "
	  "a AS (UPDATE access_tokens SET revoked_at = now() WHERE client_id = $1 "
	  "AND revoked_at IS NULL), "
	  "r AS (UPDATE refresh_tokens SET revoked_at = now() WHERE client_id = "
	  "$1 AND revoked_at IS NULL), "
	  "c AS (DELETE FROM consents WHERE client_id = $1) "
	  "SELECT count(*) FROM d", 1 },
	/* The state before, and whether this call changed it. */
	{ "client_set_approval",
	  "WITH cur AS (SELECT approval FROM clients WHERE client_id = $1 "
	  "FOR UPDATE), u AS (UPDATE clients SET approval = $2, "
	  "approval_reason = $3, approval_at = now(), approval_by = $4, "
	  "updated_at = now() WHERE client_id = $1 AND approval <> $2 "
	  "RETURNING 1) SELECT (SELECT approval FROM cur), "
	  "(SELECT count(*) FROM u)", 4 },
	{ "client_names",
	  "SELECT c.client_id, c.metadata->>'client_name', o.code "
	  "FROM clients c LEFT JOIN organisations o "
	  "ON o.id = c.owner_organisation_id "
	  "WHERE c.metadata ? 'client_name' AND c.client_id <> $1 "
	  "AND (o.code IS NULL OR $2::text IS NULL OR o.code <> $2)", 2 },
	{ "assertion_jti",
	  "INSERT INTO client_assertion_jtis (client_id, jti, expires_at) "
	  "VALUES ($1, $2, to_timestamp($3)) ON CONFLICT DO NOTHING", 3 },
	{ NULL, NULL, 0 },
};

static void
read_row(struct idp_arena *a, const PGresult *r, int i,
    struct idp_client_row *row)
{
	row->client_id = idp_arena_strdup(a, idp_db_val(r, i, 0));
	row->has_secret = idp_db_hex32(idp_db_val(r, i, 1), row->secret_digest) == 0;
	row->auth_method = idp_arena_strdup(a, idp_db_val(r, i, 2));
	row->metadata = idp_arena_strdup(a, idp_db_val(r, i, 3));
	row->owner_org = idp_arena_strdup(a, idp_db_val(r, i, 4));
	row->first_party = idp_db_bool(r, i, 5);
	row->enabled = idp_db_bool(r, i, 6);
	row->source = idp_arena_strdup(a, idp_db_val(r, i, 7));
	row->has_registration_token =
	    idp_db_hex32(idp_db_val(r, i, 8), row->registration_digest) == 0;
	row->created_at = idp_db_ll(r, i, 9);
	row->updated_at = idp_db_ll(r, i, 10);
	row->secret_rotated_at = idp_db_ll(r, i, 11);
	row->approval = idp_arena_strdup(a, idp_db_val(r, i, 12));
	row->approval_reason = idp_arena_strdup(a, idp_db_val(r, i, 13));
	row->owner_org_name = idp_arena_strdup(a, idp_db_val(r, i, 14));
	row->api_json = idp_arena_strdup(a, idp_db_val(r, i, 15));
	row->offered = idp_arena_strdup(a, idp_db_val(r, i, 16));
	row->resources = idp_arena_strdup(a, idp_db_val(r, i, 17));
}

static enum idp_err
get_one(struct idp_dbconn *c, struct idp_arena *a, const char *stmt,
    struct idp_param *p, struct idp_client_row **out)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, stmt, p, 1, &r);

	if (rc != IDP_OK)
		return rc;
	*out = idp_arena_zalloc(a, sizeof(**out));
	read_row(a, r, 0, *out);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_client_get(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, struct idp_client_row **out)
{
	struct idp_param p[1] = { P_TXT(client_id) };

	return get_one(c, a, "client_get", p, out);
}

enum idp_err
idp_store_client_by_registration(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_client_row **out)
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };

	return get_one(c, a, "client_by_registration", p, out);
}

static enum idp_err
list(struct idp_dbconn *c, struct idp_arena *a, const char *stmt,
    struct idp_param *p, int np, struct idp_client_row **out, int *n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, stmt, p, np, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++)
		read_row(a, r, i, &(*out)[i]);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_client_list(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_client_row **out, int *n)
{
	return list(c, a, "client_list", NULL, 0, out, n);
}

enum idp_err
idp_store_client_list_orgs(struct idp_dbconn *c, struct idp_arena *a,
    const char *orgs, struct idp_client_row **out, int *n)
{
	struct idp_param p[1] = { P_TXT(orgs) };

	return list(c, a, "client_list_orgs", p, 1, out, n);
}

static void
row_params(const struct idp_client_row *row, struct idp_param p[9])
{
	p[0] = P_TXT(row->client_id);
	p[1] = row->has_secret ? P_BIN(row->secret_digest, IDP_SHA256_LEN) :
	    P_NULL;
	p[2] = P_TXT(row->auth_method);
	p[3] = P_TXT(row->metadata);
	p[4] = P_TXT(row->owner_org);
	p[5] = P_TXT(row->first_party ? "true" : "false");
	p[6] = P_TXT(row->enabled ? "true" : "false");
	p[7] = P_TXT(row->source);
	p[8] = row->has_registration_token ?
	    P_BIN(row->registration_digest, IDP_SHA256_LEN) : P_NULL;
}

enum idp_err
idp_store_client_insert(struct idp_dbconn *c, const struct idp_client_row *row,
    const char *actor)
{
	struct idp_param p[11];

	row_params(row, p);
	p[9] = P_TXT(row->approval);
	p[10] = P_TXT(actor);
	return idp_db_run_one(c, "client_insert", p, 11);
}

enum idp_err
idp_store_client_update(struct idp_dbconn *c, const struct idp_client_row *row,
    bool keep_secret)
{
	struct idp_param p[10];

	row_params(row, p);
	p[9] = P_TXT(keep_secret ? "true" : "false");
	return idp_db_run_one(c, "client_update", p, 10);
}

enum idp_err
idp_store_client_delete(struct idp_dbconn *c, const char *client_id)
{
	struct idp_param p[1] = { P_TXT(client_id) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "client_delete", p, 1, &r);

	if (rc == IDP_OK && idp_db_ll(r, 0, 0) != 1)
		rc = IDP_ERR_NOT_FOUND;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_assertion_jti(struct idp_dbconn *c, const char *client_id,
    const char *jti, int64_t exp)
{
	char e[24];
	struct idp_param p[3] = { P_TXT(client_id), P_TXT(jti), P_TXT(e) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(e, sizeof(e), "%lld", (long long)exp);
	rc = idp_db_exec(c, "assertion_jti", p, 3, &r);
	if (rc == IDP_OK && strcmp(PQcmdTuples(r), "1") != 0)
		rc = IDP_ERR_CONFLICT;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_client_set_approval(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, const char *approval, const char *reason,
    const char *actor, char **before)
{
	struct idp_param p[4] = { P_TXT(client_id), P_TXT(approval),
		P_TXT(reason), P_TXT(actor) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "client_set_approval", p, 4, &r);

	if (rc != IDP_OK)
		return rc;
	*before = idp_arena_strdup(a, idp_db_val(r, 0, 0));
	if (*before == NULL)
		rc = IDP_ERR_NOT_FOUND;
	else if (idp_db_ll(r, 0, 1) != 1)
		rc = IDP_ERR_CONFLICT;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_client_names(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, const char *owner_org,
    struct idp_client_name **out, int *n)
{
	struct idp_param p[2] = { P_TXT(client_id ? client_id : ""),
		P_TXT(owner_org) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "client_names", p, 2, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		(*out)[i].client_id = idp_arena_strdup(a, idp_db_val(r, i, 0));
		(*out)[i].name = idp_arena_strdup(a, idp_db_val(r, i, 1));
		(*out)[i].owner_org = idp_arena_strdup(a, idp_db_val(r, i, 2));
	}
	PQclear(r);
	return IDP_OK;
}

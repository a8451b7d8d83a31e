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
	"coalesce(floor(extract(epoch from c.secret_rotated_at))::bigint, 0) "
#define CLIENT_FROM "FROM clients c LEFT JOIN organisations o " \
	"ON o.id = c.owner_organisation_id "

const struct idp_stmt idp_client_stmts[] = {
	{ "client_get", "SELECT " CLIENT_COLS CLIENT_FROM
	  "WHERE c.client_id = $1", 1 },
	{ "client_by_registration", "SELECT " CLIENT_COLS CLIENT_FROM
	  "WHERE c.registration_token_digest = $1", 1 },
	{ "client_list", "SELECT " CLIENT_COLS CLIENT_FROM
	  "ORDER BY c.client_id", 0 },
	{ "client_insert",
	  "INSERT INTO clients (client_id, secret_digest, "
	  "token_endpoint_auth_method, metadata, owner_organisation_id, "
	  "first_party, enabled, source, registration_token_digest, "
	  "secret_rotated_at) "
	  "SELECT $1, $2, $3, $4::jsonb, o.id, $6, $7, $8, $9, "
	  "CASE WHEN $2::bytea IS NULL THEN NULL ELSE now() END "
	  "FROM (SELECT NULL) AS one "
	  "LEFT JOIN organisations o ON o.code = $5 "
	  "WHERE $5::text IS NULL OR o.id IS NOT NULL", 9 },
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

enum idp_err
idp_store_client_list(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_client_row **out, int *n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "client_list", NULL, 0, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++)
		read_row(a, r, i, &(*out)[i]);
	PQclear(r);
	return IDP_OK;
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
idp_store_client_insert(struct idp_dbconn *c, const struct idp_client_row *row)
{
	struct idp_param p[9];

	row_params(row, p);
	return idp_db_run_one(c, "client_insert", p, 9);
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
	enum idp_err rc = idp_db_exec_durable(c, "client_delete", p, 1, &r);

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

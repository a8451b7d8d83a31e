#include <stdio.h>
#include <string.h>

#include "store/iat.h"
#include "store/statements.h"

const struct idp_stmt idp_iat_stmts[] = {
	{ "iat_create",
	  "INSERT INTO initial_access_tokens (token_digest, description, "
	  "owner_organisation_id, uses_left, expires_at, auto_approve) "
	  "SELECT $1, $2, o.id, nullif($4::int, -1), "
	  "now() + make_interval(secs => $5), $6 FROM (SELECT NULL) one "
	  "LEFT JOIN organisations o ON o.code = $3 "
	  "WHERE $3::text IS NULL OR o.id IS NOT NULL RETURNING id", 6 },
	{ "iat_use",
	  "UPDATE initial_access_tokens t SET uses_left = uses_left - 1 "
	  "WHERE token_digest = $1 AND revoked_at IS NULL "
	  "AND expires_at > now() AND (uses_left IS NULL OR uses_left > 0) "
	  "RETURNING (SELECT code FROM organisations "
	  "WHERE id = t.owner_organisation_id), t.id, t.description, "
	  "t.auto_approve", 1 },
	{ "iat_list",
	  "SELECT t.id, t.description, o.code, coalesce(t.uses_left, -1), "
	  "floor(extract(epoch from t.created_at))::bigint, "
	  "floor(extract(epoch from t.expires_at))::bigint, "
	  "t.revoked_at IS NOT NULL, t.auto_approve FROM initial_access_tokens t "
	  "LEFT JOIN organisations o ON o.id = t.owner_organisation_id "
	  "ORDER BY t.id", 0 },
	{ "iat_revoke",
	  "UPDATE initial_access_tokens SET revoked_at = coalesce(revoked_at, "
	  "now()) WHERE id = $1", 1 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_iat_create(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], const char *description,
    const char *owner_org, int uses, int64_t ttl, bool auto_approve,
    long long *id)
{
	char u[16], t[24];
	struct idp_param p[6] = { P_BIN(digest, IDP_SHA256_LEN),
		P_TXT(description), P_TXT(owner_org), P_TXT(u), P_TXT(t),
		P_TXT(auto_approve ? "true" : "false") };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(u, sizeof(u), "%d", uses);
	snprintf(t, sizeof(t), "%lld", (long long)ttl);
	rc = idp_db_exec(c, "iat_create", p, 6, &r);
	if (rc == IDP_OK) {
		if (PQntuples(r) == 1)
			*id = idp_db_ll(r, 0, 0);
		else
			rc = IDP_ERR_NOT_FOUND;
	}
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_iat_use(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_iat *out)
{
	struct idp_param p[1] = { P_BIN(digest, IDP_SHA256_LEN) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "iat_use", p, 1, &r);

	memset(out, 0, sizeof(*out));
	if (rc == IDP_OK) {
		out->owner_org = idp_arena_strdup(a, idp_db_val(r, 0, 0));
		out->id = idp_db_ll(r, 0, 1);
		out->description = idp_arena_strdup(a, idp_db_val(r, 0, 2));
		out->auto_approve = idp_db_bool(r, 0, 3);
	}
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_iat_list(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_iat **out, int *n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "iat_list", NULL, 0, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_iat *t = &(*out)[i];

		t->id = idp_db_ll(r, i, 0);
		t->description = idp_arena_strdup(a, idp_db_val(r, i, 1));
		t->owner_org = idp_arena_strdup(a, idp_db_val(r, i, 2));
		t->uses_left = (int)idp_db_ll(r, i, 3);
		t->created_at = idp_db_ll(r, i, 4);
		t->expires_at = idp_db_ll(r, i, 5);
		t->revoked = idp_db_bool(r, i, 6);
		t->auto_approve = idp_db_bool(r, i, 7);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_iat_revoke(struct idp_dbconn *c, long long id)
{
	char b[24];
	struct idp_param p[1] = { P_TXT(b) };

	snprintf(b, sizeof(b), "%lld", id);
	return idp_db_run_one(c, "iat_revoke", p, 1);
}

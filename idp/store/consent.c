#include <stdio.h>
#include <string.h>

#include "store/consent.h"
#include "store/statements.h"

const struct idp_stmt idp_consent_stmts[] = {
	{ "consent_get",
	  "SELECT array_to_string(scopes, ' ') FROM consents "
	  "WHERE user_id = $1 AND client_id = $2", 2 },
	{ "consent_put",
	  "INSERT INTO consents (user_id, client_id, scopes) "
	  "VALUES ($1, $2, string_to_array($3, ' ')) "
	  "ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = "
	  "(SELECT array_agg(DISTINCT s ORDER BY s) FROM unnest("
	  "consents.scopes || EXCLUDED.scopes) s), granted_at = now()", 3 },
	{ "consent_withdraw",
	  "WITH d AS (DELETE FROM consents WHERE user_id = $1 AND client_id = $2 "
	  "RETURNING 1), "
	  "g AS (UPDATE grants SET revoked_at = now(), revoked_reason = "
	  "'consent withdrawn' WHERE user_id = $1 AND client_id = $2 "
	  "AND revoked_at IS NULL RETURNING id), "
	  "a AS (UPDATE access_tokens SET revoked_at = now() WHERE grant_id IN "
	  "(SELECT id FROM g)), "
	  "r AS (UPDATE refresh_tokens SET revoked_at = now() WHERE grant_id IN "
	  "(SELECT id FROM g)) "
	  "SELECT count(*) FROM d", 2 },
	{ "consent_list",
	  "SELECT client_id, array_to_string(scopes, ' '), "
	  "floor(extract(epoch from granted_at))::bigint FROM consents "
	  "WHERE user_id = $1 ORDER BY client_id", 1 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_consent_get(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, const char *client_id, char **scopes)
{
	char uid[24];
	struct idp_param p[2] = { P_TXT(uid), P_TXT(client_id) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	rc = idp_db_exec(c, "consent_get", p, 2, &r);
	if (rc != IDP_OK)
		return rc;
	if (PQntuples(r) == 1)
		*scopes = idp_arena_strdup(a, idp_db_val(r, 0, 0));
	else
		rc = IDP_ERR_NOT_FOUND;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_consent_put(struct idp_dbconn *c, long long user_id,
    const char *client_id, const char *scopes)
{
	char uid[24];
	struct idp_param p[3] = { P_TXT(uid), P_TXT(client_id), P_TXT(scopes) };

	snprintf(uid, sizeof(uid), "%lld", user_id);
	return idp_db_run(c, "consent_put", p, 3);
}

enum idp_err
idp_store_consent_withdraw(struct idp_dbconn *c, long long user_id,
    const char *client_id)
{
	char uid[24];
	struct idp_param p[2] = { P_TXT(uid), P_TXT(client_id) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	rc = idp_db_exec(c, "consent_withdraw", p, 2, &r);
	if (rc == IDP_OK && idp_db_ll(r, 0, 0) == 0)
		rc = IDP_ERR_NOT_FOUND;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_consent_list(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, struct idp_consent **out, int *n)
{
	char uid[24];
	struct idp_param p[1] = { P_TXT(uid) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	rc = idp_db_exec(c, "consent_list", p, 1, &r);
	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		(*out)[i].client_id = idp_arena_strdup(a, idp_db_val(r, i, 0));
		(*out)[i].scopes = idp_arena_strdup(a, idp_db_val(r, i, 1));
		(*out)[i].granted_at = idp_db_ll(r, i, 2);
	}
	PQclear(r);
	return IDP_OK;
}

#include <stdio.h>

#include "store/par.h"
#include "store/statements.h"

const struct idp_stmt idp_par_stmts[] = {
	{ "par_insert",
	  "INSERT INTO pushed_requests (uri_digest, client_id, params, "
	  "signed_object, expires_at) VALUES ($1, $2, $3::jsonb, $4, "
	  "now() + make_interval(secs => $5))", 5 },
	/* Single use: only the first UPDATE finds used_at NULL. */
	{ "par_consume",
	  "UPDATE pushed_requests SET used_at = now() WHERE uri_digest = $1 "
	  "AND client_id = $2 AND used_at IS NULL AND expires_at > now() "
	  "RETURNING params::text, signed_object", 2 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_par_insert(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id,
    const char *params, bool signed_object, int64_t ttl)
{
	char t[24];
	struct idp_param p[5] = { P_BIN(digest, IDP_SHA256_LEN),
		P_TXT(client_id), P_TXT(params),
		P_TXT(signed_object ? "true" : "false"), P_TXT(t) };

	snprintf(t, sizeof(t), "%lld", (long long)ttl);
	return idp_db_run(c, "par_insert", p, 5);
}

enum idp_err
idp_store_par_consume(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id,
    char **params, bool *signed_object)
{
	struct idp_param p[2] = { P_BIN(digest, IDP_SHA256_LEN),
		P_TXT(client_id) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "par_consume", p, 2, &r);

	if (rc != IDP_OK)
		return rc;
	*params = idp_arena_strdup(a, idp_db_val(r, 0, 0));
	*signed_object = idp_db_bool(r, 0, 1);
	PQclear(r);
	return IDP_OK;
}

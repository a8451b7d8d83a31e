#include <stdio.h>

#include "store/dpop.h"
#include "store/statements.h"

const struct idp_stmt idp_dpop_stmts[] = {
	{ "dpop_jti",
	  "INSERT INTO dpop_jtis (jkt, jti, expires_at) VALUES ($1, $2, "
	  "to_timestamp($3)) ON CONFLICT DO NOTHING", 3 },
	/* Two instances starting at once both insert; one row wins and both
	 * read it (the CTE's INSERT result, or the row already there). */
	{ "provider_secret",
	  "WITH i AS (INSERT INTO provider_secrets (name, secret) "
	  "VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING secret) "
	  "SELECT encode(secret, 'hex') FROM i UNION ALL "
	  "SELECT encode(secret, 'hex') FROM provider_secrets WHERE name = $1 "
	  "LIMIT 1", 2 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_dpop_jti(struct idp_dbconn *c, const char *jkt, const char *jti,
    int64_t until)
{
	char e[24];
	struct idp_param p[3] = { P_TXT(jkt), P_TXT(jti), P_TXT(e) };
	enum idp_err rc;

	snprintf(e, sizeof(e), "%lld", (long long)until);
	/* ON CONFLICT DO NOTHING: no row inserted means seen before. */
	rc = idp_db_run_one(c, "dpop_jti", p, 3);
	return rc == IDP_ERR_NOT_FOUND ? IDP_ERR_CONFLICT : rc;
}

enum idp_err
idp_store_provider_secret(struct idp_dbconn *c, const char *name,
    const unsigned char fresh[32], unsigned char out[32])
{
	struct idp_param p[2] = { P_TXT(name), P_BIN(fresh, 32) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "provider_secret", p, 2, &r);

	if (rc != IDP_OK)
		return rc;
	if (idp_db_hex32(idp_db_val(r, 0, 0), out) != 0)
		rc = IDP_ERR_INTERNAL;
	PQclear(r);
	return rc;
}

#include <stdio.h>
#include <stdlib.h>

#include "store/mfa.h"
#include "store/statements.h"

const struct idp_stmt idp_mfa_stmts[] = {
	{ "mfa_state",
	  "WITH RECURSIVE up AS (SELECT o.id, o.parent_id, o.require_mfa "
	  "FROM users u JOIN organisations o ON o.id = u.organisation_id "
	  "WHERE u.id = $1 UNION ALL SELECT o.id, o.parent_id, o.require_mfa "
	  "FROM organisations o JOIN up ON o.id = up.parent_id) "
	  "SELECT count(*) FILTER (WHERE kind = 'totp'), "
	  "count(*) FILTER (WHERE kind = 'webauthn'), "
	  "count(*) FILTER (WHERE kind = 'recovery_code' AND used_at IS NULL), "
	  "coalesce((SELECT bool_or(require_mfa) FROM up), false) "
	  "FROM credentials WHERE user_id = $1 AND confirmed_at IS NOT NULL",
	  1 },
	{ "mfa_remove_all",
	  "DELETE FROM credentials WHERE user_id = $1 "
	  "AND kind IN ('totp', 'webauthn', 'recovery_code')", 1 },
	{ "webauthn_challenge_put",
	  "INSERT INTO webauthn_challenges (digest, user_id, purpose, "
	  "expires_at) VALUES ($1, nullif($2::bigint, 0), $3, "
	  "now() + make_interval(secs => $4))", 4 },
	{ "webauthn_challenge_take",
	  "UPDATE webauthn_challenges SET used_at = now() WHERE digest = $1 "
	  "AND used_at IS NULL AND expires_at > now() AND purpose = $3 "
	  "AND ($2::bigint = 0 OR user_id = $2::bigint)", 3 },
	{ "org_set_require_mfa",
	  "UPDATE organisations SET require_mfa = $2::boolean "
	  "WHERE code = $1", 2 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_mfa_state(struct idp_dbconn *c, long long user_id,
    struct idp_mfa_state *out)
{
	char ub[24];
	struct idp_param p[1] = { P_TXT(ub) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(ub, sizeof(ub), "%lld", user_id);
	if ((rc = idp_db_exec_row(c, "mfa_state", p, 1, &r)) != IDP_OK)
		return rc;
	out->totp = (int)idp_db_ll(r, 0, 0);
	out->passkeys = (int)idp_db_ll(r, 0, 1);
	out->recovery_left = (int)idp_db_ll(r, 0, 2);
	out->org_requires = idp_db_bool(r, 0, 3);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_mfa_remove_all(struct idp_dbconn *c, long long user_id,
    long long *removed)
{
	char ub[24];
	struct idp_param p[1] = { P_TXT(ub) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(ub, sizeof(ub), "%lld", user_id);
	if ((rc = idp_db_exec(c, "mfa_remove_all", p, 1, &r)) != IDP_OK)
		return rc;
	*removed = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_webauthn_challenge_put(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long user_id,
    const char *purpose, int64_t ttl)
{
	char ub[24], tb[24];
	struct idp_param p[4] = { P_BIN(digest, IDP_SHA256_LEN), P_TXT(ub),
		P_TXT(purpose), P_TXT(tb) };

	snprintf(ub, sizeof(ub), "%lld", user_id);
	snprintf(tb, sizeof(tb), "%lld", (long long)ttl);
	return idp_db_run(c, "webauthn_challenge_put", p, 4);
}

enum idp_err
idp_store_webauthn_challenge_take(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long user_id,
    const char *purpose)
{
	char ub[24];
	struct idp_param p[3] = { P_BIN(digest, IDP_SHA256_LEN), P_TXT(ub),
		P_TXT(purpose) };

	snprintf(ub, sizeof(ub), "%lld", user_id);
	return idp_db_run_one(c, "webauthn_challenge_take", p, 3);
}

enum idp_err
idp_store_org_set_require_mfa(struct idp_dbconn *c, const char *org_code,
    bool on)
{
	struct idp_param p[2] = { P_TXT(org_code), P_TXT(on ? "true" :
	    "false") };

	return idp_db_run_one(c, "org_set_require_mfa", p, 2);
}

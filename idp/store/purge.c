#include <stdio.h>
#include <stdlib.h>

#include "store/purge.h"
#include "store/statements.h"

/* Grace periods: a used code is kept 10 minutes past its expiry so a
 * replay is still recognised (and revokes what it issued); ended sessions
 * a day, for the audit trail of logouts; pending logins a day, so an
 * expired login page can still start its authorization request again. */
#define PURGE(name, table, cond) { name, \
	"DELETE FROM " table " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " \
	table " WHERE " cond " LIMIT $1))", 1 }

const struct idp_stmt idp_purge_stmts[] = {
	PURGE("purge_login_requests", "login_requests",
	    "expires_at < now() - interval '1 day'"),
	PURGE("purge_codes", "authorization_codes",
	    "expires_at < now() - interval '10 minutes'"),
	PURGE("purge_access_tokens", "access_tokens", "expires_at < now()"),
	PURGE("purge_refresh_tokens", "refresh_tokens", "expires_at < now()"),
	PURGE("purge_grants", "grants", "expires_at < now()"),
	PURGE("purge_sessions", "sessions",
	    "expires_at < now() OR idle_expires_at < now() "
	    "OR ended_at < now() - interval '1 day'"),
	PURGE("purge_revoked_jwts", "revoked_jwts", "expires_at < now()"),
	PURGE("purge_assertion_jtis", "client_assertion_jtis",
	    "expires_at < now()"),
	/* Longer than any throttle_window: a bucket that drained. */
	PURGE("purge_throttle", "throttle",
	    "updated_at < now() - interval '8 days' AND blocked_until < now()"),
	PURGE("purge_password_resets", "password_resets",
	    "expires_at < now() - interval '1 day'"),
	/* Device authorizations a day past expiry: a late poll still gets
	 * expired_token, a replay still revokes what it issued. */
	PURGE("purge_device_authorizations", "device_authorizations",
	    "expires_at < now() - interval '1 day'"),
	PURGE("purge_pushed_requests", "pushed_requests",
	    "expires_at < now()"),
	PURGE("purge_dpop_jtis", "dpop_jtis", "expires_at < now()"),
	PURGE("purge_webauthn_challenges", "webauthn_challenges",
	    "expires_at < now() - interval '1 hour'"),
	PURGE("purge_audit", "audit_log", "at < now() - interval '400 days'"),
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_purge(struct idp_dbconn *c, int batch, int max_rounds,
    long long *deleted)
{
	char b[16];
	struct idp_param p[1] = { P_TXT(b) };

	snprintf(b, sizeof(b), "%d", batch);
	*deleted = 0;
	for (const struct idp_stmt *s = idp_purge_stmts; s->name; s++) {
		for (int round = 0; round < max_rounds; round++) {
			PGresult *r = NULL;
			enum idp_err rc = idp_db_exec(c, s->name, p, 1, &r);
			long long n;

			if (rc != IDP_OK)
				return rc;
			n = strtoll(PQcmdTuples(r), NULL, 10);
			PQclear(r);
			*deleted += n;
			if (n < batch)
				break;
		}
	}
	return IDP_OK;
}

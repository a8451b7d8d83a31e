#include <stdio.h>

#include "store/exchange.h"
#include "store/statements.h"

const struct idp_stmt idp_exchange_stmts[] = {
	/* Only under a grant that is still live, so a revocation that
	 * raced the exchange is not undone by it. */
	{ "exchange_insert",
	  "INSERT INTO access_tokens (token_digest, client_id, user_id, "
	  "grant_id, scope, expires_at, audience, act) "
	  "SELECT $1, $2, $3, g.id, $5, now() + make_interval(secs => $6), "
	  "$7, $8::jsonb FROM grants g WHERE g.id = $4::uuid "
	  "AND g.revoked_at IS NULL", 8 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_exchange_insert(struct idp_dbconn *c, const struct idp_exchanged *x)
{
	char uid[24], ttl[24];
	struct idp_param p[8] = { P_BIN(x->digest, IDP_SHA256_LEN),
		P_TXT(x->client_id), P_TXT(uid), P_TXT(x->grant_id),
		P_TXT(x->scope), P_TXT(ttl), P_TXT(x->audience), P_TXT(x->act) };

	snprintf(uid, sizeof(uid), "%lld", x->user_id);
	snprintf(ttl, sizeof(ttl), "%lld", (long long)x->ttl);
	return idp_db_run_one(c, "exchange_insert", p, 8);
}

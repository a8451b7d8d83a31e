#include <stdio.h>
#include <stdlib.h>

#include "store/keys.h"
#include "store/statements.h"

#define KEY_COLS "kid, alg, state = 'active', " \
	"floor(extract(epoch from created_at))::bigint, " \
	"coalesce(floor(extract(epoch from retired_at))::bigint, 0), " \
	"coalesce(floor(extract(epoch from publish_until))::bigint, 0) "

const struct idp_stmt idp_keys_stmts[] = {
	{ "keys_published",
	  "SELECT " KEY_COLS "FROM signing_keys WHERE state = 'active' "
	  "OR publish_until > now() ORDER BY created_at DESC", 0 },
	{ "keys_all",
	  "SELECT " KEY_COLS "FROM signing_keys ORDER BY created_at DESC", 0 },
	{ "key_retire",
	  "UPDATE signing_keys SET state = 'retired', retired_at = now(), "
	  "publish_until = now() + make_interval(secs => $2) "
	  "WHERE alg = $1 AND state = 'active'", 2 },
	{ "key_insert_active",
	  "INSERT INTO signing_keys (kid, alg, state) VALUES ($1, $2, 'active')",
	  2 },
	{ NULL, NULL, 0 },
};

static enum idp_err
list(struct idp_dbconn *c, struct idp_arena *a, const char *stmt,
    struct idp_key_meta **out, int *n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, stmt, NULL, 0, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_key_meta *m = &(*out)[i];

		m->kid = idp_arena_strdup(a, idp_db_val(r, i, 0));
		m->alg = idp_arena_strdup(a, idp_db_val(r, i, 1));
		m->active = idp_db_bool(r, i, 2);
		m->created_at = idp_db_ll(r, i, 3);
		m->retired_at = idp_db_ll(r, i, 4);
		m->publish_until = idp_db_ll(r, i, 5);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_keys_published(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_key_meta **out, int *n)
{
	return list(c, a, "keys_published", out, n);
}

enum idp_err
idp_store_keys_all(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_key_meta **out, int *n)
{
	return list(c, a, "keys_all", out, n);
}

enum idp_err
idp_store_key_activate(struct idp_dbconn *c, const char *kid, const char *alg,
    int64_t publish_seconds)
{
	char secs[24];
	struct idp_param retire[2] = { P_TXT(alg), P_TXT(secs) };
	struct idp_param ins[2] = { P_TXT(kid), P_TXT(alg) };
	enum idp_err rc;

	snprintf(secs, sizeof(secs), "%lld", (long long)publish_seconds);
	if ((rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	if ((rc = idp_db_run(c, "key_retire", retire, 2)) != IDP_OK ||
	    (rc = idp_db_run(c, "key_insert_active", ins, 2)) != IDP_OK ||
	    (rc = idp_db_commit(c)) != IDP_OK) {
		idp_db_rollback(c);
		return rc;
	}
	return IDP_OK;
}

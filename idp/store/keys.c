#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/b64url.h"
#include "store/keys.h"
#include "store/statements.h"

#define EPOCH(x) "coalesce(floor(extract(epoch from " x "))::bigint, 0), "
/* The sealed key travels as base64url text: the result helpers are text. */
#define KEY_COLS "kid, alg, state, " EPOCH("created_at") \
	EPOCH("activate_at") EPOCH("retired_at") EPOCH("publish_until") \
	"rtrim(translate(encode(private_key, 'base64'), E'+/\\n', '-_'), '='), " \
	"kek_id "
#define SECS(n) "make_interval(secs => $" #n "::bigint)"

const struct idp_stmt idp_keys_stmts[] = {
	{ "keys_published",
	  "SELECT " KEY_COLS "FROM signing_keys WHERE state <> 'retired' "
	  "OR publish_until > now() ORDER BY created_at DESC", 0 },
	{ "keys_all",
	  "SELECT " KEY_COLS "FROM signing_keys ORDER BY created_at DESC", 0 },
	{ "key_retire_alg",
	  "UPDATE signing_keys SET state = 'retired', retired_at = now(), "
	  "publish_until = now() + " SECS(2) " "
	  "WHERE alg = $1 AND state = 'active'", 2 },
	{ "key_insert_active",
	  "INSERT INTO signing_keys (kid, alg, state, activate_at, "
	  "private_key, kek_id) VALUES ($1, $2, 'active', now(), $3, $4)", 4 },
	{ "key_insert_next",
	  "INSERT INTO signing_keys (kid, alg, state, activate_at, "
	  "private_key, kek_id) VALUES ($1, $2, 'next', now() + " SECS(5)
	  ", $3, $4) ON CONFLICT (alg) WHERE state = 'next' DO NOTHING", 5 },
	{ "keys_due",
	  "SELECT kid, alg FROM signing_keys WHERE state = 'next' "
	  "AND activate_at <= now() FOR UPDATE SKIP LOCKED", 0 },
	{ "key_make_active",
	  "UPDATE signing_keys SET state = 'active', activate_at = now() "
	  "WHERE kid = $1 AND state = 'next'", 1 },
	{ "keys_expire",
	  "UPDATE signing_keys SET private_key = NULL, kek_id = NULL "
	  "WHERE state = 'retired' AND publish_until <= now() "
	  "AND private_key IS NOT NULL RETURNING kid", 0 },
	{ "key_retire_kid",
	  "UPDATE signing_keys SET state = 'retired', "
	  "retired_at = coalesce(retired_at, now()), "
	  "publish_until = least(coalesce(publish_until, 'infinity'), "
	  "now() + " SECS(2) ") WHERE kid = $1", 2 },
	{ "key_set_sealed",
	  "UPDATE signing_keys SET private_key = $2, kek_id = $3 "
	  "WHERE kid = $1 AND kek_id IS DISTINCT FROM $3", 3 },
	{ "secret_get",
	  "SELECT rtrim(translate(encode(secret, 'base64'), E'+/\\n', '-_'), "
	  "'='), kek_id FROM sealed_secrets WHERE name = $1", 1 },
	{ "secret_put",
	  "INSERT INTO sealed_secrets (name, secret, kek_id) VALUES ($1, $2, $3) "
	  "ON CONFLICT (name) DO NOTHING", 3 },
	{ "secret_replace",
	  "INSERT INTO sealed_secrets (name, secret, kek_id) VALUES ($1, $2, $3) "
	  "ON CONFLICT (name) DO UPDATE SET secret = EXCLUDED.secret, "
	  "kek_id = EXCLUDED.kek_id, created_at = now()", 3 },
	{ NULL, NULL, 0 },
};

static void
row(struct idp_arena *a, const PGresult *r, int i, struct idp_key_meta *m)
{
	const char *sealed = idp_db_val(r, i, 7);

	m->kid = idp_arena_strdup(a, idp_db_val(r, i, 0));
	m->alg = idp_arena_strdup(a, idp_db_val(r, i, 1));
	m->state = idp_arena_strdup(a, idp_db_val(r, i, 2));
	m->active = strcmp(m->state, "active") == 0;
	m->created_at = idp_db_ll(r, i, 3);
	m->activate_at = idp_db_ll(r, i, 4);
	m->retired_at = idp_db_ll(r, i, 5);
	m->publish_until = idp_db_ll(r, i, 6);
	if (sealed != NULL) {
		m->sealed = idp_b64url_decode(a, sealed, strlen(sealed),
		    &m->sealed_len);
		m->kek_id = idp_arena_strdup(a, idp_db_val(r, i, 8));
	}
}

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
	for (int i = 0; i < *n; i++)
		row(a, r, i, &(*out)[i]);
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

static struct idp_param
sealed_param(const struct idp_key_new *k)
{
	return k->sealed != NULL ? P_BIN(k->sealed, k->sealed_len) : P_NULL;
}

enum idp_err
idp_store_key_activate(struct idp_dbconn *c, const struct idp_key_new *k,
    int64_t publish_seconds)
{
	char secs[24];
	struct idp_param retire[2] = { P_TXT(k->alg), P_TXT(secs) };
	struct idp_param ins[4] = { P_TXT(k->kid), P_TXT(k->alg),
		sealed_param(k), P_TXT(k->kek_id) };
	enum idp_err rc;

	snprintf(secs, sizeof(secs), "%lld", (long long)publish_seconds);
	if ((rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	if ((rc = idp_db_run(c, "key_retire_alg", retire, 2)) != IDP_OK ||
	    (rc = idp_db_run(c, "key_insert_active", ins, 4)) != IDP_OK ||
	    (rc = idp_db_commit(c)) != IDP_OK) {
		idp_db_rollback(c);
		return rc;
	}
	return IDP_OK;
}

enum idp_err
idp_store_key_prepublish(struct idp_dbconn *c, const struct idp_key_new *k,
    int64_t activate_in, bool *inserted)
{
	char secs[24];
	struct idp_param p[5] = { P_TXT(k->kid), P_TXT(k->alg),
		sealed_param(k), P_TXT(k->kek_id), P_TXT(secs) };
	enum idp_err rc;

	snprintf(secs, sizeof(secs), "%lld", (long long)activate_in);
	rc = idp_db_run_one(c, "key_insert_next", p, 5);
	*inserted = rc == IDP_OK;
	return rc == IDP_ERR_NOT_FOUND ? IDP_OK : rc;
}

/* The first column of every row, NULL-terminated, in the arena. */
static char **
kids_of(struct idp_arena *a, const PGresult *r)
{
	int n = PQntuples(r);
	char **kids = idp_arena_zalloc(a, sizeof(char *) * (size_t)(n + 1));

	for (int i = 0; i < n; i++)
		kids[i] = idp_arena_strdup(a, idp_db_val(r, i, 0));
	return kids;
}

static enum idp_err
promote_one(struct idp_dbconn *c, const char *kid, const char *alg,
    const char *secs)
{
	struct idp_param retire[2] = { P_TXT(alg), P_TXT(secs) };
	struct idp_param make[1] = { P_TXT(kid) };
	enum idp_err rc = idp_db_run(c, "key_retire_alg", retire, 2);

	return rc != IDP_OK ? rc : idp_db_run_one(c, "key_make_active", make,
	    1);
}

enum idp_err
idp_store_keys_promote(struct idp_dbconn *c, struct idp_arena *a,
    int64_t publish_seconds, char ***kids)
{
	PGresult *r = NULL;
	char secs[24];
	enum idp_err rc;

	snprintf(secs, sizeof(secs), "%lld", (long long)publish_seconds);
	if ((rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	if ((rc = idp_db_exec(c, "keys_due", NULL, 0, &r)) != IDP_OK)
		goto fail;
	for (int i = 0; i < PQntuples(r); i++)
		if ((rc = promote_one(c, idp_db_val(r, i, 0),
		    idp_db_val(r, i, 1), secs)) != IDP_OK)
			goto fail;
	if ((rc = idp_db_commit(c)) != IDP_OK)
		goto fail;
	*kids = kids_of(a, r);
	PQclear(r);
	return IDP_OK;
fail:
	PQclear(r);
	idp_db_rollback(c);
	return rc;
}

enum idp_err
idp_store_keys_expire(struct idp_dbconn *c, struct idp_arena *a, char ***kids)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "keys_expire", NULL, 0, &r);

	if (rc != IDP_OK)
		return rc;
	*kids = kids_of(a, r);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_key_retire(struct idp_dbconn *c, const char *kid,
    int64_t publish_seconds)
{
	char secs[24];
	struct idp_param p[2] = { P_TXT(kid), P_TXT(secs) };

	snprintf(secs, sizeof(secs), "%lld", (long long)publish_seconds);
	return idp_db_run_one(c, "key_retire_kid", p, 2);
}

enum idp_err
idp_store_key_set_sealed(struct idp_dbconn *c, const char *kid,
    const unsigned char *sealed, size_t n, const char *kek_id)
{
	struct idp_param p[3] = { P_TXT(kid), P_BIN(sealed, n), P_TXT(kek_id) };

	return idp_db_run_one(c, "key_set_sealed", p, 3);
}

enum idp_err
idp_store_secret_get(struct idp_dbconn *c, struct idp_arena *a,
    const char *name, unsigned char **sealed, size_t *n, char **kek_id)
{
	struct idp_param p[1] = { P_TXT(name) };
	PGresult *r = NULL;
	const char *v;
	enum idp_err rc = idp_db_exec_row(c, "secret_get", p, 1, &r);

	if (rc != IDP_OK)
		return rc;
	v = idp_db_val(r, 0, 0);
	*sealed = idp_b64url_decode(a, v, strlen(v), n);
	*kek_id = idp_arena_strdup(a, idp_db_val(r, 0, 1));
	PQclear(r);
	return *sealed != NULL ? IDP_OK : IDP_ERR_INTERNAL;
}

enum idp_err
idp_store_secret_put(struct idp_dbconn *c, const char *name,
    const unsigned char *sealed, size_t n, const char *kek_id, bool replace)
{
	struct idp_param p[3] = { P_TXT(name), P_BIN(sealed, n), P_TXT(kek_id) };

	return idp_db_run(c, replace ? "secret_replace" : "secret_put", p, 3);
}

#include <stdio.h>

#include "store/statements.h"
#include "store/usage.h"

const struct idp_stmt idp_usage_stmts[] = {
	{ "usage_add",
	  "INSERT INTO client_usage_daily (client_id, day, signins, "
	  "token_requests, token_errors) SELECT c.client_id, $2::date, $3, $4, "
	  "$5 FROM clients c WHERE c.client_id = $1 ON CONFLICT (client_id, "
	  "day) DO UPDATE SET signins = client_usage_daily.signins + "
	  "EXCLUDED.signins, token_requests = client_usage_daily.token_requests"
	  " + EXCLUDED.token_requests, token_errors = "
	  "client_usage_daily.token_errors + EXCLUDED.token_errors", 5 },
	/* The new row, and what falls out of the newest 20. */
	{ "usage_error_add",
	  "WITH n AS (INSERT INTO client_errors (client_id, at, endpoint, "
	  "error, description) SELECT c.client_id, to_timestamp($2), $3, $4, "
	  "left($5, 300) FROM clients c WHERE c.client_id = $1 RETURNING id) "
	  "DELETE FROM client_errors WHERE client_id = $1 AND id <= (SELECT id "
	  "FROM client_errors WHERE client_id = $1 ORDER BY id DESC "
	  "OFFSET 19 LIMIT 1) AND EXISTS (SELECT 1 FROM n)", 5 },
	{ "usage_purge",
	  "DELETE FROM client_usage_daily WHERE day < current_date - $1::int",
	  1 },
	{ "usage_days",
	  "SELECT to_char(d, 'YYYY-MM-DD'), coalesce(u.signins, 0), "
	  "coalesce(u.token_requests, 0), coalesce(u.token_errors, 0) "
	  "FROM generate_series($2::date - ($3::int - 1), $2::date, "
	  "interval '1 day') AS d LEFT JOIN client_usage_daily u "
	  "ON u.client_id = $1 AND u.day = d::date ORDER BY d", 3 },
	{ "usage_errors",
	  "SELECT floor(extract(epoch from at))::bigint, endpoint, error, "
	  "description FROM client_errors WHERE client_id = $1 "
	  "ORDER BY id DESC LIMIT $2", 2 },
	{ NULL, NULL, 0 },
};

static const char *
num(char *b, size_t n, long long v)
{
	snprintf(b, n, "%lld", v);
	return b;
}

enum idp_err
idp_store_usage_add(struct idp_dbconn *c, const struct idp_usage_count *u)
{
	char s[24], t[24], e[24];
	struct idp_param p[5] = { P_TXT(u->client_id), P_TXT(u->day),
		P_TXT(num(s, sizeof(s), u->signins)),
		P_TXT(num(t, sizeof(t), u->tokens)),
		P_TXT(num(e, sizeof(e), u->errors)) };

	return idp_db_run(c, "usage_add", p, 5);
}

enum idp_err
idp_store_usage_error_add(struct idp_dbconn *c,
    const struct idp_usage_error *e)
{
	char at[24];
	struct idp_param p[5] = { P_TXT(e->client_id),
		P_TXT(num(at, sizeof(at), (long long)e->at)),
		P_TXT(e->endpoint), P_TXT(e->error),
		P_TXT(e->description ? e->description : "") };

	return idp_db_run(c, "usage_error_add", p, 5);
}

enum idp_err
idp_store_usage_purge(struct idp_dbconn *c, int keep_days)
{
	char d[24];
	struct idp_param p[1] = { P_TXT(num(d, sizeof(d), keep_days)) };

	return idp_db_run(c, "usage_purge", p, 1);
}

enum idp_err
idp_store_usage_days(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, const char *today, int ndays,
    struct idp_usage_day **out)
{
	char n[24];
	struct idp_param p[3] = { P_TXT(client_id), P_TXT(today),
		P_TXT(num(n, sizeof(n), ndays)) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "usage_days", p, 3, &r);

	if (rc != IDP_OK)
		return rc;
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(ndays > 0 ?
	    ndays : 1));
	for (int i = 0; i < PQntuples(r) && i < ndays; i++) {
		(*out)[i].day = idp_arena_strdup(a, idp_db_val(r, i, 0));
		(*out)[i].signins = idp_db_ll(r, i, 1);
		(*out)[i].tokens = idp_db_ll(r, i, 2);
		(*out)[i].errors = idp_db_ll(r, i, 3);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_usage_errors(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, int limit, struct idp_usage_error **out, int *n)
{
	char l[24];
	struct idp_param p[2] = { P_TXT(client_id),
		P_TXT(num(l, sizeof(l), limit)) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "usage_errors", p, 2, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_usage_error *e = &(*out)[i];

		e->client_id = client_id;
		e->at = idp_db_ll(r, i, 0);
		e->endpoint = idp_arena_strdup(a, idp_db_val(r, i, 1));
		e->error = idp_arena_strdup(a, idp_db_val(r, i, 2));
		e->description = idp_arena_strdup(a, idp_db_val(r, i, 3));
	}
	PQclear(r);
	return IDP_OK;
}

#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/statements.h"

const struct idp_stmt idp_audit_stmts[] = {
	{ "audit_insert",
	  "INSERT INTO audit_log (event, user_id, client_id, ip, request_id, "
	  "details, actor, actor_user_id) VALUES ($1, $2, $3, $4::inet, $5, "
	  "coalesce($6::jsonb, '{}'), $7, $8)", 8 },
	{ "health_ping", "SELECT 1", 0 },
	/* Either index (at, user, client) serves; the event prefix is a
	 * range on text, never a pattern a person could make costly. */
	{ "audit_list",
	  "SELECT a.id, floor(extract(epoch from a.at))::bigint, a.event, "
	  "a.user_id, u.username, a.client_id, host(a.ip), a.request_id, "
	  "a.details::text, a.actor FROM audit_log a "
	  "LEFT JOIN users u ON u.id = a.user_id "
	  "WHERE ($1::bigint IS NULL OR a.user_id = $1 OR a.actor_user_id = $1) "
	  "AND ($2::text IS NULL OR a.client_id = $2) "
	  "AND ($3::text IS NULL OR a.event = $3 OR (right($3, 1) = '.' AND "
	  "left(a.event, length($3)) = $3)) "
	  "AND ($4::bigint IS NULL OR a.at >= to_timestamp($4)) "
	  "AND ($5::bigint IS NULL OR a.at < to_timestamp($5)) "
	  "AND ($6::bigint IS NULL OR a.id < $6) "
	  "ORDER BY a.id DESC LIMIT $7", 7 },
	{ "sync_commit_off",
	  "SELECT current_setting('synchronous_commit') = 'off'", 0 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_audit(struct idp_dbconn *c, const struct idp_audit *ev)
{
	char uid[24], aid[24];
	struct idp_param p[8] = { P_TXT(ev->event),
		P_TXT(ev->user_id ? uid : NULL), P_TXT(ev->client_id),
		P_TXT(ev->ip), P_TXT(ev->request_id), P_TXT(ev->details_json),
		P_TXT(ev->actor), P_TXT(ev->actor_user_id ? aid : NULL) };

	snprintf(uid, sizeof(uid), "%lld", ev->user_id);
	snprintf(aid, sizeof(aid), "%lld", ev->actor_user_id);
	return idp_db_run(c, "audit_insert", p, 8);
}

/* A number as a parameter, NULL for 0. */
static struct idp_param
num(char *b, size_t n, long long v)
{
	if (v == 0)
		return P_NULL;
	snprintf(b, n, "%lld", v);
	return P_TXT(b);
}

enum idp_err
idp_store_audit_list(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_audit_filter *f, struct idp_audit_row **out, int *n)
{
	char b[5][24];
	struct idp_param p[7] = {
		num(b[0], 24, f->user_id), P_TXT(f->client_id), P_TXT(f->event),
		num(b[1], 24, f->since), num(b[2], 24, f->until),
		num(b[3], 24, f->before_id),
		num(b[4], 24, f->limit > 0 && f->limit <= 10000 ? f->limit : 100),
	};
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "audit_list", p, 7, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_audit_row *w = &(*out)[i];

		w->id = idp_db_ll(r, i, 0);
		w->at = idp_db_ll(r, i, 1);
		w->event = idp_arena_strdup(a, idp_db_val(r, i, 2));
		w->user_id = idp_db_ll(r, i, 3);
		w->username = idp_arena_strdup(a, idp_db_val(r, i, 4));
		w->client_id = idp_arena_strdup(a, idp_db_val(r, i, 5));
		w->ip = idp_arena_strdup(a, idp_db_val(r, i, 6));
		w->request_id = idp_arena_strdup(a, idp_db_val(r, i, 7));
		w->details = idp_arena_strdup(a, idp_db_val(r, i, 8));
		w->actor = idp_arena_strdup(a, idp_db_val(r, i, 9));
	}
	PQclear(r);
	return IDP_OK;
}

bool
idp_audit_event_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n <= 64 &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._") == n;
}

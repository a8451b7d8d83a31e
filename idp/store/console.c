#include <stdio.h>
#include <string.h>

#include "store/console.h"
#include "store/statements.h"

#define EPOCH(x) "floor(extract(epoch from " x "))::bigint"
#define LIVE_SESSION "s.ended_at IS NULL AND s.expires_at > now() " \
	"AND s.idle_expires_at > now() "
#define SECOND_FACTOR "coalesce(a.details->>'amr', 'pwd') <> 'pwd'"

const struct idp_stmt idp_console_stmts[] = {
	{ "console_orgs",
	  "SELECT o.code, o.name, o.kind, p.code, coalesce(n.people, 0) "
	  "FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id "
	  "LEFT JOIN (SELECT organisation_id, count(*) AS people FROM users "
	  "WHERE deleted_at IS NULL GROUP BY 1) n ON n.organisation_id = o.id "
	  "ORDER BY o.name, o.code", 0 },
	/* Last use: the newest sign-in at the service (audit_log_client_idx
	 * answers it per client). */
	{ "console_clients",
	  "SELECT c.client_id, coalesce(c.metadata->>'client_name', c.client_id), "
	  "c.approval, o.code, c.enabled, " EPOCH("c.created_at") ", "
	  "coalesce((SELECT " EPOCH("max(a.at)") " FROM audit_log a "
	  "WHERE a.client_id = c.client_id AND a.event = 'signin.service'), 0) "
	  "FROM clients c LEFT JOIN organisations o ON o.id = c.owner_organisation_id "
	  "WHERE $1::text IS NULL "
	  "OR ($1 = 'pending' AND c.approval = 'pending') "
	  "OR ($1 = 'active' AND c.approval = 'approved' AND c.enabled) "
	  "OR ($1 = 'disabled' AND (c.approval = 'rejected' OR (NOT c.enabled "
	  "AND c.approval <> 'pending'))) "
	  "ORDER BY c.approval = 'pending' DESC, c.client_id", 1 },
	{ "client_set_enabled",
	  "UPDATE clients SET enabled = $2, updated_at = now() "
	  "WHERE client_id = $1 RETURNING 1", 2 },
	{ "console_sessions",
	  "SELECT sc.client_id, coalesce(c.metadata->>'client_name', sc.client_id), "
	  "count(DISTINCT s.id), count(DISTINCT s.user_id) FROM sessions s "
	  "JOIN session_clients sc ON sc.session_id = s.id "
	  "LEFT JOIN clients c ON c.client_id = sc.client_id "
	  "WHERE " LIVE_SESSION "GROUP BY 1, 2 ORDER BY 3 DESC, 1", 0 },
	{ "console_sessions_total",
	  "SELECT count(*), count(DISTINCT s.user_id) FROM sessions s WHERE "
	  LIVE_SESSION, 0 },
	{ "console_spbe_services",
	  "SELECT c.client_id, coalesce(c.metadata->>'client_name', c.client_id), "
	  "o.name, " EPOCH("coalesce(c.approval_at, c.created_at)") ", "
	  "count(DISTINCT a.user_id), count(a.id), "
	  "count(a.id) FILTER (WHERE " SECOND_FACTOR ") "
	  "FROM clients c LEFT JOIN organisations o ON o.id = c.owner_organisation_id "
	  "LEFT JOIN audit_log a ON a.client_id = c.client_id "
	  "AND a.event = 'signin.service' "
	  "AND a.at > now() - make_interval(days => $1::int) "
	  "WHERE c.approval = 'approved' AND c.enabled "
	  "GROUP BY c.client_id, 2, o.name, c.approval_at, c.created_at "
	  "ORDER BY c.client_id", 1 },
	{ "console_spbe_kinds",
	  "WITH act AS (SELECT DISTINCT user_id FROM audit_log "
	  "WHERE event = 'signin.service' "
	  "AND at > now() - make_interval(days => $1::int)), "
	  "k AS (SELECT CASE WHEN o.kind IN ('province', 'provincial_agency') "
	  "THEN 'provincial' WHEN o.kind IN ('regency', 'city', 'local_agency') "
	  "THEN 'regencies_cities' WHEN o.kind = 'desa_adat' THEN 'desa_adat' "
	  "WHEN o.kind = 'health_facility' THEN 'health_facilities' "
	  "WHEN o.kind = 'central_agency' THEN 'central_agencies' "
	  "ELSE 'none' END AS g, u.id AS uid, act.user_id AS au "
	  "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id "
	  "LEFT JOIN act ON act.user_id = u.id WHERE u.deleted_at IS NULL) "
	  "SELECT g, count(uid), count(au) FROM k GROUP BY g "
	  "ORDER BY CASE g WHEN 'provincial' THEN 1 "
	  "WHEN 'regencies_cities' THEN 2 WHEN 'desa_adat' THEN 3 "
	  "WHEN 'health_facilities' THEN 4 WHEN 'central_agencies' THEN 5 "
	  "ELSE 6 END", 1 },
	{ "console_spbe_days",
	  "WITH d AS (SELECT generate_series(date_trunc('day', now() AT TIME "
	  "ZONE $2) - make_interval(days => $1::int - 1), date_trunc('day', "
	  "now() AT TIME ZONE $2), interval '1 day') AS day) "
	  "SELECT " EPOCH("d.day AT TIME ZONE $2") ", count(a.id) FROM d "
	  "LEFT JOIN audit_log a ON a.event = 'signin.service' "
	  "AND a.at >= d.day AT TIME ZONE $2 "
	  "AND a.at < (d.day + interval '1 day') AT TIME ZONE $2 "
	  "GROUP BY d.day ORDER BY d.day", 2 },
	{ NULL, NULL, 0 },
};

static char *
dup(struct idp_arena *a, const PGresult *r, int i, int c)
{
	return idp_arena_strdup(a, idp_db_val(r, i, c));
}

/* Rows of a statement into an arena array of size each; NULL rows. */
static enum idp_err
rows(struct idp_dbconn *c, const char *stmt, const struct idp_param *p,
    int np, struct idp_arena *a, size_t size, void **out, int *n,
    PGresult **res)
{
	enum idp_err rc = idp_db_exec(c, stmt, p, np, res);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(*res);
	*out = idp_arena_zalloc(a, size * (size_t)(*n ? *n : 1));
	return IDP_OK;
}

enum idp_err
idp_store_console_orgs(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_org_count **out, int *n)
{
	PGresult *r = NULL;
	enum idp_err rc = rows(c, "console_orgs", NULL, 0, a, sizeof(**out),
	    (void **)out, n, &r);

	if (rc != IDP_OK)
		return rc;
	for (int i = 0; i < *n; i++) {
		struct idp_org_count *o = &(*out)[i];

		o->code = dup(a, r, i, 0);
		o->name = dup(a, r, i, 1);
		o->kind = dup(a, r, i, 2);
		o->parent = dup(a, r, i, 3);
		o->people = idp_db_ll(r, i, 4);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_console_clients(struct idp_dbconn *c, struct idp_arena *a,
    const char *status, struct idp_client_view **out, int *n)
{
	struct idp_param p[1] = { P_TXT(status) };
	PGresult *r = NULL;
	enum idp_err rc = rows(c, "console_clients", p, 1, a, sizeof(**out),
	    (void **)out, n, &r);

	if (rc != IDP_OK)
		return rc;
	for (int i = 0; i < *n; i++) {
		struct idp_client_view *v = &(*out)[i];

		v->client_id = dup(a, r, i, 0);
		v->name = dup(a, r, i, 1);
		v->approval = dup(a, r, i, 2);
		v->owner = dup(a, r, i, 3);
		v->enabled = idp_db_bool(r, i, 4);
		v->created_at = idp_db_ll(r, i, 5);
		v->last_used = idp_db_ll(r, i, 6);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_client_set_enabled(struct idp_dbconn *c, const char *client_id,
    bool enabled)
{
	struct idp_param p[2] = { P_TXT(client_id), P_TXT(enabled ? "true" :
	    "false") };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "client_set_enabled", p, 2, &r);

	PQclear(r);
	return rc;
}

enum idp_err
idp_store_console_sessions(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_service_sessions **out, int *n, long long *total,
    long long *people)
{
	PGresult *r = NULL;
	enum idp_err rc;

	if ((rc = idp_db_exec_row(c, "console_sessions_total", NULL, 0, &r))
	    != IDP_OK)
		return rc;
	*total = idp_db_ll(r, 0, 0);
	*people = idp_db_ll(r, 0, 1);
	PQclear(r);
	if ((rc = rows(c, "console_sessions", NULL, 0, a, sizeof(**out),
	    (void **)out, n, &r)) != IDP_OK)
		return rc;
	for (int i = 0; i < *n; i++) {
		(*out)[i].client_id = dup(a, r, i, 0);
		(*out)[i].name = dup(a, r, i, 1);
		(*out)[i].sessions = idp_db_ll(r, i, 2);
		(*out)[i].people = idp_db_ll(r, i, 3);
	}
	PQclear(r);
	return IDP_OK;
}

static enum idp_err
spbe_services(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_param *p, struct idp_spbe *s)
{
	PGresult *r = NULL;
	enum idp_err rc = rows(c, "console_spbe_services", p, 1, a,
	    sizeof(*s->svc), (void **)&s->svc, &s->nsvc, &r);

	if (rc != IDP_OK)
		return rc;
	for (int i = 0; i < s->nsvc; i++) {
		struct idp_spbe_service *v = &s->svc[i];

		v->client_id = dup(a, r, i, 0);
		v->name = dup(a, r, i, 1);
		v->owner = dup(a, r, i, 2);
		v->integrated_at = idp_db_ll(r, i, 3);
		v->active_people = idp_db_ll(r, i, 4);
		v->signins = idp_db_ll(r, i, 5);
		v->second_factor = idp_db_ll(r, i, 6);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_console_spbe(struct idp_dbconn *c, struct idp_arena *a, int days,
    const char *zone, struct idp_spbe *s)
{
	char d[16];
	struct idp_param p[2] = { P_TXT(d), P_TXT(zone) };
	PGresult *r = NULL;
	enum idp_err rc;

	memset(s, 0, sizeof(*s));
	snprintf(d, sizeof(d), "%d", days);
	if ((rc = spbe_services(c, a, p, s)) != IDP_OK)
		return rc;
	if ((rc = rows(c, "console_spbe_kinds", p, 1, a, sizeof(*s->kinds),
	    (void **)&s->kinds, &s->nkinds, &r)) != IDP_OK)
		return rc;
	for (int i = 0; i < s->nkinds; i++) {
		s->kinds[i].group = dup(a, r, i, 0);
		s->kinds[i].people = idp_db_ll(r, i, 1);
		s->kinds[i].active_people = idp_db_ll(r, i, 2);
	}
	PQclear(r);
	if ((rc = rows(c, "console_spbe_days", p, 2, a, sizeof(*s->days),
	    (void **)&s->days, &s->ndays, &r)) != IDP_OK)
		return rc;
	for (int i = 0; i < s->ndays; i++) {
		s->days[i].day = idp_db_ll(r, i, 0);
		s->days[i].signins = idp_db_ll(r, i, 1);
	}
	PQclear(r);
	return IDP_OK;
}

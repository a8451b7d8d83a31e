#include <stdio.h>
#include <string.h>

#include "store/api.h"
#include "store/statements.h"
#include "util/buf.h"

/* Is scope s (a row of api_scopes) allowed to client $2 of organisation
 * $3? Its own, allowed by the manifest, or approved on request. */
#define ALLOWED_TO(s) "(" s ".client_id = $2 OR EXISTS (SELECT 1 FROM " \
	"api_scope_allows w WHERE w.scope = " s ".scope AND (w.client_id = $2 " \
	"OR w.organisation_id = (SELECT id FROM organisations WHERE code = $3)))" \
	" OR EXISTS (SELECT 1 FROM scope_requests q WHERE q.scope = " s ".scope" \
	" AND q.client_id = $2 AND q.state = 'approved'))"

#define REQUEST_COLS "q.id, q.client_id, q.scope, q.state, q.reason, " \
	"q.requested_by, q.decided_by, q.decision_reason, s.client_id, o.code, " \
	"floor(extract(epoch from q.created_at))::bigint, " \
	"coalesce(floor(extract(epoch from q.decided_at))::bigint, 0) " \
	"FROM scope_requests q JOIN api_scopes s ON s.scope = q.scope " \
	"LEFT JOIN clients c ON c.client_id = s.client_id " \
	"LEFT JOIN organisations o ON o.id = c.owner_organisation_id "

const struct idp_stmt idp_api_stmts[] = {
	{ "api_scope_states",
	  "SELECT u.s, s.scope IS NOT NULL, coalesce(" ALLOWED_TO("s")
	  ", false) FROM unnest(string_to_array($1, ' ')) WITH ORDINALITY "
	  "AS u(s, i) LEFT JOIN api_scopes s ON s.scope = u.s ORDER BY u.i", 3 },
	/* The server's resources become exactly $2; a URI of another
	 * server is not taken (the count tells). */
	{ "api_resources_drop",
	  "DELETE FROM api_resources WHERE client_id = $1 "
	  "AND resource <> ALL (string_to_array($2, ' '))", 2 },
	{ "api_resource_put",
	  "INSERT INTO api_resources (resource, client_id) VALUES ($2, $1) "
	  "ON CONFLICT (resource) DO UPDATE SET client_id = "
	  "api_resources.client_id WHERE api_resources.client_id = $1 "
	  "RETURNING 1", 2 },
	{ "api_scopes_drop",
	  "DELETE FROM api_scopes WHERE client_id = $1 "
	  "AND scope <> ALL (string_to_array($2, ' '))", 2 },
	{ "api_scope_put",
	  "INSERT INTO api_scopes (scope, client_id, description) "
	  "VALUES ($2, $1, $3) ON CONFLICT (scope) DO UPDATE SET description "
	  "= EXCLUDED.description WHERE api_scopes.client_id = $1 "
	  "RETURNING 1", 3 },
	{ "api_allows_clear",
	  "DELETE FROM api_scope_allows WHERE scope = $1", 1 },
	{ "api_allow_client",
	  "INSERT INTO api_scope_allows (scope, client_id) VALUES ($1, $2) "
	  "ON CONFLICT DO NOTHING", 2 },
	{ "api_allow_org",
	  "INSERT INTO api_scope_allows (scope, organisation_id) "
	  "SELECT $1, id FROM organisations WHERE code = $2 "
	  "ON CONFLICT DO NOTHING RETURNING 1", 2 },
	{ "api_org_exists", "SELECT 1 FROM organisations WHERE code = $1", 1 },
	{ "api_scope_list",
	  "SELECT s.scope, s.client_id, o.code, s.description, "
	  "(SELECT string_agg(r.resource, ' ' ORDER BY r.resource) FROM "
	  "api_resources r WHERE r.client_id = s.client_id), "
	  "(SELECT string_agg(coalesce('client:' || w.client_id, 'org:' || "
	  "wo.code), ' ' ORDER BY 1) FROM api_scope_allows w LEFT JOIN "
	  "organisations wo ON wo.id = w.organisation_id WHERE w.scope = "
	  "s.scope), (SELECT count(*) FROM scope_requests q WHERE q.scope = "
	  "s.scope AND q.state = 'pending') "
	  "FROM api_scopes s LEFT JOIN clients c ON c.client_id = s.client_id "
	  "LEFT JOIN organisations o ON o.id = c.owner_organisation_id "
	  "ORDER BY s.scope", 0 },
	/* The stored declaration in the shape manifests have, sorted, for
	 * comparison (ctl/manifest.c builds the same). */
	{ "api_decl",
	  "SELECT json_build_object('resource', coalesce((SELECT "
	  "json_agg(r.resource ORDER BY r.resource) FROM api_resources r "
	  "WHERE r.client_id = $1), '[]'::json), 'scopes', coalesce((SELECT "
	  "json_object_agg(s.scope, json_build_object('description', "
	  "s.description, 'clients', coalesce((SELECT json_agg(w.client_id "
	  "ORDER BY w.client_id) FROM api_scope_allows w WHERE w.scope = "
	  "s.scope AND w.client_id IS NOT NULL), '[]'::json), "
	  "'organisations', coalesce((SELECT json_agg(o.code ORDER BY o.code) "
	  "FROM api_scope_allows w JOIN organisations o ON o.id = "
	  "w.organisation_id WHERE w.scope = s.scope), '[]'::json))) FROM "
	  "api_scopes s WHERE s.client_id = $1), '{}'::json))::text", 1 },
	{ "scope_request_create",
	  "INSERT INTO scope_requests (client_id, scope, reason, requested_by) "
	  "SELECT c.client_id, s.scope, $3, $4 FROM clients c, api_scopes s "
	  "WHERE c.client_id = $1 AND s.scope = $2 RETURNING id", 4 },
	{ "scope_request_get", "SELECT " REQUEST_COLS "WHERE q.id = $1", 1 },
	{ "scope_request_list", "SELECT " REQUEST_COLS
	  "WHERE $1::text IS NULL OR q.state = $1 ORDER BY q.id DESC", 1 },
	{ "scope_request_list_client", "SELECT " REQUEST_COLS
	  "WHERE q.client_id = $1 ORDER BY q.id DESC", 1 },
	/* Pending requests for the scopes of the organisations in $1. */
	{ "scope_request_list_orgs", "SELECT " REQUEST_COLS
	  "WHERE q.state = 'pending' AND o.code = ANY (string_to_array($1, "
	  "' ')) ORDER BY q.id", 1 },
	{ "scope_request_decide",
	  "UPDATE scope_requests SET state = $2, decided_by = $3, "
	  "decision_reason = $4, decided_at = now() WHERE id = $1 AND "
	  "(state = 'pending' OR (state = 'approved' AND $2 = 'rejected'))",
	  4 },
	{ NULL, NULL, 0 },
};

static char *
joined(struct idp_arena *a, char *const *v)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 64 * 1024);
	for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
		if (i)
			idp_buf_addc(&b, ' ');
		idp_buf_adds(&b, v[i]);
	}
	return b.data;
}

enum idp_err
idp_store_api_scope_states(struct idp_dbconn *c, const char *client_id,
    const char *owner_org, char *const *api, enum idp_api_scope_state *states)
{
	struct idp_arena *a;
	struct idp_param p[3];
	PGresult *r = NULL;
	enum idp_err rc;

	if (api == NULL || api[0] == NULL)
		return IDP_OK;
	a = idp_arena_new(1024);
	p[0] = P_TXT(joined(a, api));
	p[1] = P_TXT(client_id);
	p[2] = P_TXT(owner_org);
	rc = idp_db_exec(c, "api_scope_states", p, 3, &r);
	for (int i = 0; rc == IDP_OK && i < PQntuples(r); i++)
		states[i] = !idp_db_bool(r, i, 1) ? IDP_API_SCOPE_UNKNOWN :
		    idp_db_bool(r, i, 2) ? IDP_API_SCOPE_ALLOWED :
		    IDP_API_SCOPE_NOT_ALLOWED;
	PQclear(r);
	idp_arena_free(a);
	return rc;
}

/* Run a statement that must return one row; IDP_ERR_CONFLICT if none. */
static enum idp_err
put(struct idp_dbconn *c, const char *stmt, struct idp_param *p, int n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, stmt, p, n, &r);

	if (rc == IDP_OK && PQntuples(r) != 1)
		rc = IDP_ERR_CONFLICT;
	PQclear(r);
	return rc;
}

static enum idp_err
sync_allows(struct idp_dbconn *c, const struct idp_api_decl_scope *s,
    const char **what)
{
	struct idp_param p[2] = { P_TXT(s->scope), P_NULL };
	enum idp_err rc = idp_db_run(c, "api_allows_clear", p, 1);

	for (char **v = s->clients; rc == IDP_OK && v && *v; v++) {
		p[1] = P_TXT(*v);
		rc = idp_db_run(c, "api_allow_client", p, 2);
	}
	for (char **v = s->organisations; rc == IDP_OK && v && *v; v++) {
		PGresult *r = NULL;

		p[1] = P_TXT(*v);
		if ((rc = idp_db_exec_row(c, "api_org_exists", p + 1, 1, &r))
		    == IDP_ERR_NOT_FOUND)
			*what = *v;
		PQclear(r);
		if (rc == IDP_OK)
			rc = idp_db_run(c, "api_allow_org", p, 2);
	}
	return rc;
}

enum idp_err
idp_store_api_sync(struct idp_dbconn *c, struct idp_arena *a,
    const char *server, const struct idp_api_decl *d, const char **what)
{
	char **names = idp_arena_zalloc(a, (d->nscopes + 1) * sizeof(char *));
	struct idp_param p[3] = { P_TXT(server), P_NULL, P_NULL };
	enum idp_err rc;

	p[1] = P_TXT(joined(a, d->resources));
	rc = idp_db_run(c, "api_resources_drop", p, 2);
	for (char **r = d->resources; rc == IDP_OK && r && *r; r++) {
		p[1] = P_TXT(*r);
		if ((rc = put(c, "api_resource_put", p, 2)) == IDP_ERR_CONFLICT)
			*what = *r;
	}
	for (size_t i = 0; i < d->nscopes; i++)
		names[i] = d->scopes[i].scope;
	p[1] = P_TXT(joined(a, names));
	if (rc == IDP_OK)
		rc = idp_db_run(c, "api_scopes_drop", p, 2);
	for (size_t i = 0; rc == IDP_OK && i < d->nscopes; i++) {
		p[1] = P_TXT(d->scopes[i].scope);
		p[2] = P_TXT(d->scopes[i].description);
		if ((rc = put(c, "api_scope_put", p, 3)) == IDP_ERR_CONFLICT)
			*what = d->scopes[i].scope;
		if (rc == IDP_OK)
			rc = sync_allows(c, &d->scopes[i], what);
	}
	return rc;
}

enum idp_err
idp_store_api_decl_json(struct idp_dbconn *c, struct idp_arena *a,
    const char *server, char **out)
{
	struct idp_param p[1] = { P_TXT(server) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "api_decl", p, 1, &r);

	if (rc == IDP_OK)
		*out = idp_arena_strdup(a, idp_db_val(r, 0, 0));
	PQclear(r);
	return rc;
}

static char *
dup(struct idp_arena *a, const PGresult *r, int i, int col)
{
	return idp_arena_strdup(a, idp_db_val(r, i, col));
}

enum idp_err
idp_store_api_scope_list(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_api_scope_row **out, int *n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, "api_scope_list", NULL, 0, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_api_scope_row *s = &(*out)[i];

		s->scope = dup(a, r, i, 0);
		s->server = dup(a, r, i, 1);
		s->server_org = dup(a, r, i, 2);
		s->description = dup(a, r, i, 3);
		s->resources = dup(a, r, i, 4);
		s->allowed = dup(a, r, i, 5);
		s->pending = (int)idp_db_ll(r, i, 6);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_scope_request_create(struct idp_dbconn *c, const char *client_id,
    const char *scope, const char *reason, const char *requested_by,
    long long *id)
{
	struct idp_param p[4] = { P_TXT(client_id), P_TXT(scope),
		P_TXT(reason ? reason : ""), P_TXT(requested_by) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "scope_request_create", p, 4, &r);

	if (rc == IDP_OK)
		*id = idp_db_ll(r, 0, 0);
	PQclear(r);
	return rc;
}

static void
read_request(struct idp_arena *a, const PGresult *r, int i,
    struct idp_scope_request *q)
{
	q->id = idp_db_ll(r, i, 0);
	q->client_id = dup(a, r, i, 1);
	q->scope = dup(a, r, i, 2);
	q->state = dup(a, r, i, 3);
	q->reason = dup(a, r, i, 4);
	q->requested_by = dup(a, r, i, 5);
	q->decided_by = dup(a, r, i, 6);
	q->decision_reason = dup(a, r, i, 7);
	q->server = dup(a, r, i, 8);
	q->server_org = dup(a, r, i, 9);
	q->created_at = idp_db_ll(r, i, 10);
	q->decided_at = idp_db_ll(r, i, 11);
}

enum idp_err
idp_store_scope_request_get(struct idp_dbconn *c, struct idp_arena *a,
    long long id, struct idp_scope_request **out)
{
	char b[24];
	struct idp_param p[1] = { P_TXT(b) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(b, sizeof(b), "%lld", id);
	if ((rc = idp_db_exec_row(c, "scope_request_get", p, 1, &r)) != IDP_OK)
		return rc;
	*out = idp_arena_zalloc(a, sizeof(**out));
	read_request(a, r, 0, *out);
	PQclear(r);
	return IDP_OK;
}

static enum idp_err
request_list(struct idp_dbconn *c, struct idp_arena *a, const char *stmt,
    const char *arg, struct idp_scope_request **out, int *n)
{
	struct idp_param p[1] = { P_TXT(arg) };
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, stmt, p, 1, &r);

	if (rc != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++)
		read_request(a, r, i, &(*out)[i]);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_scope_request_list(struct idp_dbconn *c, struct idp_arena *a,
    const char *state, struct idp_scope_request **out, int *n)
{
	return request_list(c, a, "scope_request_list", state, out, n);
}

enum idp_err
idp_store_scope_request_list_client(struct idp_dbconn *c,
    struct idp_arena *a, const char *client_id,
    struct idp_scope_request **out, int *n)
{
	return request_list(c, a, "scope_request_list_client", client_id, out,
	    n);
}

enum idp_err
idp_store_scope_request_list_orgs(struct idp_dbconn *c, struct idp_arena *a,
    const char *orgs, struct idp_scope_request **out, int *n)
{
	return request_list(c, a, "scope_request_list_orgs", orgs, out, n);
}

enum idp_err
idp_store_scope_request_decide(struct idp_dbconn *c, long long id,
    const char *state, const char *by, const char *reason)
{
	char b[24];
	struct idp_param p[4] = { P_TXT(b), P_TXT(state), P_TXT(by),
		P_TXT(reason) };
	enum idp_err rc;

	snprintf(b, sizeof(b), "%lld", id);
	rc = idp_db_run_one(c, "scope_request_decide", p, 4);
	return rc == IDP_ERR_NOT_FOUND ? IDP_ERR_CONFLICT : rc;
}

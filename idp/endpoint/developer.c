/* The developer portal: who may see what, and which page answers.
 *
 *   GET  /developer                    the person's organisations, their
 *                                      clients, requests for their scopes
 *   GET  /developer/new, POST          register a client (pending)
 *   GET  /developer/clients/ID, POST   one client: URIs, secret, keys,
 *                                      scope requests, usage, removal
 *   POST /developer/requests/ID        decide a request for a scope
 *
 * A signed-out browser is sent to sign in first (/login?next=PATH). Only a
 * developer of a client's organisation (or an admin) may open it
 * (core/roles.h); anyone else gets 403. Every form carries a CSRF token
 * keyed with the session cookie, and every change is audited with the
 * developer as its actor (developer_act.c). */
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/registry.h"
#include "core/reqdb.h"
#include "core/usage.h"
#include "endpoint/developer.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "page/page.h"
#include "page/trouble.h"
#include "store/member.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"

#define CLIENTS_PATH "/developer/clients/"
#define REQUESTS_PATH "/developer/requests/"

const char *const idp_dev_std_scopes[6] = { "profile", "email", "phone",
	"organisation", "offline_access", NULL };
/* Their checkboxes: a name of their own each ("organisation" is also the
 * owner's field). */
const char *const idp_dev_std_fields[6] = { "scope_profile", "scope_email",
	"scope_phone", "scope_organisation", "scope_offline_access", NULL };

/* The organisations of the person's developer roles, space-separated. */
static const char *
org_codes(const struct idp_dev *d)
{
	struct idp_buf b;

	idp_buf_init(&b, d->rq->arena, 64 * 1024);
	for (int i = 0; i < d->norgs; i++) {
		if (i)
			idp_buf_addc(&b, ' ');
		idp_buf_adds(&b, d->orgs[i].code);
	}
	return b.data;
}

static enum idp_err
home(struct idp_dev *d)
{
	struct idp_client_row *clients = NULL;
	struct idp_scope_request *req = NULL;
	const char *codes = org_codes(d);
	int n = 0, nreq = 0;
	enum idp_err rc;

	if ((rc = idp_store_client_list_orgs(d->db, d->rq->arena, codes,
	    &clients, &n)) != IDP_OK ||
	    (rc = idp_store_scope_request_list_orgs(d->db, d->rq->arena, codes,
	    &req, &nreq)) != IDP_OK)
		return rc;
	return idp_devpage_home(d, clients, n, req, nreq);
}

/* The API scopes of other services this client does not have and has no
 * open request for: what its scope request form offers. */
static enum idp_err
offer(struct idp_dev *d, struct idp_dev_client *v)
{
	struct idp_api_scope_row *all = NULL;
	enum idp_err rc;
	int n = 0;

	if ((rc = idp_store_api_scope_list(d->db, d->rq->arena, &all, &n))
	    != IDP_OK)
		return rc;
	v->offer = idp_arena_zalloc(d->rq->arena, sizeof(*v->offer) *
	    (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		const char *why = NULL;
		bool open = false;

		if (!strcmp(all[i].server, v->row->client_id))
			continue;
		for (int k = 0; k < v->nrequests; k++)
			if (!strcmp(v->requests[k].scope, all[i].scope) &&
			    strcmp(v->requests[k].state, "rejected") != 0)
				open = true;
		if (open || idp_registry_check_request(d->db, d->rq->arena,
		    v->row->client_id, v->row->owner_org, all[i].scope, &why)
		    != IDP_OK)
			continue;
		v->offer[v->noffer++] = all[i];
	}
	return IDP_OK;
}

static void
decref(void *p)
{
	json_decref(p);
}

enum idp_err
idp_dev_client_show(struct idp_dev *d, const struct idp_client_row *row,
    const struct idp_dev_form *f, const char *action, int status)
{
	struct idp_dev_client v = { 0 };
	char today[11];
	enum idp_err rc;

	v.row = row;
	v.md = json_loads(row->metadata, 0, NULL);
	if (v.md == NULL)
		return IDP_ERR_INTERNAL;
	idp_arena_on_free(d->rq->arena, decref, v.md);
	v.manifest = idp_str_eq(row->source, "manifest");
	if (f != NULL)
		v.form = *f;
	v.form_action = action;
	/* This instance's counts first, so the page shows them now. */
	if (idp_usage_flush(d->rq->ctx->usage, d->db) != IDP_OK)
		IDP_WARN("usage.flush", " req=%s", d->rq->id);
	idp_usage_day(d->rq->now, today);
	if ((rc = idp_store_scope_request_list_client(d->db, d->rq->arena,
	    row->client_id, &v.requests, &v.nrequests)) != IDP_OK ||
	    (rc = offer(d, &v)) != IDP_OK ||
	    (rc = idp_store_usage_days(d->db, d->rq->arena, row->client_id,
	    today, IDP_DEV_DAYS, &v.days)) != IDP_OK ||
	    (rc = idp_store_usage_errors(d->db, d->rq->arena, row->client_id,
	    10, &v.errors, &v.nerrors)) != IDP_OK)
		return rc;
	return idp_devpage_client(d, &v, status);
}

/* The client of the path, if this person may manage it; otherwise the
 * 404 or 403 page is in d->rs. */
enum idp_err
idp_dev_client_of(struct idp_dev *d, const char *id,
    struct idp_client_row **row)
{
	enum idp_err rc;

	rc = idp_store_client_get(d->db, d->rq->arena, id, row);
	if (rc == IDP_ERR_NOT_FOUND) {
		idp_page_error(d->rq, d->rs, rc, "No such client.");
		return rc;
	}
	if (rc != IDP_OK)
		return rc;
	if (!idp_role_check(&d->roles, IDP_ACT_CLIENT_MANAGE,
	    (*row)->owner_org)) {
		IDP_INFO("developer.forbidden", " req=%s user=%s client=%s",
		    d->rq->id, d->s->user.sub, idp_logq(d->rq->arena, id));
		return idp_devpage_forbidden(d, "Not a developer of the "
		    "client's organisation.");
	}
	return IDP_OK;
}

static enum idp_err
client_route(struct idp_dev *d, const char *id)
{
	struct idp_client_row *row = NULL;
	enum idp_err rc;

	if (*id == '\0' || strchr(id, '/') != NULL || strlen(id) > 128) {
		idp_page_error(d->rq, d->rs, IDP_ERR_NOT_FOUND,
		    "No such client.");
		return IDP_ERR_NOT_FOUND;
	}
	if (d->rq->method == IDP_POST)
		return idp_dev_client_post(d, id);
	if ((rc = idp_dev_client_of(d, id, &row)) != IDP_OK)
		return rc;
	return idp_dev_client_show(d, row, NULL, NULL, 200);
}

/* A signed-out browser signs in and comes back to this page. */
static enum idp_err
sign_in_first(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_buf b;

	idp_buf_init(&b, rq->arena, 4096);
	idp_buf_adds(&b, "/login?next=");
	idp_buf_add_urlenc(&b, rq->path);
	idp_page_see_other(rq, rs, b.overflow ? "/login?next=%2Fdeveloper" :
	    b.data, NULL);
	return IDP_OK;
}

static enum idp_err
bad_form(struct idp_req *rq, struct idp_resp *rs, enum idp_trouble_kind kind)
{
	struct idp_trouble t = { 0 };

	t.kind = kind;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "The developer portal form is not valid.";
	t.retry = kind == IDP_TROUBLE_SESSION_ENDED ?
	    "/login?next=%2Fdeveloper" : "/developer";
	return idp_page_trouble(rq, rs, &t);
}

/* Session, roles and organisations of the person. */
static enum idp_err
dev_begin(struct idp_dev *d, struct idp_req *rq, struct idp_resp *rs,
    struct idp_session *s)
{
	struct idp_org *orgs = NULL;
	enum idp_err rc;

	memset(d, 0, sizeof(*d));
	d->rq = rq;
	d->rs = rs;
	d->s = s;
	if ((rc = idp_reqdb(rq, &d->db)) != IDP_OK ||
	    (rc = idp_roles_of(d->db, rq->arena, rq->ctx->cfg->operator_org,
	    s->user.id, &d->roles)) != IDP_OK ||
	    (rc = idp_store_member_orgs(d->db, rq->arena, s->user.id,
	    "developer", &orgs, &d->norgs)) != IDP_OK)
		return rc;
	d->orgs = orgs;
	d->csrf = idp_flow_session_csrf(rq, IDP_DEV_CSRF);
	return IDP_OK;
}

static enum idp_err
route(struct idp_dev *d)
{
	struct idp_req *rq = d->rq;
	bool post = rq->method == IDP_POST;

	if (!strcmp(rq->path, "/developer") && !post)
		return home(d);
	if (!strcmp(rq->path, "/developer/new"))
		return post ? idp_dev_register(d) :
		    idp_devpage_register(d, NULL, 200);
	if (!strncmp(rq->path, CLIENTS_PATH, strlen(CLIENTS_PATH)))
		return client_route(d, rq->path + strlen(CLIENTS_PATH));
	if (!strncmp(rq->path, REQUESTS_PATH, strlen(REQUESTS_PATH)) && post)
		return idp_dev_request_post(d, rq->path +
		    strlen(REQUESTS_PATH));
	idp_page_error(rq, d->rs, !strcmp(rq->path, "/developer") ?
	    IDP_ERR_METHOD : IDP_ERR_NOT_FOUND, "No such portal page.");
	return IDP_OK;
}

enum idp_err
idp_developer_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_session *s = NULL;
	struct idp_dev d;
	enum idp_err rc;

	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s == NULL && rq->method != IDP_POST)
		return sign_in_first(rq, rs);
	if (s == NULL)
		return bad_form(rq, rs, IDP_TROUBLE_SESSION_ENDED);
	if (rq->method == IDP_POST && (!rq->has_form ||
	    !idp_flow_session_csrf_ok(rq, IDP_DEV_CSRF)))
		return bad_form(rq, rs, IDP_TROUBLE_BAD_FORM);
	if ((rc = dev_begin(&d, rq, rs, s)) != IDP_OK)
		return rc;
	/* Developers only: the person holds the role somewhere (or is an
	 * admin); each client is checked again on its own. */
	if (d.norgs == 0 && !idp_role_check(&d.roles, IDP_ACT_CLIENT_APPROVE,
	    NULL))
		return idp_devpage_forbidden(&d, "Not a developer of any "
		    "organisation.");
	return route(&d);
}

void
idp_dev_audit(struct idp_dev *d, const char *event, const char *client_id,
    json_t *details)
{
	if (details == NULL)
		details = json_object();
	json_object_set_new(details, "via", json_string("developer portal"));
	idp_flow_audit_by(d->rq, event, 0, client_id, d->s->user.username,
	    d->s->user.id, details);
	IDP_INFO(event, " req=%s actor=%s client=%s", d->rq->id,
	    idp_logq(d->rq->arena, d->s->user.username),
	    idp_logq(d->rq->arena, client_id));
}

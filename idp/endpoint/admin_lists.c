/* The console's lists: the organisation tree with its people, the
 * services (approve, reject, disable, enable), live sessions per service,
 * (the signing keys and sign-out deliveries are admin_keys.c). */
#include <stdio.h>
#include <string.h>

#include "core/ctx.h"
#include "endpoint/admin.h"
#include "http/response.h"
#include "page/form.h"
#include "store/client.h"
#include "store/console.h"
#include "util/str.h"

/* ---- Organisations ---- */

#define CHILDREN_SHOWN 40
#define TREE_DEPTH 6

struct tree {
	struct idp_org_count *o;
	int n;
	int *first, *next;	/* children lists by index, -1 ends */
	long long *total;	/* people of the subtree */
};

static int
find_org(const struct tree *t, const char *code)
{
	for (int i = 0; code != NULL && i < t->n; i++)
		if (strcmp(t->o[i].code, code) == 0)
			return i;
	return -1;
}

static long long
subtree(struct tree *t, int i, int depth)
{
	long long sum = t->o[i].people;

	if (depth > 64)
		return sum;	/* a cycle cannot happen; do not trust it */
	for (int k = t->first[i]; k >= 0; k = t->next[k])
		sum += subtree(t, k, depth + 1);
	return t->total[i] = sum;
}

static void
render_org(struct idp_page *pg, const struct tree *t, int i, int depth)
{
	int shown = 0, more = 0;

	idp_page_raw(pg, "<li>");
	idp_page_text(pg, t->o[i].name);
	idp_page_raw(pg, " <span class=\"muted\">(");
	idp_page_text(pg, t->o[i].kind);
	idp_page_raw(pg, ", ");
	idp_page_text(pg, idp_page_num(pg, t->total[i]));
	idp_page_raw(pg, ")</span>");
	if (t->first[i] >= 0 && depth < TREE_DEPTH) {
		idp_page_raw(pg, "<ul>");
		for (int k = t->first[i]; k >= 0; k = t->next[k]) {
			if (shown++ < CHILDREN_SHOWN)
				render_org(pg, t, k, depth + 1);
			else
				more++;
		}
		if (more > 0) {
			idp_page_raw(pg, "<li class=\"muted\">");
			idp_page_t(pg, AM(AM_MORE_CHILDREN), idp_page_num(pg,
			    more));
			idp_page_raw(pg, "</li>");
		}
		idp_page_raw(pg, "</ul>");
	}
	idp_page_raw(pg, "</li>");
}

enum idp_err
idp_admin_orgs(struct admin *ad)
{
	struct idp_arena *a = ad->rq->arena;
	struct tree t = { 0 };
	struct idp_page pg;
	enum idp_err rc;

	if (ad->rq->method != IDP_GET)
		return idp_fail(ad->rs, IDP_ERR_METHOD, "GET only.");
	if ((rc = idp_store_console_orgs(ad->db, a, &t.o, &t.n)) != IDP_OK)
		return rc;
	t.first = idp_arena_zalloc(a, sizeof(int) * (size_t)(t.n + 1));
	t.next = idp_arena_zalloc(a, sizeof(int) * (size_t)(t.n + 1));
	t.total = idp_arena_zalloc(a, sizeof(long long) * (size_t)(t.n + 1));
	for (int i = 0; i < t.n; i++)
		t.first[i] = t.next[i] = -1;
	/* Children in name order: link them in reverse. */
	for (int i = t.n - 1; i >= 0; i--) {
		int p = find_org(&t, t.o[i].parent);

		if (p >= 0 && p != i) {
			t.next[i] = t.first[p];
			t.first[p] = i;
		}
	}
	idp_admin_page(ad, &pg, AM(AM_ORGS), NULL);
	idp_page_raw(&pg, "<ul class=\"tree\">");
	for (int i = 0; i < t.n; i++)
		if (find_org(&t, t.o[i].parent) < 0) {
			subtree(&t, i, 0);
			render_org(&pg, &t, i, 0);
		}
	idp_page_raw(&pg, "</ul>");
	return idp_page_send(&pg, 200);
}

/* ---- Services ---- */

static const struct idp_flash client_flashes[] = {
	{ "client_approved", AM(AM_APPROVED_DONE) },
	{ "client_rejected", AM(AM_REJECTED_DONE) },
	{ "client_disabled", AM(AM_CLIENT_DISABLED) },
	{ "client_enabled", AM(AM_CLIENT_ENABLED) },
	{ NULL, NULL },
};

static int
status_msg(const struct idp_client_view *v)
{
	if (!strcmp(v->approval, "pending"))
		return AM_PENDING;
	return !strcmp(v->approval, "approved") && v->enabled ? AM_ACTIVE :
	    AM_DISABLED;
}

static void
client_forms(struct admin *ad, struct idp_page *pg,
    const struct idp_client_view *v)
{
	const struct idp_field reason = { .name = "reason",
		.label = AM(AM_REASON), .hint = AM(AM_REASON_HINT),
		.maxlength = 500 };
	struct idp_field r = reason;
	int st = status_msg(v);

	idp_form_begin(pg, "/admin/clients", ad->csrf);
	idp_form_hidden(pg, "client_id", v->client_id);
	if (st == AM_PENDING) {
		r.name = idp_arena_printf(ad->rq->arena, "reason-%s",
		    v->client_id);
		idp_form_hidden(pg, "reason_field", r.name);
		idp_form_field(pg, &r);
		idp_form_button(pg, NULL, "action", "approve", AM(AM_APPROVE));
		idp_form_button(pg, "danger", "action", "reject",
		    AM(AM_REJECT));
	} else if (st == AM_ACTIVE) {
		idp_form_button(pg, "danger", "action", "disable",
		    AM(AM_DISABLE));
	} else if (!strcmp(v->approval, "approved")) {
		idp_form_button(pg, "secondary", "action", "enable",
		    AM(AM_ACTIVATE));
	}
	idp_form_end(pg);
}

static enum idp_err
client_act(struct admin *ad)
{
	const char *id = idp_req_form(ad->rq, "client_id");
	const char *action = idp_req_form(ad->rq, "action");
	const char *field = idp_req_form(ad->rq, "reason_field");
	const char *reason = field && idp_has_prefix(field, "reason-") ?
	    idp_req_form(ad->rq, field) : NULL;
	const char *flash = NULL;
	char *before = NULL;
	enum idp_err rc;

	if (id == NULL || action == NULL)
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "client_id and action are required.");
	if (reason != NULL && (*reason == '\0' || strlen(reason) > 500))
		reason = NULL;
	if ((rc = idp_db_begin(ad->db)) != IDP_OK)
		return rc;
	if (!strcmp(action, "approve") || (!strcmp(action, "reject") &&
	    reason != NULL)) {
		bool ok = !strcmp(action, "approve");

		rc = idp_store_client_set_approval(ad->db, ad->rq->arena, id,
		    ok ? "approved" : "rejected", reason,
		    ad->s->user.username, &before);
		flash = ok ? "client_approved" : "client_rejected";
		if (rc == IDP_OK)
			idp_admin_audit(ad, ok ? "client.approved" :
			    "client.rejected", 0, id, json_pack("{s:s, s:s?}",
			    "before", before, "reason", reason));
	} else if (!strcmp(action, "disable") || !strcmp(action, "enable")) {
		bool on = !strcmp(action, "enable");

		rc = idp_store_client_set_enabled(ad->db, id, on);
		flash = on ? "client_enabled" : "client_disabled";
		if (rc == IDP_OK)
			idp_admin_audit(ad, on ? "client.enabled" :
			    "client.disabled", 0, id, NULL);
	} else {
		rc = idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST, !strcmp(action,
		    "reject") ? "A rejection needs a reason." :
		    "The action is not one of the console's.");
	}
	if (rc == IDP_OK)
		rc = idp_db_commit(ad->db);
	if (rc != IDP_OK) {
		idp_db_rollback(ad->db);
		if (rc == IDP_ERR_CONFLICT || rc == IDP_ERR_NOT_FOUND)
			return idp_fail(ad->rs, rc, "The service is not in a "
			    "state for that (or does not exist).");
		return rc;
	}
	idp_page_see_other(ad->rq, ad->rs, "/admin/clients", flash);
	return IDP_OK;
}

enum idp_err
idp_admin_clients(struct admin *ad)
{
	static const struct idp_msg *const cols[] = { AM(AM_NAME),
		AM(AM_STATUS), AM(AM_OWNER), AM(AM_CREATED), AM(AM_LAST),
		AM(AM_ACTIONS) };
	const char *status = idp_req_query(ad->rq, "status");
	struct idp_client_view *v = NULL;
	struct idp_page pg;
	enum idp_err rc;
	int n = 0;

	if (ad->rq->method == IDP_POST)
		return client_act(ad);
	if (status != NULL && strcmp(status, "pending") &&
	    strcmp(status, "active") && strcmp(status, "disabled"))
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "status must be pending, active or disabled.");
	if ((rc = idp_store_console_clients(ad->db, ad->rq->arena, status, &v,
	    &n)) != IDP_OK)
		return rc;
	idp_admin_page(ad, &pg, AM(AM_CLIENTS), NULL);
	idp_page_flash(&pg, client_flashes);
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, NULL, "/admin/clients", AM(AM_ALL), NULL);
	idp_page_raw(&pg, " · ");
	idp_page_link(&pg, NULL, "/admin/clients?status=pending",
	    AM(AM_PENDING), NULL);
	idp_page_raw(&pg, " · ");
	idp_page_link(&pg, NULL, "/admin/clients?status=active",
	    AM(AM_ACTIVE), NULL);
	idp_page_raw(&pg, " · ");
	idp_page_link(&pg, NULL, "/admin/clients?status=disabled",
	    AM(AM_DISABLED), NULL);
	idp_page_raw(&pg, "</p>");
	idp_page_table_begin(&pg, "clients", AM(AM_CLIENTS), cols, 6);
	for (int i = 0; i < n; i++) {
		idp_page_row_begin(&pg);
		idp_page_cell(&pg, idp_arena_printf(ad->rq->arena, "%s (%s)",
		    v[i].name, v[i].client_id));
		idp_page_cell(&pg, idp_page_str(&pg, AM(status_msg(&v[i]))));
		idp_page_cell(&pg, v[i].owner ? v[i].owner : "-");
		idp_page_cell_time(&pg, v[i].created_at);
		if (v[i].last_used)
			idp_page_cell_time(&pg, v[i].last_used);
		else
			idp_page_cell(&pg, idp_page_str(&pg, AM(AM_NEVER)));
		idp_page_raw(&pg, "<td>");
		client_forms(ad, &pg, &v[i]);
		idp_page_raw(&pg, "</td>");
		idp_page_row_end(&pg);
	}
	idp_page_table_end(&pg);
	return idp_page_send(&pg, 200);
}

/* ---- Sessions ---- */

enum idp_err
idp_admin_sessions(struct admin *ad)
{
	static const struct idp_msg *const cols[] = { AM(AM_SERVICE),
		AM(AM_SESSIONS), AM(AM_PEOPLE_COUNT) };
	struct idp_service_sessions *v = NULL;
	long long total = 0, people = 0;
	struct idp_page pg;
	enum idp_err rc;
	int n = 0;

	if (ad->rq->method != IDP_GET)
		return idp_fail(ad->rs, IDP_ERR_METHOD, "GET only.");
	if ((rc = idp_store_console_sessions(ad->db, ad->rq->arena, &v, &n,
	    &total, &people)) != IDP_OK)
		return rc;
	idp_admin_page(ad, &pg, AM(AM_SESSIONS), NULL);
	idp_page_para(&pg, NULL, AM(AM_SESSIONS_TOTAL), idp_page_num(&pg,
	    total));
	idp_page_para(&pg, NULL, AM(AM_PEOPLE_SIGNED_IN), idp_page_num(&pg,
	    people));
	idp_page_table_begin(&pg, "per-service", AM(AM_SESSIONS), cols, 3);
	for (int i = 0; i < n; i++) {
		idp_page_row_begin(&pg);
		idp_page_cell(&pg, v[i].name);
		idp_page_cell(&pg, idp_page_num(&pg, v[i].sessions));
		idp_page_cell(&pg, idp_page_num(&pg, v[i].people));
		idp_page_row_end(&pg);
	}
	idp_page_table_end(&pg);
	return idp_page_send(&pg, 200);
}

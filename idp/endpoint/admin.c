/* The operator console: the gate every /admin request passes, the home
 * page, and the people pages (search over the whole directory, a
 * person's page, the helpdesk actions through core/helpdesk.h). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/console_gate.h"
#include "core/ctx.h"
#include "core/helpdesk.h"
#include "core/outbox.h"
#include "core/reqdb.h"
#include "endpoint/admin.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "http/response.h"
#include "page/form.h"
#include "page/pager.h"
#include "store/audit.h"
#include "store/consent.h"
#include "store/credential.h"
#include "store/directory.h"
#include "store/member.h"
#include "store/people.h"
#include "store/usersession.h"
#include "util/mem.h"
#include "util/str.h"

#define CSRF_ADMIN "admin"
#define PER_PAGE 25

static const struct {
	const char *path;
	int msg;
	enum idp_action act;
} sections[] = {
	{ "/admin/people", AM_PEOPLE, IDP_ACT_PEOPLE },
	{ "/admin/orgs", AM_ORGS, IDP_ACT_CONSOLE },
	{ "/admin/clients", AM_CLIENTS, IDP_ACT_CLIENT_APPROVE },
	{ "/admin/sessions", AM_SESSIONS, IDP_ACT_CONSOLE },
	{ "/admin/audit", AM_AUDIT, IDP_ACT_AUDIT_READ },
	{ "/admin/keys", AM_KEYS, IDP_ACT_SETTINGS },
	{ "/admin/report", AM_REPORT, IDP_ACT_AUDIT_READ },
	{ "/admin/deliveries", AM_DELIVERIES, IDP_ACT_AUDIT_READ },
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

bool
idp_admin_may(const struct admin *ad, enum idp_action act)
{
	return idp_role_check(&ad->roles, act, NULL);
}

void
idp_admin_page(struct admin *ad, struct idp_page *pg,
    const struct idp_msg *title, const char *arg)
{
	idp_page_init(pg, ad->rq, ad->rs, NULL);
	pg->wide = true;
	idp_page_head(pg, title, arg);
	idp_page_raw(pg, "<nav aria-label=\"");
	idp_page_text(pg, idp_page_str(pg, AM(AM_NAV)));
	idp_page_raw(pg, "\"><ul class=\"inline\"><li>");
	idp_page_link(pg, NULL, "/admin", AM(AM_CONSOLE), NULL);
	idp_page_raw(pg, "</li>");
	for (size_t i = 0; i < NSECTIONS; i++) {
		if (!idp_admin_may(ad, sections[i].act))
			continue;
		idp_page_raw(pg, "<li>");
		idp_page_link(pg, NULL, sections[i].path,
		    AM(sections[i].msg), NULL);
		idp_page_raw(pg, "</li>");
	}
	idp_page_raw(pg, "</ul></nav>");
}

static enum idp_err
refusal(struct admin *ad, int title, int why)
{
	struct idp_page pg;

	idp_page_init(&pg, ad->rq, ad->rs, NULL);
	idp_page_head(&pg, AM(title), NULL);
	idp_page_para(&pg, NULL, AM(why), NULL);
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, NULL, "/account", AM(AM_ARG), "/account");
	idp_page_raw(&pg, "</p>");
	return idp_page_send(&pg, 403);
}

enum idp_err
idp_admin_forbidden(struct admin *ad)
{
	return refusal(ad, AM_FORBIDDEN, AM_FORBIDDEN_WHY);
}

void
idp_admin_audit(struct admin *ad, const char *event, long long user_id,
    const char *client_id, json_t *details)
{
	idp_flow_audit_by(ad->rq, event, user_id, client_id,
	    ad->s->user.username, ad->s->user.id, details);
}

static enum idp_err
home(struct admin *ad)
{
	struct idp_page pg;
	struct idp_buf b;

	idp_admin_page(ad, &pg, AM(AM_CONSOLE), NULL);
	idp_page_para(&pg, NULL, AM(AM_HOME_INTRO), ad->s->user.username);
	idp_buf_init(&b, ad->rq->arena, 512);
	for (size_t i = 0; i < ad->roles.n; i++) {
		if (!idp_role_is_operator(ad->roles.v[i].role))
			continue;
		idp_buf_adds(&b, b.len ? ", " : "");
		idp_buf_adds(&b, idp_role_name(ad->roles.v[i].role));
	}
	idp_page_para(&pg, "muted", AM(AM_ROLE_YOU), b.len ? b.data : "-");
	return idp_page_send(&pg, 200);
}

/* ---- People ---- */

static void
search_form(struct idp_page *pg, const char *q)
{
	const struct idp_field f = { .name = "q", .type = "search",
		.label = AM(AM_SEARCH), .hint = AM(AM_SEARCH_HINT), .value = q,
		.maxlength = IDP_PEOPLE_QUERY_MAX, .autocomplete = "off" };

	idp_page_raw(pg, "<form method=\"get\" action=\"/admin/people\" "
	    "role=\"search\">");
	idp_form_field(pg, &f);
	idp_form_button(pg, NULL, NULL, NULL, AM(AM_SEARCH_BUTTON));
	idp_page_raw(pg, "</form>");
}

static void
person_link_cell(struct idp_page *pg, const struct idp_person_hit *h)
{
	char href[48];

	snprintf(href, sizeof(href), "/admin/person?id=%lld", h->id);
	idp_page_raw(pg, "<td>");
	idp_page_link(pg, NULL, href, AM(AM_ARG), h->name);
	idp_page_raw(pg, "</td>");
}

/* ?after= or ?before=, a person's id: *v 0 when absent, -1 when bad. */
static void
cursor_param(struct admin *ad, const char *name, long long *v)
{
	const char *s = idp_req_query(ad->rq, name);
	int64_t x;

	*v = 0;
	if (s != NULL)
		*v = idp_parse_i64(s, 1, INT64_MAX, &x) == 0 ? (long long)x : -1;
}

static void
people_table(struct idp_page *pg, const struct idp_people_page *r)
{
	static const struct idp_msg *const cols[] = { AM(AM_NAME),
		AM(AM_USERNAME), AM(AM_NIP), AM(AM_EMAIL), AM(AM_ORG),
		AM(AM_STATE) };
	const struct idp_person_hit *h = r->hits;

	idp_page_table_begin(pg, "people", AM(AM_PEOPLE), cols, 6);
	for (int i = 0; i < r->n; i++) {
		idp_page_row_begin(pg);
		person_link_cell(pg, &h[i]);
		idp_page_cell(pg, h[i].username);
		idp_page_cell(pg, h[i].nip ? h[i].nip : "-");
		idp_page_cell(pg, h[i].email ? h[i].email : "-");
		idp_page_cell(pg, h[i].org_name ? h[i].org_name : "-");
		idp_page_cell(pg, idp_page_str(pg, AM(h[i].disabled ?
		    AM_DISABLED : AM_ACTIVE)));
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
}

static enum idp_err
people(struct admin *ad)
{
	struct idp_people_query pq = { .q = idp_req_query(ad->rq, "q"),
		.limit = PER_PAGE };
	struct idp_people_page r;
	struct idp_page pg;
	struct idp_buf base;
	const char *q = pq.q;
	enum idp_err rc;

	if (q != NULL && (strlen(q) > IDP_PEOPLE_QUERY_MAX ||
	    !idp_utf8_valid(q, strlen(q))))
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "The search is too long or not text.");
	cursor_param(ad, "after", &pq.after);
	cursor_param(ad, "before", &pq.before);
	if (pq.after < 0 || pq.before < 0 || (pq.after && pq.before))
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "after or before must name one person.");
	if ((rc = idp_store_people_search(ad->db, ad->rq->arena, &pq, &r))
	    != IDP_OK)
		return rc;
	idp_admin_page(ad, &pg, AM(AM_PEOPLE), NULL);
	search_form(&pg, q);
	if (r.total > IDP_PEOPLE_COUNT_CAP)
		idp_page_para(&pg, NULL, AM(AM_FOUND_MORE), idp_page_num(&pg,
		    IDP_PEOPLE_COUNT_CAP));
	else
		idp_page_para(&pg, NULL, AM(AM_FOUND), idp_page_num(&pg,
		    r.total));
	people_table(&pg, &r);
	idp_buf_init(&base, ad->rq->arena, 512);
	idp_buf_adds(&base, "/admin/people");
	if (q != NULL && *q != '\0') {
		idp_buf_adds(&base, "?q=");
		idp_buf_add_urlenc(&base, q);
	}
	idp_page_pager_keyset(&pg, base.data, r.has_prev,
	    r.has_prev && r.n > 0 ? r.hits[0].id : 0,
	    r.has_next && r.n > 0 ? r.hits[r.n - 1].id : 0);
	return idp_page_send(&pg, 200);
}

/* The person ?id= (query or form) names; NULL after a 404 page. */
static enum idp_err
find_person(struct admin *ad, struct idp_user **u)
{
	const char *id = idp_req_param(ad->rq, "id");
	int64_t v;
	enum idp_err rc;

	if (id == NULL || idp_parse_i64(id, 1, INT64_MAX, &v) != 0)
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "id must name a person.");
	rc = idp_store_user_by_id(ad->db, ad->rq->arena, v, u);
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_fail(ad->rs, IDP_ERR_NOT_FOUND,
		    "There is no such person.");
	return rc;
}

static void
person_facts(struct admin *ad, struct idp_page *pg, const struct idp_user *u)
{
	struct idp_member *m = NULL;
	struct idp_credential *k = NULL;
	struct idp_buf b;
	int nm = 0, nk = 0;

	(void)idp_store_member_list(ad->db, ad->rq->arena, NULL, u->username,
	    &m, &nm);
	(void)idp_store_cred_list(ad->db, ad->rq->arena, u->id, IDP_CRED_ANY,
	    &k, &nk);
	idp_page_dl_begin(pg);
	idp_page_dl_text(pg, AM(AM_USERNAME), u->username);
	idp_page_dl_text(pg, AM(AM_SUB), u->sub);
	idp_page_dl_text(pg, AM(AM_NIP), u->nip ? u->nip : "-");
	idp_page_dl_text(pg, AM(AM_EMAIL), u->email ? u->email : "-");
	idp_page_dl_text(pg, AM(AM_ORG), u->org.name ? u->org.name : "-");
	idp_page_dl_text(pg, AM(AM_STATE), idp_page_str(pg, AM(u->disabled ?
	    AM_DISABLED : AM_ACTIVE)));
	idp_buf_init(&b, ad->rq->arena, 1024);
	for (int i = 0; i < nm; i++)
		idp_buf_addf(&b, "%s%s@%s", b.len ? ", " : "", m[i].role,
		    m[i].org);
	idp_page_dl_text(pg, AM(AM_ROLES), b.len ? b.data :
	    idp_page_str(pg, AM(AM_NONE)));
	idp_buf_init(&b, ad->rq->arena, 1024);
	for (int i = 0; i < nk; i++)
		idp_buf_addf(&b, "%s%s", b.len ? ", " : "",
		    idp_cred_kind_name(k[i].kind));
	idp_page_dl_text(pg, AM(AM_FACTORS), b.len ? b.data :
	    idp_page_str(pg, AM(AM_NONE)));
	idp_page_dl_end(pg);
}

static void
person_sessions(struct admin *ad, struct idp_page *pg,
    const struct idp_user *u)
{
	static const struct idp_msg *const cols[] = { AM(AM_STARTED),
		AM(AM_LAST_USED), AM(AM_ADDRESS), AM(AM_SERVICES) };
	struct idp_session_row *r = NULL;
	char num[16];
	int n = 0;

	(void)idp_store_sessions_of(ad->db, ad->rq->arena, u->id, &r, &n);
	idp_page_table_begin(pg, "sessions", AM(AM_LIVE_SESSIONS), cols, 4);
	for (int i = 0; i < n; i++) {
		idp_page_row_begin(pg);
		idp_page_cell_time(pg, r[i].started);
		idp_page_cell_time(pg, r[i].last_used);
		idp_page_cell(pg, r[i].ip ? r[i].ip : "-");
		snprintf(num, sizeof(num), "%d", r[i].clients);
		idp_page_cell(pg, num);
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
}

static void
person_history(struct admin *ad, struct idp_page *pg,
    const struct idp_user *u)
{
	static const struct idp_msg *const scols[] = { AM(AM_WHEN),
		AM(AM_EVENT), AM(AM_SERVICE), AM(AM_ADDRESS) };
	static const struct idp_msg *const ccols[] = { AM(AM_SERVICE),
		AM(AM_SCOPES), AM(AM_GRANTED) };
	struct idp_audit_filter f = { .user_id = u->id, .limit = 15 };
	struct idp_audit_row *w = NULL;
	struct idp_consent *k = NULL;
	int n = 0, nk = 0;

	(void)idp_store_audit_list(ad->db, ad->rq->arena, &f, &w, &n);
	idp_page_table_begin(pg, "signins", AM(AM_SIGNINS), scols, 4);
	for (int i = 0; i < n; i++) {
		idp_page_row_begin(pg);
		idp_page_cell_time(pg, w[i].at);
		idp_page_cell(pg, w[i].event);
		idp_page_cell(pg, w[i].client_id ? w[i].client_id : "-");
		idp_page_cell(pg, w[i].ip ? w[i].ip : "-");
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
	(void)idp_store_consent_list(ad->db, ad->rq->arena, u->id, &k, &nk);
	idp_page_table_begin(pg, "consents", AM(AM_CONSENTS), ccols, 3);
	for (int i = 0; i < nk; i++) {
		idp_page_row_begin(pg);
		idp_page_cell(pg, k[i].client_id);
		idp_page_cell(pg, k[i].scopes);
		idp_page_cell_time(pg, k[i].granted_at);
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
}

static void
action_button(struct admin *ad, struct idp_page *pg, const char *id,
    const char *action, const char *cls, int label)
{
	idp_form_begin(pg, "/admin/person", ad->csrf);
	idp_form_hidden(pg, "id", id);
	idp_form_hidden(pg, "action", action);
	idp_form_button(pg, cls, NULL, NULL, AM(label));
	idp_form_end(pg);
}

static const struct idp_flash person_flashes[] = {
	{ "sessions_ended", AM(AM_ENDED) },
	{ "user_disabled", AM(AM_DISABLED_DONE) },
	{ "user_enabled", AM(AM_ENABLED_DONE) },
	{ NULL, NULL },
};

static enum idp_err
person(struct admin *ad)
{
	struct idp_user *u = NULL;
	struct idp_page pg;
	enum idp_err rc;
	char id[24];

	if ((rc = find_person(ad, &u)) != IDP_OK)
		return rc;
	snprintf(id, sizeof(id), "%lld", u->id);
	idp_admin_page(ad, &pg, AM(AM_PERSON), u->name);
	idp_page_flash(&pg, person_flashes);
	person_facts(ad, &pg, u);
	idp_page_heading(&pg, 2, AM(AM_ACTIONS), NULL);
	if (!u->disabled)
		action_button(ad, &pg, id, "reset_code", NULL, AM_RESET_CODE);
	action_button(ad, &pg, id, "end_sessions", "secondary",
	    AM_END_SESSIONS);
	action_button(ad, &pg, id, u->disabled ? "enable" : "disable",
	    u->disabled ? "secondary" : "danger",
	    u->disabled ? AM_ENABLE : AM_DISABLE);
	person_sessions(ad, &pg, u);
	person_history(ad, &pg, u);
	return idp_page_send(&pg, 200);
}

static enum idp_err
show_code(struct admin *ad, const struct idp_user *u, const char *code)
{
	struct idp_page pg;
	char back[48];

	snprintf(back, sizeof(back), "/admin/person?id=%lld", u->id);
	idp_admin_page(ad, &pg, AM(AM_RESET_CODE), NULL);
	idp_page_raw(&pg, "<p class=\"code\"><strong>");
	idp_page_t2(&pg, AM(AM_CODE_IS), u->username, code);
	idp_page_raw(&pg, "</strong></p>");
	idp_page_para(&pg, NULL, AM(AM_CODE_HOW), NULL);
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, NULL, back, AM(AM_BACK_PERSON), NULL);
	idp_page_raw(&pg, "</p>");
	return idp_page_send(&pg, 200);
}

static enum idp_err
confirm(struct admin *ad, const struct idp_user *u, const char *action,
    const char *id)
{
	const struct idp_hidden hidden[] = { { "id", id },
		{ "action", action }, { NULL, NULL } };
	bool end = !strcmp(action, "end_sessions");
	char back[48];
	const struct idp_confirm c = { "/admin/person", ad->csrf, hidden,
		AM(end ? AM_END_SESSIONS : AM_DISABLE), AM(AM_CANCEL), back };
	struct idp_page pg;

	snprintf(back, sizeof(back), "/admin/person?id=%s", id);
	idp_admin_page(ad, &pg, AM(end ? AM_CONFIRM_END : AM_CONFIRM_DISABLE),
	    u->name);
	idp_page_para(&pg, NULL, AM(AM_CONFIRM_WHAT), NULL);
	idp_form_confirm(&pg, &c);
	return idp_page_send(&pg, 200);
}

static void
operator_of(struct admin *ad, struct idp_operator *op)
{
	memset(op, 0, sizeof(*op));
	op->actor = ad->s->user.username;
	op->actor_user_id = ad->s->user.id;
	op->ip = strcmp(ad->rq->ip, "-") != 0 ? ad->rq->ip : NULL;
	op->request_id = ad->rq->id;
	op->logout_give_up = ad->rq->ctx->cfg->logout_give_up;
}

static enum idp_err
person_act(struct admin *ad)
{
	const char *action = idp_req_form(ad->rq, "action");
	char shown[IDP_RESET_CODE_SHOWN + 1], id[24], back[48];
	struct idp_operator op;
	struct idp_ended ended = { 0 };
	struct idp_user *u = NULL;
	enum idp_err rc;
	const char *flash;

	if ((rc = find_person(ad, &u)) != IDP_OK)
		return rc;
	snprintf(id, sizeof(id), "%lld", u->id);
	snprintf(back, sizeof(back), "/admin/person?id=%s", id);
	operator_of(ad, &op);
	if (action != NULL && !strcmp(action, "reset_code") && !u->disabled) {
		if ((rc = idp_helpdesk_reset_code(ad->db, &op, u->id,
		    ad->rq->ctx->cfg->reset_code_ttl, shown)) != IDP_OK)
			return rc;
		rc = show_code(ad, u, shown);
		idp_wipe(shown, sizeof(shown));
		return rc;
	}
	if (action == NULL || (strcmp(action, "end_sessions") &&
	    strcmp(action, "disable") && strcmp(action, "enable")))
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "The action is not one of the console's.");
	if (strcmp(action, "enable") != 0 && !idp_form_confirmed(ad->rq))
		return confirm(ad, u, action, id);
	if (!strcmp(action, "end_sessions")) {
		rc = idp_helpdesk_end_sessions(ad->db, &op, u->id, &ended);
		flash = "sessions_ended";
	} else {
		rc = idp_helpdesk_set_disabled(ad->db, &op, u->id,
		    !strcmp(action, "disable"), &ended);
		flash = !strcmp(action, "disable") ? "user_disabled" :
		    "user_enabled";
	}
	if (rc != IDP_OK)
		return rc;
	if (ended.logout_tokens > 0)
		idp_outbox_wake(ad->rq->ctx->outbox);
	idp_page_see_other(ad->rq, ad->rs, back, flash);
	return IDP_OK;
}

/* ---- The gate ---- */

static enum idp_err
gate(struct admin *ad)
{
	struct idp_req *rq = ad->rq;
	const struct idp_config *cfg = rq->ctx->cfg;
	enum idp_err rc;

	if ((rc = idp_flow_session(rq, &ad->s)) != IDP_OK)
		return rc;
	if (ad->s == NULL) {
		if (rq->method == IDP_POST)
			return idp_fail(ad->rs, IDP_ERR_FORBIDDEN,
			    "The session of this form has ended.");
		struct idp_buf b;

		idp_buf_init(&b, rq->arena, 1024);
		idp_buf_adds(&b, "/login?next=");
		idp_buf_add_urlenc(&b, rq->path);
		idp_page_see_other(rq, ad->rs, b.data, NULL);
		return IDP_ERR_LOGIN_REQUIRED;
	}
	if ((rc = idp_reqdb(rq, &ad->db)) != IDP_OK ||
	    (rc = idp_roles_of(ad->db, rq->arena, cfg->operator_org,
	    ad->s->user.id, &ad->roles)) != IDP_OK)
		return rc;
	if (!idp_role_check(&ad->roles, IDP_ACT_CONSOLE, NULL)) {
		idp_admin_forbidden(ad);
		return IDP_ERR_FORBIDDEN;
	}
	if (!idp_console_second_factor_ok(cfg, ad->s)) {
		refusal(ad, AM_NEED_FACTOR, AM_NEED_FACTOR_WHY);
		return IDP_ERR_FORBIDDEN;
	}
	ad->csrf = idp_flow_session_csrf(rq, CSRF_ADMIN);
	if (rq->method == IDP_POST && (!rq->has_form ||
	    !idp_flow_session_csrf_ok(rq, CSRF_ADMIN))) {
		idp_admin_forbidden(ad);
		return IDP_ERR_FORBIDDEN;
	}
	return IDP_OK;
}

enum idp_err
idp_admin_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct admin ad = { .rq = rq, .rs = rs };
	const char *p = rq->path;
	enum idp_err rc;

	/* A refusal the gate rendered (a page, a redirect) is the answer. */
	if ((rc = gate(&ad)) != IDP_OK)
		return rs->status != 0 ? (enum idp_err)IDP_OK : rc;
	if (!strcmp(p, "/admin") && rq->method == IDP_GET)
		return home(&ad);
	for (size_t i = 0; i < NSECTIONS; i++)
		if (!strcmp(p, sections[i].path) &&
		    !idp_admin_may(&ad, sections[i].act))
			return idp_admin_forbidden(&ad);
	if (!strcmp(p, "/admin/person") || !strcmp(p, "/admin/people")) {
		if (!idp_admin_may(&ad, IDP_ACT_PEOPLE))
			return idp_admin_forbidden(&ad);
		if (!strcmp(p, "/admin/people"))
			return rq->method == IDP_GET ? people(&ad) :
			    idp_fail(rs, IDP_ERR_METHOD, "GET only.");
		return rq->method == IDP_POST ? person_act(&ad) : person(&ad);
	}
	if (!strcmp(p, "/admin/orgs"))
		return idp_admin_orgs(&ad);
	if (!strcmp(p, "/admin/clients"))
		return idp_admin_clients(&ad);
	if (!strcmp(p, "/admin/sessions"))
		return idp_admin_sessions(&ad);
	if (!strcmp(p, "/admin/audit"))
		return idp_admin_audit_page(&ad);
	if (!strcmp(p, "/admin/keys"))
		return idp_admin_keys(&ad);
	if (!strcmp(p, "/admin/report"))
		return idp_admin_report(&ad);
	if (!strcmp(p, "/admin/deliveries"))
		return idp_admin_deliveries(&ad);
	return idp_fail(rs, IDP_ERR_NOT_FOUND, "No such console page.");
}

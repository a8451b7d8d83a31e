/* One client in the developer portal: what is registered, and a form for
 * each thing a developer may change (return addresses, secret, public
 * keys, API scope requests, removal), with its usage (pages_usage.c). */
#include <stdlib.h>
#include <string.h>

#include "endpoint/developer.h"
#include "endpoint/developer_msgs.h"
#include "page/form.h"
#include "page/html.h"
#include "page/page.h"
#include "util/buf.h"
#include "util/str.h"

/* The strings of a metadata array, one a line (for a text area). */
static const char *
joined(struct idp_page *pg, json_t *arr)
{
	struct idp_buf b;
	size_t i;
	json_t *e;

	idp_buf_init(&b, pg->rq->arena, 128 * 1024);
	json_array_foreach(arr, i, e) {
		if (i)
			idp_buf_addc(&b, '\n');
		idp_buf_adds(&b, json_string_value(e) ? json_string_value(e) :
		    "");
	}
	return b.data;
}

static const char *
md_str(const struct idp_dev_client *v, const char *key)
{
	return json_string_value(json_object_get(v->md, key));
}

/* What failed is shown again, else what is stored. */
static const char *
value_of(struct idp_page *pg, const struct idp_dev_client *v,
    const char *action, const char *sent, const char *member)
{
	if (idp_str_eq(v->form_action, action))
		return sent;
	return joined(pg, json_object_get(v->md, member));
}

static const struct idp_dev_form *
form_of(const struct idp_dev_client *v, const char *action)
{
	return idp_str_eq(v->form_action, action) ? &v->form : NULL;
}

static void
facts(struct idp_page *pg, const struct idp_dev_client *v)
{
	const struct idp_client_row *r = v->row;
	const char *none = idp_page_str(pg, M(M_NOTHING));

	idp_page_dl_begin(pg);
	idp_page_dl_text(pg, M(M_CLIENT_ID), r->client_id);
	idp_page_raw(pg, "<div><dt>");
	idp_page_t(pg, M(M_STATUS), NULL);
	idp_page_raw(pg, "</dt><dd>");
	idp_devpage_badge(pg, r->approval, r->approval_reason);
	idp_page_raw(pg, "</dd></div>");
	idp_page_dl_text(pg, M(M_OWNER), idp_arena_printf(pg->rq->arena,
	    "%s (%s)", r->owner_org_name ? r->owner_org_name : "-",
	    r->owner_org ? r->owner_org : "-"));
	idp_page_dl_text(pg, M(M_AUTH_METHOD), r->auth_method);
	idp_page_dl_text(pg, M(M_SCOPE), md_str(v, "scope") ? md_str(v,
	    "scope") : none);
	idp_page_dl_time(pg, M(M_CREATED), r->created_at);
	if (r->has_secret && r->secret_rotated_at > 0)
		idp_page_dl_time(pg, M(M_ROTATED), r->secret_rotated_at);
	idp_page_dl_end(pg);
}

static void
section(struct idp_page *pg, const char *id, int title)
{
	idp_page_raw(pg, "<section class=\"item\" aria-labelledby=\"");
	idp_page_raw(pg, id);
	idp_page_raw(pg, "\"><h2 id=\"");
	idp_page_raw(pg, id);
	idp_page_raw(pg, "\">");
	idp_page_t(pg, M(title), NULL);
	idp_page_raw(pg, "</h2>");
}

/* A form of one button posting action to self, which ends the section. */
static void
button_form(struct idp_dev *d, struct idp_page *pg, const char *self,
    const char *action, const char *cls, int label)
{
	idp_form_begin(pg, self, d->csrf);
	idp_form_hidden(pg, "action", action);
	idp_form_button(pg, cls, NULL, NULL, M(label));
	idp_form_end(pg);
	idp_page_raw(pg, "</section>");
}

static void
uris_form(struct idp_dev *d, struct idp_page *pg,
    const struct idp_dev_client *v, const char *self)
{
	const struct idp_dev_form *f = form_of(v, "uris");

	section(pg, "uris", M_URIS_TITLE);
	idp_devpage_form_error(pg, f);
	idp_form_begin(pg, self, d->csrf);
	idp_form_hidden(pg, "action", "uris");
	idp_devpage_text_field(pg, f, "redirect_uris", M_REDIRECTS,
	    M_REDIRECTS_HINT, value_of(pg, v, "uris", v->form.redirects,
	    "redirect_uris"), IDP_DEV_F_REDIRECTS, true, 0);
	idp_devpage_text_field(pg, f, "post_logout_redirect_uris",
	    M_POST_LOGOUT, M_POST_LOGOUT_HINT, value_of(pg, v, "uris",
	    v->form.post_logout, "post_logout_redirect_uris"),
	    IDP_DEV_F_POST_LOGOUT, true, 0);
	idp_form_button(pg, NULL, NULL, NULL, M(M_SAVE));
	idp_form_end(pg);
	idp_page_raw(pg, "</section>");
}

static void
secret_form(struct idp_dev *d, struct idp_page *pg,
    const struct idp_dev_client *v, const char *self)
{
	section(pg, "secret", M_SECRET_TITLE);
	if (!v->row->has_secret) {
		idp_page_para(pg, "muted", M(M_NO_SECRET), NULL);
		idp_page_raw(pg, "</section>");
		return;
	}
	idp_page_para(pg, NULL, M(M_SECRET_WHAT), NULL);
	button_form(d, pg, self, "rotate", "secondary", M_ROTATE);
}

static void
keys_form(struct idp_dev *d, struct idp_page *pg,
    const struct idp_dev_client *v, const char *self)
{
	const struct idp_dev_form *f = form_of(v, "keys");
	json_t *jwks = json_object_get(v->md, "jwks");
	char *shown = jwks != NULL ? json_dumps(jwks, JSON_INDENT(1)) : NULL;
	const char *stored = shown != NULL ? idp_arena_strdup(pg->rq->arena,
	    shown) : NULL;

	free(shown);
	section(pg, "keys", M_KEYS_TITLE);
	idp_page_para(pg, NULL, M(M_KEYS_WHAT), NULL);
	idp_devpage_form_error(pg, f);
	idp_form_begin(pg, self, d->csrf);
	idp_form_hidden(pg, "action", "keys");
	idp_devpage_text_field(pg, f, "jwks_uri", M_JWKS_URI, M_JWKS_URI_HINT,
	    f ? f->jwks_uri : md_str(v, "jwks_uri"), IDP_DEV_F_KEYS, false,
	    2000);
	idp_devpage_text_field(pg, f, "jwks", M_JWKS, M_JWKS_HINT, f ? f->jwks :
	    stored, IDP_DEV_F_KEYS, true, 16384);
	idp_form_button(pg, "secondary", NULL, NULL, M(M_SAVE_KEYS));
	idp_form_end(pg);
	idp_page_raw(pg, "</section>");
}

static void
requests_table(struct idp_page *pg, const struct idp_dev_client *v)
{
	static const struct idp_msg *const cols[] = { M(M_COL_SCOPE),
		M(M_COL_SERVICE), M(M_COL_STATUS), M(M_COL_DECIDED) };

	if (v->nrequests == 0)
		return;
	idp_page_table_begin(pg, "requests", M(M_API_TITLE), cols, 4);
	for (int i = 0; i < v->nrequests; i++) {
		const struct idp_scope_request *q = &v->requests[i];

		idp_page_row_begin(pg);
		idp_page_raw(pg, "<td><code>");
		idp_page_text(pg, q->scope);
		idp_page_raw(pg, "</code></td>");
		idp_page_cell(pg, q->server);
		idp_page_raw(pg, "<td>");
		idp_devpage_badge(pg, idp_str_eq(q->state, "approved") ?
		    "approved" : q->state, q->decision_reason);
		idp_page_raw(pg, "</td>");
		idp_page_cell(pg, q->decided_by ? q->decided_by : "");
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
}

static void
request_form(struct idp_dev *d, struct idp_page *pg,
    const struct idp_dev_client *v, const char *self)
{
	const struct idp_dev_form *f = form_of(v, "request");
	struct idp_choice *c;

	section(pg, "api", M_API_TITLE);
	requests_table(pg, v);
	idp_devpage_form_error(pg, f);
	if (v->noffer == 0) {
		idp_page_para(pg, "muted", M(M_NOTHING_TO_ASK), NULL);
		idp_page_raw(pg, "</section>");
		return;
	}
	c = idp_arena_zalloc(d->rq->arena, sizeof(*c) * (size_t)v->noffer);
	for (int i = 0; i < v->noffer; i++) {
		const struct idp_api_scope_row *s = &v->offer[i];

		c[i].value = s->scope;
		c[i].arg = *s->description != '\0' ? idp_arena_printf(
		    d->rq->arena, "%s (%s): %s", s->scope, s->server,
		    s->description) : idp_arena_printf(d->rq->arena,
		    "%s (%s)", s->scope, s->server);
		c[i].checked = f != NULL && idp_str_eq(f->scope, s->scope);
	}
	idp_form_begin(pg, self, d->csrf);
	idp_form_hidden(pg, "action", "request");
	idp_form_choices(pg, "scope", M(M_REQUEST_WHICH),
	    idp_devpage_field_error(f, IDP_DEV_F_SCOPE_REQUEST), c,
	    (size_t)v->noffer, false);
	idp_devpage_text_field(pg, f, "reason", M_REASON, M_REASON_HINT,
	    f ? f->reason : NULL, IDP_DEV_F_REASON, false, 500);
	idp_form_button(pg, "secondary", NULL, NULL, M(M_REQUEST));
	idp_form_end(pg);
	idp_page_raw(pg, "</section>");
}

static void
delete_form(struct idp_dev *d, struct idp_page *pg, const char *self)
{
	section(pg, "remove", M_DELETE_TITLE);
	idp_page_para(pg, NULL, M(M_DELETE_WHAT), NULL);
	button_form(d, pg, self, "delete", "danger", M_DELETE);
}

static const struct idp_flash flashes[] = {
	{ "client_saved", M(M_SAVED) },
	{ "scope_requested", M(M_REQUESTED) },
	{ NULL, NULL },
};

enum idp_err
idp_devpage_client(struct idp_dev *d, const struct idp_dev_client *v,
    int status)
{
	const char *self = idp_devpage_client_path(d, v->row->client_id);
	const char *name = md_str(v, "client_name");
	struct idp_page pg;

	idp_page_init(&pg, d->rq, d->rs, NULL);
	pg.wide = true;
	pg.self = self;
	idp_page_head(&pg, M(M_CLIENT_TITLE), name ? name :
	    v->row->client_id);
	idp_page_flash(&pg, flashes);
	facts(&pg, v);
	if (v->manifest)
		idp_page_para(&pg, "muted", M(M_MANIFEST), NULL);
	else
		uris_form(d, &pg, v, self);
	secret_form(d, &pg, v, self);
	if (!v->manifest && !idp_str_eq(v->row->auth_method, "none"))
		keys_form(d, &pg, v, self);
	request_form(d, &pg, v, self);
	idp_devpage_usage(&pg, v);
	if (!v->manifest)
		delete_form(d, &pg, self);
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, NULL, "/developer", M(M_BACK), NULL);
	idp_page_raw(&pg, "</p>");
	return idp_page_send(&pg, status);
}

#include <stdio.h>
#include <string.h>

#include "page/form.h"
#include "page/html.h"

void
idp_form_begin(struct idp_page *pg, const char *action,
    const char *csrf_token)
{
	idp_page_raw(pg, "<form method=\"post\" action=\"");
	idp_page_text(pg, action);
	idp_page_raw(pg, "\">");
	idp_form_hidden(pg, "csrf_token", csrf_token);
	idp_form_hidden(pg, "lang", pg->lang);
}

void
idp_form_hidden(struct idp_page *pg, const char *name, const char *value)
{
	if (value == NULL)
		return;
	idp_page_raw(pg, "<input type=\"hidden\" name=\"");
	idp_page_text(pg, name);
	idp_page_raw(pg, "\" value=\"");
	idp_page_text(pg, value);
	idp_page_raw(pg, "\">");
}

void
idp_form_end(struct idp_page *pg)
{
	idp_page_raw(pg, "</form>");
}

static void
attr(struct idp_page *pg, const char *name, const char *value)
{
	if (value == NULL)
		return;
	idp_page_raw(pg, " ");
	idp_page_raw(pg, name);
	idp_page_raw(pg, "=\"");
	idp_page_text(pg, value);
	idp_page_raw(pg, "\"");
}

/* A hint or error paragraph an input refers to with aria-describedby. */
static void
described(struct idp_page *pg, const char *cls, const char *id,
    const struct idp_msg *m)
{
	if (m == NULL)
		return;
	idp_page_raw(pg, "<p class=\"");
	idp_page_raw(pg, cls);
	idp_page_raw(pg, "\" id=\"");
	idp_page_text(pg, id);
	idp_page_raw(pg, "\">");
	idp_page_t(pg, m, NULL);
	idp_page_raw(pg, "</p>");
}

void
idp_form_field(struct idp_page *pg, const struct idp_field *f)
{
	const char *hint_id = f->hint ? idp_arena_printf(pg->rq->arena,
	    "%s-hint", f->name) : NULL;
	const char *err_id = f->error ? idp_arena_printf(pg->rq->arena,
	    "%s-error", f->name) : NULL;
	const char *parts[3] = { err_id, hint_id, f->describedby };
	struct idp_buf ids;
	char max[16];

	idp_buf_init(&ids, pg->rq->arena, 256);
	for (size_t i = 0; i < 3; i++) {
		if (parts[i] == NULL)
			continue;
		if (ids.len > 0)
			idp_buf_addc(&ids, ' ');
		idp_buf_adds(&ids, parts[i]);
	}
	idp_page_raw(pg, "<div class=\"field\"><label for=\"");
	idp_page_text(pg, f->name);
	idp_page_raw(pg, "\">");
	idp_page_t(pg, f->label, NULL);
	idp_page_raw(pg, "</label>");
	described(pg, "hint", hint_id, f->hint);
	described(pg, "field-error", err_id, f->error);
	idp_page_raw(pg, "<input");
	attr(pg, "type", f->type ? f->type : "text");
	attr(pg, "id", f->name);
	attr(pg, "name", f->name);
	attr(pg, "autocomplete", f->autocomplete);
	attr(pg, "inputmode", f->inputmode);
	if (f->type == NULL || !strcmp(f->type, "text") ||
	    !strcmp(f->type, "email"))
		idp_page_raw(pg, " autocapitalize=\"none\" "
		    "spellcheck=\"false\"");
	if (f->maxlength > 0) {
		snprintf(max, sizeof(max), "%d", f->maxlength);
		attr(pg, "maxlength", max);
	}
	attr(pg, "aria-describedby", ids.len ? ids.data : NULL);
	if (f->error != NULL)
		idp_page_raw(pg, " aria-invalid=\"true\"");
	if (f->required)
		idp_page_raw(pg, " required");
	if (f->autofocus)
		idp_page_raw(pg, " autofocus");
	attr(pg, "value", f->value ? f->value : "");
	idp_page_raw(pg, "></div>");
}

void
idp_form_checkbox(struct idp_page *pg, const char *name,
    const struct idp_msg *label, bool checked)
{
	idp_page_raw(pg, "<div class=\"check\"><input type=\"checkbox\"");
	attr(pg, "id", name);
	attr(pg, "name", name);
	idp_page_raw(pg, checked ? " value=\"yes\" checked>" :
	    " value=\"yes\">");
	idp_page_raw(pg, "<label for=\"");
	idp_page_text(pg, name);
	idp_page_raw(pg, "\">");
	idp_page_t(pg, label, NULL);
	idp_page_raw(pg, "</label></div>");
}

void
idp_form_button(struct idp_page *pg, const char *cls, const char *name,
    const char *value, const struct idp_msg *label)
{
	idp_page_raw(pg, "<button type=\"submit\"");
	attr(pg, "class", cls);
	attr(pg, "name", name);
	attr(pg, "value", value);
	idp_page_raw(pg, ">");
	idp_page_t(pg, label, NULL);
	idp_page_raw(pg, "</button>");
}

void
idp_form_confirm(struct idp_page *pg, const struct idp_confirm *c)
{
	idp_form_begin(pg, c->action, c->csrf_token);
	for (const struct idp_hidden *h = c->hidden; h != NULL && h->name;
	    h++)
		idp_form_hidden(pg, h->name, h->value);
	idp_form_hidden(pg, "confirm", "yes");
	idp_page_raw(pg, "<div class=\"actions\">");
	idp_form_button(pg, "danger", NULL, NULL, c->yes);
	if (c->cancel_href != NULL && c->cancel != NULL)
		idp_page_link(pg, "button secondary", c->cancel_href, c->cancel,
		    NULL);
	idp_page_raw(pg, "</div>");
	idp_form_end(pg);
}

bool
idp_form_confirmed(const struct idp_req *rq)
{
	const char *v = idp_req_form(rq, "confirm");

	return rq->method == IDP_POST && v != NULL && strcmp(v, "yes") == 0;
}

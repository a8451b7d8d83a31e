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

/* The label, hint and error of a field, and the ids its control refers
 * to (aria-describedby), in the arena. */
static const char *
field_id(const struct idp_field *f)
{
	return f->id != NULL ? f->id : f->name;
}

static const char *
field_head(struct idp_page *pg, const struct idp_field *f)
{
	const char *hint_id = f->hint ? idp_arena_printf(pg->rq->arena,
	    "%s-hint", field_id(f)) : NULL;
	const char *err_id = f->error ? idp_arena_printf(pg->rq->arena,
	    "%s-error", field_id(f)) : NULL;
	const char *parts[3] = { err_id, hint_id, f->describedby };
	struct idp_buf ids;

	idp_buf_init(&ids, pg->rq->arena, 256);
	for (size_t i = 0; i < 3; i++) {
		if (parts[i] == NULL)
			continue;
		if (ids.len > 0)
			idp_buf_addc(&ids, ' ');
		idp_buf_adds(&ids, parts[i]);
	}
	idp_page_raw(pg, "<div class=\"field\"><label for=\"");
	idp_page_text(pg, field_id(f));
	idp_page_raw(pg, "\">");
	idp_page_t(pg, f->label, NULL);
	idp_page_raw(pg, "</label>");
	described(pg, "hint", hint_id, f->hint);
	described(pg, "field-error", err_id, f->error);
	return ids.len ? ids.data : NULL;
}

/* What an <input> and a <textarea> share: length, description, error,
 * required, focus. */
static void
control_attrs(struct idp_page *pg, const struct idp_field *f, const char *ids)
{
	char max[16];

	if (f->maxlength > 0) {
		snprintf(max, sizeof(max), "%d", f->maxlength);
		attr(pg, "maxlength", max);
	}
	attr(pg, "aria-describedby", ids);
	if (f->error != NULL)
		idp_page_raw(pg, " aria-invalid=\"true\"");
	if (f->required)
		idp_page_raw(pg, " required");
	if (f->autofocus)
		idp_page_raw(pg, " autofocus");
}

void
idp_form_field(struct idp_page *pg, const struct idp_field *f)
{
	const char *ids = field_head(pg, f);

	idp_page_raw(pg, "<input");
	attr(pg, "type", f->type ? f->type : "text");
	attr(pg, "id", field_id(f));
	attr(pg, "name", f->name);
	attr(pg, "autocomplete", f->autocomplete);
	attr(pg, "inputmode", f->inputmode);
	if (f->type == NULL || !strcmp(f->type, "text") ||
	    !strcmp(f->type, "email"))
		idp_page_raw(pg, " autocapitalize=\"none\" "
		    "spellcheck=\"false\"");
	control_attrs(pg, f, ids);
	attr(pg, "value", f->value ? f->value : "");
	idp_page_raw(pg, "></div>");
}

void
idp_form_textarea(struct idp_page *pg, const struct idp_field *f, int rows)
{
	const char *ids = field_head(pg, f);
	char num[16];

	idp_page_raw(pg, "<textarea");
	attr(pg, "id", field_id(f));
	attr(pg, "name", f->name);
	snprintf(num, sizeof(num), "%d", rows > 0 ? rows : 4);
	attr(pg, "rows", num);
	idp_page_raw(pg, " autocapitalize=\"none\" spellcheck=\"false\"");
	control_attrs(pg, f, ids);
	idp_page_raw(pg, ">");
	/* A newline after the tag would be dropped by the parser: keep the
	 * value's own first line. */
	if (f->value != NULL && f->value[0] == '\n')
		idp_page_raw(pg, "\n");
	idp_page_text(pg, f->value ? f->value : "");
	idp_page_raw(pg, "</textarea></div>");
}

void
idp_form_choices(struct idp_page *pg, const char *name,
    const struct idp_msg *legend, const struct idp_msg *error,
    const struct idp_choice *c, size_t n, bool multiple)
{
	const char *err_id = idp_arena_printf(pg->rq->arena, "%s-error", name);

	idp_page_raw(pg, "<fieldset class=\"field choices\"");
	if (error != NULL)
		attr(pg, "aria-describedby", err_id);
	idp_page_raw(pg, "><legend>");
	idp_page_t(pg, legend, NULL);
	idp_page_raw(pg, "</legend>");
	described(pg, "field-error", err_id, error);
	for (size_t i = 0; i < n; i++) {
		const char *id = idp_arena_printf(pg->rq->arena, "%s-%zu",
		    name, i + 1);

		idp_page_raw(pg, "<div class=\"choice\"><input");
		attr(pg, "type", multiple ? "checkbox" : "radio");
		attr(pg, "id", id);
		attr(pg, "name", multiple ? c[i].value : name);
		attr(pg, "value", multiple ? "yes" : c[i].value);
		if (c[i].checked)
			idp_page_raw(pg, " checked");
		idp_page_raw(pg, "><label");
		attr(pg, "for", id);
		idp_page_raw(pg, ">");
		if (c[i].label != NULL)
			idp_page_t(pg, c[i].label, c[i].arg);
		else
			idp_page_text(pg, c[i].arg);
		if (c[i].hint != NULL) {
			idp_page_raw(pg, " <span class=\"hint\">");
			idp_page_t(pg, c[i].hint, NULL);
			idp_page_raw(pg, "</span>");
		}
		idp_page_raw(pg, "</label></div>");
	}
	idp_page_raw(pg, "</fieldset>");
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

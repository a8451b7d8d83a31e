#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "http/response.h"
#include "page/html.h"
#include "page/page.h"
#include "page/trouble.h"
#include "page/when.h"

enum {
	M_FOOT_HELP,
	M_HELP_TITLE,
	M_HELP_CALL,
	M_HELP_PHONE,
	M_HELP_EMAIL,
	M_HELP_HOURS,
	M_COUNT
};

const struct idp_msg idp_page_msgs[] = {
	[M_FOOT_HELP] = { "Butuh bantuan? Hubungi %s",
	    "Need help? Contact %s" },
	[M_HELP_TITLE] = { "Butuh bantuan?", "Need help?" },
	[M_HELP_CALL] = { "Hubungi %s.", "Contact %s." },
	[M_HELP_PHONE] = { "Telepon", "Telephone" },
	[M_HELP_EMAIL] = { "Email", "Email" },
	[M_HELP_HOURS] = { "Jam layanan", "Opening hours" },
};
const size_t idp_page_nmsgs = M_COUNT;

static const struct idp_config *
cfg_of(const struct idp_page *pg)
{
	return pg->rq->ctx->cfg;
}

static const char *
cookie_attrs(const struct idp_req *rq)
{
	return rq->ctx->cfg->cookie_secure_effective ?
	    "; Path=/; HttpOnly; SameSite=Lax; Secure" :
	    "; Path=/; HttpOnly; SameSite=Lax";
}

/* This GET request again without its lang parameter, for the switch. */
static const char *
self_of(struct idp_req *rq)
{
	struct idp_buf b;
	char sep = '?';

	idp_buf_init(&b, rq->arena, 16 * 1024);
	idp_buf_adds(&b, rq->path);
	for (size_t i = 0; i < rq->nquery; i++) {
		if (!strcmp(rq->query[i].key, "lang"))
			continue;
		idp_buf_addc(&b, sep);
		idp_buf_add_urlenc(&b, rq->query[i].key);
		idp_buf_addc(&b, '=');
		idp_buf_add_urlenc(&b, rq->query[i].val);
		sep = '&';
	}
	return b.overflow ? NULL : b.data;
}

void
idp_page_init(struct idp_page *pg, struct idp_req *rq, struct idp_resp *rs,
    const char *ui_locales)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_lang_in in = { idp_req_param(rq, "lang"), ui_locales,
		idp_req_cookie(rq, IDP_LANG_COOKIE),
		idp_req_header(rq, "Accept-Language"), cfg->default_locale };
	enum idp_lang_source src;

	memset(pg, 0, sizeof(*pg));
	pg->rq = rq;
	pg->rs = rs;
	pg->lang = idp_lang_choose(&in, &src);
	idp_buf_init(&pg->b, rq->arena, IDP_PAGE_MAX);
	idp_csp_init(&pg->csp, rq->arena);
	if (rq->method == IDP_GET || rq->method == IDP_HEAD)
		pg->self = self_of(rq);
	/* A followed switch link is remembered for the pages that follow. */
	if (src == IDP_LANG_FROM_PARAM && idp_req_query(rq, "lang") != NULL)
		idp_resp_header(rs, "Set-Cookie", idp_arena_printf(rq->arena,
		    "%s=%s; Max-Age=31536000%s", IDP_LANG_COOKIE, pg->lang,
		    cookie_attrs(rq)));
}

const char *
idp_page_str(const struct idp_page *pg, const struct idp_msg *m)
{
	return idp_msg_get(m, pg->lang);
}

void
idp_page_raw(struct idp_page *pg, const char *html)
{
	idp_buf_adds(&pg->b, html);
}

void
idp_page_text(struct idp_page *pg, const char *text)
{
	idp_buf_add_html(&pg->b, text);
}

void
idp_page_t(struct idp_page *pg, const struct idp_msg *m, const char *arg)
{
	idp_html_msg(&pg->b, idp_page_str(pg, m), &arg, 1);
}

void
idp_page_t2(struct idp_page *pg, const struct idp_msg *m, const char *a1,
    const char *a2)
{
	const char *args[2] = { a1, a2 };

	idp_html_msg(&pg->b, idp_page_str(pg, m), args, 2);
}

static void
lang_switch(struct idp_page *pg)
{
	bool en = !strcmp(pg->lang, "en");

	if (pg->self == NULL)
		return;
	idp_page_raw(pg, "<a class=\"lang\" href=\"");
	idp_page_text(pg, pg->self);
	idp_page_raw(pg, strchr(pg->self, '?') ? "&amp;" : "?");
	idp_page_raw(pg, en ? "lang=id\" lang=\"id\" hreflang=\"id\">Bahasa "
	    "Indonesia</a>" : "lang=en\" lang=\"en\" hreflang=\"en\">"
	    "English</a>");
}

void
idp_page_head(struct idp_page *pg, const struct idp_msg *title,
    const char *arg)
{
	const char *name = cfg_of(pg)->provider_name;

	idp_page_raw(pg, "<!DOCTYPE html>\n<html lang=\"");
	idp_page_raw(pg, pg->lang);
	idp_page_raw(pg, "\"><head><meta charset=\"utf-8\"><meta "
	    "name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"><title>");
	idp_page_t(pg, title, arg);
	idp_page_raw(pg, " \xc2\xb7 ");
	idp_page_text(pg, name);
	idp_page_raw(pg, "</title><link rel=\"stylesheet\" "
	    "href=\"/static/idp.css\"></head><body><header class=\"top\">"
	    "<p class=\"brand\">");
	idp_page_text(pg, name);
	idp_page_raw(pg, "</p>");
	lang_switch(pg);
	idp_page_raw(pg, pg->wide ? "</header><main class=\"wide\"><h1>" :
	    "</header><main><h1>");
	idp_page_t(pg, title, arg);
	idp_page_raw(pg, "</h1>");
}

/* One way to reach the helpdesk, for the footer: phone, else email. */
static void
foot_help(struct idp_page *pg)
{
	const struct idp_config *cfg = cfg_of(pg);

	idp_page_raw(pg, "<p>");
	idp_page_t(pg, &idp_page_msgs[M_FOOT_HELP], cfg->helpdesk_name);
	if (*cfg->helpdesk_phone != '\0') {
		idp_page_raw(pg, ": <a");
		idp_html_href(&pg->b, idp_html_tel(pg->rq->arena,
		    cfg->helpdesk_phone));
		idp_page_raw(pg, ">");
		idp_page_text(pg, cfg->helpdesk_phone);
		idp_page_raw(pg, "</a>");
	} else if (*cfg->helpdesk_email != '\0') {
		idp_page_raw(pg, ": <a");
		idp_html_href(&pg->b, idp_arena_printf(pg->rq->arena,
		    "mailto:%s", cfg->helpdesk_email));
		idp_page_raw(pg, ">");
		idp_page_text(pg, cfg->helpdesk_email);
		idp_page_raw(pg, "</a>");
	}
	idp_page_raw(pg, "</p>");
}

static void
contact(struct idp_page *pg, const struct idp_msg *label, const char *href,
    const char *text)
{
	idp_page_raw(pg, "<li>");
	idp_page_t(pg, label, NULL);
	idp_page_raw(pg, ": <a");
	idp_html_href(&pg->b, href);
	idp_page_raw(pg, ">");
	idp_page_text(pg, text);
	idp_page_raw(pg, "</a></li>");
}

void
idp_page_helpdesk(struct idp_page *pg)
{
	const struct idp_config *cfg = cfg_of(pg);

	pg->help_shown = true;
	idp_page_raw(pg, "<section class=\"help\" aria-labelledby=\"help\">"
	    "<h2 id=\"help\">");
	idp_page_t(pg, &idp_page_msgs[M_HELP_TITLE], NULL);
	idp_page_raw(pg, "</h2>");
	idp_page_para(pg, NULL, &idp_page_msgs[M_HELP_CALL],
	    cfg->helpdesk_name);
	idp_page_raw(pg, "<ul class=\"contact\">");
	if (*cfg->helpdesk_phone != '\0')
		contact(pg, &idp_page_msgs[M_HELP_PHONE], idp_html_tel(
		    pg->rq->arena, cfg->helpdesk_phone), cfg->helpdesk_phone);
	if (*cfg->helpdesk_email != '\0')
		contact(pg, &idp_page_msgs[M_HELP_EMAIL], idp_arena_printf(
		    pg->rq->arena, "mailto:%s", cfg->helpdesk_email),
		    cfg->helpdesk_email);
	if (cfg->helpdesk_hours.n > 0) {
		idp_page_raw(pg, "<li>");
		idp_page_t(pg, &idp_page_msgs[M_HELP_HOURS], NULL);
		idp_page_raw(pg, ": ");
		idp_when_hours(&pg->b, &cfg->helpdesk_hours, pg->lang,
		    pg->rq->now);
		idp_page_raw(pg, "</li>");
	}
	idp_page_raw(pg, "</ul></section>");
}

enum idp_err
idp_page_send(struct idp_page *pg, int status)
{
	/* Only if an error page itself could not be built. */
	static const char fixed[] = "<!DOCTYPE html>\n<html lang=\"id\"><head>"
	    "<meta charset=\"utf-8\"><title>Galat server</title></head><body>"
	    "<main><h1>Galat server</h1></main></body></html>\n";
	static const char ctype[] = "text/html; charset=utf-8";
	struct idp_resp *rs = pg->rs;

	idp_page_raw(pg, "</main>");
	if (!pg->help_shown) {
		idp_page_raw(pg, "<footer class=\"foot\">");
		foot_help(pg);
		idp_page_raw(pg, "</footer>");
	}
	idp_page_raw(pg, "</body></html>\n");
	if (pg->b.overflow && !pg->trouble) {
		idp_page_error(pg->rq, rs, IDP_ERR_INTERNAL,
		    "The page outgrew its buffer.");
		return IDP_ERR_INTERNAL;
	}
	if (pg->b.overflow)
		idp_resp_body(rs, 500, ctype, fixed, sizeof(fixed) - 1);
	else
		idp_resp_body(rs, status, ctype, pg->b.data, pg->b.len);
	idp_resp_common_headers(rs, true);
	idp_resp_header(rs, "Content-Security-Policy",
	    idp_csp_header(&pg->csp));
	idp_resp_no_store(rs);
	return pg->b.overflow ? IDP_ERR_INTERNAL : IDP_OK;
}

void
idp_page_para(struct idp_page *pg, const char *cls, const struct idp_msg *m,
    const char *arg)
{
	if (cls != NULL) {
		idp_page_raw(pg, "<p class=\"");
		idp_page_raw(pg, cls);
		idp_page_raw(pg, "\">");
	} else {
		idp_page_raw(pg, "<p>");
	}
	idp_page_t(pg, m, arg);
	idp_page_raw(pg, "</p>");
}

void
idp_page_heading(struct idp_page *pg, int level, const struct idp_msg *m,
    const char *arg)
{
	char tag[8];

	level = level < 2 ? 2 : level > 4 ? 4 : level;
	snprintf(tag, sizeof(tag), "<h%d>", level);
	idp_page_raw(pg, tag);
	idp_page_t(pg, m, arg);
	snprintf(tag, sizeof(tag), "</h%d>", level);
	idp_page_raw(pg, tag);
}

void
idp_page_link(struct idp_page *pg, const char *cls, const char *href,
    const struct idp_msg *m, const char *arg)
{
	if (!idp_html_href_ok(href)) {
		idp_page_t(pg, m, arg);
		return;
	}
	idp_page_raw(pg, "<a");
	if (cls != NULL) {
		idp_page_raw(pg, " class=\"");
		idp_page_raw(pg, cls);
		idp_page_raw(pg, "\"");
	}
	idp_html_href(&pg->b, href);
	idp_page_raw(pg, ">");
	idp_page_t(pg, m, arg);
	idp_page_raw(pg, "</a>");
}

const char *
idp_page_num(struct idp_page *pg, int64_t n)
{
	char digits[24], out[32];
	size_t len, o = 0;
	char sep = !strcmp(pg->lang, "en") ? ',' : '.';
	unsigned long long v = n < 0 ? 0ull - (unsigned long long)n :
	    (unsigned long long)n;

	if (n < 0)
		out[o++] = '-';
	len = (size_t)snprintf(digits, sizeof(digits), "%llu", v);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = sep;
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return idp_arena_strdup(pg->rq->arena, out);
}

void
idp_page_time(struct idp_page *pg, int64_t t)
{
	char iso[40], text[80];

	idp_when_iso(iso, sizeof(iso), t);
	idp_when_text(text, sizeof(text), t, pg->lang);
	idp_page_raw(pg, "<time datetime=\"");
	idp_page_raw(pg, iso);
	idp_page_raw(pg, "\">");
	idp_page_text(pg, text);
	idp_page_raw(pg, "</time>");
}

void
idp_page_logo(struct idp_page *pg, const char *uri)
{
	if (uri == NULL || !idp_html_href_ok(uri))
		return;
	idp_page_raw(pg, "<img class=\"logo\" alt=\"\" src=\"");
	idp_page_text(pg, uri);
	idp_page_raw(pg, "\">");
}

void
idp_page_dl_begin(struct idp_page *pg)
{
	idp_page_raw(pg, "<dl>");
}

static void
dl_term(struct idp_page *pg, const struct idp_msg *term)
{
	idp_page_raw(pg, "<div><dt>");
	idp_page_t(pg, term, NULL);
	idp_page_raw(pg, "</dt><dd>");
}

void
idp_page_dl_text(struct idp_page *pg, const struct idp_msg *term,
    const char *value)
{
	dl_term(pg, term);
	idp_page_text(pg, value);
	idp_page_raw(pg, "</dd></div>");
}

void
idp_page_dl_time(struct idp_page *pg, const struct idp_msg *term, int64_t t)
{
	dl_term(pg, term);
	idp_page_time(pg, t);
	idp_page_raw(pg, "</dd></div>");
}

void
idp_page_dl_end(struct idp_page *pg)
{
	idp_page_raw(pg, "</dl>");
}

void
idp_page_table_begin(struct idp_page *pg, const char *id,
    const struct idp_msg *caption, const struct idp_msg *const *cols,
    size_t ncols)
{
	idp_page_raw(pg, "<div class=\"table\" role=\"region\" tabindex=\"0\" "
	    "aria-labelledby=\"");
	idp_page_text(pg, id);
	idp_page_raw(pg, "\"><table><caption id=\"");
	idp_page_text(pg, id);
	idp_page_raw(pg, "\">");
	idp_page_t(pg, caption, NULL);
	idp_page_raw(pg, "</caption><thead><tr>");
	for (size_t i = 0; i < ncols; i++) {
		idp_page_raw(pg, "<th scope=\"col\">");
		idp_page_t(pg, cols[i], NULL);
		idp_page_raw(pg, "</th>");
	}
	idp_page_raw(pg, "</tr></thead><tbody>");
}

void
idp_page_row_begin(struct idp_page *pg)
{
	idp_page_raw(pg, "<tr>");
}

void
idp_page_cell(struct idp_page *pg, const char *text)
{
	idp_page_raw(pg, "<td>");
	idp_page_text(pg, text);
	idp_page_raw(pg, "</td>");
}

void
idp_page_cell_time(struct idp_page *pg, int64_t t)
{
	idp_page_raw(pg, "<td>");
	idp_page_time(pg, t);
	idp_page_raw(pg, "</td>");
}

void
idp_page_row_end(struct idp_page *pg)
{
	idp_page_raw(pg, "</tr>");
}

void
idp_page_table_end(struct idp_page *pg)
{
	idp_page_raw(pg, "</tbody></table></div>");
}

static bool
flash_name_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
			return false;
	return true;
}

void
idp_page_see_other(struct idp_req *rq, struct idp_resp *rs, const char *path,
    const char *flash)
{
	if (path == NULL || path[0] != '/' || !idp_html_href_ok(path))
		path = "/";
	if (flash_name_ok(flash))
		idp_resp_header(rs, "Set-Cookie", idp_arena_printf(rq->arena,
		    "%s=%s; Max-Age=120%s", IDP_FLASH_COOKIE, flash,
		    cookie_attrs(rq)));
	idp_resp_body(rs, 303, NULL, "", 0);
	idp_resp_header(rs, "Location", path);
	idp_resp_common_headers(rs, false);
	idp_resp_no_store(rs);
}

void
idp_page_flash(struct idp_page *pg, const struct idp_flash *table)
{
	const char *v = idp_req_cookie(pg->rq, IDP_FLASH_COOKIE);

	if (v == NULL)
		return;
	idp_resp_header(pg->rs, "Set-Cookie", idp_arena_printf(pg->rq->arena,
	    "%s=; Max-Age=0%s", IDP_FLASH_COOKIE, cookie_attrs(pg->rq)));
	for (const struct idp_flash *f = table; f->name != NULL; f++) {
		if (strcmp(f->name, v) == 0) {
			idp_page_raw(pg, "<p class=\"flash\" role=\"status\">");
			idp_page_t(pg, f->msg, NULL);
			idp_page_raw(pg, "</p>");
			return;
		}
	}
}

/* The page toolkit: every HTML page of the provider is built with it, so
 * that all of them look and behave alike. Server-rendered, plain C over
 * util/buf, no template engine and no JavaScript.
 *
 *	struct idp_page pg;
 *
 *	idp_page_init(&pg, rq, rs, z->ui_locales);  (language, CSP)
 *	idp_csp_form_action(&pg.csp, z->redirect_uri);  (what it needs)
 *	idp_page_head(&pg, &msgs[M_TITLE], c->name);  (head, header, h1)
 *	idp_page_para(&pg, NULL, &msgs[M_INTRO], NULL);
 *	idp_form_begin(&pg, "/login", csrf); ... idp_form_end(&pg);
 *	return idp_page_send(&pg, 200);  (footer, headers)
 *
 * Layout: <html lang> with one language, a header with the provider's name
 * and the language switch, one <main>, a footer with the helpdesk. Every
 * string that is not a literal of the caller goes through escaping:
 * idp_page_text, messages with arguments (page/lang.h), href checks
 * (page/html.h). Messages come from per-group catalogues (struct
 * idp_msg arrays indexed by an enum of the group). */
#ifndef IDP_PAGE_PAGE_H
#define IDP_PAGE_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "http/req.h"
#include "page/csp.h"
#include "page/lang.h"
#include "util/buf.h"

#define IDP_PAGE_MAX (256 * 1024)
#define IDP_FLASH_COOKIE "idp_flash"

struct idp_page {
	struct idp_req *rq;
	struct idp_resp *rs;
	struct idp_buf b;
	const char *lang;	/* "id" or "en" */
	struct idp_csp csp;
	/* This page by GET, for the language switch ("/login?login=..."):
	 * set by init for GET requests, NULL (no switch) otherwise. */
	const char *self;
	bool wide;		/* the wide layout, for tables */
	bool help_shown;	/* the page shows the helpdesk in <main> */
	bool trouble;		/* an error page (page/trouble.c) */
};

/* Choose the language (page/lang.h) and set the defaults. ui_locales of
 * the authorization request, or NULL. */
void idp_page_init(struct idp_page *pg, struct idp_req *rq,
    struct idp_resp *rs, const char *ui_locales);
/* <head> (title: the heading and the provider's name), the header, <main>
 * and its <h1>: title with its %s replaced by arg. */
void idp_page_head(struct idp_page *pg, const struct idp_msg *title,
    const char *arg);
/* Close <main>, write the footer, and hand the page to rs with its CSP,
 * no-store and framing headers. Returns IDP_OK, or IDP_ERR_INTERNAL with
 * a short error page when the page outgrew IDP_PAGE_MAX. */
enum idp_err idp_page_send(struct idp_page *pg, int status);

/* The message in the page's language, unescaped (for attributes built by
 * the caller, which escapes). */
const char *idp_page_str(const struct idp_page *pg, const struct idp_msg *m);

/* Writing: raw is markup of the caller (a literal, never data); text is
 * escaped; t writes a message with up to one argument, escaped. */
void idp_page_raw(struct idp_page *pg, const char *html);
void idp_page_text(struct idp_page *pg, const char *text);
void idp_page_t(struct idp_page *pg, const struct idp_msg *m,
    const char *arg);
void idp_page_t2(struct idp_page *pg, const struct idp_msg *m,
    const char *a1, const char *a2);
/* <p class="cls">message</p>; cls may be NULL. */
void idp_page_para(struct idp_page *pg, const char *cls,
    const struct idp_msg *m, const char *arg);
/* <hN>message</hN>, level 2 to 4. */
void idp_page_heading(struct idp_page *pg, int level,
    const struct idp_msg *m, const char *arg);
/* <a class href>message</a>; when href is not one a page may carry
 * (idp_html_href_ok) the text alone. cls "button" makes a button-sized
 * link. */
void idp_page_link(struct idp_page *pg, const char *cls, const char *href,
    const struct idp_msg *m, const char *arg);
/* A number as the language writes it: 33.000 / 33,000 (in the arena). */
const char *idp_page_num(struct idp_page *pg, int64_t n);
/* <time datetime=ISO>14 Maret 2025, 08.05 WITA</time> in the zone. */
void idp_page_time(struct idp_page *pg, int64_t t);
/* An <img> for a logo an operator or service registered (decorative). */
void idp_page_logo(struct idp_page *pg, const char *uri);

/* Description lists: idp_page_dl_begin, items, idp_page_dl_end. */
void idp_page_dl_begin(struct idp_page *pg);
void idp_page_dl_text(struct idp_page *pg, const struct idp_msg *term,
    const char *value);
void idp_page_dl_time(struct idp_page *pg, const struct idp_msg *term,
    int64_t t);
void idp_page_dl_end(struct idp_page *pg);

/* Tables with a caption and column headers; they scroll sideways inside
 * their region on a phone instead of widening the page. */
void idp_page_table_begin(struct idp_page *pg, const char *id,
    const struct idp_msg *caption, const struct idp_msg *const *cols,
    size_t ncols);
void idp_page_row_begin(struct idp_page *pg);
void idp_page_cell(struct idp_page *pg, const char *text);
void idp_page_cell_time(struct idp_page *pg, int64_t t);
void idp_page_row_end(struct idp_page *pg);
void idp_page_table_end(struct idp_page *pg);

/* The helpdesk, from the configuration: name, telephone, email, hours. */
void idp_page_helpdesk(struct idp_page *pg);

/* Post/redirect/get: 303 to a path of this origin, with a flash message
 * named name ([a-z_], up to 32) shown once by the next page. */
void idp_page_see_other(struct idp_req *rq, struct idp_resp *rs,
    const char *path, const char *flash);
struct idp_flash {
	const char *name;
	const struct idp_msg *msg;
};
/* Show the flash message the previous request left, when it is one of
 * the table's (ended by a NULL name), and clear it. */
void idp_page_flash(struct idp_page *pg, const struct idp_flash *table);

/* The layout's own messages (header, footer, helpdesk, pager, time). */
extern const struct idp_msg idp_page_msgs[];
extern const size_t idp_page_nmsgs;

#endif

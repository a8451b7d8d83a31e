/* Escaping for the provider's pages, over util/buf. Text and attribute
 * values share one escaping (idp_buf_add_html: & < > " '), query components
 * are percent-encoded (idp_buf_add_urlenc); what a page may link to is
 * decided here, and messages get their arguments escaped. */
#ifndef IDP_PAGE_HTML_H
#define IDP_PAGE_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* A link target a page may carry: an http(s) URL, mailto:, tel:, or a path
 * on this origin ("/account", never "//host" or "/\host", which browsers
 * read as another host). No control characters, spaces or backslashes. */
bool idp_html_href_ok(const char *url);

/* href="url" when idp_html_href_ok; nothing (and false) otherwise. */
bool idp_html_href(struct idp_buf *b, const char *url);

/* fmt with its %s replaced, in order, by args (NULL or missing ones by
 * nothing); fmt and the arguments are both escaped. */
void idp_html_msg(struct idp_buf *b, const char *fmt,
    const char *const *args, size_t nargs);

/* A tel: URI from a phone number as people write it: "+62 361 222 333",
 * "(0361) 222-333" -> "tel:+62361222333", "tel:0361222333". */
const char *idp_html_tel(struct idp_arena *a, const char *phone);

#endif

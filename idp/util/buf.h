/* A growable byte buffer in an arena, with a hard maximum (curl's "toobig"):
 * appending past the maximum sets the overflow flag and keeps the buffer as
 * it was, so a caller checks once at the end. Always NUL-terminated. */
#ifndef IDP_UTIL_BUF_H
#define IDP_UTIL_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

struct idp_buf {
	struct idp_arena *arena;
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	bool overflow;
};

void idp_buf_init(struct idp_buf *b, struct idp_arena *a, size_t max);
void idp_buf_add(struct idp_buf *b, const void *p, size_t n);
void idp_buf_adds(struct idp_buf *b, const char *s);
void idp_buf_addc(struct idp_buf *b, char c);
void idp_buf_addf(struct idp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Escaped for HTML text and attribute values. */
void idp_buf_add_html(struct idp_buf *b, const char *s);
/* Percent-encoded for a URL query component (RFC 3986 unreserved kept). */
void idp_buf_add_urlenc(struct idp_buf *b, const char *s);

#endif

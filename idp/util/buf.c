#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

void
idp_buf_init(struct idp_buf *b, struct idp_arena *a, size_t max)
{
	b->arena = a;
	b->cap = max < 256 ? max : 256;
	b->data = idp_arena_alloc(a, b->cap + 1);
	b->data[0] = '\0';
	b->len = 0;
	b->max = max;
	b->overflow = false;
}

void
idp_buf_add(struct idp_buf *b, const void *p, size_t n)
{
	if (b->overflow)
		return;
	if (n > b->max - b->len) {
		b->overflow = true;
		return;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap * 2;
		char *d;

		if (cap < b->len + n)
			cap = b->len + n;
		if (cap > b->max)
			cap = b->max;
		d = idp_arena_alloc(b->arena, cap + 1);
		memcpy(d, b->data, b->len);
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
idp_buf_adds(struct idp_buf *b, const char *s)
{
	idp_buf_add(b, s, strlen(s));
}

void
idp_buf_addc(struct idp_buf *b, char c)
{
	idp_buf_add(b, &c, 1);
}

void
idp_buf_addf(struct idp_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = idp_arena_vprintf(b->arena, fmt, ap);
	va_end(ap);
	idp_buf_adds(b, s);
}

void
idp_buf_add_html(struct idp_buf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&': idp_buf_adds(b, "&amp;"); break;
		case '<': idp_buf_adds(b, "&lt;"); break;
		case '>': idp_buf_adds(b, "&gt;"); break;
		case '"': idp_buf_adds(b, "&quot;"); break;
		case '\'': idp_buf_adds(b, "&#39;"); break;
		default: idp_buf_addc(b, *s); break;
		}
	}
}

void
idp_buf_add_urlenc(struct idp_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; s != NULL && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			idp_buf_addc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			idp_buf_add(b, e, 3);
		}
	}
}

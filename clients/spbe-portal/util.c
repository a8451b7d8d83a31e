#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "util.h"

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->b_max = max;
}

/* Makes room for n more bytes plus the terminating NUL. */
static bool
buf_grow(struct buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->b_failed)
		return false;
	if (n > b->b_max || b->b_len > b->b_max - n) {
		b->b_failed = true;
		return false;
	}
	if (b->b_len + n + 1 <= b->b_cap)
		return true;
	cap = b->b_cap ? b->b_cap : 256;
	while (cap < b->b_len + n + 1)
		cap *= 2;
	/*
	 * Not realloc: the old block may hold a secret (a token form, an
	 * Authorization header), so copy it and wipe the original.
	 */
	if ((p = malloc(cap)) == NULL) {
		b->b_failed = true;
		return false;
	}
	if (b->b_data != NULL) {
		memcpy(p, b->b_data, b->b_len);
		OPENSSL_cleanse(b->b_data, b->b_cap);
		free(b->b_data);
	}
	b->b_data = p;
	b->b_cap = cap;
	return true;
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (!buf_grow(b, n))
		return;
	memcpy(b->b_data + b->b_len, s, n);
	b->b_len += n;
	b->b_data[b->b_len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->b_failed = true;
		return;
	}
	if (!buf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->b_data + b->b_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->b_len += (size_t)n;
}

void
buf_urlenc(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			buf_add(b, s, 1);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 0x0f];
		buf_add(b, esc, 3);
	}
}

void
buf_html(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':	buf_puts(b, "&amp;"); break;
		case '<':	buf_puts(b, "&lt;"); break;
		case '>':	buf_puts(b, "&gt;"); break;
		case '"':	buf_puts(b, "&quot;"); break;
		case '\'':	buf_puts(b, "&#39;"); break;
		default:	buf_add(b, s, 1); break;
		}
	}
}

char *
buf_steal(struct buf *b)
{
	char *s;

	if (b->b_failed) {
		buf_free(b);
		return NULL;
	}
	if (b->b_data == NULL && !buf_grow(b, 0))
		return NULL;
	b->b_data[b->b_len] = '\0';
	s = b->b_data;
	b->b_data = NULL;
	b->b_len = b->b_cap = 0;
	return s;
}

void
buf_free(struct buf *b)
{
	if (b->b_data != NULL) {
		OPENSSL_cleanse(b->b_data, b->b_cap);
		free(b->b_data);
	}
	b->b_data = NULL;
	b->b_len = b->b_cap = 0;
}

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *
b64url_encode(const unsigned char *in, size_t len)
{
	size_t i, o = 0;
	char *out;

	if (len > (SIZE_MAX - 4) / 4 * 3)
		return NULL;
	if ((out = malloc((len + 2) / 3 * 4 + 1)) == NULL)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];

		out[o++] = b64url_alphabet[v >> 18 & 63];
		out[o++] = b64url_alphabet[v >> 12 & 63];
		out[o++] = b64url_alphabet[v >> 6 & 63];
		out[o++] = b64url_alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		out[o++] = b64url_alphabet[v >> 18 & 63];
		out[o++] = b64url_alphabet[v >> 12 & 63];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = b64url_alphabet[v >> 18 & 63];
		out[o++] = b64url_alphabet[v >> 12 & 63];
		out[o++] = b64url_alphabet[v >> 6 & 63];
	}
	out[o] = '\0';
	return out;
}

static int
b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

unsigned char *
b64url_decode(const char *in, size_t len, size_t *outlen)
{
	unsigned char *out;
	uint32_t acc = 0;
	size_t i, o = 0;
	int bits = 0;

	/* A lone trailing character carries less than one byte. */
	if (len % 4 == 1)
		return NULL;
	if ((out = malloc(len / 4 * 3 + 3)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		int v = b64url_value(in[i]);

		if (v < 0)
			goto bad;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	/* The unused low bits of the last character must be zero. */
	if ((acc & ((1u << bits) - 1)) != 0)
		goto bad;
	*outlen = o;
	return out;
bad:
	free(out);
	return NULL;
}

int
random_token(char out[RANDOM_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	char *s;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	s = b64url_encode(raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
	if (s == NULL)
		return -1;
	memcpy(out, s, RANDOM_TOKEN_LEN + 1);
	wipe_free(s);
	return 0;
}

bool
ct_streq(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL)
		return false;
	n = strlen(a);
	if (n != strlen(b))
		return false;
	return CRYPTO_memcmp(a, b, n) == 0;
}

void
wipe_free(char *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

char *
str_ndup(const char *s, size_t n)
{
	char *p;

	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
logx(const char *level, const char *fmt, ...)
{
	char line[1024], ts[32];
	struct tm tm;
	va_list ap;
	time_t now;
	char *p;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s %s\n", ts, level, line);
}

char *
url_origin(const char *url)
{
	const char *auth = strstr(url, "://");

	if (auth == NULL)
		return NULL;
	auth += 3;
	return str_ndup(url, (size_t)(auth - url) + strcspn(auth, "/?#"));
}

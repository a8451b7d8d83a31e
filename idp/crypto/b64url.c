#include <string.h>

#include "crypto/b64url.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
idp_b64url_encode_to(char *out, const void *in, size_t n)
{
	const unsigned char *p = in;
	size_t i, o = 0;

	for (i = 0; i + 3 <= n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];

		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = alphabet[(v >> 6) & 63];
		out[o++] = alphabet[v & 63];
	}
	if (n - i == 1) {
		unsigned v = (unsigned)p[i] << 16;

		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
	} else if (n - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;

		out[o++] = alphabet[(v >> 18) & 63];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = alphabet[(v >> 6) & 63];
	}
	out[o] = '\0';
	return o;
}

char *
idp_b64url_encode(struct idp_arena *a, const void *in, size_t n)
{
	char *out = idp_arena_alloc(a, IDP_B64URL_LEN(n) + 1);

	idp_b64url_encode_to(out, in, n);
	return out;
}

char *
idp_b64_encode(struct idp_arena *a, const void *in, size_t n)
{
	char *out = idp_arena_alloc(a, (n + 2) / 3 * 4 + 1);
	size_t o = idp_b64url_encode_to(out, in, n);

	for (size_t i = 0; i < o; i++)
		out[i] = out[i] == '-' ? '+' : out[i] == '_' ? '/' : out[i];
	while (o % 4 != 0)
		out[o++] = '=';
	out[o] = '\0';
	return out;
}

static int
val_std(unsigned char c)
{
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	if (c == '-' || c == '_')
		return -1;
	return -2;	/* decided by val() */
}

static int
val(unsigned char c)
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
idp_b64url_decode(struct idp_arena *a, const char *in, size_t n,
    size_t *outlen)
{
	unsigned char *out;
	unsigned acc = 0;
	size_t i, o = 0;
	int bits = 0;

	if (n % 4 == 1)
		return NULL;
	out = idp_arena_alloc(a, n * 3 / 4 + 1);
	for (i = 0; i < n; i++) {
		int v = val((unsigned char)in[i]);

		if (v < 0)
			return NULL;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* Leftover bits must be zero: one encoding per byte string. */
	if (acc != 0)
		return NULL;
	out[o] = '\0';
	*outlen = o;
	return out;
}

unsigned char *
idp_b64_decode(struct idp_arena *a, const char *in, size_t n, size_t *outlen)
{
	char *conv;
	size_t pad = 0;

	if (n % 4 != 0)
		return NULL;
	while (pad < 2 && n > pad && in[n - 1 - pad] == '=')
		pad++;
	n -= pad;
	/* Map to the URL alphabet, then decode strictly. */
	conv = idp_arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		int v = val_std((unsigned char)in[i]);

		if (v == -1)
			return NULL;
		conv[i] = v == 62 ? '-' : v == 63 ? '_' : in[i];
	}
	conv[n] = '\0';
	return idp_b64url_decode(a, conv, n, outlen);
}

size_t
idp_b64_nopad_encode_to(char *out, const void *in, size_t n)
{
	size_t len = idp_b64url_encode_to(out, in, n);

	for (size_t i = 0; i < len; i++)
		out[i] = out[i] == '-' ? '+' : out[i] == '_' ? '/' : out[i];
	return len;
}

unsigned char *
idp_b64_nopad_decode(struct idp_arena *a, const char *s, size_t n,
    size_t *outlen)
{
	char *conv = idp_arena_alloc(a, n + 1);

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '_')
			return NULL;
		conv[i] = s[i] == '+' ? '-' : s[i] == '/' ? '_' : s[i];
	}
	conv[n] = '\0';
	return idp_b64url_decode(a, conv, n, outlen);
}

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "crypto/b64url.h"
#include "crypto/random.h"
#include "util/mem.h"

int
idp_random_bytes(void *out, size_t n)
{
	if (n > (size_t)0x7fffffff)
		return -1;
	return RAND_bytes(out, (int)n) == 1 ? 0 : -1;
}

static void
must_random(void *out, size_t n)
{
	if (idp_random_bytes(out, n) != 0) {
		fprintf(stderr, "idp: random number generator failed\n");
		abort();
	}
}

void
idp_random_token_to(char out[IDP_TOKEN_CHARS + 1])
{
	unsigned char raw[IDP_TOKEN_BYTES];

	must_random(raw, sizeof(raw));
	idp_b64url_encode_to(out, raw, sizeof(raw));
	idp_wipe(raw, sizeof(raw));
}

char *
idp_random_token(struct idp_arena *a)
{
	char *out = idp_arena_alloc(a, IDP_TOKEN_CHARS + 1);

	idp_random_token_to(out);
	return out;
}

bool
idp_token_syntax_ok(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_");
	return n == IDP_TOKEN_CHARS && s[n] == '\0';
}

void
idp_random_uuid(char out[37])
{
	unsigned char u[16];

	must_random(u, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(out, 37,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
	    u[10], u[11], u[12], u[13], u[14], u[15]);
}

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <uninorm.h>

#include "util/mem.h"
#include "util/nfkc.h"
#include "util/str.h"

long
idp_nfkc(const char *in, size_t n, char *out, size_t cap)
{
	size_t len = cap > 0 ? cap - 1 : 0;
	uint8_t *r;

	if (cap == 0 || !idp_utf8_valid(in, n))
		return -1;
	if (n == 0) {
		out[0] = '\0';
		return 0;
	}
	r = u8_normalize(UNINORM_NFKC, (const uint8_t *)in, n,
	    (uint8_t *)out, &len);
	if (r == NULL)
		return -1;
	if (r != (uint8_t *)out) {
		/* Too long for out: libunistring allocated the result. */
		idp_wipe(r, len);
		free(r);
		return -1;
	}
	out[len] = '\0';
	return (long)len;
}

char *
idp_nfkc_fold(struct idp_arena *a, const char *s, size_t n, size_t *outlen)
{
	size_t len = 0;
	uint8_t *r;
	char *copy;

	if (!idp_utf8_valid(s, n))
		return NULL;
	if (n == 0) {
		*outlen = 0;
		return idp_arena_strdup(a, "");
	}
	r = u8_casefold((const uint8_t *)s, n, NULL, UNINORM_NFKC, NULL, &len);
	if (r == NULL)
		return NULL;
	copy = idp_arena_alloc(a, len + 1);
	memcpy(copy, r, len);
	copy[len] = '\0';
	idp_wipe(r, len);
	free(r);
	*outlen = len;
	return copy;
}

size_t
idp_utf8_count(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			k++;
	return k;
}

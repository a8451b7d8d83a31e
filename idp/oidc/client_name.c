#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>

#include "oidc/client_name.h"
#include "util/str.h"

/* UTF-16 units of a folded name: a skeleton may grow a character into a
 * few ("m" becomes "rn"). */
#define UNITS (IDP_CLIENT_NAME_MAX * 8)

/* dst = skeleton(src) (TR 39 §4), then NFKC case folding. */
static int32_t
skeleton_folded(const USpoofChecker *sc, const UNormalizer2 *cf,
    const UChar *src, int32_t n, UChar *tmp, UChar *dst, UErrorCode *e)
{
	n = uspoof_getSkeleton(sc, 0, src, n, tmp, UNITS, e);
	if (U_FAILURE(*e))
		return -1;
	return unorm2_normalize(cf, tmp, n, dst, UNITS, e);
}

/* Letters and digits only, without accents; 'i' as 'l' (a capital I and
 * a small l look alike, and case is folded). */
static int32_t
letters_only(const UNormalizer2 *nfd, const UChar *src, int32_t n,
    UChar *tmp, UChar *dst, UErrorCode *e)
{
	int32_t k = 0;

	n = unorm2_normalize(nfd, src, n, tmp, UNITS, e);
	if (U_FAILURE(*e))
		return -1;
	for (int32_t i = 0; i < n;) {
		UChar32 c;

		U16_NEXT(tmp, i, n, c);
		if (!u_isalnum(c))
			continue;
		if (c == 'i')
			c = 'l';
		U16_APPEND_UNSAFE(dst, k, c);
	}
	return k;
}

static int32_t
fold(const char *name, UChar *a, UChar *b, UErrorCode *e)
{
	const UNormalizer2 *nfkc = unorm2_getNFKCInstance(e);
	const UNormalizer2 *cf = unorm2_getNFKCCasefoldInstance(e);
	const UNormalizer2 *nfd = unorm2_getNFDInstance(e);
	USpoofChecker *sc = uspoof_open(e);
	int32_t n = -1;

	if (U_FAILURE(*e))
		goto out;
	u_strFromUTF8(a, UNITS, &n, name, -1, e);
	if (U_SUCCESS(*e))
		n = unorm2_normalize(nfkc, a, n, b, UNITS, e);
	/* Skeleton before folding case: "І" (Cyrillic) is "l" only as a
	 * capital; again after, for what lower case made ("m", "rn"). */
	if (U_SUCCESS(*e))
		n = skeleton_folded(sc, cf, b, n, a, b, e);
	if (U_SUCCESS(*e))
		n = skeleton_folded(sc, cf, b, n, a, b, e);
	if (U_SUCCESS(*e))
		n = letters_only(nfd, b, n, a, b, e);
out:
	uspoof_close(sc);
	return U_SUCCESS(*e) ? n : -1;
}

char *
idp_client_name_key(struct idp_arena *a, const char *name)
{
	UChar u[UNITS], v[UNITS];
	UErrorCode e = U_ZERO_ERROR;
	int32_t n, len;
	char *out;

	if (name == NULL || strlen(name) > IDP_CLIENT_NAME_MAX * 4 ||
	    !idp_utf8_valid(name, strlen(name)))
		return NULL;
	if ((n = fold(name, u, v, &e)) < 0)
		return NULL;
	out = idp_arena_alloc(a, (size_t)n * 4 + 1);
	u_strToUTF8(out, n * 4 + 1, &len, v, n, &e);
	return U_SUCCESS(e) ? out : NULL;
}

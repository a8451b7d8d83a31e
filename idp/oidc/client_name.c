#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/uvernum.h>

#include "oidc/client_name.h"
#include "util/log.h"
#include "util/str.h"

/* ICU is opened on the first name to fold, not linked: only registration
 * and the client checks need it, and with the C++ runtime it pulls in it
 * is 2.5 MiB of every node's resident memory at start. The names are
 * the versioned ones the headers rename each function to (uspoof_open
 * is uspoof_open_72), so the library found is the one compiled
 * against. */
#define STR_(x) #x
#define STR(x) STR_(x)
#define ICU_LIB(name) "lib" name ".so." STR(U_ICU_VERSION_MAJOR_NUM)

static struct {
	__typeof__(&uspoof_open) spoof_open;
	__typeof__(&uspoof_close) spoof_close;
	__typeof__(&uspoof_getSkeleton) skeleton;
	__typeof__(&unorm2_getNFKCInstance) nfkc;
	__typeof__(&unorm2_getNFKCCasefoldInstance) casefold;
	__typeof__(&unorm2_getNFDInstance) nfd;
	__typeof__(&unorm2_normalize) normalize;
	__typeof__(&u_isalnum) isalnum;
	__typeof__(&u_strFromUTF8) from_utf8;
	__typeof__(&u_strToUTF8) to_utf8;
	bool ok;
} icu;
static pthread_once_t icu_once = PTHREAD_ONCE_INIT;

static bool
sym(void *lib, const char *name, void *fp, size_t size)
{
	void *p = dlsym(lib, name);

	if (p == NULL)
		return false;
	memcpy(fp, &p, size);
	return true;
}

#define SYM(lib, field, fn) sym(lib, STR(fn), &icu.field, sizeof(icu.field))

static void
icu_open(void)
{
	void *uc = dlopen(ICU_LIB("icuuc"), RTLD_NOW | RTLD_LOCAL);
	void *i18n = dlopen(ICU_LIB("icui18n"), RTLD_NOW | RTLD_LOCAL);

	if (uc == NULL || i18n == NULL) {
		const char *why = dlerror();

		IDP_ERROR("icu.open", " msg=\"%s\"", why ? why : "dlopen");
		return;
	}
	icu.ok = SYM(i18n, spoof_open, uspoof_open) &&
	    SYM(i18n, spoof_close, uspoof_close) &&
	    SYM(i18n, skeleton, uspoof_getSkeleton) &&
	    SYM(uc, nfkc, unorm2_getNFKCInstance) &&
	    SYM(uc, casefold, unorm2_getNFKCCasefoldInstance) &&
	    SYM(uc, nfd, unorm2_getNFDInstance) &&
	    SYM(uc, normalize, unorm2_normalize) &&
	    SYM(uc, isalnum, u_isalnum) &&
	    SYM(uc, from_utf8, u_strFromUTF8) &&
	    SYM(uc, to_utf8, u_strToUTF8);
	if (!icu.ok)
		IDP_ERROR("icu.open", " msg=\"a function is missing\" lib=%s",
		    ICU_LIB("icui18n"));
	/* Kept open for the life of the process. */
}

bool
idp_client_name_ready(void)
{
	pthread_once(&icu_once, icu_open);
	return icu.ok;
}

/* UTF-16 units of a folded name: a skeleton may grow a character into a
 * few ("m" becomes "rn"). */
#define UNITS (IDP_CLIENT_NAME_MAX * 8)

/* dst = skeleton(src) (TR 39 §4), then NFKC case folding. */
static int32_t
skeleton_folded(const USpoofChecker *sc, const UNormalizer2 *cf,
    const UChar *src, int32_t n, UChar *tmp, UChar *dst, UErrorCode *e)
{
	n = icu.skeleton(sc, 0, src, n, tmp, UNITS, e);
	if (U_FAILURE(*e))
		return -1;
	return icu.normalize(cf, tmp, n, dst, UNITS, e);
}

/* Letters and digits only, without accents; 'i' as 'l' (a capital I and
 * a small l look alike, and case is folded). */
static int32_t
letters_only(const UNormalizer2 *nfd, const UChar *src, int32_t n,
    UChar *tmp, UChar *dst, UErrorCode *e)
{
	int32_t k = 0;

	n = icu.normalize(nfd, src, n, tmp, UNITS, e);
	if (U_FAILURE(*e))
		return -1;
	for (int32_t i = 0; i < n;) {
		UChar32 c;

		U16_NEXT(tmp, i, n, c);
		if (!icu.isalnum(c))
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
	const UNormalizer2 *nfkc = icu.nfkc(e);
	const UNormalizer2 *cf = icu.casefold(e);
	const UNormalizer2 *nfd = icu.nfd(e);
	USpoofChecker *sc = icu.spoof_open(e);
	int32_t n = -1;

	if (U_FAILURE(*e))
		goto out;
	icu.from_utf8(a, UNITS, &n, name, -1, e);
	if (U_SUCCESS(*e))
		n = icu.normalize(nfkc, a, n, b, UNITS, e);
	/* Skeleton before folding case: "І" (Cyrillic) is "l" only as a
	 * capital; again after, for what lower case made ("m", "rn"). */
	if (U_SUCCESS(*e))
		n = skeleton_folded(sc, cf, b, n, a, b, e);
	if (U_SUCCESS(*e))
		n = skeleton_folded(sc, cf, b, n, a, b, e);
	if (U_SUCCESS(*e))
		n = letters_only(nfd, b, n, a, b, e);
out:
	if (sc != NULL)
		icu.spoof_close(sc);
	return U_SUCCESS(*e) ? n : -1;
}

char *
idp_client_name_key(struct idp_arena *a, const char *name)
{
	UChar u[UNITS], v[UNITS];
	UErrorCode e = U_ZERO_ERROR;
	int32_t n, len;
	char *out;

	if (!idp_client_name_ready() || name == NULL ||
	    strlen(name) > IDP_CLIENT_NAME_MAX * 4 ||
	    !idp_utf8_valid(name, strlen(name)))
		return NULL;
	if ((n = fold(name, u, v, &e)) < 0)
		return NULL;
	out = idp_arena_alloc(a, (size_t)n * 4 + 1);
	icu.to_utf8(out, n * 4 + 1, &len, v, n, &e);
	return U_SUCCESS(e) ? out : NULL;
}

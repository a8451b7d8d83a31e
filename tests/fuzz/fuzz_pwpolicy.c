/* A new password against the policy (oidc/pwpolicy.c) and the reset code
 * a person types (core/reset.c idp_reset_code_parse): any bytes give a
 * verdict, never a crash; an accepted password is UTF-8 of at least the
 * minimum and at most 256 characters; a parsed code is ten digits. Input:
 * the password (the person's words after the first NUL, if any). */
#include <string.h>

#include "core/reset.h"
#include "oidc/pwpolicy.h"
#include "util/nfkc.h"
#include "util/str.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul ? (size_t)(nul - data) : size;
	char *pw = fuzz_cstr(data, n);
	char *name = nul ? fuzz_cstr(nul + 1, size - n - 1) : NULL;
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_pw_context ctx = { name, name, name, name,
		"SSO Provinsi Bali", 8 };
	char digits[IDP_RESET_CODE_DIGITS + 1];
	enum idp_pw_verdict v = idp_pwpolicy_check(a, pw, n, &ctx);

	if (v == IDP_PW_OK) {
		char norm[IDP_NFKC_MAX];
		long k;

		FUZZ_ASSERT(idp_utf8_valid(pw, n));
		k = idp_nfkc(pw, n, norm, sizeof(norm));
		FUZZ_ASSERT(k >= 0);
		FUZZ_ASSERT(idp_utf8_count(norm, (size_t)k) >= 8);
		FUZZ_ASSERT(idp_utf8_count(norm, (size_t)k) <= IDP_PW_MAX_CHARS);
	}
	FUZZ_ASSERT(v >= IDP_PW_OK && v <= IDP_PW_PERSONAL);
	if (idp_reset_code_parse(pw, digits) == 0) {
		FUZZ_ASSERT(strlen(digits) == IDP_RESET_CODE_DIGITS);
		FUZZ_ASSERT(strspn(digits, "0123456789") ==
		    IDP_RESET_CODE_DIGITS);
	}
	idp_arena_free(a);
	free(name);
	free(pw);
	return 0;
}

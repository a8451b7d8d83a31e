/* What a person types on the second step (crypto/totp.c): a code of the
 * authenticator app (idp_totp_parse) and a recovery code
 * (idp_recovery_parse). A code parses only to six digits' worth, a
 * recovery code only to ten letters of its alphabet, and parsing the
 * normalised form gives it back. Input: the form field. */
#include <string.h>

#include "crypto/totp.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char norm[IDP_RECOVERY_CHARS + 1], again[IDP_RECOVERY_CHARS + 1];
	uint32_t code = 0;
	static const unsigned char key[20] = "12345678901234567890";

	if (idp_totp_parse(s, &code) == 0) {
		FUZZ_ASSERT(code < 1000000);
		FUZZ_ASSERT(strlen(s) >= 6 && strlen(s) <= 32);
		(void)idp_totp_match(key, sizeof(key), 1700000000, code, -1);
	}
	if (idp_recovery_parse(s, norm) == 0) {
		FUZZ_ASSERT(strlen(norm) == IDP_RECOVERY_CHARS);
		FUZZ_ASSERT(idp_recovery_parse(norm, again) == 0);
		FUZZ_ASSERT(strcmp(norm, again) == 0);
		for (size_t i = 0; i < IDP_RECOVERY_CHARS; i++)
			FUZZ_ASSERT(strchr("abcdefghjkmnpqrstuvwxyz23456789",
			    norm[i]) != NULL);
	}
	free(s);
	return 0;
}

/* The user code a person types at /device (oidc/device.c, RFC 8628 §6.1).
 * Whatever the bytes: the parse says empty, malformed or a code; a code is
 * 8 letters of the alphabet, its XXXX-XXXX form and its lower case parse
 * back to it, and parsing what was typed twice gives the same answer.
 * Input: the text typed. */
#include <ctype.h>
#include <string.h>

#include "oidc/device.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *typed = fuzz_cstr(data, size), shown[10], lower[10];
	struct idp_user_code c, again;
	enum idp_user_code_input r = idp_user_code_parse(typed, &c);

	FUZZ_ASSERT(r == IDP_USER_CODE_OK || r == IDP_USER_CODE_EMPTY ||
	    r == IDP_USER_CODE_MALFORMED);
	FUZZ_ASSERT(idp_user_code_parse(typed, &again) == r);
	if (r != IDP_USER_CODE_OK) {
		FUZZ_ASSERT(c.c[0] == '\0');
		free(typed);
		return 0;
	}
	FUZZ_ASSERT(strlen(c.c) == IDP_USER_CODE_LEN);
	FUZZ_ASSERT(strspn(c.c, IDP_USER_CODE_ALPHABET) == IDP_USER_CODE_LEN);
	idp_user_code_format(&c, shown);
	FUZZ_ASSERT(idp_user_code_parse(shown, &again) == IDP_USER_CODE_OK);
	FUZZ_ASSERT(strcmp(again.c, c.c) == 0);
	for (size_t i = 0; i < sizeof(shown); i++)
		lower[i] = (char)tolower((unsigned char)shown[i]);
	FUZZ_ASSERT(idp_user_code_parse(lower, &again) == IDP_USER_CODE_OK);
	FUZZ_ASSERT(strcmp(again.c, c.c) == 0);
	free(typed);
	return 0;
}

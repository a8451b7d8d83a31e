/* Stored password hash strings (crypto/pwimport.c idp_pwhash_alg_of, the
 * parsers behind idp_pwhash_verify) and Keycloak credentials turned into
 * them (idp_pwhash_from_keycloak). Input: a hash string on the first
 * line; Keycloak's secretData and credentialData on the next two. An
 * accepted string has the shape of its algorithm; a cheap one is verified
 * (a wrong password never matches); a converted credential is always a
 * string the verifier accepts. */
#include <string.h>

#include "crypto/pwhash.h"
#include "crypto/pwimport.h"

#include "fuzz.h"

static const char *const prefixes[] = {
	[IDP_PWHASH_ARGON2ID] = "$argon2id$",
	[IDP_PWHASH_BCRYPT] = "$2",
	[IDP_PWHASH_SHA256_CRYPT] = "$5$",
	[IDP_PWHASH_SHA512_CRYPT] = "$6$",
	[IDP_PWHASH_PBKDF2_SHA1] = "$pbkdf2-sha1$i=",
	[IDP_PWHASH_PBKDF2_SHA256] = "$pbkdf2-sha256$i=",
	[IDP_PWHASH_PBKDF2_SHA512] = "$pbkdf2-sha512$i=",
};

/* Verification costs what the string asks; only cheap ones are run. */
static int
cheap(const char *h, enum idp_pwhash_alg alg)
{
	switch (alg) {
	case IDP_PWHASH_BCRYPT:
		return h[4] == '0' && h[5] <= '5';
	case IDP_PWHASH_SHA256_CRYPT:
	case IDP_PWHASH_SHA512_CRYPT:
		return strstr(h, "rounds=") == NULL;
	case IDP_PWHASH_PBKDF2_SHA1:
	case IDP_PWHASH_PBKDF2_SHA256:
	case IDP_PWHASH_PBKDF2_SHA512:
		return strchr(h, '=')[1] != '\0' &&
		    strcspn(strchr(h, '=') + 1, "$") <= 3;
	default:
		return 0;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *line[3], out[512];
	enum idp_pwhash_alg alg;
	const char *why = NULL;

	fuzz_lines(s, line, 3);
	alg = idp_pwhash_alg_of(line[0]);
	if (alg != IDP_PWHASH_UNKNOWN) {
		FUZZ_ASSERT(strlen(line[0]) <= 512);
		FUZZ_ASSERT(!strncmp(line[0], prefixes[alg],
		    strlen(prefixes[alg])));
		FUZZ_ASSERT(alg != IDP_PWHASH_BCRYPT || strlen(line[0]) == 60);
		if (cheap(line[0], alg))
			FUZZ_ASSERT(idp_pwhash_verify(line[0],
			    "fuzz-not-the-password", 21) == -1);
	} else {
		FUZZ_ASSERT(idp_pwhash_verify(line[0], "x", 1) == -1);
	}
	if (idp_pwhash_from_keycloak(line[1], line[2], out, sizeof(out),
	    &why) == 0) {
		FUZZ_ASSERT(idp_pwhash_format_ok(out));
		FUZZ_ASSERT(!strncmp(out, "$pbkdf2-", 8) ||
		    !strncmp(out, "$argon2id$", 10));
	} else {
		FUZZ_ASSERT(why != NULL);
	}
	free(s);
	return 0;
}

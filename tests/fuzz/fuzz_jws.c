/* Compact JWS from outside (crypto/jws.c): ID token hints, JWT access
 * tokens at userinfo and introspection, client assertions. Whatever the
 * input, parsing either refuses it or yields JSON objects with a known
 * alg; verification with an RSA and an EC key never crashes; base64url
 * decoding is strict (one encoding per byte string). Input: the token. */
#include <string.h>

#include "crypto/b64url.h"
#include "crypto/jws.h"
#include "crypto/key.h"

#include "fuzz.h"

static struct idp_key *rsa, *ec;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_keys(IDP_ALG_RS256, &rsa, &ec);
	return 0;
}

/* Strict base64url: what decodes re-encodes to the same text. */
static void
check_b64url(struct idp_arena *a, const char *s, size_t n)
{
	size_t len = 0;
	unsigned char *raw = idp_b64url_decode(a, s, n, &len);
	char *again;

	if (raw == NULL)
		return;
	again = idp_b64url_encode(a, raw, len);
	FUZZ_ASSERT(strlen(again) == n && memcmp(again, s, n) == 0);
	(void)idp_b64_decode(a, s, n, &len);
}

/* What we sign from a parsed payload parses and verifies again. */
static void
check_resign(struct idp_arena *a, json_t *payload)
{
	char *tok = idp_jws_sign(a, ec, "JWT", payload);
	struct idp_jws j;

	if (tok == NULL)
		return;		/* larger than the 64 KiB buffer */
	if (strlen(tok) > IDP_JWS_MAX)
		return;
	FUZZ_ASSERT(idp_jws_parse(a, tok, &j) == 0);
	FUZZ_ASSERT(j.alg == IDP_ALG_ES256);
	FUZZ_ASSERT(json_equal(j.payload, payload));
	FUZZ_ASSERT(idp_jws_verify(&j, ec) == 0);
	FUZZ_ASSERT(idp_jws_verify(&j, rsa) != 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	char *s = fuzz_cstr(data, size);
	struct idp_jws j;

	check_b64url(a, s, strlen(s));
	if (idp_jws_parse(a, s, &j) == 0) {
		FUZZ_ASSERT(json_is_object(j.header));
		FUZZ_ASSERT(json_is_object(j.payload));
		FUZZ_ASSERT(j.alg != IDP_ALG_NONE);
		FUZZ_ASSERT(j.sig != NULL && j.siglen > 0);
		FUZZ_ASSERT(j.signing_input == s);
		FUZZ_ASSERT(j.signing_input_len < strlen(s));
		FUZZ_ASSERT(json_object_get(j.header, "crit") == NULL);
		/* The keys are new to this process: nothing verifies. */
		FUZZ_ASSERT(idp_jws_verify(&j, rsa) != 0);
		FUZZ_ASSERT(idp_jws_verify(&j, ec) != 0);
		check_resign(a, j.payload);
	}
	free(s);
	idp_arena_free(a);
	return 0;
}

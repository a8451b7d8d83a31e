/* Client keys (crypto/key.c idp_key_from_jwk): the jwks of a registration
 * and what a jwks_uri serves. An accepted key is a public RSA key of 2048
 * bits or more or a P-256 key, and its published form reads back as the
 * same key. Input: one JWK as JSON text. */
#include <string.h>

#include "crypto/key.h"

#include "fuzz.h"

static void
check_roundtrip(const struct idp_key *k)
{
	json_t *pub = idp_key_public_jwk(k);
	struct idp_key *again = NULL;

	FUZZ_ASSERT(pub != NULL);
	FUZZ_ASSERT(json_object_get(pub, "d") == NULL);
	/* The client's kid is kept; set it back as the published one. */
	json_object_set_new(pub, "kid", json_string(idp_key_kid(k)));
	FUZZ_ASSERT(idp_key_from_jwk(pub, &again) == 0);
	FUZZ_ASSERT(idp_key_alg(again) == idp_key_alg(k));
	FUZZ_ASSERT(!strcmp(idp_key_kid(again), idp_key_kid(k)));
	FUZZ_ASSERT(!strcmp(idp_key_kty(again), idp_key_kty(k)));
	idp_key_free(again);
	json_decref(pub);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *jwk = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES, NULL);
	struct idp_key *k = NULL;

	if (idp_key_from_jwk(jwk, &k) == 0) {
		enum idp_alg alg = idp_key_alg(k);

		FUZZ_ASSERT(k != NULL);
		FUZZ_ASSERT(json_object_get(jwk, "d") == NULL);
		FUZZ_ASSERT(alg == IDP_ALG_RS256 || alg == IDP_ALG_PS256 ||
		    alg == IDP_ALG_ES256);
		FUZZ_ASSERT(strlen(idp_key_kid(k)) < IDP_KID_MAX);
		check_roundtrip(k);
		idp_key_free(k);
	} else {
		FUZZ_ASSERT(k == NULL);
	}
	json_decref(jwk);
	return 0;
}

/* The attestation object of a passkey registration (crypto/webauthn.c
 * idp_webauthn_attestation_parse, libcbor underneath) and the COSE key
 * parser on the same bytes: only fmt "none" with an empty statement comes
 * through, its authData a copy of at least 37 bytes; whatever the bytes,
 * nothing crashes, hangs or leaks. Input: the decoded attestationObject. */
#include "crypto/webauthn.h"
#include "util/arena.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_webauthn_auth_data p;
	unsigned char *ad = NULL;
	size_t n = 0, used = 0;
	int alg;

	if (idp_webauthn_attestation_parse(a, data, size, &ad, &n) == 0) {
		FUZZ_ASSERT(ad != NULL && n >= 37 && n < size);
		if (idp_webauthn_auth_data_parse(ad, n, &p) == 0 &&
		    (p.flags & IDP_WA_AT))
			FUZZ_ASSERT(p.alg == -7 || p.alg == -257);
	}
	alg = idp_cose_key_alg(data, size, &used);
	FUZZ_ASSERT(alg == 0 || alg == -7 || alg == -257);
	if (alg != 0)
		FUZZ_ASSERT(used > 0 && used <= size);
	idp_arena_free(a);
	return 0;
}

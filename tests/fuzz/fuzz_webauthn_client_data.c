/* clientDataJSON of a WebAuthn ceremony (crypto/webauthn.c
 * idp_webauthn_client_data_parse), as the browser posts it: parsed or
 * refused, never more; a parsed one has a type, an origin and a challenge
 * of 16 to 64 bytes. Input: the decoded JSON bytes. */
#include "crypto/webauthn.h"
#include "util/arena.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_webauthn_client_data d;

	if (idp_webauthn_client_data_parse(a, data, size, &d) == 0) {
		FUZZ_ASSERT(d.type != NULL && d.origin != NULL);
		FUZZ_ASSERT(d.challenge_len >= 16 && d.challenge_len <= 64);
	}
	idp_arena_free(a);
	return 0;
}

/* Authenticator data (crypto/webauthn.c idp_webauthn_auth_data_parse),
 * the bytes an assertion carries and the middle of an attestation object:
 * what is parsed lies inside the input, an attested credential has an id
 * of 16 to 1023 bytes and a COSE key of ES256 or RS256 that parses alone
 * to the same length, and a signature check over it with that key returns
 * without a crash. Input: the decoded authenticatorData. */
#include "crypto/webauthn.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_webauthn_auth_data p;
	static const unsigned char sig[72] = { 0x30, 0x44 };
	size_t used = 0;

	if (idp_webauthn_auth_data_parse(data, size, &p) != 0)
		return 0;
	FUZZ_ASSERT(size >= 37);
	if (p.flags & IDP_WA_AT) {
		FUZZ_ASSERT(p.cred_id >= data && p.cred_id + p.cred_id_len <=
		    data + size);
		FUZZ_ASSERT(p.cred_id_len >= 16 && p.cred_id_len <= 1023);
		FUZZ_ASSERT(p.cose_key + p.cose_key_len <= data + size);
		FUZZ_ASSERT(p.alg == -7 || p.alg == -257);
		FUZZ_ASSERT(idp_cose_key_alg(p.cose_key, p.cose_key_len, &used) ==
		    p.alg && used == p.cose_key_len);
		FUZZ_ASSERT(idp_webauthn_verify(p.cose_key, p.cose_key_len, data,
		    size, data, size, sig, sizeof(sig)) == -1);
	}
	return 0;
}

/* Signing keys at rest (crypto/keyseal.c, crypto/key.c): the key-encryption
 * key file, sealed keys read back from the database, and the PKCS#8 inside.
 * The first byte picks what the rest is:
 *   0  a KEK file: parsed or refused; a parsed one has a 16-character id,
 *      and its hex form names the same key;
 *   1  a sealed blob (under a fixed KEK, kid "fuzz-kid"): anything but a
 *      genuine one is refused; what opens is read as PKCS#8;
 *   2  PKCS#8 DER for the algorithm of the second byte: a key that loads
 *      writes itself out and reads back with the same kid, and seals and
 *      opens again. */
#include <string.h>

#include "crypto/keyseal.h"

#include "fuzz.h"

static const unsigned char fixed_kek[IDP_KEK_LEN] =
    "fuzz key-encryption key 32 bytes";

static void
kek_file(const uint8_t *d, size_t n)
{
	struct idp_kek k, again;
	char hex[2 * IDP_KEK_LEN + 1];

	if (idp_kek_parse(d, n, &k) != 0)
		return;
	FUZZ_ASSERT(strlen(k.id) == IDP_KEK_ID_LEN);
	for (size_t i = 0; i < IDP_KEK_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", k.key[i]);
	FUZZ_ASSERT(idp_kek_parse((const unsigned char *)hex, strlen(hex),
	    &again) == 0);
	FUZZ_ASSERT(memcmp(k.key, again.key, IDP_KEK_LEN) == 0);
	FUZZ_ASSERT(strcmp(k.id, again.id) == 0);
}

static void
pkcs8(const struct idp_kek *kek, enum idp_alg alg, const uint8_t *d, size_t n)
{
	struct idp_key *k = NULL, *back = NULL;
	unsigned char *der = NULL, *blob = NULL;
	size_t dn = 0, bn = 0;
	json_t *jwk;

	if (idp_key_from_der(d, n, alg, &k) != 0)
		return;
	FUZZ_ASSERT(idp_key_alg(k) == alg);
	jwk = idp_key_public_jwk(k);
	FUZZ_ASSERT(jwk != NULL && json_object_get(jwk, "d") == NULL);
	json_decref(jwk);
	FUZZ_ASSERT(idp_key_to_der(k, &der, &dn) == 0);
	FUZZ_ASSERT(idp_key_from_der(der, dn, alg, &back) == 0);
	FUZZ_ASSERT(strcmp(idp_key_kid(back), idp_key_kid(k)) == 0);
	idp_key_free(back);
	back = NULL;
	FUZZ_ASSERT(idp_key_seal(kek, k, &blob, &bn) == 0);
	FUZZ_ASSERT(idp_key_unseal(kek, idp_key_kid(k), alg, blob, bn,
	    &back) == 0);
	FUZZ_ASSERT(strcmp(idp_key_kid(back), idp_key_kid(k)) == 0);
	free(blob);
	idp_key_der_free(der, dn);
	idp_key_free(back);
	idp_key_free(k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_kek kek;
	unsigned char *pt = NULL;
	size_t ptn = 0;

	if (size < 2)
		return 0;
	if (idp_kek_parse(fixed_kek, sizeof(fixed_kek), &kek) != 0)
		abort();
	switch (data[0]) {
	case 0:
		kek_file(data + 1, size - 1);
		break;
	case 1:
		if (idp_unseal(&kek, "fuzz-kid", data + 1, size - 1, &pt, &ptn)
		    != 0)
			break;
		FUZZ_ASSERT(ptn + IDP_SEAL_OVERHEAD == size - 1);
		for (size_t i = 0; i < IDP_ALG_COUNT; i++)
			pkcs8(&kek, idp_algs_all[i], pt, ptn);
		idp_unseal_free(pt, ptn);
		break;
	case 2:
		pkcs8(&kek, idp_algs_all[data[1] % IDP_ALG_COUNT], data + 2,
		    size - 2);
		break;
	default:
		break;
	}
	return 0;
}

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "crypto/digest.h"

void
idp_sha256(const void *in, size_t n, unsigned char out[IDP_SHA256_LEN])
{
	SHA256(in, n, out);
}

void
idp_sha256_str(const char *s, unsigned char out[IDP_SHA256_LEN])
{
	SHA256((const unsigned char *)s, strlen(s), out);
}

int
idp_hmac_sha256(const void *key, size_t keylen, const void *in, size_t n,
    unsigned char out[IDP_SHA256_LEN])
{
	unsigned int len = IDP_SHA256_LEN;

	if (keylen > 0x7fffffff)
		return -1;
	if (HMAC(EVP_sha256(), key, (int)keylen, in, n, out, &len) == NULL)
		return -1;
	return len == IDP_SHA256_LEN ? 0 : -1;
}

bool
idp_ct_eq(const void *a, size_t alen, const void *b, size_t blen)
{
	if (a == NULL || b == NULL || alen != blen)
		return false;
	return CRYPTO_memcmp(a, b, alen) == 0;
}

bool
idp_ct_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return false;
	return idp_ct_eq(a, strlen(a), b, strlen(b));
}

/* Digests and constant-time comparison. Secrets the provider generates are
 * high-entropy, so SHA-256 is the right way to store them (a slow password
 * hash would add nothing but latency); only human passwords use argon2id. */
#ifndef IDP_CRYPTO_DIGEST_H
#define IDP_CRYPTO_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#define IDP_SHA256_LEN 32

void idp_sha256(const void *in, size_t n, unsigned char out[IDP_SHA256_LEN]);
void idp_sha256_str(const char *s, unsigned char out[IDP_SHA256_LEN]);
int idp_hmac_sha256(const void *key, size_t keylen, const void *in, size_t n,
    unsigned char out[IDP_SHA256_LEN]) __attribute__((warn_unused_result));

/* NULL never matches; lengths are checked first (lengths of our secrets
 * are public); the content is compared in constant time. */
bool idp_ct_eq(const void *a, size_t alen, const void *b, size_t blen)
	__attribute__((warn_unused_result));
bool idp_ct_streq(const char *a, const char *b)
	__attribute__((warn_unused_result));

#endif

/* One signing or verification key. Only crypto/ sees EVP_PKEY; everything
 * else holds a struct idp_key and calls sign/verify/export on it, so the
 * private key could later move into a process of its own. */
#ifndef IDP_CRYPTO_KEY_H
#define IDP_CRYPTO_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/arena.h"

enum idp_alg {
	IDP_ALG_NONE = 0,
	IDP_ALG_RS256,
	IDP_ALG_ES256,
	IDP_ALG_PS256,
	IDP_ALG_EDDSA,		/* Ed25519 (RFC 8037) */
};

/* Every algorithm the provider signs with, in the order discovery lists. */
#define IDP_ALG_COUNT 4
extern const enum idp_alg idp_algs_all[IDP_ALG_COUNT];

#define IDP_KID_MAX 64
#define IDP_RSA_MIN_BITS 2048

struct idp_key;

const char *idp_alg_name(enum idp_alg alg);
enum idp_alg idp_alg_parse(const char *s);	/* IDP_ALG_NONE if unknown */

/* A fresh private key: RSA of rsa_bits (>= 2048) for RS256/PS256, P-256 for
 * ES256, Ed25519 for EdDSA. */
int idp_key_generate(enum idp_alg alg, int rsa_bits, struct idp_key **out)
	__attribute__((warn_unused_result));
/* Load a PEM private key; alg must fit the key type. Refuses a file that
 * group or others can read. */
int idp_key_load_file(const char *path, enum idp_alg alg, struct idp_key **out,
    char *why, size_t whylen) __attribute__((warn_unused_result));
/* Write the private key as PKCS#8 PEM, created 0600 and never overwritten. */
int idp_key_write_file(const struct idp_key *k, const char *path,
    char *why, size_t whylen) __attribute__((warn_unused_result));
/* The private key as PKCS#8 DER in memory from OPENSSL_malloc; the caller
 * releases it with idp_key_der_free, which wipes it first. */
int idp_key_to_der(const struct idp_key *k, unsigned char **der, size_t *n)
	__attribute__((warn_unused_result));
void idp_key_der_free(unsigned char *der, size_t n);
/* A private key from PKCS#8 DER; alg must fit the key type. */
int idp_key_from_der(const unsigned char *der, size_t n, enum idp_alg alg,
    struct idp_key **out) __attribute__((warn_unused_result));
/* A public key from a JWK object (RSA, EC P-256 or OKP Ed25519), for client
 * keys.
 * Refuses private members, RSA under 2048 bits and unknown curves. */
int idp_key_from_jwk(json_t *jwk, struct idp_key **out)
	__attribute__((warn_unused_result));
void idp_key_free(struct idp_key *k);	/* accepts NULL */

const char *idp_key_kid(const struct idp_key *k);
enum idp_alg idp_key_alg(const struct idp_key *k);
/* kty of the key: "RSA", "EC" or "OKP". */
const char *idp_key_kty(const struct idp_key *k);
/* The RFC 7638 JWK thumbprint of the public key (SHA-256, base64url), as
 * DPoP's jkt (RFC 9449 §6.1) and the provider's own kids use it. */
#define IDP_JKT_LEN 43
int idp_key_thumbprint(const struct idp_key *k, char out[IDP_JKT_LEN + 1])
	__attribute__((warn_unused_result));
/* The public JWK (kty, kid, alg, use, and n/e, crv/x/y or crv/x); new
 * reference. */
json_t *idp_key_public_jwk(const struct idp_key *k);

/* Raw JWS signature over data (R||S for ES256); *siglen in/out. */
int idp_key_sign(const struct idp_key *k, const void *data, size_t n,
    unsigned char *sig, size_t *siglen) __attribute__((warn_unused_result));
/* 0 when sig is a valid signature of data by k with alg. */
int idp_key_verify(const struct idp_key *k, enum idp_alg alg, const void *data,
    size_t n, const unsigned char *sig, size_t siglen)
	__attribute__((warn_unused_result));

#define IDP_SIG_MAX 1024

#endif

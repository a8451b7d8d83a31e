/* Private signing keys at rest: PKCS#8 sealed with AES-256-GCM under a
 * key-encryption key (KEK) that every node reads from a file or a systemd
 * credential. The signing key's kid is bound as additional data, so a
 * sealed key copied onto another row does not open. */
#ifndef IDP_CRYPTO_KEYSEAL_H
#define IDP_CRYPTO_KEYSEAL_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto/key.h"

#define IDP_KEK_LEN 32
#define IDP_KEK_ID_LEN 16	/* base64url characters */
#define IDP_SEAL_OVERHEAD (2 + 12 + 16)	/* version, nonce, tag */

struct idp_kek {
	unsigned char key[IDP_KEK_LEN];
	/* Names the KEK without revealing it: base64url of 12 bytes of
	 * SHA-256 over a label and the key. Stored beside each sealed key. */
	char id[IDP_KEK_ID_LEN + 1];
};

/* A KEK from the bytes of its file: exactly 32 bytes, or 64 hex digits
 * with an optional line end. 0, or -1 for anything else. */
int idp_kek_parse(const unsigned char *buf, size_t n, struct idp_kek *out)
	__attribute__((warn_unused_result));
/* Read and parse path. With private, refuses a file group or others can
 * read (a systemd credential is restricted by systemd, maybe with an ACL
 * that shows as group bits, so it is read without). */
int idp_kek_load(const char *path, bool private, struct idp_kek *out,
    char *why, size_t whylen) __attribute__((warn_unused_result));
void idp_kek_wipe(struct idp_kek *k);

/* AES-256-GCM of pt with a fresh random nonce and kid as additional data.
 * *blob is malloc'd: version (2) || nonce (12) || ciphertext || tag (16). */
int idp_seal(const struct idp_kek *k, const char *kid, const unsigned char *pt,
    size_t n, unsigned char **blob, size_t *bloblen)
	__attribute__((warn_unused_result));
/* The reverse; -1 for a wrong KEK, another kid, or any change to the blob.
 * *pt is malloc'd; release it with idp_unseal_free, which wipes it. */
int idp_unseal(const struct idp_kek *k, const char *kid,
    const unsigned char *blob, size_t n, unsigned char **pt, size_t *ptlen)
	__attribute__((warn_unused_result));
void idp_unseal_free(unsigned char *pt, size_t n);

/* A signing key sealed under k with its own kid as additional data. */
int idp_key_seal(const struct idp_kek *k, const struct idp_key *key,
    unsigned char **blob, size_t *bloblen) __attribute__((warn_unused_result));
/* Open a sealed key that must have the given kid and fit alg. */
int idp_key_unseal(const struct idp_kek *k, const char *kid, enum idp_alg alg,
    const unsigned char *blob, size_t n, struct idp_key **out)
	__attribute__((warn_unused_result));

/* A person's TOTP key (RFC 6238) sealed under k, with "totp:<user id>" as
 * additional data: a sealed key copied onto another person's row does not
 * open, and no TOTP blob opens as a signing key or the other way round
 * (kids are base64url, without ':'). */
#define IDP_TOTP_AAD_MAX 32
int idp_totp_key_seal(const struct idp_kek *k, long long user_id,
    const unsigned char *key, size_t n, unsigned char **blob, size_t *bloblen)
	__attribute__((warn_unused_result));
/* The reverse, for that person only. *key is malloc'd; release it with
 * idp_unseal_free. */
int idp_totp_key_unseal(const struct idp_kek *k, long long user_id,
    const unsigned char *blob, size_t n, unsigned char **key, size_t *keylen)
	__attribute__((warn_unused_result));

#endif

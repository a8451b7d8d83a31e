/* Password hashes brought from other systems, verified as they are until
 * the person's next sign-in replaces them with argon2id (idp_pwhash_str):
 *
 *   bcrypt      $2a$NN$..., $2b$NN$..., $2y$NN$... (cost 4-15)
 *   SHA-crypt   $5$[rounds=N$]SALT$HASH, $6$[rounds=N$]SALT$HASH
 *               (rounds 1000-1000000, salt up to 16 characters of
 *               ./0-9A-Za-z)
 *     both verified by libcrypt (libxcrypt's crypt_rn)
 *   PBKDF2      $pbkdf2-sha1$i=N$SALT$HASH, $pbkdf2-sha256$..., and
 *               $pbkdf2-sha512$... (PKCS #5 PBKDF2-HMAC, RFC 8018):
 *               i from 1 to 10000000, SALT (4-64 bytes) and HASH (16-64
 *               bytes, the length of the derived key) in standard base64
 *               without padding, as the PHC string format writes them
 *
 * Keycloak's realm export (credentials[].secretData / credentialData of
 * pbkdf2, pbkdf2-sha256, pbkdf2-sha512 and argon2 passwords) converts to
 * these strings or to argon2id's PHC string (idp_pwhash_from_keycloak). */
#ifndef IDP_CRYPTO_PWIMPORT_H
#define IDP_CRYPTO_PWIMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum idp_pwhash_alg {
	IDP_PWHASH_UNKNOWN,
	IDP_PWHASH_ARGON2ID,
	IDP_PWHASH_BCRYPT,
	IDP_PWHASH_SHA256_CRYPT,
	IDP_PWHASH_SHA512_CRYPT,
	IDP_PWHASH_PBKDF2_SHA1,
	IDP_PWHASH_PBKDF2_SHA256,
	IDP_PWHASH_PBKDF2_SHA512,
};

/* The algorithm of a stored hash string when it is well-formed and its
 * cost within the bounds above (argon2id: those of crypto/pwhash.c);
 * IDP_PWHASH_UNKNOWN otherwise. Cheap: nothing is hashed. */
enum idp_pwhash_alg idp_pwhash_alg_of(const char *hash);
/* "argon2id", "bcrypt", "sha256-crypt", "sha512-crypt", "pbkdf2-sha1",
 * "pbkdf2-sha256", "pbkdf2-sha512"; "unknown". For the audit. */
const char *idp_pwhash_alg_name(enum idp_pwhash_alg alg);
/* A hash idpctl may store: idp_pwhash_alg_of knows it. */
bool idp_pwhash_format_ok(const char *hash);

/* 0 when password matches an imported (not argon2id) hash; -1 otherwise,
 * and for every malformed string. Called by idp_pwhash_verify. */
int idp_pwimport_verify(const char *hash, const char *password, size_t pwlen)
	__attribute__((warn_unused_result));

/* PBKDF2-HMAC with md "sha1", "sha256" or "sha512" (for the RFC vectors
 * and the verifier). 0 on success. */
int idp_pbkdf2(const char *md, const char *password, size_t pwlen,
    const unsigned char *salt, size_t saltlen, uint32_t iterations,
    unsigned char *out, size_t outlen)
	__attribute__((warn_unused_result));

/* The hash string of one Keycloak password credential: secret_data and
 * credential_data are the two JSON documents Keycloak keeps as strings in
 * its export. 0 and the string in out (outlen >= 256), or -1 with a short
 * reason in *why. */
int idp_pwhash_from_keycloak(const char *secret_data,
    const char *credential_data, char *out, size_t outlen, const char **why);

#endif

/*
 * The provider's signing keys. libjwt 1.10 verifies a signature with a PEM
 * public key and has no JWK support, so the portal picks the key from the
 * JWK Set itself and converts it with OpenSSL: JWK members -> EVP_PKEY ->
 * PEM SubjectPublicKeyInfo. Pure functions, no I/O.
 */
#ifndef SPBE_PORTAL_JWK_H
#define SPBE_PORTAL_JWK_H

#include <stddef.h>

#include <jansson.h>

/* The JWS algorithms the portal accepts for ID tokens (RFC 7518 §3.1). */
#define JWK_ALG_RS256	"RS256"
#define JWK_ALG_ES256	"ES256"

/* RSA keys shorter than this are refused (RFC 7518 §3.3 requires 2048). */
#define JWK_RSA_MIN_BITS	2048

enum jwks_result {
	JWKS_FOUND = 0,
	JWKS_NOT_FOUND,		/* no key fits: maybe the keys rotated */
	JWKS_AMBIGUOUS,		/* several keys fit and no kid decides */
	JWKS_MALFORMED,		/* not a JWK Set (RFC 7517 §5) */
};

/*
 * Finds the one key of a JWK Set that may verify a JWS with this header
 * alg and kid (kid may be NULL). The key is borrowed from jwks.
 */
enum jwks_result jwks_select(const json_t *jwks, const char *alg,
	    const char *kid, const json_t **key);

/*
 * Converts a public JWK to PEM, checking it suits alg: RS256 needs an RSA
 * key of at least 2048 bits, ES256 a P-256 point on the curve. Returns a
 * heap string, or NULL with a reason in err.
 */
char	*jwk_to_pem(const json_t *jwk, const char *alg, char *err,
	    size_t errlen);

#endif

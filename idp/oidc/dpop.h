/* DPoP proofs (RFC 9449 §4): the rules a proof must pass, the thumbprint
 * of its key, the comparison of htu, and the nonces the provider hands out
 * (§8). Pure: no I/O. Remembering each jti (§11.1) is core/dpop.c's work,
 * against the database, so that every instance of the provider agrees.
 *
 * Nonces need no shared state either: a nonce is the number of a time
 * window and an HMAC of it under a key every instance reads from the
 * database. A new one is handed out every `rotation` seconds; one is
 * accepted in its own window, the one before (a client that just got it)
 * and the one after (an instance whose clock is a little behind), so for
 * at least one and at most two rotations. */
#ifndef IDP_OIDC_DPOP_H
#define IDP_OIDC_DPOP_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/key.h"
#include "util/arena.h"
#include "util/err.h"

#define IDP_DPOP_JTI_MAX 256
#define IDP_DPOP_SKEW 60		/* seconds an iat may be ahead of us */
#define IDP_DPOP_NONCE_KEY_LEN 32
#define IDP_DPOP_NONCE_LEN 32		/* base64url of 8 + 16 bytes */

/* The proof algorithms (dpop_signing_alg_values_supported, the algs of a
 * DPoP challenge): what crypto/key.c verifies. */
#define IDP_DPOP_ALGS "ES256 PS256 RS256"
extern const char *const idp_dpop_algs_supported[];

/* What the request the proof came with says. */
struct idp_dpop_want {
	const char *htm;		/* the request's method */
	const char *htu;		/* the endpoint's URL (issuer + path) */
	const char *access_token;	/* presented with it (ath), or NULL */
	int64_t now;
	int64_t max_age;		/* of iat, when no nonce vouches */
	const unsigned char *nonce_key;	/* NULL: nonces are not used */
	int64_t nonce_rotation;		/* seconds */
	bool nonce_required;
};

struct idp_dpop_proof {
	char jkt[IDP_JKT_LEN + 1];	/* RFC 7638 thumbprint of its jwk */
	const char *jti;		/* borrowed from the proof */
	enum idp_alg alg;
	bool fresh_by_nonce;		/* a valid nonce, not iat, vouched */
	int64_t keep_until;		/* when its jti may be forgotten */
};

/* §4.3: one well-formed JWT with typ dpop+jwt, an asymmetric alg we
 * support, a public jwk that verifies the signature, jti, htm and htu
 * matching the request, iat, ath for an access token, and a fresh creation
 * time: by a valid nonce when it has one (§11.1 allows the nonce to stand
 * for the time), otherwise by iat within max_age. Returns
 * IDP_ERR_INVALID_DPOP_PROOF, or IDP_ERR_USE_DPOP_NONCE when the proof is
 * good but lacks a (current) nonce, with *why for error_description. */
enum idp_err idp_dpop_check(struct idp_arena *a, const char *proof,
    const struct idp_dpop_want *w, struct idp_dpop_proof *out,
    const char **why);

/* An http(s) URI without query and fragment, normalised per RFC 3986
 * §6.2.2 (case, percent-encoding, dot segments) and §6.2.3 (default port,
 * empty path). NULL when it is no absolute http(s) URI. */
char *idp_dpop_htu_normalize(struct idp_arena *a, const char *uri);

/* The nonce of the window holding now. */
char *idp_dpop_nonce(struct idp_arena *a,
    const unsigned char key[IDP_DPOP_NONCE_KEY_LEN], int64_t now,
    int64_t rotation);
/* Whether nonce is one of ours and still accepted; *until is when it stops
 * being accepted. */
bool idp_dpop_nonce_ok(const unsigned char key[IDP_DPOP_NONCE_KEY_LEN],
    const char *nonce, int64_t now, int64_t rotation, int64_t *until);

/* A JWK SHA-256 thumbprint as dpop_jkt carries it: 43 base64url
 * characters (RFC 9449 §10). */
bool idp_dpop_jkt_syntax_ok(const char *s);

#endif

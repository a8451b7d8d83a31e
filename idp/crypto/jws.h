/* Compact JWS (RFC 7515) for ID tokens, JWT access tokens (RFC 9068) and
 * client assertions (RFC 7523). Payloads are jansson objects. */
#ifndef IDP_CRYPTO_JWS_H
#define IDP_CRYPTO_JWS_H

#include <stddef.h>

#include <jansson.h>

#include "crypto/key.h"
#include "util/arena.h"

#define IDP_JWS_MAX 16384	/* longest JWS we accept from outside */

struct idp_jws {
	json_t *header;		/* owned by the arena (decref'd on free) */
	json_t *payload;
	enum idp_alg alg;
	const char *kid;	/* NULL when the header has none */
	const char *typ;
	const char *signing_input;	/* "header.payload" */
	size_t signing_input_len;
	unsigned char *sig;
	size_t siglen;
};

/* Sign payload with k; typ is "JWT" or "at+jwt". NULL on failure. */
char *idp_jws_sign(struct idp_arena *a, const struct idp_key *k,
    const char *typ, json_t *payload);

/* Split and decode; checks structure only (three parts, JSON objects, a
 * known alg). Returns -1 on any malformation. */
int idp_jws_parse(struct idp_arena *a, const char *compact, struct idp_jws *out)
	__attribute__((warn_unused_result));
int idp_jws_verify(const struct idp_jws *j, const struct idp_key *k)
	__attribute__((warn_unused_result));

/* OIDC at_hash / c_hash for SHA-256 algorithms: base64url of the left half
 * of SHA-256 of the ASCII value. */
char *idp_jose_half_hash(struct idp_arena *a, const char *value);

#endif

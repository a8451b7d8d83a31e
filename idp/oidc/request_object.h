/* Request objects (RFC 9101, OIDC Core §6): an authorization request as
 * the claims of a JWT the client signed with one of its registered keys.
 * This file holds the rules that need no key: the shape of the JWT (JWS
 * only; no JWE, never alg none), its claims, and the parameters it
 * carries. core/request_object.c checks the signature with the client's
 * keys first. Pure: no I/O, so every byte of it can be fuzzed.
 *
 * Claim rules, for a signed object (RFC 9101 §4, §6.3, §10.8):
 *  - typ, when present, is oauth-authz-req+jwt (or JWT);
 *  - iss is the client_id, aud names the issuer (string or array);
 *  - client_id is there and equals the client_id parameter outside;
 *  - exp is there, not past, and at most an hour ahead; nbf and iat, when
 *    there, are not in the future (60 s of clock difference allowed);
 *  - request and request_uri are not among its claims;
 *  - response_type outside, when sent, equals the one inside (OIDC Core
 *    §6.1).
 * jti is not remembered: an object by value may come again when a person
 * reloads the page, and a pushed one is used once through its
 * request_uri anyway. */
#ifndef IDP_OIDC_REQUEST_OBJECT_H
#define IDP_OIDC_REQUEST_OBJECT_H

#include <stdint.h>

#include "crypto/jws.h"
#include "http/req.h"
#include "util/arena.h"
#include "util/err.h"

#define IDP_RO_MAX_LIFETIME 3600	/* seconds from now to exp */
#define IDP_RO_SKEW 60

/* Split and decode a request object. IDP_ERR_INVALID_REQUEST_OBJECT with
 * *why for a JWE, an unsigned (alg none) object, or anything that is not
 * a compact JWS with RS256, PS256 or ES256. */
enum idp_err idp_request_object_parse(struct idp_arena *a,
    const char *compact, struct idp_jws *out, const char **why);

struct idp_ro_want {
	const char *client_id;		/* the client_id parameter */
	const char *response_type;	/* outside, or NULL */
	const char *issuer;
	enum idp_alg alg;		/* registered, or IDP_ALG_NONE: any */
	int64_t now;
};

/* The claims rules above for a request object whose signature verified,
 * and its authorization request parameters (the claims that are not JWT
 * bookkeeping: iss, aud, exp, nbf, iat, jti, sub): strings as they are,
 * integers in decimal, objects (claims) as compact JSON, an array of one
 * string as that string. At most max; in the arena. On error returns
 * IDP_ERR_INVALID_REQUEST_OBJECT with *why. */
enum idp_err idp_request_object_check(struct idp_arena *a,
    const struct idp_jws *j, const struct idp_ro_want *w,
    struct idp_kv *params, size_t max, size_t *n, const char **why);

#endif

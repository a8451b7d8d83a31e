/* A JWS a client signed with one of its registered keys (jwks, or the
 * key set at its jwks_uri through core/jwks_uri.c): client assertions
 * (RFC 7523) and request objects (RFC 9101). */
#ifndef IDP_CORE_CLIENT_KEYS_H
#define IDP_CORE_CLIENT_KEYS_H

#include <stdbool.h>

#include "crypto/jws.h"
#include "http/req.h"
#include "oidc/client.h"

/* *found: a key of c verifies j (the key j's kid names, when both have
 * kids). Fails only when the key set cannot be fetched now
 * (IDP_ERR_UNAVAILABLE). Before a fetch the request's database
 * connection is given back: a fetch may take seconds. */
enum idp_err idp_client_keys_verify(struct idp_req *rq,
    const struct idp_client *c, const struct idp_jws *j, bool *found);

#endif

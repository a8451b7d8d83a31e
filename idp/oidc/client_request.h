/* Client metadata of how a client sends its requests: pushed
 * authorization requests (RFC 9126 §6), request objects (RFC 9101 §10.5,
 * OIDC Dynamic Registration §2) and DPoP (RFC 9449 §5.2). Part of
 * oidc/client.c's validation, in a file of its own. Pure: no I/O. */
#ifndef IDP_OIDC_CLIENT_REQUEST_H
#define IDP_OIDC_CLIENT_REQUEST_H

#include <jansson.h>

#include "oidc/client.h"

/* require_pushed_authorization_requests, require_signed_request_object
 * and dpop_bound_access_tokens (booleans), request_object_signing_alg
 * (RS256, PS256 or ES256: unsigned objects are never accepted). Request
 * objects need the client's public keys: out must already hold jwks or
 * jwks_uri when the client registers for them. On error returns
 * IDP_ERR_INVALID_CLIENT_METADATA with *why. */
enum idp_err idp_client_request_metadata(json_t *in, json_t *out,
    const char **why);

/* The same members of validated metadata into c. */
void idp_client_request_read(struct idp_client *c, json_t *md);

#endif

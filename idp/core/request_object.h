/* A request object (RFC 9101) opened for a client: parsed, its signature
 * checked with the client's registered keys (core/client_keys.h), its
 * claims checked (oidc/request_object.h), its parameters returned. Used
 * by the authorization endpoint (by value) and the pushed authorization
 * request endpoint. */
#ifndef IDP_CORE_REQUEST_OBJECT_H
#define IDP_CORE_REQUEST_OBJECT_H

#include "http/req.h"
#include "oidc/client.h"

/* response_type: the parameter outside the object, or NULL. params holds
 * up to max; *n is set. IDP_ERR_INVALID_REQUEST_OBJECT with *why, or
 * IDP_ERR_UNAVAILABLE when the client's key set cannot be fetched now. */
enum idp_err idp_request_object_open(struct idp_req *rq,
    const struct idp_client *c, const char *compact,
    const char *response_type, struct idp_kv *params, size_t max,
    size_t *n, const char **why);

#endif

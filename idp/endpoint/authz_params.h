/* Where the parameters of an authorization request come from: the query
 * (or form) itself, a request object passed by value (RFC 9101 §5.1), or
 * a request pushed to /par before (RFC 9126 §4). A request object's or a
 * pushed request's parameters alone count (RFC 9101 §6.3): they replace
 * the request's, and the authorization endpoint validates them as it
 * validates any request. request_uri values other than those /par hands
 * out are not fetched (request_uri_not_supported). */
#ifndef IDP_ENDPOINT_AUTHZ_PARAMS_H
#define IDP_ENDPOINT_AUTHZ_PARAMS_H

#include "http/req.h"
#include "oidc/authz.h"
#include "oidc/client.h"
#include "page/trouble.h"

#define IDP_PAR_URN "urn:ietf:params:oauth:request_uri:"

/* For client c (named by the client_id parameter): when the request has
 * request or request_uri, unpack it into the request's parameters and say
 * so in o (pushed, signed_request). On error (shown on a page: nothing in
 * the request can be trusted yet) returns it with *kind and *why. */
enum idp_err idp_authz_params_unpack(struct idp_req *rq,
    const struct idp_client *c, struct idp_authz_opts *o,
    enum idp_trouble_kind *kind, const char **why);

/* The parameters kv as the JSON object a pushed request is kept as; NULL
 * when they cannot be serialised. */
char *idp_authz_params_json(struct idp_arena *a, const struct idp_kv *kv,
    size_t n);

#endif

/* Client authentication at the token, introspection and revocation
 * endpoints (RFC 6749 §2.3, RFC 7523 §2.2, OIDC Core §9): exactly one
 * method per request, and it must be the one the client registered. */
#ifndef IDP_CORE_CLIENT_AUTH_H
#define IDP_CORE_CLIENT_AUTH_H

#include "http/req.h"
#include "oidc/client.h"

/* On failure returns IDP_ERR_INVALID_CLIENT (or IDP_ERR_INVALID_REQUEST
 * for a malformed request) with *why for error_description; the detail
 * goes to the log. A client that authenticates but whose registration is
 * pending or rejected gets IDP_ERR_UNAUTHORIZED_CLIENT. */
enum idp_err idp_client_authenticate(struct idp_req *rq,
    const struct idp_client **out, const char **why);

#endif

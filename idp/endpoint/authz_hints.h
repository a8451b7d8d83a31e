/* Does the signed-in person match what the authorization request says
 * about who should sign in? The id_token_hint's sub, the sub a claims
 * request names (OIDC Core §3.1.2.2) and login_hint are compared with the
 * subject this client is given for the person (core/subject.h), so that
 * pairwise clients' hints work too; a login_hint may also be the
 * person's username or e-mail address (case-insensitive). A mismatch
 * shows the login page (or login_required for prompt=none). */
#ifndef IDP_ENDPOINT_AUTHZ_HINTS_H
#define IDP_ENDPOINT_AUTHZ_HINTS_H

#include <stdbool.h>

#include "http/req.h"
#include "oidc/authz.h"
#include "oidc/client.h"
#include "store/directory.h"

/* hint_sub: the sub of a verified id_token_hint, or NULL. */
bool idp_authz_hints_match(struct idp_req *rq, const struct idp_client *c,
    const struct idp_authz *z, const char *hint_sub,
    const struct idp_user *u);

#endif

/* The rules a registration must pass against what is registered already,
 * shared by /register (RFC 7591/7592), idpctl's manifests and, later, the
 * developer portal: its API scopes must exist and be allowed to it, and
 * its name must not look like another organisation's service. */
#ifndef IDP_CORE_REGISTRY_H
#define IDP_CORE_REGISTRY_H

#include <jansson.h>

#include "store/db.h"
#include "util/arena.h"
#include "util/err.h"

/* The API scopes of metadata's "scope" (validated metadata) exist and are
 * allowed to client_id of owner_org (either may name what is not stored
 * yet). IDP_ERR_INVALID_CLIENT_METADATA with the scope named in *why. */
enum idp_err idp_registry_check_scopes(struct idp_dbconn *c,
    struct idp_arena *a, const char *client_id, const char *owner_org,
    json_t *metadata, const char **why);

/* metadata's client_name (if any) has letters or digits and is not
 * confusingly close to the name of a client of another organisation
 * (oidc/client_name.h). IDP_ERR_INVALID_CLIENT_METADATA otherwise. */
enum idp_err idp_registry_check_name(struct idp_dbconn *c,
    struct idp_arena *a, const char *client_id, const char *owner_org,
    json_t *metadata, const char **why);

#endif

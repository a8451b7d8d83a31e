/* The OpenID Provider Metadata document (OIDC Discovery 1.0 §3, RFC 8414).
 * Built from the configuration, the algorithms that have an active key,
 * and the routes that exist, so it advertises only what is served. */
#ifndef IDP_OIDC_DISCOVERY_H
#define IDP_OIDC_DISCOVERY_H

#include <stdbool.h>

#include <jansson.h>

#include "config.h"
#include "crypto/keyset.h"

/* served: the paths the provider routes, NULL-terminated (handed down by
 * the daemon at start, so this layer never calls up into the router). */
json_t *idp_discovery_build(const struct idp_config *cfg,
    const struct idp_keyset *ks, const char *const *served);

#endif

/* The sector identifier document of a pairwise client (OIDC Core §8.1,
 * OIDC Registration §5): fetched through the one outbound fetcher
 * (core/fetch.h) when a registration names a sector_identifier_uri, and
 * again whenever it is updated; it must be a JSON array listing every
 * redirect URI of the client (oidc/subject.h). Shared by /register and
 * idpctl (manifests). */
#ifndef IDP_CORE_SECTOR_H
#define IDP_CORE_SECTOR_H

#include <jansson.h>

#include "core/fetch.h"
#include "util/arena.h"
#include "util/err.h"

/* IDP_OK when metadata (validated) has no sector_identifier_uri or its
 * document lists every redirect URI; IDP_ERR_INVALID_CLIENT_METADATA with
 * *why naming the problem (refused address, not 200, too large, not an
 * array, a redirect URI missing); IDP_ERR_UNAVAILABLE when the provider's
 * own limit on outbound calls stopped it. */
enum idp_err idp_sector_verify(struct idp_fetcher *f, struct idp_arena *a,
    const struct idp_fetch_caller *who, json_t *metadata, const char **why);

#endif

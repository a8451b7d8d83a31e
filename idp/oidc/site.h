/* Which site a URI belongs to: its host's registrable domain under the
 * Public Suffix List (libpsl's built-in list), so that
 * cdn.baliprov.go.id and simpeg.baliprov.go.id are one site (go.id is a
 * public suffix) and badungkab.go.id another. Pure: no I/O. */
#ifndef IDP_OIDC_SITE_H
#define IDP_OIDC_SITE_H

#include <stdbool.h>

#include "util/arena.h"

/* The host of an http or https URI, lower-cased (IPv6 keeps its
 * brackets), in the arena; NULL for other URIs or without a host. */
char *idp_uri_host(struct idp_arena *a, const char *uri);

/* The registrable domain of host ("baliprov.go.id"); for an IP address,
 * a public suffix itself or a name the list does not cover, the host
 * itself. In the arena. */
char *idp_site_of(struct idp_arena *a, const char *host);

/* May a page show uri (logo_uri, client_uri, policy_uri, tos_uri) for a
 * client with these redirect URIs? Only an https URI on the registrable
 * domain of one of them: a client cannot borrow another site's logo or
 * name another site as its home. */
bool idp_site_uri_shown(struct idp_arena *a, const char *uri,
    char *const *redirect_uris);

#endif

/* Registered clients, cached in memory for client_cache_ttl seconds so a
 * token request costs no extra round trip. PostgreSQL stays the source of
 * truth: changes made elsewhere (idpctl, another instance) show within the
 * TTL, and changes made by this process invalidate at once. */
#ifndef IDP_CORE_CLIENTS_H
#define IDP_CORE_CLIENTS_H

#include "http/req.h"
#include "oidc/client.h"

struct idp_client_cache;

struct idp_client_cache *idp_client_cache_new(int ttl_seconds);
void idp_client_cache_free(struct idp_client_cache *cc);

/* The client, held until the request's arena is destroyed.
 * IDP_ERR_NOT_FOUND for unknown (or invalid) client ids. Disabled clients
 * are returned; callers decide. */
enum idp_err idp_clients_get(struct idp_req *rq, const char *client_id,
    const struct idp_client **out);
void idp_clients_invalidate(struct idp_client_cache *cc,
    const char *client_id);

#endif

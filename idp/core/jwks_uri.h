/* Client key sets published at a jwks_uri (RFC 7591 §2), fetched through
 * the outbound fetcher (core/fetch.c: vetted addresses, 64 KiB, the
 * configured deadline) and cached for five minutes. A kid that is not in
 * the cached set triggers one refetch, at most once a minute per URI, so
 * a client can rotate its keys. A failed or refused fetch is not retried
 * for ten seconds, so one client cannot keep the fetcher busy. */
#ifndef IDP_CORE_JWKS_URI_H
#define IDP_CORE_JWKS_URI_H

#include <jansson.h>

#include "http/req.h"

/* Frees the cache at exit. */
void idp_jwks_uri_cleanup(void);

/* The key set of client_id at uri: IDP_OK with *out a new reference, or
 * NULL when the URI did not give one (refused, failed, not a key set);
 * IDP_ERR_UNAVAILABLE when the fetcher is at its limit of calls in
 * flight. With want_kid, refetches once when the cached set lacks it. */
enum idp_err idp_jwks_uri_get(struct idp_req *rq, const char *client_id,
    const char *uri, const char *want_kid, json_t **out);

#endif

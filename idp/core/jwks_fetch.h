/* Client key sets published at a jwks_uri (RFC 7591 §2), fetched with
 * libcurl (TLS verified, 5 s timeout, 64 KiB limit) and cached for five
 * minutes. A kid that is not in the cached set triggers one refetch, at
 * most once a minute per URI, so a client can rotate its keys. */
#ifndef IDP_CORE_JWKS_FETCH_H
#define IDP_CORE_JWKS_FETCH_H

#include <jansson.h>

#include "http/req.h"

void idp_jwks_fetch_init(void);
void idp_jwks_fetch_cleanup(void);

/* The key set at uri (a new reference, or NULL on any failure). With
 * want_kid, refetches once when the cached set lacks that kid. */
json_t *idp_jwks_fetch(struct idp_req *rq, const char *uri,
    const char *want_kid);

#endif

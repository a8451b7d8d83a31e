/* The libmicrohttpd adapter: a thread pool sized from the configuration,
 * request limits, one arena per request, dispatch through the router,
 * suspension for password hashing, and a drain on shutdown. */
#ifndef IDP_DAEMON_SERVER_H
#define IDP_DAEMON_SERVER_H

#include "core/ctx.h"

struct idp_server;

/* NULL (with why) when the address cannot be bound. */
struct idp_server *idp_server_start(struct idp_ctx *ctx, char *why,
    size_t whylen);
/* Stop accepting, wait up to drain_seconds for requests in flight, stop. */
void idp_server_stop(struct idp_server *s, int drain_seconds);

#endif

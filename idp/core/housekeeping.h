/* One background thread: reloads signing keys when they rotate and purges
 * expired rows, each on its own interval, with a pooled connection. */
#ifndef IDP_CORE_HOUSEKEEPING_H
#define IDP_CORE_HOUSEKEEPING_H

#include "core/ctx.h"

struct idp_housekeeping;

struct idp_housekeeping *idp_housekeeping_start(struct idp_ctx *ctx);
/* Ask for a key reload now (SIGHUP). */
void idp_housekeeping_poke(struct idp_housekeeping *hk);
void idp_housekeeping_stop(struct idp_housekeeping *hk);

/* Load keys and install them if they changed; used at start too. */
enum idp_err idp_keys_reload(struct idp_ctx *ctx, char *why, size_t whylen);

#endif

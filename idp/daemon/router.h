/* The route table: {path, methods, handler, kind}. Unknown paths get 404,
 * known paths with another method 405 with an Allow header. */
#ifndef IDP_DAEMON_ROUTER_H
#define IDP_DAEMON_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"

typedef enum idp_err (*idp_handler_fn)(struct idp_req *rq,
    struct idp_resp *rs);

enum idp_route_kind {
	IDP_ROUTE_API,		/* errors as OAuth JSON */
	IDP_ROUTE_HTML,		/* errors as a page */
};

struct idp_route {
	const char *path;
	unsigned methods;	/* enum idp_method bits */
	idp_handler_fn handler;
	enum idp_route_kind kind;
};

/* The route for the len bytes of path, or NULL. */
const struct idp_route *idp_router_find(const char *path, size_t len);
/* Every route's path, NULL-terminated, for discovery (core/ctx.h
 * served_paths); the strings are static, free only the array. */
const char **idp_router_paths_new(void);
/* The route's place in the table (the order of idp_router_paths_new),
 * -1 for NULL. */
int idp_router_index(const struct idp_route *r);
/* "GET, POST" for an Allow header, in the arena. */
const char *idp_router_allow(struct idp_arena *a, const struct idp_route *r);

#endif

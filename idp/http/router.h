/* The route table: {path, methods, handler, kind}. Unknown paths get 404,
 * known paths with another method 405 with an Allow header. */
#ifndef IDP_HTTP_ROUTER_H
#define IDP_HTTP_ROUTER_H

#include <stdbool.h>

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

const struct idp_route *idp_router_find(const char *path);
bool idp_router_has_path(const char *path);
/* "GET, POST" for an Allow header, in the arena. */
const char *idp_router_allow(struct idp_arena *a, const struct idp_route *r);

#endif

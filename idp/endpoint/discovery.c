#include "core/ctx.h"
#include "core/published.h"
#include "endpoint/endpoints.h"
#include "http/response.h"

/* OIDC Discovery §4 and RFC 8414 §3: the document is serialised once per
 * key set (core/published.c); serving it copies nothing. */
enum idp_err
idp_discovery_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_published *p = idp_pubring_get(rq->ctx->pub,
	    rq->arena);

	if (p == NULL)
		return IDP_ERR_UNAVAILABLE;
	idp_resp_body(rs, 200, "application/json", p->discovery,
	    p->discovery_len);
	idp_resp_header(rs, "Cache-Control", "public, max-age=300");
	idp_resp_header(rs, "Access-Control-Allow-Origin", "*");
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

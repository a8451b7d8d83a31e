#include "core/ctx.h"
#include "core/published.h"
#include "endpoint/endpoints.h"
#include "http/response.h"

/* RFC 7517 §5: the public keys, active first, retired ones until the last
 * token they signed has expired. Relying parties may cache it briefly;
 * after a rotation the new key is published before it signs anything
 * only if operators rotate ahead of time (see docs/operations.md). */
enum idp_err
idp_jwks_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_published *p = idp_pubring_get(rq->ctx->pub,
	    rq->arena);
	size_t len;
	const char *body;

	if (p == NULL)
		return IDP_ERR_UNAVAILABLE;
	body = idp_keyset_jwks(p->keys, &len);
	idp_resp_body(rs, 200, "application/jwk-set+json", body, len);
	idp_resp_header(rs, "Cache-Control", "public, max-age=300");
	idp_resp_header(rs, "Access-Control-Allow-Origin", "*");
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

#include "config.h"
#include "core/client_keys.h"
#include "core/ctx.h"
#include "core/request_object.h"
#include "oidc/request_object.h"
#include "util/log.h"

enum idp_err
idp_request_object_open(struct idp_req *rq, const struct idp_client *c,
    const char *compact, const char *response_type, struct idp_kv *params,
    size_t max, size_t *n, const char **why)
{
	struct idp_ro_want w = { .client_id = c->client_id,
		.response_type = response_type,
		.issuer = rq->ctx->cfg->issuer,
		.alg = c->request_object_alg, .now = rq->now };
	struct idp_jws j;
	enum idp_err rc;
	bool ok = false;

	*n = 0;
	if ((rc = idp_request_object_parse(rq->arena, compact, &j, why))
	    != IDP_OK)
		goto refused;
	if (c->jwks == NULL && c->jwks_uri == NULL) {
		rc = idp_fail_why(why, IDP_ERR_INVALID_REQUEST_OBJECT, "The "
		    "client has registered no keys to sign request objects "
		    "with (jwks or jwks_uri).");
		goto refused;
	}
	if ((rc = idp_client_keys_verify(rq, c, &j, &ok)) != IDP_OK) {
		*why = "The client's key set cannot be fetched now.";
		return rc;
	}
	if (!ok) {
		rc = idp_fail_why(why, IDP_ERR_INVALID_REQUEST_OBJECT, "The "
		    "request object's signature does not verify with the "
		    "client's registered keys.");
		goto refused;
	}
	rc = idp_request_object_check(rq->arena, &j, &w, params, max, n, why);
	if (rc == IDP_OK)
		return IDP_OK;
refused:
	IDP_INFO("request_object.refused", " req=%s client=%s msg=%s", rq->id,
	    idp_logq(rq->arena, c->client_id), idp_logq(rq->arena, *why));
	return rc;
}

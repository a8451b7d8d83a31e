/* The UserInfo endpoint: OIDC Core §5.3, bearer token per RFC 6750 §2.1
 * (Authorization header) or §2.2 (form body of a POST), or a DPoP-bound
 * token with the DPoP scheme and a proof (RFC 9449 §7, core/dpop.h). */
#include <string.h>
#include <strings.h>

#include "config.h"
#include "core/bearer.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/dpop.h"
#include "core/mint.h"
#include "core/release.h"
#include "endpoint/endpoints.h"
#include "http/response.h"
#include "oidc/dpop.h"
#include "util/str.h"

/* The challenge of the scheme the client used. */
static enum idp_err
refuse(struct idp_req *rq, struct idp_resp *rs, bool dpop, enum idp_err e,
    const char *desc)
{
	if (dpop)
		idp_resp_dpop_error(rq, rs, e, desc, IDP_DPOP_ALGS);
	else
		idp_resp_bearer_error(rq, rs, e, desc);
	return IDP_OK;
}

/* §5.3.2: the claims as JSON, or as a JWT signed for the client with
 * iss and aud when it registered userinfo_signed_response_alg. */
static enum idp_err
answer(struct idp_req *rq, struct idp_resp *rs, const struct idp_token_info *ti,
    bool dpop)
{
	const struct idp_client *c = NULL;
	struct idp_release rel = { 0 };
	json_t *claims;
	char *jwt;
	enum idp_err rc;

	rc = idp_clients_get(rq, ti->client_id, &c);
	if (rc == IDP_ERR_NOT_FOUND)
		return refuse(rq, rs, dpop, IDP_ERR_INVALID_TOKEN,
		    "The access token's client is gone.");
	if (rc != IDP_OK)
		return rc;
	rel = (struct idp_release){ c, &ti->user, ti->scopes, ti->claims };
	if ((rc = idp_release_claims(rq, &rel, IDP_CLAIMS_USERINFO, &claims))
	    != IDP_OK)
		return rc;
	if (c->userinfo_signed) {
		json_object_set_new(claims, "iss",
		    json_string(rq->ctx->cfg->issuer));
		json_object_set_new(claims, "aud", json_string(c->client_id));
		jwt = idp_mint_jwt(rq, c->userinfo_alg, "JWT", claims);
		json_decref(claims);
		if (jwt == NULL)
			return IDP_ERR_INTERNAL;
		idp_resp_body(rs, 200, "application/jwt", jwt, strlen(jwt));
		idp_resp_no_store(rs);
		idp_resp_common_headers(rs, false);
		return IDP_OK;
	}
	return idp_resp_json_object(rq, rs, 200, claims);
}

enum idp_err
idp_userinfo_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const char *h = idp_req_header(rq, "Authorization");
	const char *form = rq->has_form ? idp_req_form(rq, "access_token") : NULL;
	const char *token = NULL, *why = NULL;
	struct idp_token_info ti;
	bool dpop = false;
	enum idp_err rc;

	if (idp_req_query(rq, "access_token") != NULL) {
		/* §2.3 tokens in URLs end up in logs and histories. */
		idp_resp_bearer_error(rq, rs, IDP_ERR_INVALID_REQUEST,
		    "Send the access token in the Authorization header.");
		return IDP_OK;
	}
	if (h != NULL && (!strncasecmp(h, "Bearer ", 7) ||
	    !strncasecmp(h, "DPoP ", 5))) {
		dpop = h[0] == 'D' || h[0] == 'd';
		token = h + (dpop ? 5 : 7);
		while (*token == ' ')
			token++;
	} else if (h != NULL) {
		idp_resp_bearer_error(rq, rs, IDP_ERR_INVALID_REQUEST,
		    "Only Bearer or DPoP authorization is accepted.");
		return IDP_OK;
	}
	if (token != NULL && form != NULL) {
		idp_resp_bearer_error(rq, rs, IDP_ERR_INVALID_REQUEST,
		    "Send the access token only once.");
		return IDP_OK;
	}
	if (token == NULL)
		token = form;
	if (token == NULL)
		return refuse(rq, rs, true, IDP_ERR_INVALID_TOKEN, NULL);
	rc = idp_bearer_lookup(rq, token, &ti);
	if (rc == IDP_ERR_INVALID_TOKEN)
		return refuse(rq, rs, dpop, IDP_ERR_INVALID_TOKEN,
		    "The access token is invalid, expired or revoked.");
	if (rc != IDP_OK)
		return refuse(rq, rs, dpop, rc, NULL);
	rq->log_client = ti.client_id;
	if ((rc = idp_dpop_resource(rq, rs, dpop, token, &ti, &why)) != IDP_OK)
		return refuse(rq, rs, true, rc, why);
	if (!ti.has_user || !idp_list_has(ti.scopes, "openid"))
		return refuse(rq, rs, dpop, IDP_ERR_INSUFFICIENT_SCOPE,
		    "The access token does not carry the openid scope.");
	return answer(rq, rs, &ti, dpop);
}

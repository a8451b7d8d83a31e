/* Token revocation, RFC 7009, by the client that holds the token. A
 * refresh token takes its whole grant with it (every access and refresh
 * token issued under it); an access token goes alone. Tokens of other
 * clients and unknown tokens are left alone and still get 200 (§2.2), so
 * the endpoint tells nothing about tokens a client does not own. */
#include <string.h>

#include "config.h"
#include "core/client_auth.h"
#include "core/ctx.h"
#include "core/published.h"
#include "core/reqdb.h"
#include "crypto/digest.h"
#include "crypto/jws.h"
#include "crypto/random.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "http/response.h"
#include "store/token.h"
#include "util/log.h"
#include "util/str.h"

static enum idp_err
revoke_refresh(struct idp_req *rq, struct idp_dbconn *db,
    const unsigned char d[IDP_SHA256_LEN], const struct idp_client *c,
    bool *done)
{
	char *grant = NULL;
	enum idp_err rc;

	rc = idp_store_refresh_grant(db, rq->arena, d, c->client_id, &grant);
	if (rc == IDP_ERR_NOT_FOUND)
		return IDP_OK;
	if (rc != IDP_OK)
		return rc;
	*done = true;
	rc = idp_store_grant_revoke(db, grant, "revoked by client");
	if (rc == IDP_OK)
		idp_flow_audit(rq, "token.revoked", 0, c->client_id,
		    json_pack("{s:s, s:s}", "type", "refresh_token", "grant",
		    grant));
	return rc;
}

/* A JWT access token that is not stored (client_credentials): remember
 * its jti until it expires. Only its own client may revoke it. */
static enum idp_err
revoke_jwt(struct idp_req *rq, struct idp_dbconn *db, const char *token,
    const struct idp_client *c)
{
	const struct idp_published *p = idp_pubring_get(rq->ctx->pub,
	    rq->arena);
	const struct idp_key *k;
	struct idp_jws j;
	const char *jti, *cid;
	json_t *exp;

	if (p == NULL || idp_jws_parse(rq->arena, token, &j) != 0)
		return IDP_OK;
	k = idp_keyset_find(p->keys, j.kid);
	if (k == NULL || idp_jws_verify(&j, k) != 0)
		return IDP_OK;
	jti = json_string_value(json_object_get(j.payload, "jti"));
	cid = json_string_value(json_object_get(j.payload, "client_id"));
	exp = json_object_get(j.payload, "exp");
	if (jti == NULL || !idp_str_eq(cid, c->client_id) || !json_is_integer(exp)
	    || json_integer_value(exp) <= rq->now)
		return IDP_OK;
	return idp_store_jwt_revoke(db, jti, c->client_id,
	    json_integer_value(exp));
}

enum idp_err
idp_revoke_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_client *c = NULL;
	const char *token, *why = NULL;
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *db;
	bool done = false;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The request must be a form.");
	if ((rc = idp_client_authenticate(rq, &c, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	token = idp_req_form(rq, "token");
	if (token == NULL || *token == '\0')
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "token is required.");
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_sha256_str(token, d);
	/* Every kind is tried: the hint is only a hint (§2.1). */
	if (strlen(token) == IDP_TOKEN_CHARS &&
	    (rc = revoke_refresh(rq, db, d, c, &done)) != IDP_OK)
		return rc;
	if (!done) {
		rc = idp_store_access_revoke(db, d, c->client_id);
		if (rc == IDP_OK)
			done = true;
		else if (rc != IDP_ERR_NOT_FOUND)
			return rc;
	}
	if (!done && strchr(token, '.') != NULL &&
	    (rc = revoke_jwt(rq, db, token, c)) != IDP_OK)
		return rc;
	idp_resp_json(rs, 200, "{}");
	idp_resp_no_store(rs);
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

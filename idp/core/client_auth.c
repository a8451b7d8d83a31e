#include <string.h>

#include "config.h"
#include "core/client_auth.h"
#include "core/client_keys.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/reqdb.h"
#include "crypto/digest.h"
#include "crypto/jws.h"
#include "oidc/client_auth.h"
#include "store/client.h"
#include "util/log.h"
#include "util/str.h"

/* RFC 7523 §3: the token endpoint URL; OIDC also names the issuer.
 * Introspection and revocation accept their own URL too. */
static void
audiences(struct idp_req *rq, const char *out[4])
{
	const char *iss = rq->ctx->cfg->issuer;

	out[0] = iss;
	out[1] = idp_arena_printf(rq->arena, "%s/token", iss);
	out[2] = idp_arena_printf(rq->arena, "%s%s", iss, rq->path);
	out[3] = NULL;
}

static enum idp_err
check_assertion(struct idp_req *rq, const struct idp_client *c,
    const char *assertion, const char **why)
{
	struct idp_assertion_claims claims;
	const char *auds[4];
	struct idp_jws j;
	struct idp_dbconn *db;
	enum idp_err rc;
	bool ok;

	*why = "The client assertion is not valid.";
	if (idp_jws_parse(rq->arena, assertion, &j) != 0)
		return IDP_ERR_INVALID_CLIENT;
	if ((rc = idp_client_keys_verify(rq, c, &j, &ok)) != IDP_OK) {
		*why = "The client's key set cannot be fetched now.";
		return rc;
	}
	if (!ok) {
		IDP_INFO("client_auth.assertion", " req=%s client=%s "
		    "msg=\"bad signature or no key\"", rq->id, c->client_id);
		return IDP_ERR_INVALID_CLIENT;
	}
	audiences(rq, auds);
	rc = idp_assertion_check_claims(j.payload, c->client_id, auds, rq->now,
	    &claims, why);
	if (rc != IDP_OK)
		return rc;
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	rc = idp_store_assertion_jti(db, c->client_id, claims.jti,
	    claims.exp + IDP_ASSERTION_SKEW);
	if (rc == IDP_ERR_CONFLICT) {
		IDP_WARN("client_auth.replay", " req=%s client=%s", rq->id,
		    c->client_id);
		*why = "The assertion was used before.";
		return IDP_ERR_INVALID_CLIENT;
	}
	return rc;
}

enum idp_err
idp_client_authenticate(struct idp_req *rq, const struct idp_client **out,
    const char **why)
{
	const struct idp_client *c = NULL;
	struct idp_client_creds_in in = {
		.authorization = idp_req_header(rq, "Authorization"),
		.client_id = idp_req_form(rq, "client_id"),
		.client_secret = idp_req_form(rq, "client_secret"),
		.assertion_type = idp_req_form(rq, "client_assertion_type"),
		.assertion = idp_req_form(rq, "client_assertion"),
	};
	struct idp_client_creds cr;
	unsigned char d[IDP_SHA256_LEN];
	enum idp_err rc;

	if ((rc = idp_client_creds_parse(rq->arena, &in, &cr, why)) != IDP_OK)
		return rc;
	if (cr.client_id == NULL) {
		*why = "Client authentication is required.";
		return IDP_ERR_INVALID_CLIENT;
	}
	rq->log_client = cr.client_id;
	rc = idp_clients_get(rq, cr.client_id, &c);
	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK && !c->enabled)) {
		*why = "Unknown or disabled client.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if (rc != IDP_OK)
		return rc;
	if (cr.method != c->auth) {
		IDP_INFO("client_auth.method", " req=%s client=%s used=%s "
		    "registered=%s", rq->id, c->client_id,
		    idp_auth_method_name(cr.method),
		    idp_auth_method_name(c->auth));
		*why = "The client must authenticate with its registered "
		    "method.";
		return IDP_ERR_INVALID_CLIENT;
	}
	switch (cr.method) {
	case IDP_AUTH_BASIC:
	case IDP_AUTH_POST:
		idp_sha256_str(cr.secret, d);
		if (!c->has_secret || !idp_ct_eq(d, sizeof(d), c->secret_digest,
		    sizeof(c->secret_digest))) {
			IDP_INFO("client_auth.secret", " req=%s client=%s "
			    "msg=\"wrong secret\"", rq->id, c->client_id);
			*why = "Client authentication failed.";
			return IDP_ERR_INVALID_CLIENT;
		}
		break;
	case IDP_AUTH_PRIVATE_KEY_JWT:
		if ((rc = check_assertion(rq, c, cr.assertion, why)) != IDP_OK)
			return rc;
		break;
	case IDP_AUTH_NONE:
		break;
	}
	/* Authenticated, but not allowed anything until an operator approves
	 * the registration (RFC 6749 §5.2: unauthorized_client). */
	if (c->approval != IDP_APPROVAL_APPROVED) {
		IDP_INFO("client_auth.not_approved", " req=%s client=%s",
		    rq->id, c->client_id);
		*why = c->approval == IDP_APPROVAL_PENDING ?
		    "The client's registration awaits an operator's approval." :
		    "The client's registration was rejected.";
		return IDP_ERR_UNAUTHORIZED_CLIENT;
	}
	*out = c;
	return IDP_OK;
}

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/dpop.h"
#include "core/reqdb.h"
#include "crypto/random.h"
#include "oidc/dpop.h"
#include "store/dpop.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

enum idp_err
idp_dpop_init(struct idp_ctx *ctx, char *why, size_t whylen)
{
	unsigned char fresh[IDP_DPOP_NONCE_KEY_LEN];
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_db_acquire_background(ctx->db, &c)) != IDP_OK) {
		snprintf(why, whylen, "database unavailable");
		return rc;
	}
	rc = idp_random_bytes(fresh, sizeof(fresh)) != 0 ? IDP_ERR_INTERNAL :
	    idp_store_provider_secret(c, "dpop_nonce", fresh,
	    ctx->dpop_nonce_key);
	idp_wipe(fresh, sizeof(fresh));
	idp_db_release(ctx->db, c);
	if (rc != IDP_OK)
		snprintf(why, whylen, "cannot read the DPoP nonce key (is the "
		    "database migrated? idpctl migrate)");
	return rc;
}

/* The URL a proof names: the one the provider publishes for the
 * endpoint (discovery), whatever Host header a proxy passed on. */
static const char *
endpoint_url(struct idp_req *rq)
{
	return idp_arena_printf(rq->arena, "%s%s", rq->ctx->cfg->issuer,
	    rq->path);
}

static void
hand_out_nonce(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	char *n = idp_dpop_nonce(rq->arena, rq->ctx->dpop_nonce_key, rq->now,
	    cfg->dpop_nonce_rotation);

	if (n != NULL)
		idp_resp_header(rs, "DPoP-Nonce", n);
}

enum idp_err
idp_dpop_request(struct idp_req *rq, struct idp_resp *rs,
    const char *access_token, const char **why)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	const char *header = idp_req_header(rq, "DPoP");
	struct idp_dpop_want w = {
		.htm = rq->method_str, .htu = endpoint_url(rq),
		.access_token = access_token, .now = rq->now,
		.max_age = cfg->dpop_proof_max_age,
		.nonce_key = rq->ctx->dpop_nonce_key,
		.nonce_rotation = cfg->dpop_nonce_rotation,
		.nonce_required = cfg->dpop_require_nonce,
	};
	struct idp_dpop_proof p;
	struct idp_dbconn *db;
	enum idp_err rc;

	rq->dpop_jkt = NULL;
	if (header == NULL)
		return IDP_OK;
	/* Every answer to a request with a proof tells the current nonce
	 * (§8.2), so clients keep up with its rotation. */
	hand_out_nonce(rq, rs);
	rc = idp_dpop_check(rq->arena, header, &w, &p, why);
	if (rc != IDP_OK) {
		IDP_INFO("dpop.refused", " req=%s error=%s msg=%s", rq->id,
		    idp_err_str(rc), idp_logq(rq->arena, *why));
		return rc;
	}
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	rc = idp_store_dpop_jti(db, p.jkt, p.jti, p.keep_until);
	if (rc == IDP_ERR_CONFLICT) {
		IDP_WARN("dpop.replay", " req=%s jkt=%s", rq->id, p.jkt);
		*why = "The DPoP proof was used before.";
		return IDP_ERR_INVALID_DPOP_PROOF;
	}
	if (rc != IDP_OK)
		return rc;
	rq->dpop_jkt = idp_arena_strdup(rq->arena, p.jkt);
	return IDP_OK;
}

enum idp_err
idp_dpop_token_request(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const char **why)
{
	enum idp_err rc = idp_dpop_request(rq, rs, NULL, why);

	if (rc == IDP_OK && c->dpop_bound && rq->dpop_jkt == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "This client "
		    "registered dpop_bound_access_tokens: send a DPoP proof.");
	return rc;
}

enum idp_err
idp_dpop_resource(struct idp_req *rq, struct idp_resp *rs, bool dpop_scheme,
    const char *token, const struct idp_token_info *t, const char **why)
{
	enum idp_err rc;

	if (!dpop_scheme) {
		/* §7.2: a bound token is no bearer token. */
		if (t->jkt != NULL)
			return idp_fail_why(why, IDP_ERR_INVALID_TOKEN, "The "
			    "access token is DPoP-bound: send it with the DPoP "
			    "scheme and a DPoP proof.");
		return IDP_OK;
	}
	if (t->jkt == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_TOKEN, "The access "
		    "token is not DPoP-bound: send it with the Bearer scheme.");
	if (idp_req_header(rq, "DPoP") == NULL) {
		hand_out_nonce(rq, rs);
		return idp_fail_why(why, IDP_ERR_INVALID_DPOP_PROOF, "The DPoP "
		    "scheme needs a DPoP proof header.");
	}
	if ((rc = idp_dpop_request(rq, rs, token, why)) != IDP_OK)
		return rc;
	if (strcmp(rq->dpop_jkt, t->jkt) != 0)
		return idp_fail_why(why, IDP_ERR_INVALID_DPOP_PROOF, "The DPoP "
		    "proof is not made with the key the access token is bound "
		    "to.");
	return IDP_OK;
}

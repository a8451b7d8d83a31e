/* The pushed authorization request endpoint, RFC 9126 §2: a client posts
 * its authorization request (a form, or a signed request object in
 * request, §3), authenticated as at /token, and gets a request_uri to
 * send the browser to /authorize with. The request is validated now as
 * /authorize would (errors are JSON, §2.3) and again when it is used. A
 * DPoP proof binds the code to its key (RFC 9449 §10.1). */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "core/client_auth.h"
#include "core/ctx.h"
#include "core/dpop.h"
#include "core/mint.h"
#include "core/reqdb.h"
#include "core/request_object.h"
#include "endpoint/authz_params.h"
#include "endpoint/endpoints.h"
#include "http/response.h"
#include "oidc/authz.h"
#include "store/par.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

/* Client authentication, not part of the authorization request. */
static const char *const credentials[] = { "client_secret",
	"client_assertion", "client_assertion_type", NULL };

static bool
is_credential(const char *k)
{
	for (const char *const *c = credentials; *c != NULL; c++)
		if (!strcmp(*c, k))
			return true;
	return false;
}

/* The request's parameters: the request object's alone when there is
 * one (§3), else the form's without the client's credentials. One slot
 * stays free for dpop_jkt. */
static enum idp_err
pushed_params(struct idp_req *rq, const struct idp_client *c,
    struct idp_kv *kv, size_t *n, bool *signed_object, const char **why)
{
	const char *request = idp_req_form(rq, "request");

	*n = 0;
	*signed_object = request != NULL;
	if (request != NULL)
		return idp_request_object_open(rq, c, request,
		    idp_req_form(rq, "response_type"), kv, IDP_MAX_PARAMS - 1,
		    n, why);
	for (size_t i = 0; i < rq->nform && *n < IDP_MAX_PARAMS - 1; i++)
		if (!is_credential(rq->form[i].key))
			kv[(*n)++] = rq->form[i];
	return IDP_OK;
}

/* RFC 9449 §10.1: the code is bound to the proof's key; a dpop_jkt sent
 * too must name that key. */
static enum idp_err
bind_dpop(struct idp_req *rq, struct idp_kv *kv, size_t *n, const char **why)
{
	if (rq->dpop_jkt == NULL)
		return IDP_OK;
	for (size_t i = 0; i < *n; i++) {
		if (strcmp(kv[i].key, "dpop_jkt") != 0)
			continue;
		if (strcmp(kv[i].val, rq->dpop_jkt) != 0)
			return idp_fail_why(why, IDP_ERR_INVALID_DPOP_PROOF,
			    "dpop_jkt is not the thumbprint of the DPoP "
			    "proof's key.");
		return IDP_OK;
	}
	kv[*n].key = "dpop_jkt";
	kv[*n].val = rq->dpop_jkt;
	kv[*n].len = strlen(rq->dpop_jkt);
	(*n)++;
	return IDP_OK;
}

/* §2.1 item 3: the request as /authorize would take it. */
static enum idp_err
validate(struct idp_req *rq, const struct idp_client *c, bool signed_object,
    const char **why)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_authz_opts opts = { .allow_plain_pkce =
	    cfg->pkce_allow_plain, .pushed = true, .signed_request =
	    signed_object, .require_par = cfg->require_par };
	struct idp_authz_raw raw = { 0 };
	struct idp_authz z;
	enum idp_err rc;

	idp_authorize_collect(rq, &raw);
	if (!idp_str_eq(raw.client_id, c->client_id))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "The "
		    "request's client_id is not the authenticated client.");
	if ((rc = idp_authz_check_redirect(c, raw.redirect_uri, why)) != IDP_OK)
		return rc;
	return idp_authz_validate(rq->arena, c, &raw, &opts, &z, why);
}

/* §2.2: 201 with the request_uri and its lifetime. */
static enum idp_err
push(struct idp_req *rq, struct idp_resp *rs, const struct idp_client *c,
    const struct idp_kv *kv, size_t n, bool signed_object)
{
	int64_t ttl = rq->ctx->cfg->par_ttl;
	const char *params = idp_authz_params_json(rq->arena, kv, n);
	struct idp_secret ref;
	struct idp_dbconn *db;
	json_t *o;
	char *s;
	enum idp_err rc;

	if (params == NULL)
		return IDP_ERR_INTERNAL;
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_mint_secret(&ref);
	rc = idp_store_par_insert(db, ref.digest, c->client_id, params,
	    signed_object, ttl);
	o = json_pack("{s:s+, s:I}", "request_uri", IDP_PAR_URN, ref.value,
	    "expires_in", (json_int_t)ttl);
	idp_secret_wipe(&ref);
	s = rc == IDP_OK && o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (rc != IDP_OK)
		return rc;
	if (s == NULL)
		return IDP_ERR_INTERNAL;
	idp_resp_json(rs, 201, idp_arena_strdup(rq->arena, s));
	idp_wipe(s, strlen(s));
	free(s);
	idp_resp_no_store(rs);
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

enum idp_err
idp_par_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_client *c = NULL;
	struct idp_kv *kv;
	const char *why = NULL;
	bool signed_object = false;
	size_t n = 0;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The request must be application/x-www-form-urlencoded.");
	if ((rc = idp_client_authenticate(rq, &c, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	rq->log_client = c->client_id;
	if (idp_req_form(rq, "client_id") == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "client_id is required.");
	if (idp_req_form(rq, "request_uri") != NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "request_uri cannot be pushed.");
	if ((rc = idp_dpop_request(rq, rs, NULL, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	kv = idp_arena_zalloc(rq->arena, IDP_MAX_PARAMS * sizeof(*kv));
	if ((rc = pushed_params(rq, c, kv, &n, &signed_object, &why)) !=
	    IDP_OK || (rc = bind_dpop(rq, kv, &n, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	idp_req_set_params(rq, kv, n);
	if ((rc = validate(rq, c, signed_object, &why)) != IDP_OK) {
		IDP_INFO("par.refused", " req=%s client=%s error=%s msg=%s",
		    rq->id, idp_logq(rq->arena, c->client_id), idp_err_str(rc),
		    idp_logq(rq->arena, why));
		return idp_fail(rs, rc, why);
	}
	return push(rq, rs, c, kv, n, signed_object);
}

/* The device authorization endpoint (RFC 8628 §3.1, §3.2): a kiosk or a
 * command-line tool, authenticated like at the token endpoint or, for a
 * public client, naming itself with client_id, asks for a device code
 * (256 random bits, kept as a digest) and a user code to show the person
 * (oidc/device.h), with where to type it. The scope follows the rules of
 * /authorize; without one, the client's registered scope (RFC 6749
 * §3.3). */
#include <string.h>

#include "config.h"
#include "core/client_auth.h"
#include "core/ctx.h"
#include "core/mint.h"
#include "core/reqdb.h"
#include "endpoint/endpoints.h"
#include "http/response.h"
#include "oidc/device.h"
#include "oidc/scope.h"
#include "store/device.h"
#include "util/log.h"
#include "util/mem.h"

/* Draws before giving up on a free user code: with 20^8 codes and a few
 * thousand alive, a second draw is already rare. */
#define DRAWS 5

/* The scopes of the authorization, by the one rule of oidc/scope.h, as at
 * /authorize: values the client may not have are dropped (OIDC Core
 * §3.1.2.1, RFC 6749 §3.3), nothing left is invalid_scope; without a
 * scope parameter the client's registered scope is asked for. */
static enum idp_err
device_scope(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const char **scope)
{
	const char *want = idp_req_form(rq, "scope");
	struct idp_scope_grant g;
	char *const *asked = c->scopes;
	char **parsed;
	const char *why = NULL;
	size_t n = 0;
	enum idp_err rc;

	if (want != NULL) {
		if (idp_scope_parse(rq->arena, want, &parsed, &n) != IDP_OK ||
		    n == 0)
			return idp_fail(rs, IDP_ERR_INVALID_SCOPE,
			    "scope is malformed.");
		asked = parsed;
	} else {
		while (asked[n] != NULL)
			n++;
		if (n == 0)
			return idp_fail(rs, IDP_ERR_INVALID_SCOPE,
			    "scope is required.");
	}
	rc = idp_scope_grant(rq->arena, c, asked, n, true, NULL, &g, &why);
	if (rc != IDP_OK)
		return idp_fail(rs, rc, why);
	*scope = g.scope;
	return IDP_OK;
}

/* A user code nobody holds now, stored with the device code's digest. */
static enum idp_err
store_codes(struct idp_req *rq, struct idp_device_new *n,
    struct idp_user_code *code)
{
	unsigned char rnd[32], ud[IDP_SHA256_LEN];
	struct idp_dbconn *db;
	enum idp_err rc = IDP_ERR_CONFLICT;

	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	rc = IDP_ERR_CONFLICT;
	for (int i = 0; i < DRAWS && rc == IDP_ERR_CONFLICT; i++) {
		if (idp_random_bytes(rnd, sizeof(rnd)) != 0 ||
		    idp_user_code_from_bytes(rnd, sizeof(rnd), code) != 0)
			continue;
		idp_sha256_str(code->c, ud);
		n->user_digest = ud;
		rc = idp_store_device_insert(db, n);
	}
	idp_wipe(rnd, sizeof(rnd));
	if (rc == IDP_ERR_CONFLICT)
		IDP_ERROR("device.no_free_code", " req=%s", rq->id);
	return rc == IDP_ERR_CONFLICT ? IDP_ERR_UNAVAILABLE : rc;
}

enum idp_err
idp_device_authorization_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	const struct idp_client *c = NULL;
	struct idp_device_new n = { 0 };
	struct idp_user_code code;
	struct idp_secret dc;
	const char *why = NULL;
	json_t *o;
	char *s;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The request must be application/x-www-form-urlencoded.");
	if ((rc = idp_client_authenticate(rq, &c, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	if (!(c->grants & IDP_GRANT_DEVICE_CODE))
		return idp_fail(rs, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use the device authorization grant.");
	if ((rc = device_scope(rq, rs, c, &n.scope)) != IDP_OK)
		return rc;
	idp_mint_secret(&dc);
	n.device_digest = dc.digest;
	n.client_id = c->client_id;
	n.ttl = cfg->device_code_ttl;
	n.interval = cfg->device_poll_interval;
	n.ip = strcmp(rq->ip, "-") != 0 ? rq->ip : NULL;
	if ((rc = store_codes(rq, &n, &code)) != IDP_OK)
		goto out;
	o = idp_device_response(cfg->issuer, dc.value, &code,
	    (long long)cfg->device_code_ttl, cfg->device_poll_interval);
	s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (s == NULL) {
		rc = IDP_ERR_INTERNAL;
		goto out;
	}
	idp_resp_json(rs, 200, idp_arena_strdup(rq->arena, s));
	idp_wipe(s, strlen(s));
	free(s);
	idp_resp_no_store(rs);
	idp_resp_common_headers(rs, false);
	IDP_INFO("device.authorization", " req=%s client=%s scope=%s", rq->id,
	    c->client_id, idp_logq(rq->arena, n.scope));
out:
	idp_secret_wipe(&dc);
	idp_wipe(&code, sizeof(code));
	return rc;
}

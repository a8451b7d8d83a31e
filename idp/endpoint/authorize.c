/* The authorization endpoint: OIDC Core §3.1.2, RFC 6749 §4.1.1, RFC 7636
 * §4.3, RFC 9207; request objects (RFC 9101) and pushed requests (RFC
 * 9126) through endpoint/authz_params.h. GET and POST (form). */
#include <string.h>

#include "config.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/published.h"
#include "crypto/jws.h"
#include "endpoint/authz_params.h"
#include "endpoint/endpoints.h"
#include "core/mfa.h"
#include "core/reqdb.h"
#include "endpoint/factor.h"
#include "endpoint/authz_hints.h"
#include "endpoint/flow.h"
#include "endpoint/pages.h"
#include "http/response.h"
#include "page/trouble.h"
#include "oidc/scope.h"
#include "util/log.h"
#include "util/str.h"

static void
collect(struct idp_req *rq, struct idp_authz_raw *r)
{
	r->response_type = idp_req_param(rq, "response_type");
	r->client_id = idp_req_param(rq, "client_id");
	r->redirect_uri = idp_req_param(rq, "redirect_uri");
	r->scope = idp_req_param(rq, "scope");
	r->state = idp_req_param(rq, "state");
	r->nonce = idp_req_param(rq, "nonce");
	r->prompt = idp_req_param(rq, "prompt");
	r->max_age = idp_req_param(rq, "max_age");
	r->code_challenge = idp_req_param(rq, "code_challenge");
	r->code_challenge_method = idp_req_param(rq, "code_challenge_method");
	r->login_hint = idp_req_param(rq, "login_hint");
	r->id_token_hint = idp_req_param(rq, "id_token_hint");
	r->ui_locales = idp_req_param(rq, "ui_locales");
	r->response_mode = idp_req_param(rq, "response_mode");
	r->dpop_jkt = idp_req_param(rq, "dpop_jkt");
	r->request = idp_req_param(rq, "request");
	r->request_uri = idp_req_param(rq, "request_uri");
	r->registration = idp_req_param(rq, "registration");
	r->resource = idp_req_param(rq, "resource");
	r->acr_values = idp_req_param(rq, "acr_values");
	r->claims = idp_req_param(rq, "claims");
}


/* OIDC Core §3.1.2.1: an ID token we issued earlier to this client,
 * possibly expired. Returns its sub, or NULL when it is not ours. */
static const char *
hint_subject(struct idp_req *rq, const char *hint, const char *client_id)
{
	const struct idp_published *p = idp_pubring_get(rq->ctx->pub,
	    rq->arena);
	const struct idp_key *k;
	struct idp_jws j;
	json_t *aud;

	if (p == NULL || idp_jws_parse(rq->arena, hint, &j) != 0)
		return NULL;
	k = idp_keyset_find(p->keys, j.kid);
	if (k == NULL || idp_jws_verify(&j, k) != 0)
		return NULL;
	if (!idp_str_eq(json_string_value(json_object_get(j.payload, "iss")),
	    rq->ctx->cfg->issuer))
		return NULL;
	aud = json_object_get(j.payload, "aud");
	if (!(json_is_string(aud) && !strcmp(json_string_value(aud),
	    client_id))) {
		size_t i;
		json_t *v;
		bool found = false;

		json_array_foreach(aud, i, v)
			found = found || idp_str_eq(json_string_value(v),
			    client_id);
		if (!found)
			return NULL;
	}
	return idp_arena_strdup(rq->arena,
	    json_string_value(json_object_get(j.payload, "sub")));
}

static enum idp_err
show_login(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const struct idp_authz *z,
    const struct idp_session *s)
{
	struct idp_login_page page = { 0 };
	enum idp_err rc;

	rc = idp_flow_pending(rq, rs, z, 0, &page.login_id, &page.csrf_token);
	if (rc != IDP_OK)
		return rc;
	page.ui_locales = z->ui_locales;
	page.redirect_uri = z->redirect_uri;
	page.client = c;
	page.username = z->login_hint;
	if (s != NULL && z->prompt_select_account) {
		page.current_user = s->user.name;
		if (page.username == NULL)
			page.username = s->user.username;
	}
	return idp_page_login(rq, rs, &page);
}

/* Stage 1 failed: the person is told what went wrong in their language
 * and sent nowhere; the service's home page is offered when known. */
static enum idp_err
refuse(struct idp_req *rq, struct idp_resp *rs, const struct idp_client *c,
    enum idp_trouble_kind kind, enum idp_err e, const char *why)
{
	struct idp_trouble t = { 0 };

	t.kind = kind;
	t.err = e;
	t.detail = why;
	t.ui_locales = idp_req_param(rq, "ui_locales");
	if (c != NULL) {
		t.service_name = c->name;
		t.service_uri = c->client_uri;
	}
	return idp_page_trouble(rq, rs, &t);
}

/* A self-registered client an operator has not approved (or rejected)
 * gets an error page, never a redirect: its redirect URIs were not
 * reviewed yet. The page speaks both languages, the person's first. */
static enum idp_err
not_approved(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c)
{
	bool pending = c->approval == IDP_APPROVAL_PENDING;

	IDP_INFO("authorize.not_approved", " req=%s client=%s approval=%s",
	    rq->id, idp_logq(rq->arena, c->client_id),
	    pending ? "pending" : "rejected");
	return refuse(rq, rs, c, pending ? IDP_TROUBLE_NOT_APPROVED :
	    IDP_TROUBLE_REJECTED, IDP_ERR_UNAUTHORIZED_CLIENT, pending ? "The client is pending "
	    "approval." : "The client's registration was rejected.");
}

/* A signed-in person whose session did not use a second factor gives one
 * now when the sign-in asks for it (core/mfa.h: the person has one, the
 * client or the organisation requires it, acr_values asks); the password
 * is not asked again. prompt=none cannot show that page. */
static enum idp_err
step_up_or_finish(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, struct idp_authz *z, struct idp_session *s)
{
	struct idp_mfa_state st = { 0 };
	struct idp_pending p = { 0 };
	struct idp_dbconn *db;
	const char *csrf;
	unsigned why;
	enum idp_err rc;

	if (idp_session_second_factor(s, NULL))
		return idp_flow_finish(rq, rs, c, z, s, NULL, false);
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK ||
	    (rc = idp_store_mfa_state(db, s->user.id, &st)) != IDP_OK)
		return rc;
	why = idp_mfa_reasons(&st, c, z);
	if (why == 0)
		return idp_flow_finish(rq, rs, c, z, s, NULL, false);
	if (z->prompt_none)
		return idp_flow_error(rq, rs, z, IDP_ERR_INTERACTION_REQUIRED,
		    "A second factor is required.");
	rc = idp_flow_pending(rq, rs, z, 0, &p.login_id, &csrf);
	if (rc != IDP_OK)
		return rc;
	idp_sha256_str(p.login_id, p.digest);
	p.authz = *z;
	p.client = c;
	return idp_factor_ask(rq, rs, &p, csrf, &s->user, s->auth_time, s->amr,
	    &st, why);
}

void
idp_authorize_collect(struct idp_req *rq, struct idp_authz_raw *r)
{
	collect(rq, r);
}

enum idp_err
idp_authorize_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_authz_opts opts = { .allow_plain_pkce = cfg->pkce_allow_plain,
		.require_par = cfg->require_par };
	enum idp_trouble_kind kind;
	const struct idp_client *c = NULL;
	struct idp_session *s = NULL;
	struct idp_authz_raw raw = { 0 };
	struct idp_authz z;
	const char *why = NULL, *hint_sub = NULL;
	enum idp_err rc;
	bool need_login;

	if (rq->method == IDP_POST && !rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST, "POST to the "
		    "authorization endpoint must be a form "
		    "(application/x-www-form-urlencoded).");
	collect(rq, &raw);
	rq->log_client = raw.client_id;
	/* Stage 1: never redirect to an unverified URI (RFC 6749 §4.1.2.1). */
	if (raw.client_id == NULL)
		return refuse(rq, rs, NULL, IDP_TROUBLE_BAD_LINK,
		    IDP_ERR_INVALID_REQUEST, "client_id is required.");
	rc = idp_clients_get(rq, raw.client_id, &c);
	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK && !c->enabled))
		return refuse(rq, rs, NULL, IDP_TROUBLE_UNKNOWN_SERVICE,
		    IDP_ERR_INVALID_REQUEST, "Unknown or disabled client_id.");
	if (rc != IDP_OK)
		return rc;
	if (c->approval != IDP_APPROVAL_APPROVED)
		return not_approved(rq, rs, c);
	/* RFC 9101 §6.3, RFC 9126 §4: a request object's or a pushed
	 * request's parameters replace the query. */
	rc = idp_authz_params_unpack(rq, c, &opts, &kind, &why);
	if (rc != IDP_OK)
		return idp_err_status(rc) >= 500 ? rc :
		    refuse(rq, rs, c, kind, rc, why);
	if (opts.pushed || opts.signed_request)
		collect(rq, &raw);
	if ((rc = idp_authz_check_redirect(c, raw.redirect_uri, &why))
	    != IDP_OK)
		return refuse(rq, rs, c, raw.redirect_uri ?
		    IDP_TROUBLE_BAD_RETURN : IDP_TROUBLE_BAD_LINK, rc, why);
	/* Stage 2: errors go back to the client. */
	rc = idp_authz_validate(rq->arena, c, &raw, &opts, &z, &why);
	if (rc != IDP_OK) {
		z.redirect_uri = raw.redirect_uri;
		z.state = raw.state != NULL && strlen(raw.state) <=
		    IDP_STATE_MAX ? raw.state : NULL;
		return idp_flow_error(rq, rs, &z, rc, why);
	}
	if (z.ndropped > 0)
		IDP_INFO("scope.narrowed", " req=%s client=%s dropped=%s",
		    rq->id, idp_logq(rq->arena, c->client_id),
		    idp_logq(rq->arena, idp_scope_join(rq->arena,
		    z.scopes_dropped, z.ndropped)));
	if (z.id_token_hint != NULL) {
		hint_sub = hint_subject(rq, z.id_token_hint, c->client_id);
		if (hint_sub == NULL)
			return idp_flow_error(rq, rs, &z,
			    IDP_ERR_INVALID_REQUEST,
			    "id_token_hint is not an ID token issued to this "
			    "client.");
	}
	/* OIDC Dynamic Registration §2: max_age when the request has none. */
	if (z.max_age < 0)
		z.max_age = c->default_max_age;
	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	need_login = s == NULL || z.prompt_login || z.prompt_select_account ||
	    (z.max_age >= 0 && rq->now - s->auth_time > z.max_age) ||
	    !idp_authz_hints_match(rq, c, &z, hint_sub, &s->user);
	if (need_login && z.prompt_none)
		return idp_flow_error(rq, rs, &z, IDP_ERR_LOGIN_REQUIRED,
		    "The user must sign in.");
	if (need_login)
		return show_login(rq, rs, c, &z, s);
	return step_up_or_finish(rq, rs, c, &z, s);
}

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oidc/acr.h"
#include "oidc/authz.h"
#include "oidc/dpop.h"
#include "oidc/claims_req.h"
#include "oidc/scope.h"
#include "util/buf.h"
#include "util/str.h"

enum idp_err
idp_authz_check_redirect(const struct idp_client *c, const char *uri,
    const char **why)
{
	if (uri == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "redirect_uri is required.");
	if (!idp_client_redirect_registered(c, uri))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "redirect_uri is not registered for this client.");
	return IDP_OK;
}

static enum idp_err
parse_prompt(struct idp_arena *a, const char *s, struct idp_authz *z,
    const char **why)
{
	char **v;
	size_t n;

	if (s == NULL)
		return IDP_OK;
	if (idp_split_spaces(a, s, &v, &n) != 0)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "prompt is malformed.");
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i], "none"))
			z->prompt_none = true;
		else if (!strcmp(v[i], "login"))
			z->prompt_login = true;
		else if (!strcmp(v[i], "consent"))
			z->prompt_consent = true;
		else if (!strcmp(v[i], "select_account"))
			z->prompt_select_account = true;
		else
			return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
			    "prompt has an unsupported value.");
	}
	/* OIDC Core §3.1.2.1: none with any other value is an error. */
	if (z->prompt_none && n > 1)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "prompt=none cannot be combined with other values.");
	return IDP_OK;
}

static enum idp_err
parse_pkce(const struct idp_client *c, const struct idp_authz_raw *raw,
    const struct idp_authz_opts *opts, struct idp_authz *z, const char **why)
{
	if (raw->code_challenge == NULL) {
		if (raw->code_challenge_method != NULL)
			return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
			    "code_challenge_method without code_challenge.");
		/* Public clients cannot keep a secret: PKCE is their only
		 * protection against code interception. */
		if (c->auth == IDP_AUTH_NONE)
			return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
			    "Public clients must use PKCE (code_challenge).");
		return IDP_OK;
	}
	if (!idp_pkce_syntax_ok(raw->code_challenge))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "code_challenge must be 43-128 unreserved characters.");
	/* RFC 7636 §4.3: the method defaults to plain. */
	z->pkce = raw->code_challenge_method == NULL ? IDP_PKCE_PLAIN :
	    idp_pkce_method_parse(raw->code_challenge_method);
	if (z->pkce == IDP_PKCE_NONE ||
	    (z->pkce == IDP_PKCE_PLAIN && !opts->allow_plain_pkce))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    opts->allow_plain_pkce ? "code_challenge_method must be "
		    "S256 or plain." : "code_challenge_method must be S256.");
	z->code_challenge = raw->code_challenge;
	return IDP_OK;
}

/* RFC 6749 §3.3 and OIDC Core §3.1.2.1, by the one rule of oidc/scope.h;
 * resource is RFC 8707 §2. */
static enum idp_err
grant_scope(struct idp_arena *a, const struct idp_client *c,
    const struct idp_authz_raw *raw, struct idp_authz *z, const char **why)
{
	struct idp_scope_grant g;
	char **asked;
	size_t n;
	enum idp_err rc;

	if (raw->scope == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_SCOPE,
		    "scope is required.");
	if (idp_scope_parse(a, raw->scope, &asked, &n) != IDP_OK)
		return idp_fail_why(why, IDP_ERR_INVALID_SCOPE,
		    "scope is malformed.");
	if (raw->resource != NULL && idp_uri_check(raw->resource, false, why)
	    != 0)
		return idp_fail_why(why, IDP_ERR_INVALID_TARGET,
		    "resource must be an absolute URI without a fragment.");
	rc = idp_scope_grant(a, c, asked, n, true, raw->resource, &g, why);
	if (rc != IDP_OK)
		return rc;
	z->scopes = g.scopes;
	z->nscopes = g.n;
	z->scope = g.scope;
	z->scopes_dropped = g.dropped;
	z->ndropped = g.ndropped;
	z->resource = raw->resource;
	z->openid = idp_list_has(z->scopes, "openid");
	return IDP_OK;
}

/* OIDC Core §3.1.2.1 acr_values: space-separated, in order of preference,
 * voluntary. A second factor is asked when the list names IDP_ACR_MFA and
 * not IDP_ACR_PASSWORD. */
static enum idp_err
parse_acr_values(struct idp_arena *a, const char *v, struct idp_authz *z,
    const char **why)
{
	char **items = NULL;
	size_t n = 0;

	if (v == NULL)
		return IDP_OK;
	if (strlen(v) > 256 || idp_scope_parse(a, v, &items, &n) != IDP_OK)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "acr_values must be a short space-separated list.");
	z->acr_values = v;
	z->acr_mfa = z->acr_mfa || (idp_list_has(items, IDP_ACR_MFA) &&
	    !idp_list_has(items, IDP_ACR_PASSWORD));
	return IDP_OK;
}

/* How the request came (RFC 9126 §5, §6; RFC 9101 §10.5) and the key its
 * code is bound to (RFC 9449 §10). */
static enum idp_err
check_origin(const struct idp_client *c, const struct idp_authz_raw *raw,
    const struct idp_authz_opts *opts, struct idp_authz *z, const char **why)
{
	if ((opts->require_par || c->require_par) && !opts->pushed)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "This client "
		    "must push its authorization requests to the pushed "
		    "authorization request endpoint.");
	if (c->require_signed_request && !opts->signed_request)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "This client "
		    "must send its authorization requests as signed request "
		    "objects.");
	if (raw->dpop_jkt != NULL && !idp_dpop_jkt_syntax_ok(raw->dpop_jkt))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "dpop_jkt "
		    "must be a base64url SHA-256 JWK thumbprint.");
	z->dpop_jkt = raw->dpop_jkt;
	return IDP_OK;
}

static enum idp_err
parse_response_mode(const char *s, struct idp_authz *z, const char **why)
{
	if (s == NULL || !strcmp(s, "query"))
		z->response_mode = IDP_RESPONSE_QUERY;
	else if (!strcmp(s, "form_post"))
		z->response_mode = IDP_RESPONSE_FORM_POST;
	else
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "response_mode must be query or form_post.");
	return IDP_OK;
}

/* OIDC Core §5.5.1.1: an essential acr claim whose value or values name
 * IDP_ACR_MFA and not IDP_ACR_PASSWORD asks for a second factor, as
 * acr_values does. */
static bool
claims_ask_mfa(const struct idp_claims_req *r)
{
	const struct idp_claim_ask *k = idp_claims_req_find(r,
	    IDP_CLAIMS_ID_TOKEN, "acr");
	json_t *mfa, *pwd;
	bool ask;

	if (k == NULL || !k->essential)
		return false;
	mfa = json_string(IDP_ACR_MFA);
	pwd = json_string(IDP_ACR_PASSWORD);
	ask = idp_claim_value_ok(k, mfa) && !idp_claim_value_ok(k, pwd);
	json_decref(mfa);
	json_decref(pwd);
	return ask;
}

/* OIDC Core §5.5; kept normalised for the pending login and the code. */
static enum idp_err
parse_claims(struct idp_arena *a, const char *s, struct idp_authz *z,
    const char **why)
{
	struct idp_claims_req r;
	enum idp_err rc;

	if (s == NULL)
		return IDP_OK;
	if ((rc = idp_claims_req_parse(a, s, &r, why)) != IDP_OK)
		return rc;
	z->claims = idp_claims_req_text(a, &r);
	z->claims_sub = idp_claims_req_sub(&r);
	z->acr_mfa = z->acr_mfa || claims_ask_mfa(&r);
	return IDP_OK;
}

enum idp_err
idp_authz_validate(struct idp_arena *a, const struct idp_client *c,
    const struct idp_authz_raw *raw, const struct idp_authz_opts *opts,
    struct idp_authz *z, const char **why)
{
	enum idp_err rc;
	int64_t age;

	memset(z, 0, sizeof(*z));
	z->client_id = c->client_id;
	z->redirect_uri = raw->redirect_uri;
	z->max_age = -1;
	/* state first, so every later error can carry it back. */
	if (raw->state != NULL && strlen(raw->state) > IDP_STATE_MAX)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "state is too long.");
	z->state = raw->state;
	/* Next, so that every later error travels the way it was asked. */
	if ((rc = parse_response_mode(raw->response_mode, z, why)) != IDP_OK)
		return rc;
	/* The endpoints unpack these first (endpoint/authz_params.h); one
	 * left here sits inside a request object or a pushed request. */
	if (raw->request != NULL)
		return idp_fail_why(why, IDP_ERR_REQUEST_NOT_SUPPORTED,
		    "A request object cannot be nested.");
	if (raw->request_uri != NULL)
		return idp_fail_why(why, IDP_ERR_REQUEST_URI_NOT_SUPPORTED,
		    "request_uri cannot be nested.");
	if (raw->registration != NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "The registration parameter is not supported.");
	if ((rc = check_origin(c, raw, opts, z, why)) != IDP_OK)
		return rc;
	if (raw->response_type == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "response_type is required.");
	if (strcmp(raw->response_type, "code") != 0)
		return idp_fail_why(why, IDP_ERR_UNSUPPORTED_RESPONSE_TYPE,
		    "Only response_type=code is supported.");
	if (!(c->grants & IDP_GRANT_CODE))
		return idp_fail_why(why, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use the authorization code grant.");
	if ((rc = grant_scope(a, c, raw, z, why)) != IDP_OK)
		return rc;
	if ((rc = parse_claims(a, raw->claims, z, why)) != IDP_OK)
		return rc;
	if (raw->nonce != NULL && (strlen(raw->nonce) > IDP_NONCE_MAX ||
	    *raw->nonce == '\0'))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "nonce must be 1-512 characters.");
	z->nonce = raw->nonce;
	if ((rc = parse_prompt(a, raw->prompt, z, why)) != IDP_OK)
		return rc;
	if (raw->max_age != NULL) {
		if (idp_parse_i64(raw->max_age, 0, INT32_MAX, &age) != 0)
			return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
			    "max_age must be a non-negative integer.");
		z->max_age = age;
	}
	if ((rc = parse_pkce(c, raw, opts, z, why)) != IDP_OK)
		return rc;
	if ((raw->login_hint && strlen(raw->login_hint) > 256) ||
	    (raw->id_token_hint && strlen(raw->id_token_hint) > IDP_HINT_MAX) ||
	    (raw->ui_locales && strlen(raw->ui_locales) > 256))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "A hint parameter is too long.");
	z->login_hint = raw->login_hint;
	z->id_token_hint = raw->id_token_hint;
	z->ui_locales = raw->ui_locales;
	return parse_acr_values(a, raw->acr_values, z, why);
}

static void
set_opt(json_t *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, k, json_string(v));
}

json_t *
idp_authz_to_json(const struct idp_authz *z)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:I}",
	    "client_id", z->client_id, "redirect_uri", z->redirect_uri,
	    "scope", z->scope, "prompt_none", z->prompt_none,
	    "prompt_login", z->prompt_login, "prompt_consent",
	    z->prompt_consent, "prompt_select_account",
	    z->prompt_select_account, "max_age", (json_int_t)z->max_age);

	set_opt(o, "state", z->state);
	set_opt(o, "nonce", z->nonce);
	set_opt(o, "code_challenge", z->code_challenge);
	set_opt(o, "code_challenge_method", idp_pkce_method_name(z->pkce));
	set_opt(o, "login_hint", z->login_hint);
	set_opt(o, "ui_locales", z->ui_locales);
	set_opt(o, "resource", z->resource);
	set_opt(o, "acr_values", z->acr_values);
	json_object_set_new(o, "acr_mfa", json_boolean(z->acr_mfa));
	set_opt(o, "dpop_jkt", z->dpop_jkt);
	if (z->response_mode == IDP_RESPONSE_FORM_POST)
		set_opt(o, "response_mode", "form_post");
	if (z->claims != NULL)
		json_object_set_new(o, "claims", json_loads(z->claims, 0,
		    NULL));
	return o;
}

static void
query_add(struct idp_buf *b, const char *k, const char *v)
{
	if (v == NULL)
		return;
	if (b->len > 0)
		idp_buf_addc(b, '&');
	idp_buf_adds(b, k);
	idp_buf_addc(b, '=');
	idp_buf_add_urlenc(b, v);
}

char *
idp_authz_to_query(struct idp_arena *a, const struct idp_authz *z)
{
	struct idp_buf b;
	char max_age[24];
	const char *prompt[3];
	size_t n = 0;

	idp_buf_init(&b, a, 16 * 1024);
	query_add(&b, "response_type", "code");
	query_add(&b, "client_id", z->client_id);
	query_add(&b, "redirect_uri", z->redirect_uri);
	query_add(&b, "scope", z->scope);
	query_add(&b, "state", z->state);
	query_add(&b, "nonce", z->nonce);
	query_add(&b, "code_challenge", z->code_challenge);
	if (z->code_challenge != NULL)
		query_add(&b, "code_challenge_method",
		    idp_pkce_method_name(z->pkce));
	if (z->prompt_login)
		prompt[n++] = "login";
	if (z->prompt_consent)
		prompt[n++] = "consent";
	if (z->prompt_select_account)
		prompt[n++] = "select_account";
	if (n > 0)
		query_add(&b, "prompt", n == 1 ? prompt[0] : idp_arena_printf(a,
		    "%s %s%s%s", prompt[0], prompt[1], n == 3 ? " " : "",
		    n == 3 ? prompt[2] : ""));
	if (z->max_age >= 0) {
		snprintf(max_age, sizeof(max_age), "%lld",
		    (long long)z->max_age);
		query_add(&b, "max_age", max_age);
	}
	query_add(&b, "login_hint", z->login_hint);
	query_add(&b, "ui_locales", z->ui_locales);
	query_add(&b, "acr_values", z->acr_values);
	query_add(&b, "dpop_jkt", z->dpop_jkt);
	if (z->response_mode == IDP_RESPONSE_FORM_POST)
		query_add(&b, "response_mode", "form_post");
	query_add(&b, "claims", z->claims);
	return b.overflow ? NULL : b.data;
}

static const char *
get(struct idp_arena *a, json_t *o, const char *k)
{
	return idp_arena_strdup(a, json_string_value(json_object_get(o, k)));
}

/* The claims request the pending login kept, checked again as it is
 * parsed (it is the provider's own text, but cheap to trust nothing). */
static int
claims_from_json(struct idp_arena *a, json_t *v, struct idp_authz *z)
{
	struct idp_claims_req r;
	const char *why;
	char *s;
	int rc;

	if (v == NULL || json_is_null(v))
		return 0;
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	rc = s != NULL && idp_claims_req_parse(a, s, &r, &why) == IDP_OK ?
	    0 : -1;
	free(s);
	if (rc == 0) {
		z->claims = idp_claims_req_text(a, &r);
		z->claims_sub = idp_claims_req_sub(&r);
	}
	return rc;
}

int
idp_authz_from_json(struct idp_arena *a, json_t *o, struct idp_authz *z)
{
	memset(z, 0, sizeof(*z));
	z->client_id = get(a, o, "client_id");
	z->redirect_uri = get(a, o, "redirect_uri");
	z->scope = get(a, o, "scope");
	if (z->client_id == NULL || z->redirect_uri == NULL || z->scope == NULL)
		return -1;
	if (idp_scope_parse(a, z->scope, &z->scopes, &z->nscopes) != IDP_OK)
		return -1;
	z->openid = idp_list_has(z->scopes, "openid");
	z->state = get(a, o, "state");
	z->nonce = get(a, o, "nonce");
	z->code_challenge = get(a, o, "code_challenge");
	z->pkce = idp_pkce_method_parse(json_string_value(
	    json_object_get(o, "code_challenge_method")));
	z->login_hint = get(a, o, "login_hint");
	z->ui_locales = get(a, o, "ui_locales");
	z->resource = get(a, o, "resource");
	z->dpop_jkt = get(a, o, "dpop_jkt");
	z->prompt_none = json_is_true(json_object_get(o, "prompt_none"));
	z->prompt_login = json_is_true(json_object_get(o, "prompt_login"));
	z->prompt_consent = json_is_true(json_object_get(o, "prompt_consent"));
	z->prompt_select_account = json_is_true(json_object_get(o,
	    "prompt_select_account"));
	z->max_age = json_integer_value(json_object_get(o, "max_age"));
	z->acr_values = get(a, o, "acr_values");
	z->acr_mfa = json_is_true(json_object_get(o, "acr_mfa"));
	if (idp_str_eq(json_string_value(json_object_get(o, "response_mode")),
	    "form_post"))
		z->response_mode = IDP_RESPONSE_FORM_POST;
	return claims_from_json(a, json_object_get(o, "claims"), z);
}

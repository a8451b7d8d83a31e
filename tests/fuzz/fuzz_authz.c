/* The authorization request (oidc/authz.c): stage one (may we redirect?)
 * and stage two (everything else), for a confidential and a public
 * client, with plain PKCE allowed and not. Whatever the parameters, an
 * error comes with a description; an accepted request has a registered
 * redirect URI, code as response type, allowed scopes and sane PKCE, and
 * survives the round trip through the pending-login JSON unchanged.
 * Input: the query string (x-www-form-urlencoded), as /authorize gets it. */
#include <string.h>

#include "http/req.h"
#include "oidc/authz.h"
#include "oidc/scope.h"
#include "store/client.h"

#include "fuzz.h"

static struct idp_client *conf, *pub;

static struct idp_client *
client(const char *id, const char *method)
{
	struct idp_client_row row;
	char md[512];

	snprintf(md, sizeof(md), "{\"redirect_uris\":["
	    "\"https://rp.example.go.id/cb\",\"http://127.0.0.1:8081/cb\","
	    "\"id.go.baliprov.app:/cb\"],"
	    "\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
	    "\"scope\":\"openid profile email\","
	    "\"token_endpoint_auth_method\":\"%s\"}", method);
	memset(&row, 0, sizeof(row));
	row.client_id = (char *)(uintptr_t)id;
	row.auth_method = (char *)(uintptr_t)method;
	row.metadata = md;
	row.enabled = true;
	return idp_client_from_row(&row);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf = client("portal", "client_secret_basic");
	pub = client("mobile", "none");
	if (conf == NULL || pub == NULL)
		abort();
	return 0;
}

/* As endpoint/authorize.c collects them. */
static void
collect(const struct idp_req *rq, struct idp_authz_raw *r)
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
	r->request = idp_req_param(rq, "request");
	r->request_uri = idp_req_param(rq, "request_uri");
	r->registration = idp_req_param(rq, "registration");
}

static void
check_accepted(struct idp_arena *a, const struct idp_client *c,
    const struct idp_authz_raw *raw, const struct idp_authz_opts *opts,
    const struct idp_authz *z)
{
	struct idp_authz back;
	json_t *o, *o2;

	FUZZ_ASSERT(idp_client_redirect_registered(c, z->redirect_uri));
	FUZZ_ASSERT(!strcmp(raw->response_type, "code"));
	FUZZ_ASSERT(idp_scope_check_allowed(z->scopes, z->nscopes, c->scopes)
	    == IDP_OK);
	FUZZ_ASSERT(z->state == NULL || strlen(z->state) <= IDP_STATE_MAX);
	FUZZ_ASSERT(z->max_age >= -1);
	FUZZ_ASSERT(!z->prompt_none || !(z->prompt_login ||
	    z->prompt_consent || z->prompt_select_account));
	if (c->auth == IDP_AUTH_NONE)
		FUZZ_ASSERT(z->pkce != IDP_PKCE_NONE);
	if (z->pkce == IDP_PKCE_PLAIN)
		FUZZ_ASSERT(opts->allow_plain_pkce);
	FUZZ_ASSERT((z->pkce == IDP_PKCE_NONE) == (z->code_challenge == NULL));
	o = idp_authz_to_json(z);
	FUZZ_ASSERT(o != NULL);
	FUZZ_ASSERT(idp_authz_from_json(a, o, &back) == 0);
	o2 = idp_authz_to_json(&back);
	FUZZ_ASSERT(json_equal(o, o2));
	json_decref(o2);
	json_decref(o);
}

static void
check(struct idp_arena *a, const struct idp_client *c,
    const struct idp_authz_raw *raw, bool plain)
{
	struct idp_authz_opts opts = { .allow_plain_pkce = plain };
	struct idp_authz z;
	const char *why = NULL;
	enum idp_err rc;

	if (idp_authz_check_redirect(c, raw->redirect_uri, &why) != IDP_OK) {
		FUZZ_ASSERT(why != NULL);
		return;
	}
	rc = idp_authz_validate(a, c, raw, &opts, &z, &why);
	if (rc != IDP_OK) {
		FUZZ_ASSERT(why != NULL && *why != '\0');
		return;
	}
	check_accepted(a, c, raw, &opts, &z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_authz_raw raw;
	struct idp_req rq;

	fuzz_form_request(a, (const char *)data, size, &rq);
	memset(&raw, 0, sizeof(raw));
	collect(&rq, &raw);
	for (int plain = 0; plain <= 1; plain++) {
		check(a, conf, &raw, plain);
		check(a, pub, &raw, plain);
	}
	idp_arena_free(a);
	return 0;
}

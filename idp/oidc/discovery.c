#include <string.h>

#include "oidc/acr.h"
#include "oidc/claims.h"
#include "oidc/client.h"
#include "oidc/discovery.h"
#include "oidc/dpop.h"
#include "oidc/scope.h"

static json_t *
strings(const char *const *v)
{
	json_t *a = json_array();

	for (; *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static bool
served_has(const char *const *served, const char *path)
{
	for (; served != NULL && *served != NULL; served++)
		if (strcmp(*served, path) == 0)
			return true;
	return false;
}

static void
endpoint(json_t *o, const struct idp_config *cfg, const char *const *served,
    const char *key, const char *path)
{
	if (served_has(served, path)) {
		size_t n = strlen(cfg->issuer) + strlen(path) + 1;
		char *url = malloc(n);

		if (url == NULL)
			return;
		snprintf(url, n, "%s%s", cfg->issuer, path);
		json_object_set_new(o, key, json_string(url));
		free(url);
	}
}

static json_t *
signing_algs(const struct idp_keyset *ks)
{
	json_t *a = json_array();

	/* Exactly the algorithms with a key that signs now. */
	for (size_t i = 0; i < IDP_ALG_COUNT; i++)
		if (idp_keyset_has_alg(ks, idp_algs_all[i]))
			json_array_append_new(a,
			    json_string(idp_alg_name(idp_algs_all[i])));
	return a;
}

json_t *
idp_discovery_build(const struct idp_config *cfg, const struct idp_keyset *ks,
    const char *const *served)
{
	static const char *const assertion_algs[] = { "RS256", "PS256",
		"ES256", "EdDSA", NULL };
	json_t *o = json_object();
	bool authz = served_has(served, "/authorize");

	json_object_set_new(o, "issuer", json_string(cfg->issuer));
	endpoint(o, cfg, served, "authorization_endpoint", "/authorize");
	endpoint(o, cfg, served, "token_endpoint", "/token");
	endpoint(o, cfg, served, "pushed_authorization_request_endpoint",
	    "/par");
	endpoint(o, cfg, served, "userinfo_endpoint", "/userinfo");
	endpoint(o, cfg, served, "jwks_uri", "/jwks");
	endpoint(o, cfg, served, "registration_endpoint", "/register");
	endpoint(o, cfg, served, "introspection_endpoint", "/introspect");
	endpoint(o, cfg, served, "revocation_endpoint", "/revoke");
	endpoint(o, cfg, served, "end_session_endpoint", "/logout");
	endpoint(o, cfg, served, "device_authorization_endpoint",
	    "/device_authorization");
	if (served_has(served, "/logout")) {
		/* Back-Channel Logout 1.0 §2.1 (every token carries sid),
		 * Front-Channel Logout 1.0 §3 (iss and sid on the URI). */
		json_object_set_new(o, "backchannel_logout_supported",
		    json_true());
		json_object_set_new(o, "backchannel_logout_session_supported",
		    json_true());
		json_object_set_new(o, "frontchannel_logout_supported",
		    json_true());
		json_object_set_new(o,
		    "frontchannel_logout_session_supported", json_true());
	}

	json_object_set_new(o, "scopes_supported", strings(idp_scopes_known));
	json_object_set_new(o, "claims_supported", strings(idp_claims_known));
	json_object_set_new(o, "subject_types_supported",
	    strings((const char *const[]){ "public", "pairwise", NULL }));
	json_object_set_new(o, "id_token_signing_alg_values_supported",
	    signing_algs(ks));
	if (served_has(served, "/userinfo"))
		json_object_set_new(o, "userinfo_signing_alg_values_supported",
		    signing_algs(ks));
	if (authz) {
		json_object_set_new(o, "response_types_supported",
		    strings((const char *const[]){ "code", NULL }));
		json_object_set_new(o, "response_modes_supported",
		    strings((const char *const[]){ "query", "form_post",
		    NULL }));
		json_object_set_new(o, "code_challenge_methods_supported",
		    cfg->pkce_allow_plain ?
		    strings((const char *const[]){ "S256", "plain", NULL }) :
		    strings((const char *const[]){ "S256", NULL }));
		json_object_set_new(o, "prompt_values_supported",
		    strings((const char *const[]){ "none", "login", "consent",
		    "select_account", NULL }));
		json_object_set_new(o, "ui_locales_supported",
		    strings((const char *const[]){ "id", "en", NULL }));
		json_object_set_new(o, "claims_parameter_supported",
		    json_true());
		/* RFC 9101: signed request objects by value and pushed; a
		 * request_uri is only ever one /par handed out (never
		 * fetched), which request_uri_parameter_supported does not
		 * cover (RFC 9126 §5). */
		json_object_set_new(o, "request_parameter_supported",
		    json_true());
		json_object_set_new(o, "request_uri_parameter_supported",
		    json_false());
		json_object_set_new(o,
		    "request_object_signing_alg_values_supported",
		    strings(assertion_algs));
		json_object_set_new(o,
		    "authorization_response_iss_parameter_supported",
		    json_true());
		json_object_set_new(o, "acr_values_supported",
		    strings(idp_acr_values));
	}
	if (served_has(served, "/par"))
		json_object_set_new(o, "require_pushed_authorization_requests",
		    json_boolean(cfg->require_par));
	if (served_has(served, "/token")) {
		json_object_set_new(o, "dpop_signing_alg_values_supported",
		    strings(idp_dpop_algs_supported));
		json_object_set_new(o, "grant_types_supported",
		    strings(idp_grant_types_supported));
		json_object_set_new(o, "token_endpoint_auth_methods_supported",
		    strings(idp_auth_methods_supported));
		json_object_set_new(o,
		    "token_endpoint_auth_signing_alg_values_supported",
		    strings(assertion_algs));
	}
	if (served_has(served, "/introspect")) {
		json_object_set_new(o,
		    "introspection_endpoint_auth_methods_supported",
		    strings(idp_auth_methods_supported));
		json_object_set_new(o,
		    "introspection_endpoint_auth_signing_alg_values_supported",
		    strings(assertion_algs));
	}
	if (served_has(served, "/revoke")) {
		json_object_set_new(o,
		    "revocation_endpoint_auth_methods_supported",
		    strings(idp_auth_methods_supported));
		json_object_set_new(o,
		    "revocation_endpoint_auth_signing_alg_values_supported",
		    strings(assertion_algs));
	}
	return o;
}

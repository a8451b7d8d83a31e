#include <string.h>

#include "oidc/client_request.h"

static const char *const flags[] = { "require_pushed_authorization_requests",
	"require_signed_request_object", "dpop_bound_access_tokens", NULL };

enum idp_err
idp_client_request_metadata(json_t *in, json_t *out, const char **why)
{
	json_t *alg = json_object_get(in, "request_object_signing_alg");
	bool objects = false;

	for (const char *const *k = flags; *k != NULL; k++) {
		json_t *v = json_object_get(in, *k);

		if (v == NULL || json_is_null(v))
			continue;
		if (!json_is_boolean(v))
			return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
			    "require_pushed_authorization_requests, "
			    "require_signed_request_object and "
			    "dpop_bound_access_tokens must be true or false");
		json_object_set(out, *k, v);
	}
	objects = json_is_true(json_object_get(out,
	    "require_signed_request_object"));
	if (alg != NULL && !json_is_null(alg)) {
		if (idp_alg_parse(json_string_value(alg)) == IDP_ALG_NONE)
			return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
			    "request_object_signing_alg must be RS256, PS256 "
			    "or ES256 (unsigned request objects are not "
			    "accepted)");
		json_object_set(out, "request_object_signing_alg", alg);
		objects = true;
	}
	if (objects && json_object_get(out, "jwks") == NULL &&
	    json_object_get(out, "jwks_uri") == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "signed request objects need the client's keys: jwks or "
		    "jwks_uri");
	return IDP_OK;
}

void
idp_client_request_read(struct idp_client *c, json_t *md)
{
	c->require_par = json_is_true(json_object_get(md,
	    "require_pushed_authorization_requests"));
	c->require_signed_request = json_is_true(json_object_get(md,
	    "require_signed_request_object"));
	c->dpop_bound = json_is_true(json_object_get(md,
	    "dpop_bound_access_tokens"));
	c->request_object_alg = idp_alg_parse(json_string_value(
	    json_object_get(md, "request_object_signing_alg")));
}

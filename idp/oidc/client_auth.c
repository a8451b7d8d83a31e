#include <string.h>
#include <strings.h>

#include "crypto/b64url.h"
#include "oidc/client_auth.h"
#include "util/str.h"

int
idp_basic_credentials_parse(struct idp_arena *a, const char *b64,
    const char **client_id, const char **secret)
{
	const unsigned char *raw;
	const char *colon;
	size_t n, idlen;

	while (*b64 == ' ')
		b64++;
	raw = idp_b64_decode(a, b64, strlen(b64), &n);
	if (raw == NULL || memchr(raw, '\0', n) != NULL)
		return -1;
	colon = memchr(raw, ':', n);
	if (colon == NULL)
		return -1;
	idlen = (size_t)(colon - (const char *)raw);
	*client_id = idp_form_decode(a, (const char *)raw, idlen, NULL);
	*secret = idp_form_decode(a, colon + 1, n - idlen - 1, NULL);
	if (*client_id == NULL || *secret == NULL || **client_id == '\0')
		return -1;
	return 0;
}

enum idp_err
idp_client_creds_parse(struct idp_arena *a,
    const struct idp_client_creds_in *in, struct idp_client_creds *out,
    const char **why)
{
	const char *h = in->authorization;
	int methods = 0;

	memset(out, 0, sizeof(*out));
	if (h != NULL && !strncasecmp(h, "Basic ", 6)) {
		methods++;
		if (idp_basic_credentials_parse(a, h + 6, &out->client_id,
		    &out->secret) != 0) {
			*why = "Malformed Basic credentials.";
			return IDP_ERR_INVALID_CLIENT;
		}
		out->method = IDP_AUTH_BASIC;
		if (in->client_id != NULL &&
		    strcmp(in->client_id, out->client_id) != 0) {
			*why = "client_id differs from the Basic credentials.";
			return IDP_ERR_INVALID_REQUEST;
		}
	}
	if (in->client_secret != NULL) {
		methods++;
		out->method = IDP_AUTH_POST;
		out->client_id = in->client_id;
		out->secret = in->client_secret;
	}
	if (in->assertion != NULL || in->assertion_type != NULL) {
		methods++;
		if (in->assertion_type == NULL || in->assertion == NULL ||
		    strcmp(in->assertion_type, IDP_ASSERTION_TYPE) != 0) {
			*why = "client_assertion_type must be "
			    IDP_ASSERTION_TYPE ".";
			return IDP_ERR_INVALID_REQUEST;
		}
		out->method = IDP_AUTH_PRIVATE_KEY_JWT;
		out->assertion = in->assertion;
		out->client_id = in->client_id;
	}
	if (methods > 1) {
		*why = "Use exactly one client authentication method.";
		return IDP_ERR_INVALID_REQUEST;
	}
	if (methods == 0) {
		out->method = IDP_AUTH_NONE;
		out->client_id = in->client_id;
	}
	return IDP_OK;
}

static bool
is_audience(json_t *v, const char *const *audiences)
{
	const char *s = json_string_value(v);

	for (; s != NULL && *audiences != NULL; audiences++)
		if (strcmp(s, *audiences) == 0)
			return true;
	return false;
}

static bool
aud_ok(json_t *aud, const char *const *audiences)
{
	size_t i;
	json_t *v;

	if (json_is_string(aud))
		return is_audience(aud, audiences);
	json_array_foreach(aud, i, v)
		if (is_audience(v, audiences))
			return true;
	return false;
}

enum idp_err
idp_assertion_check_claims(json_t *payload, const char *client_id,
    const char *const *audiences, int64_t now,
    struct idp_assertion_claims *out, const char **why)
{
	const char *iss, *sub, *jti;
	json_t *exp, *nbf;

	memset(out, 0, sizeof(*out));
	iss = json_string_value(json_object_get(payload, "iss"));
	sub = json_string_value(json_object_get(payload, "sub"));
	jti = json_string_value(json_object_get(payload, "jti"));
	exp = json_object_get(payload, "exp");
	nbf = json_object_get(payload, "nbf");
	*why = "The client assertion is not valid.";
	if (!idp_str_eq(iss, client_id) || !idp_str_eq(sub, client_id)) {
		*why = "iss and sub of the assertion must be the client_id.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if (!aud_ok(json_object_get(payload, "aud"), audiences)) {
		*why = "The assertion's aud must name this endpoint.";
		return IDP_ERR_INVALID_CLIENT;
	}
	/* exp comes from outside: compare it with now, never add to it. */
	if (!json_is_integer(exp) ||
	    json_integer_value(exp) <= now - IDP_ASSERTION_SKEW ||
	    json_integer_value(exp) > now + IDP_ASSERTION_MAX_LIFETIME) {
		*why = "The assertion is expired or lives too long.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if (nbf != NULL && (!json_is_integer(nbf) ||
	    json_integer_value(nbf) > now + IDP_ASSERTION_SKEW)) {
		*why = "The assertion is not valid yet.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if (jti == NULL || *jti == '\0' ||
	    strlen(jti) > IDP_ASSERTION_JTI_MAX) {
		*why = "The assertion needs a jti.";
		return IDP_ERR_INVALID_CLIENT;
	}
	out->jti = jti;
	out->exp = json_integer_value(exp);
	return IDP_OK;
}

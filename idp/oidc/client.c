#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "oidc/client.h"
#include "oidc/device.h"
#include "oidc/exchange.h"
#include "oidc/client_request.h"
#include "oidc/outbound.h"
#include "oidc/scope.h"
#include "oidc/site.h"
#include "oidc/subject.h"
#include "util/str.h"

const char *const idp_grant_types_supported[] = { "authorization_code",
	"refresh_token", "client_credentials", IDP_GRANT_TYPE_DEVICE_CODE,
	IDP_GRANT_TYPE_TOKEN_EXCHANGE, NULL };

/* The bit of a grant_types value; 0 for one the provider does not know. */
static unsigned
grant_bit(const char *s)
{
	static const struct {
		const char *name;
		unsigned bit;
	} bits[] = {
		{ "authorization_code", IDP_GRANT_CODE },
		{ "refresh_token", IDP_GRANT_REFRESH },
		{ "client_credentials", IDP_GRANT_CLIENT_CREDENTIALS },
		{ IDP_GRANT_TYPE_DEVICE_CODE, IDP_GRANT_DEVICE_CODE },
		{ IDP_GRANT_TYPE_TOKEN_EXCHANGE, IDP_GRANT_TOKEN_EXCHANGE },
	};

	for (size_t i = 0; s != NULL && i < sizeof(bits) / sizeof(bits[0]);
	    i++)
		if (!strcmp(s, bits[i].name))
			return bits[i].bit;
	return 0;
}
const char *const idp_auth_methods_supported[] = { "client_secret_basic",
	"client_secret_post", "private_key_jwt", "none", NULL };

enum idp_auth_method
idp_auth_method_parse(const char *s)
{
	if (s == NULL)
		return 0;
	if (!strcmp(s, "client_secret_basic"))
		return IDP_AUTH_BASIC;
	if (!strcmp(s, "client_secret_post"))
		return IDP_AUTH_POST;
	if (!strcmp(s, "private_key_jwt"))
		return IDP_AUTH_PRIVATE_KEY_JWT;
	if (!strcmp(s, "none"))
		return IDP_AUTH_NONE;
	return 0;
}

const char *
idp_auth_method_name(enum idp_auth_method m)
{
	switch (m) {
	case IDP_AUTH_BASIC: return "client_secret_basic";
	case IDP_AUTH_POST: return "client_secret_post";
	case IDP_AUTH_PRIVATE_KEY_JWT: return "private_key_jwt";
	case IDP_AUTH_NONE: return "none";
	}
	return "unknown";
}

static bool
is_loopback(const char *host, size_t n)
{
	return (n == 9 && !strncmp(host, "127.0.0.1", 9)) ||
	    (n == 5 && !strncmp(host, "[::1]", 5)) ||
	    (n == 9 && !strncasecmp(host, "localhost", 9));
}

/* What follows the host in the authority: nothing, or ":" and a port of
 * 1-5 digits (RFC 3986 §3.2.3), so "[::1]junk" is no loopback host. */
static bool
port_ok(const char *p, const char *end)
{
	size_t n;

	if (p == end)
		return true;
	if (*p != ':')
		return false;
	n = (size_t)(end - p - 1);
	return n >= 1 && n <= 5 && strspn(p + 1, "0123456789") >= n;
}

int
idp_uri_check(const char *uri, bool public_native, const char **why)
{
	const char *p, *colon, *auth, *auth_end, *host_end;
	size_t n;

	if (uri == NULL || (n = strlen(uri)) == 0 || n > IDP_URI_MAX) {
		*why = "URI is empty or longer than 2000 characters";
		return -1;
	}
	for (p = uri; *p; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '\\' || *p == '"' || *p == '<' || *p == '>') {
			*why = "URI contains spaces, control or non-ASCII "
			    "characters";
			return -1;
		}
	}
	if (strchr(uri, '#') != NULL) {
		*why = "URI must not contain a fragment";
		return -1;
	}
	if (strchr(uri, '*') != NULL) {
		*why = "URI must not contain wildcards";
		return -1;
	}
	colon = strchr(uri, ':');
	if (colon == NULL || colon == uri) {
		*why = "URI must be absolute";
		return -1;
	}
	for (p = uri; p < colon; p++)
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' &&
		    *p != '.') {
			*why = "URI scheme is malformed";
			return -1;
		}
	if (!strncmp(uri, "https://", 8) || !strncmp(uri, "http://", 7)) {
		bool https = uri[4] == 's';

		auth = uri + (https ? 8 : 7);
		auth_end = auth + strcspn(auth, "/?");
		if (memchr(auth, '@', (size_t)(auth_end - auth)) != NULL) {
			*why = "URI must not contain user information";
			return -1;
		}
		host_end = auth_end;
		if (*auth == '[') {
			const char *rb = memchr(auth, ']',
			    (size_t)(auth_end - auth));

			if (rb == NULL) {
				*why = "URI host is malformed";
				return -1;
			}
			host_end = rb + 1;
		} else {
			const char *pc = memchr(auth, ':',
			    (size_t)(auth_end - auth));

			if (pc != NULL)
				host_end = pc;
		}
		if (host_end == auth) {
			*why = "URI has no host";
			return -1;
		}
		if (!port_ok(host_end, auth_end)) {
			*why = "URI port is malformed";
			return -1;
		}
		if (!https && !is_loopback(auth, (size_t)(host_end - auth))) {
			*why = "URI must use https (http only for loopback "
			    "addresses)";
			return -1;
		}
		return 0;
	}
	/* RFC 8252 §7.1: native apps use a reverse-domain private scheme. */
	if (public_native && memchr(uri, '.', (size_t)(colon - uri)) != NULL)
		return 0;
	*why = "URI must use https (http only for loopback addresses)";
	return -1;
}

/* An optional string member; copied when present and valid. */
static int
opt_string(json_t *in, json_t *out, const char *key, size_t max)
{
	json_t *v = json_object_get(in, key);
	const char *s;

	if (v == NULL || json_is_null(v))
		return 0;
	s = json_string_value(v);
	if (s == NULL || strlen(s) > max || !idp_utf8_valid(s, strlen(s)))
		return -1;
	json_object_set_new(out, key, json_string(s));
	return 0;
}

static int
opt_uri(json_t *in, json_t *out, const char *key, const char **why)
{
	json_t *v = json_object_get(in, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		*why = "URI metadata must be strings";
		return -1;
	}
	if (idp_uri_check(json_string_value(v), false, why) != 0)
		return -1;
	json_object_set(out, key, v);
	return 0;
}

static int
string_array(json_t *v, size_t max, json_t **out)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v) || json_array_size(v) > max)
		return -1;
	*out = json_array();
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);

		if (s == NULL || *s == '\0' || strlen(s) > IDP_URI_MAX) {
			json_decref(*out);
			return -1;
		}
		json_array_append(*out, e);
	}
	return 0;
}

static bool
array_has(json_t *arr, const char *s)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
		if (json_string_value(e) && !strcmp(json_string_value(e), s))
			return true;
	return false;
}

static enum idp_err
check_uris(json_t *in, json_t *out, const char *key, bool public_native,
    bool required, const char **why)
{
	json_t *v = json_object_get(in, key), *arr = NULL, *e;
	size_t i;

	if (v == NULL || json_is_null(v)) {
		if (required)
			return idp_fail_why(why, IDP_ERR_INVALID_REDIRECT_URI,
			    "redirect_uris is required for the "
			    "authorization_code grant");
		return IDP_OK;
	}
	if (string_array(v, IDP_CLIENT_URIS_MAX, &arr) != 0)
		return idp_fail_why(why, !strcmp(key, "redirect_uris") ?
		    IDP_ERR_INVALID_REDIRECT_URI :
		    IDP_ERR_INVALID_CLIENT_METADATA,
		    "URIs must be an array of at most 32 strings");
	if (required && json_array_size(arr) == 0) {
		json_decref(arr);
		return idp_fail_why(why, IDP_ERR_INVALID_REDIRECT_URI,
		    "redirect_uris must not be empty");
	}
	json_array_foreach(arr, i, e) {
		if (idp_uri_check(json_string_value(e), public_native, why)) {
			json_decref(arr);
			return !strcmp(key, "redirect_uris") ?
			    IDP_ERR_INVALID_REDIRECT_URI :
			    IDP_ERR_INVALID_CLIENT_METADATA;
		}
	}
	json_object_set_new(out, key, arr);
	return IDP_OK;
}

static enum idp_err
check_grants(json_t *in, json_t *out, unsigned *grants, const char **why)
{
	json_t *v = json_object_get(in, "grant_types"), *arr, *e;
	size_t i;

	if (v == NULL || json_is_null(v))
		v = json_pack("[s]", "authorization_code");
	else
		json_incref(v);
	if (string_array(v, 8, &arr) != 0) {
		json_decref(v);
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "grant_types must be a non-empty array of strings");
	}
	json_decref(v);
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "grant_types must be a non-empty array of strings");
	}
	*grants = 0;
	json_array_foreach(arr, i, e) {
		unsigned bit = grant_bit(json_string_value(e));

		if (bit == 0) {
			json_decref(arr);
			return idp_fail_why(why,
			    IDP_ERR_INVALID_CLIENT_METADATA,
			    "grant_types names an unsupported grant type");
		}
		*grants |= bit;
	}
	/* A refresh token continues what a person authorized. */
	if ((*grants & IDP_GRANT_REFRESH) &&
	    !(*grants & (IDP_GRANT_CODE | IDP_GRANT_DEVICE_CODE))) {
		json_decref(arr);
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "refresh_token needs the authorization_code or the "
		    "device_code grant");
	}
	json_object_set_new(out, "grant_types", arr);
	return IDP_OK;
}

static enum idp_err
check_response_types(json_t *in, json_t *out, unsigned grants,
    const char **why)
{
	json_t *v = json_object_get(in, "response_types");
	bool code = grants & IDP_GRANT_CODE;

	if (v == NULL || json_is_null(v)) {
		json_object_set_new(out, "response_types",
		    code ? json_pack("[s]", "code") : json_array());
		return IDP_OK;
	}
	if (!json_is_array(v) || json_array_size(v) > (code ? 1 : 0) ||
	    (code && (json_array_size(v) != 1 || !array_has(v, "code"))))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "response_types must be [\"code\"] with the "
		    "authorization_code grant and [] without it");
	json_object_set(out, "response_types", v);
	return IDP_OK;
}

/* A URI the provider itself will call (oidc/outbound.h). */
static enum idp_err
check_outbound(struct idp_arena *a, json_t *v, const char *key,
    unsigned flags, const char **why)
{
	if (!json_is_string(v)) {
		*why = idp_arena_printf(a, "%s must be an https URI", key);
		return IDP_ERR_INVALID_CLIENT_METADATA;
	}
	if (idp_outbound_uri_check(json_string_value(v),
	    flags & IDP_META_OUTBOUND_LOOPBACK, NULL, why) != 0) {
		*why = idp_arena_printf(a, "%s: %s", key, *why);
		return IDP_ERR_INVALID_CLIENT_METADATA;
	}
	return IDP_OK;
}

static enum idp_err
check_auth(struct idp_arena *a, json_t *in, json_t *out,
    enum idp_auth_method *m, unsigned grants, unsigned flags,
    const char **why)
{
	json_t *v = json_object_get(in, "token_endpoint_auth_method");
	json_t *jwks = json_object_get(in, "jwks");
	json_t *jwks_uri = json_object_get(in, "jwks_uri");

	*m = v == NULL ? IDP_AUTH_BASIC :
	    idp_auth_method_parse(json_string_value(v));
	if (*m == 0)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "token_endpoint_auth_method is not supported");
	json_object_set_new(out, "token_endpoint_auth_method",
	    json_string(idp_auth_method_name(*m)));
	if (*m == IDP_AUTH_NONE && (grants & IDP_GRANT_CLIENT_CREDENTIALS))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "public clients cannot use client_credentials");
	if (*m == IDP_AUTH_NONE && (grants & IDP_GRANT_TOKEN_EXCHANGE))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "public clients cannot use token exchange");
	if (jwks != NULL && jwks_uri != NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "jwks and jwks_uri are mutually exclusive");
	if (jwks != NULL) {
		json_t *keys = json_object_get(jwks, "keys"), *k;
		size_t i;

		if (!json_is_array(keys) || json_array_size(keys) == 0 ||
		    json_array_size(keys) > 10)
			return idp_fail_why(why,
			    IDP_ERR_INVALID_CLIENT_METADATA,
			    "jwks must be {\"keys\": [...]} with 1 to 10 keys");
		json_array_foreach(keys, i, k) {
			struct idp_key *key = NULL;

			if (idp_key_from_jwk(k, &key) != 0)
				return idp_fail_why(why,
				    IDP_ERR_INVALID_CLIENT_METADATA,
				    "jwks holds a key that is not a public "
				    "RSA (2048+) or P-256 signing key");
			idp_key_free(key);
		}
		json_object_set(out, "jwks", jwks);
	}
	if (jwks_uri != NULL) {
		if (check_outbound(a, jwks_uri, "jwks_uri", flags, why) !=
		    IDP_OK)
			return IDP_ERR_INVALID_CLIENT_METADATA;
		json_object_set(out, "jwks_uri", jwks_uri);
	}
	if (*m == IDP_AUTH_PRIVATE_KEY_JWT && jwks == NULL && jwks_uri == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "private_key_jwt needs jwks or jwks_uri");
	return IDP_OK;
}

/* Without a scope, a client that signs people in may use every standard
 * scope discovery lists (offline_access with the refresh_token grant);
 * a client_credentials-only client must name its API scopes. Whether API
 * scopes exist and are allowed is the store's to say (the caller checks
 * with idp_scope_registration_check). */
static enum idp_err
check_scope(json_t *in, json_t *out, struct idp_arena *a, unsigned grants,
    unsigned flags, const char **why)
{
	json_t *v = json_object_get(in, "scope");
	const char *s;
	char **items;
	size_t n;

	if (v == NULL || json_is_null(v)) {
		if (!(grants & (IDP_GRANT_CODE | IDP_GRANT_DEVICE_CODE)))
			return idp_fail_why(why,
			    IDP_ERR_INVALID_CLIENT_METADATA,
			    "scope is required for clients without a "
			    "person's sign-in (client_credentials, token "
			    "exchange)");
		json_object_set_new(out, "scope", json_string(
		    (grants & IDP_GRANT_REFRESH) ? "openid profile email phone "
		    "organisation offline_access" : "openid profile email "
		    "phone organisation"));
		return IDP_OK;
	}
	s = json_string_value(v);
	if (s == NULL || idp_scope_parse(a, s, &items, &n) != IDP_OK)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "scope must be space-separated scope tokens");
	if (idp_list_has(items, IDP_SCOPE_OFFLINE) &&
	    !(grants & IDP_GRANT_REFRESH))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "scope offline_access needs the refresh_token grant");
	if (idp_list_has(items, IDP_SCOPE_ROLES) &&
	    !(flags & IDP_META_FIRST_PARTY))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "scope roles is only for the province's own (first-party) "
		    "services");
	json_object_set_new(out, "scope",
	    json_string(idp_scope_join(a, items, n)));
	return IDP_OK;
}

static enum idp_err
check_algs(json_t *in, json_t *out, const char **why)
{
	json_t *v = json_object_get(in, "id_token_signed_response_alg");
	const char *fmt;

	if (v == NULL || json_is_null(v)) {
		json_object_set_new(out, "id_token_signed_response_alg",
		    json_string("RS256"));
	} else if (idp_alg_parse(json_string_value(v)) == IDP_ALG_NONE) {
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "id_token_signed_response_alg must be RS256, ES256, "
		    "PS256 or EdDSA");
	} else {
		json_object_set(out, "id_token_signed_response_alg", v);
	}
	v = json_object_get(in, "access_token_format");
	fmt = v == NULL ? "opaque" : json_string_value(v);
	if (fmt == NULL || (strcmp(fmt, "opaque") && strcmp(fmt, "jwt")))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "access_token_format must be opaque or jwt");
	json_object_set_new(out, "access_token_format", json_string(fmt));
	v = json_object_get(in, "access_token_signed_response_alg");
	if (v != NULL && idp_alg_parse(json_string_value(v)) == IDP_ALG_NONE)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "access_token_signed_response_alg must be RS256, ES256, "
		    "PS256 or EdDSA");
	json_object_set_new(out, "access_token_signed_response_alg",
	    v ? json_incref(v) : json_string("ES256"));
	/* OIDC Registration §2: absent means userinfo answers in JSON. */
	v = json_object_get(in, "userinfo_signed_response_alg");
	if (v != NULL && !json_is_null(v)) {
		if (idp_alg_parse(json_string_value(v)) == IDP_ALG_NONE)
			return idp_fail_why(why,
			    IDP_ERR_INVALID_CLIENT_METADATA,
			    "userinfo_signed_response_alg must be RS256, "
			    "ES256, PS256 or EdDSA");
		json_object_set(out, "userinfo_signed_response_alg", v);
	}
	return IDP_OK;
}

static enum idp_err
check_descriptive(json_t *in, json_t *out, const char **why)
{
	json_t *c = json_object_get(in, "contacts"), *arr;

	if (opt_string(in, out, "client_name", 200) != 0)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "client_name must be a string of at most 200 characters");
	if (opt_uri(in, out, "logo_uri", why) || opt_uri(in, out,
	    "client_uri", why) || opt_uri(in, out, "policy_uri", why) ||
	    opt_uri(in, out, "tos_uri", why))
		return IDP_ERR_INVALID_CLIENT_METADATA;
	if (c != NULL && !json_is_null(c)) {
		if (string_array(c, 10, &arr) != 0)
			return idp_fail_why(why,
			    IDP_ERR_INVALID_CLIENT_METADATA,
			    "contacts must be an array of at most 10 strings");
		json_object_set_new(out, "contacts", arr);
	}
	if (opt_string(in, out, "description", 1000) != 0 ||
	    opt_string(in, out, "software_id", 200) != 0 ||
	    opt_string(in, out, "software_version", 100) != 0)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "description, software_id and software_version must be "
		    "short strings");
	return IDP_OK;
}

/* OIDC Dynamic Registration §2: a whole number of seconds within reason,
 * and true/false members that are really booleans. */
static enum idp_err
check_numbers(json_t *in, json_t *out, const char **why)
{
	static const char *const flags[] = { "require_auth_time",
		"backchannel_logout_session_required",
		"frontchannel_logout_session_required", "require_mfa", NULL };
	json_t *v = json_object_get(in, "default_max_age");

	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > IDP_DEFAULT_MAX_AGE_MAX)
			return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
			    "default_max_age must be a whole number of "
			    "seconds from 0 to 31536000");
		json_object_set(out, "default_max_age", v);
	}
	for (const char *const *k = flags; *k; k++) {
		v = json_object_get(in, *k);
		if (v == NULL || json_is_null(v))
			continue;
		if (!json_is_boolean(v))
			return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
			    "require_auth_time, "
			    "backchannel_logout_session_required, "
			    "frontchannel_logout_session_required and "
			    "require_mfa must be true or false");
		json_object_set(out, *k, v);
	}
	return IDP_OK;
}

/* RFC 8693: the token_exchange policy (oidc/exchange.h), which comes with
 * the grant and only from an operator's manifest: it lets the client
 * act on other services' people. */
static enum idp_err
check_exchange(struct idp_arena *a, json_t *in, json_t *out, unsigned grants,
    unsigned flags, const char **why)
{
	json_t *v = json_object_get(in, "token_exchange"), *norm;
	char **ceiling = NULL;
	size_t n;
	const char *s = json_string_value(json_object_get(out, "scope"));
	enum idp_err rc;

	if (v != NULL && (flags & IDP_META_DYNAMIC))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "token_exchange is set by an operator, not by "
		    "registration");
	if (!(grants & IDP_GRANT_TOKEN_EXCHANGE)) {
		if (v != NULL)
			return idp_fail_why(why,
			    IDP_ERR_INVALID_CLIENT_METADATA,
			    "token_exchange needs the token-exchange grant");
		return IDP_OK;
	}
	if (v == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "the token-exchange grant needs a token_exchange policy");
	if (s == NULL || (*s != '\0' && idp_scope_parse(a, s, &ceiling, &n)
	    != IDP_OK))
		ceiling = idp_arena_zalloc(a, sizeof(char *));
	rc = idp_exchange_policy_check(a, v, ceiling, &norm, why);
	if (rc == IDP_OK)
		json_object_set_new(out, "token_exchange", norm);
	return rc;
}

/* Front-Channel Logout 1.0 §2: the page a signed-out page loads in an
 * iframe. The rule of a redirect URI (https, or http on loopback; no
 * fragment), and not a private-use scheme: a browser frames it. */
static enum idp_err
check_frontchannel(json_t *in, json_t *out, const char **why)
{
	json_t *v = json_object_get(in, "frontchannel_logout_uri");
	const char *u = json_string_value(v);

	if (v == NULL || json_is_null(v))
		return IDP_OK;
	if (u == NULL || (strncmp(u, "https://", 8) != 0 &&
	    strncmp(u, "http://", 7) != 0))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "frontchannel_logout_uri must be an https URI");
	if (idp_uri_check(u, false, why) != 0)
		return IDP_ERR_INVALID_CLIENT_METADATA;
	json_object_set(out, "frontchannel_logout_uri", v);
	return IDP_OK;
}

static unsigned
subject_flags(unsigned flags)
{
	return (flags & IDP_META_DYNAMIC) ? IDP_SUBJECT_DYNAMIC : 0;
}

enum idp_err
idp_client_metadata_validate(struct idp_arena *a, json_t *in, unsigned flags,
    json_t **out, const char **why)
{
	json_t *o;
	enum idp_auth_method m = 0;
	unsigned grants = 0;
	enum idp_err rc;
	json_t *bcl;

	*out = NULL;
	if (!json_is_object(in))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "client metadata must be a JSON object");
	o = json_object();
	if ((rc = check_grants(in, o, &grants, why)) != IDP_OK ||
	    (rc = check_response_types(in, o, grants, why)) != IDP_OK ||
	    (rc = check_auth(a, in, o, &m, grants, flags, why)) != IDP_OK ||
	    (rc = check_uris(in, o, "redirect_uris", m == IDP_AUTH_NONE,
	    grants & IDP_GRANT_CODE, why)) != IDP_OK ||
	    (rc = check_uris(in, o, "post_logout_redirect_uris",
	    m == IDP_AUTH_NONE, false, why)) != IDP_OK ||
	    (rc = idp_subject_metadata_check(a, in, o, subject_flags(flags),
	    flags & IDP_META_OUTBOUND_LOOPBACK, why)) != IDP_OK ||
	    (rc = check_scope(in, o, a, grants, flags, why)) != IDP_OK ||
	    (rc = check_algs(in, o, why)) != IDP_OK ||
	    (rc = check_descriptive(in, o, why)) != IDP_OK ||
	    (rc = check_numbers(in, o, why)) != IDP_OK ||
	    (rc = idp_client_request_metadata(in, o, why)) != IDP_OK)
		goto bad;
	bcl = json_object_get(in, "backchannel_logout_uri");
	if (bcl != NULL && !json_is_null(bcl)) {
		if ((rc = check_outbound(a, bcl, "backchannel_logout_uri",
		    flags, why)) != IDP_OK)
			goto bad;
		json_object_set(o, "backchannel_logout_uri", bcl);
	}
	if ((rc = check_frontchannel(in, o, why)) != IDP_OK)
		goto bad;
	if (!(grants & IDP_GRANT_CODE) &&
	    json_array_size(json_object_get(o, "redirect_uris")) > 0) {
		rc = idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "redirect_uris need the authorization_code grant");
		goto bad;
	}
	if ((rc = check_exchange(a, in, o, grants, flags, why)) != IDP_OK)
		goto bad;
	if ((flags & IDP_META_DYNAMIC) &&
	    json_object_get(in, "first_party") != NULL) {
		rc = idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "first_party is set by an operator, not by registration");
		goto bad;
	}
	*out = o;
	return IDP_OK;
bad:
	json_decref(o);
	return rc;
}

static char **
strings_of(struct idp_arena *a, json_t *arr)
{
	size_t n = json_array_size(arr), i;
	char **v = idp_arena_alloc(a, (n + 1) * sizeof(*v));
	json_t *e;

	json_array_foreach(arr, i, e)
		v[i] = idp_arena_strdup(a, json_string_value(e));
	v[n] = NULL;
	return v;
}

static void
decref(void *p)
{
	json_decref(p);
}

static char **
words(struct idp_arena *a, const char *s)
{
	char **v = NULL;
	size_t n;

	if (s == NULL || idp_split_spaces(a, s, &v, &n) != 0)
		v = idp_arena_zalloc(a, sizeof(char *));
	return v;
}

/* The API scopes the store says the client may have now, as entries. */
static struct idp_api_scope *
allowed_api(struct idp_arena *a, const char *js, bool **approved, size_t *n)
{
	json_t *arr = js ? json_loads(js, 0, NULL) : NULL, *e;
	struct idp_api_scope *v;
	size_t i;

	*n = json_array_size(arr);
	v = idp_arena_zalloc(a, (*n + 1) * sizeof(*v));
	*approved = idp_arena_zalloc(a, (*n + 1) * sizeof(bool));
	json_array_foreach(arr, i, e) {
		v[i].scope = idp_arena_strdup(a,
		    json_string_value(json_object_get(e, "scope")));
		v[i].server = idp_arena_strdup(a,
		    json_string_value(json_object_get(e, "server")));
		v[i].description = idp_arena_strdup(a,
		    json_string_value(json_object_get(e, "description")));
		v[i].server_name = idp_arena_strdup(a,
		    json_string_value(json_object_get(e, "server_name")));
		v[i].resources = strings_of(a, json_object_get(e, "resources"));
		(*approved)[i] = json_is_true(json_object_get(e, "approved"));
	}
	json_decref(arr);
	return v;
}

/* The ceiling (oidc/client.h): the registered standard scopes, and the
 * registered or approved API scopes that are allowed now. */
static void
ceiling(struct idp_arena *a, struct idp_client *c, char *const *registered,
    const char *api_json)
{
	size_t nreg = 0, nall = 0, k = 0;
	struct idp_api_scope *all;
	bool *approved;

	while (registered[nreg] != NULL)
		nreg++;
	all = allowed_api(a, api_json, &approved, &nall);
	c->scopes = idp_arena_zalloc(a, (nreg + nall + 1) * sizeof(char *));
	c->api = idp_arena_zalloc(a, (nall + 1) * sizeof(*c->api));
	for (size_t i = 0; i < nreg; i++)
		if (idp_scope_is_standard(registered[i]))
			c->scopes[k++] = registered[i];
	for (size_t i = 0; i < nall; i++) {
		if (all[i].scope == NULL || all[i].server == NULL ||
		    (!approved[i] && !idp_list_has(registered, all[i].scope)))
			continue;
		c->scopes[k++] = all[i].scope;
		c->api[c->napi++] = all[i];
	}
}

/* logo_uri, client_uri, policy_uri, tos_uri: shown only when on the site
 * of a redirect URI (oidc/site.h). */
static const char *
shown_uri(struct idp_arena *a, const struct idp_client *c, const char *key,
    bool *withheld)
{
	const char *u = json_string_value(json_object_get(c->metadata, key));

	*withheld = u != NULL && !idp_site_uri_shown(a, u, c->redirect_uris);
	return *withheld ? NULL : u;
}

static void
descriptive(struct idp_arena *a, struct idp_client *c,
    const struct idp_client_row *row)
{
	c->logo_uri = shown_uri(a, c, "logo_uri", &c->withheld.logo);
	c->client_uri = shown_uri(a, c, "client_uri", &c->withheld.client);
	c->policy_uri = shown_uri(a, c, "policy_uri", &c->withheld.policy);
	c->tos_uri = shown_uri(a, c, "tos_uri", &c->withheld.tos);
	c->client_uri_host = idp_uri_host(a, c->client_uri);
	c->contacts = strings_of(a, json_object_get(c->metadata, "contacts"));
	c->owner_org_name = idp_arena_strdup(a, row->owner_org_name);
	c->approval = idp_str_eq(row->approval, "pending") ?
	    IDP_APPROVAL_PENDING : idp_str_eq(row->approval, "rejected") ?
	    IDP_APPROVAL_REJECTED : IDP_APPROVAL_APPROVED;
	c->approval_reason = idp_arena_strdup(a, row->approval_reason);
	c->offered = words(a, row->offered);
	c->resources = words(a, row->resources);
}

struct idp_client *
idp_client_from_row(const struct idp_client_row *row)
{
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_client *c = idp_arena_zalloc(a, sizeof(*c));
	json_t *md = json_loads(row->metadata, 0, NULL), *v;
	char **registered = NULL;
	unsigned grants = 0;
	const char *s;
	size_t n;

	c->arena = a;
	if (md == NULL || !json_is_object(md))
		goto bad;
	idp_arena_on_free(a, decref, md);
	c->metadata = md;
	c->client_id = idp_arena_strdup(a, row->client_id);
	c->name = json_string_value(json_object_get(md, "client_name"));
	if (c->name == NULL)
		c->name = c->client_id;
	c->auth = idp_auth_method_parse(row->auth_method);
	if (c->auth == 0)
		goto bad;
	json_array_foreach(json_object_get(md, "grant_types"), n, v)
		grants |= grant_bit(json_string_value(v));
	c->grants = grants;
	c->redirect_uris = strings_of(a, json_object_get(md, "redirect_uris"));
	c->post_logout_redirect_uris = strings_of(a,
	    json_object_get(md, "post_logout_redirect_uris"));
	c->backchannel_logout_uri = json_string_value(
	    json_object_get(md, "backchannel_logout_uri"));
	c->frontchannel_logout_uri = json_string_value(
	    json_object_get(md, "frontchannel_logout_uri"));
	s = json_string_value(json_object_get(md, "scope"));
	if (s == NULL || (*s != '\0' && idp_scope_parse(a, s, &registered, &n)
	    != IDP_OK))
		goto bad;
	if (*s == '\0')
		registered = idp_arena_zalloc(a, sizeof(char *));
	ceiling(a, c, registered, row->api_json);
	c->id_token_alg = idp_alg_parse(json_string_value(
	    json_object_get(md, "id_token_signed_response_alg")));
	if (c->id_token_alg == IDP_ALG_NONE)
		c->id_token_alg = IDP_ALG_RS256;
	s = json_string_value(json_object_get(md, "access_token_format"));
	c->jwt_access_tokens = s != NULL && !strcmp(s, "jwt");
	c->access_token_alg = idp_alg_parse(json_string_value(
	    json_object_get(md, "access_token_signed_response_alg")));
	if (c->access_token_alg == IDP_ALG_NONE)
		c->access_token_alg = IDP_ALG_ES256;
	c->userinfo_alg = idp_alg_parse(json_string_value(
	    json_object_get(md, "userinfo_signed_response_alg")));
	c->userinfo_signed = c->userinfo_alg != IDP_ALG_NONE;
	c->sector = idp_subject_sector(a, md);
	/* A pairwise client never falls back to public subjects. */
	if (c->sector == NULL && idp_str_eq(json_string_value(
	    json_object_get(md, "subject_type")), "pairwise"))
		goto bad;
	c->jwks = json_object_get(md, "jwks");
	c->jwks_uri = json_string_value(json_object_get(md, "jwks_uri"));
	descriptive(a, c, row);
	v = json_object_get(md, "default_max_age");
	c->default_max_age = json_is_integer(v) ? json_integer_value(v) : -1;
	c->require_mfa = json_is_true(json_object_get(md, "require_mfa"));
	idp_client_request_read(c, md);
	c->first_party = row->first_party;
	c->enabled = row->enabled;
	c->has_secret = row->has_secret;
	memcpy(c->secret_digest, row->secret_digest, IDP_SHA256_LEN);
	c->owner_org = idp_arena_strdup(a, row->owner_org);
	c->updated_at = row->updated_at;
	return c;
bad:
	if (md != NULL && c->metadata == NULL)
		json_decref(md);
	idp_arena_free(a);
	return NULL;
}

void
idp_client_free(struct idp_client *c)
{
	if (c != NULL)
		idp_arena_free(c->arena);
}

static bool
in_list(char *const *list, const char *uri)
{
	/* Exact match, RFC 6749 §3.1.2.3 / OIDC Core §3.1.2.1. */
	return uri != NULL && idp_list_has(list, uri);
}

bool
idp_client_redirect_registered(const struct idp_client *c, const char *uri)
{
	return in_list(c->redirect_uris, uri);
}

bool
idp_client_post_logout_registered(const struct idp_client *c, const char *uri)
{
	return in_list(c->post_logout_redirect_uris, uri);
}

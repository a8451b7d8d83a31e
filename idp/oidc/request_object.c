#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/b64url.h"
#include "oidc/request_object.h"
#include "util/str.h"

/* Claims of the JWT itself, not parameters of the request. */
static const char *const jwt_claims[] = { "iss", "aud", "exp", "nbf", "iat",
	"jti", "sub", NULL };

static enum idp_err
bad(const char **why, const char *desc)
{
	return idp_fail_why(why, IDP_ERR_INVALID_REQUEST_OBJECT, desc);
}

/* The alg of a header that idp_jws_parse refused, to say why. */
static const char *
header_alg(struct idp_arena *a, const char *compact)
{
	size_t n = strcspn(compact, "."), len;
	unsigned char *raw = idp_b64url_decode(a, compact, n, &len);
	json_t *h;
	const char *alg;

	if (raw == NULL)
		return NULL;
	h = json_loadb((const char *)raw, len, 0, NULL);
	alg = idp_arena_strdup(a, json_string_value(json_object_get(h, "alg")));
	json_decref(h);
	return alg;
}

enum idp_err
idp_request_object_parse(struct idp_arena *a, const char *compact,
    struct idp_jws *out, const char **why)
{
	size_t dots = 0;
	const char *alg;

	if (compact == NULL || *compact == '\0')
		return bad(why, "The request object is empty.");
	for (const char *p = compact; *p; p++)
		dots += *p == '.';
	if (dots == 4)
		return bad(why, "Encrypted request objects are not supported.");
	if (idp_jws_parse(a, compact, out) == 0)
		return IDP_OK;
	if (strlen(compact) > IDP_JWS_MAX)
		return bad(why, "The request object is too long.");
	alg = dots == 2 ? header_alg(a, compact) : NULL;
	if (alg != NULL && !strcasecmp(alg, "none"))
		return bad(why, "Unsigned request objects (alg none) are not "
		    "accepted.");
	return bad(why, "The request object is not a JWT signed with RS256, "
	    "PS256 or ES256.");
}

static bool
aud_names(json_t *aud, const char *issuer)
{
	size_t i;
	json_t *v;

	if (json_is_string(aud))
		return !strcmp(json_string_value(aud), issuer);
	json_array_foreach(aud, i, v)
		if (idp_str_eq(json_string_value(v), issuer))
			return true;
	return false;
}

/* A time claim: absent (when optional) or a number within [lo, hi]. */
static bool
time_ok(json_t *v, bool required, int64_t lo, int64_t hi)
{
	double t;

	if (v == NULL)
		return !required;
	if (!json_is_number(v))
		return false;
	t = json_number_value(v);
	/* Compared as given: a value from outside is never added to. */
	return t >= (double)lo && t <= (double)hi;
}

static enum idp_err
check_claims(const struct idp_jws *j, const struct idp_ro_want *w,
    const char **why)
{
	json_t *p = j->payload;
	const char *inner_rt;

	if (j->typ != NULL && strcasecmp(j->typ, "oauth-authz-req+jwt") != 0 &&
	    strcasecmp(j->typ, "JWT") != 0)
		return bad(why, "The typ of a request object must be "
		    "oauth-authz-req+jwt.");
	if (w->alg != IDP_ALG_NONE && j->alg != w->alg)
		return bad(why, "The request object is not signed with the "
		    "client's request_object_signing_alg.");
	if (!idp_str_eq(json_string_value(json_object_get(p, "iss")),
	    w->client_id))
		return bad(why, "The iss of the request object must be the "
		    "client_id.");
	if (!aud_names(json_object_get(p, "aud"), w->issuer))
		return bad(why, "The aud of the request object must name the "
		    "issuer.");
	if (!idp_str_eq(json_string_value(json_object_get(p, "client_id")),
	    w->client_id))
		return bad(why, "The request object's client_id must be the "
		    "client_id parameter.");
	if (!time_ok(json_object_get(p, "exp"), true, w->now - IDP_RO_SKEW,
	    w->now + IDP_RO_MAX_LIFETIME))
		return bad(why, "The request object is expired, lives longer "
		    "than an hour, or has no exp.");
	if (!time_ok(json_object_get(p, "nbf"), false, 0,
	    w->now + IDP_RO_SKEW) ||
	    !time_ok(json_object_get(p, "iat"), false, 0,
	    w->now + IDP_RO_SKEW))
		return bad(why, "The request object is not valid yet (nbf or "
		    "iat).");
	if (json_object_get(p, "request") != NULL ||
	    json_object_get(p, "request_uri") != NULL)
		return bad(why, "A request object cannot hold request or "
		    "request_uri.");
	inner_rt = json_string_value(json_object_get(p, "response_type"));
	if (w->response_type != NULL && !idp_str_eq(inner_rt, w->response_type))
		return bad(why, "response_type differs inside and outside the "
		    "request object.");
	return IDP_OK;
}

/* One claim as a parameter's text; NULL when it has no such form. */
static const char *
param_text(struct idp_arena *a, json_t *v)
{
	char *s;
	const char *out;

	if (json_is_array(v) && json_array_size(v) == 1)
		v = json_array_get(v, 0);
	if (json_is_string(v))
		return strlen(json_string_value(v)) == json_string_length(v) ?
		    json_string_value(v) : NULL;
	if (json_is_integer(v))
		return idp_arena_printf(a, "%lld",
		    (long long)json_integer_value(v));
	if (!json_is_object(v))
		return NULL;
	s = json_dumps(v, JSON_COMPACT);
	out = idp_arena_strdup(a, s);
	free(s);
	return out;
}

static bool
is_jwt_claim(const char *k)
{
	for (const char *const *c = jwt_claims; *c != NULL; c++)
		if (!strcmp(*c, k))
			return true;
	return false;
}

enum idp_err
idp_request_object_check(struct idp_arena *a, const struct idp_jws *j,
    const struct idp_ro_want *w, struct idp_kv *params, size_t max,
    size_t *n, const char **why)
{
	const char *k;
	json_t *v;
	enum idp_err rc;

	*n = 0;
	if ((rc = check_claims(j, w, why)) != IDP_OK)
		return rc;
	json_object_foreach(j->payload, k, v) {
		const char *text;

		if (is_jwt_claim(k) || json_is_null(v))
			continue;
		if (*k == '\0' || strlen(k) > 128)
			return bad(why, "A request object claim has an empty or "
			    "overlong name.");
		if ((text = param_text(a, v)) == NULL)
			return bad(why, idp_arena_printf(a, "The request "
			    "object's %s must be a string, an integer or an "
			    "object.", idp_utf8_valid(k, strlen(k)) &&
			    strspn(k, "abcdefghijklmnopqrstuvwxyz_") ==
			    strlen(k) ? k : "parameter"));
		if (*n == max)
			return bad(why, "The request object has too many "
			    "parameters.");
		params[*n].key = idp_arena_strdup(a, k);
		params[*n].val = text;
		params[*n].len = strlen(text);
		(*n)++;
	}
	return IDP_OK;
}

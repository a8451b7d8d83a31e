#include <string.h>
#include <strings.h>

#include "config.h"
#include "core/client_auth.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/jwks_uri.h"
#include "core/reqdb.h"
#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "crypto/jws.h"
#include "store/client.h"
#include "util/log.h"
#include "util/str.h"

#define ASSERTION_TYPE "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#define ASSERTION_MAX_LIFETIME 3600
#define SKEW 60

struct creds {
	enum idp_auth_method method;
	const char *client_id;
	const char *secret;
	const char *assertion;
};

/* RFC 6749 §2.3.1: both parts are form-encoded before base64. */
static enum idp_err
parse_basic(struct idp_req *rq, const char *h, struct creds *cr)
{
	unsigned char *raw;
	const char *colon;
	size_t n;

	while (*h == ' ')
		h++;
	raw = idp_b64_decode(rq->arena, h, strlen(h), &n);
	if (raw == NULL || memchr(raw, '\0', n) != NULL)
		return IDP_ERR_INVALID_REQUEST;
	colon = memchr(raw, ':', n);
	if (colon == NULL)
		return IDP_ERR_INVALID_REQUEST;
	cr->client_id = idp_form_decode(rq->arena, (const char *)raw,
	    (size_t)(colon - (const char *)raw), NULL);
	cr->secret = idp_form_decode(rq->arena, colon + 1,
	    n - (size_t)(colon - (const char *)raw) - 1, NULL);
	if (cr->client_id == NULL || cr->secret == NULL ||
	    *cr->client_id == '\0')
		return IDP_ERR_INVALID_REQUEST;
	cr->method = IDP_AUTH_BASIC;
	return IDP_OK;
}

static enum idp_err
gather(struct idp_req *rq, struct creds *cr, const char **why)
{
	const char *h = idp_req_header(rq, "Authorization");
	const char *form_id = idp_req_form(rq, "client_id");
	const char *secret = idp_req_form(rq, "client_secret");
	const char *atype = idp_req_form(rq, "client_assertion_type");
	const char *assertion = idp_req_form(rq, "client_assertion");
	int methods = 0;

	memset(cr, 0, sizeof(*cr));
	if (h != NULL && !strncasecmp(h, "Basic ", 6)) {
		methods++;
		if (parse_basic(rq, h + 6, cr) != IDP_OK) {
			*why = "Malformed Basic credentials.";
			return IDP_ERR_INVALID_CLIENT;
		}
		if (form_id != NULL && strcmp(form_id, cr->client_id) != 0) {
			*why = "client_id differs from the Basic credentials.";
			return IDP_ERR_INVALID_REQUEST;
		}
	}
	if (secret != NULL) {
		methods++;
		cr->method = IDP_AUTH_POST;
		cr->client_id = form_id;
		cr->secret = secret;
	}
	if (assertion != NULL || atype != NULL) {
		methods++;
		if (atype == NULL || strcmp(atype, ASSERTION_TYPE) != 0 ||
		    assertion == NULL) {
			*why = "client_assertion_type must be "
			    ASSERTION_TYPE ".";
			return IDP_ERR_INVALID_REQUEST;
		}
		cr->method = IDP_AUTH_PRIVATE_KEY_JWT;
		cr->assertion = assertion;
		cr->client_id = form_id;
	}
	if (methods > 1) {
		*why = "Use exactly one client authentication method.";
		return IDP_ERR_INVALID_REQUEST;
	}
	if (methods == 0) {
		cr->method = IDP_AUTH_NONE;
		cr->client_id = form_id;
	}
	return IDP_OK;
}

static bool
aud_ok(struct idp_req *rq, json_t *aud)
{
	const char *iss = rq->ctx->cfg->issuer;
	char *here = idp_arena_printf(rq->arena, "%s%s", iss, rq->path);
	char *token = idp_arena_printf(rq->arena, "%s/token", iss);
	size_t i;
	json_t *v;

	/* RFC 7523 §3: the token endpoint URL; OIDC also names the issuer.
	 * Introspection and revocation accept their own URL too. */
	if (json_is_string(aud))
		return idp_str_eq(json_string_value(aud), iss) ||
		    idp_str_eq(json_string_value(aud), token) ||
		    idp_str_eq(json_string_value(aud), here);
	json_array_foreach(aud, i, v) {
		const char *s = json_string_value(v);

		if (idp_str_eq(s, iss) || idp_str_eq(s, token) ||
		    idp_str_eq(s, here))
			return true;
	}
	return false;
}

/* *found: a key of the client's JWKS verifies the assertion. Fails only
 * when the key set cannot be fetched now (IDP_ERR_UNAVAILABLE). */
static enum idp_err
signature_check(struct idp_req *rq, const struct idp_client *c,
    const struct idp_jws *j, bool *found)
{
	json_t *jwks = NULL, *keys, *jwk;
	enum idp_err rc;
	size_t i;

	*found = false;
	/* A fetch may take seconds: the database connection (and its
	 * deadline) must not wait for it. */
	if (c->jwks == NULL && c->jwks_uri != NULL)
		idp_reqdb_release(rq);
	if (c->jwks != NULL)
		jwks = json_incref(c->jwks);
	else if (c->jwks_uri != NULL && (rc = idp_jwks_uri_get(rq,
	    c->client_id, c->jwks_uri, j->kid, &jwks)) != IDP_OK)
		return rc;
	keys = json_object_get(jwks, "keys");
	json_array_foreach(keys, i, jwk) {
		const char *kid = json_string_value(json_object_get(jwk, "kid"));
		struct idp_key *k = NULL;
		bool ok;

		if (j->kid != NULL && kid != NULL && strcmp(kid, j->kid) != 0)
			continue;
		if (idp_key_from_jwk(jwk, &k) != 0)
			continue;
		ok = idp_jws_verify(j, k) == 0;
		idp_key_free(k);
		if (ok) {
			*found = true;
			break;
		}
	}
	json_decref(jwks);
	return IDP_OK;
}

static enum idp_err
check_assertion(struct idp_req *rq, const struct idp_client *c,
    const char *assertion, const char **why)
{
	struct idp_jws j;
	json_t *exp, *nbf;
	const char *iss, *sub, *jti;
	struct idp_dbconn *db;
	enum idp_err rc;
	bool ok;

	*why = "The client assertion is not valid.";
	if (idp_jws_parse(rq->arena, assertion, &j) != 0)
		return IDP_ERR_INVALID_CLIENT;
	if ((rc = signature_check(rq, c, &j, &ok)) != IDP_OK) {
		*why = "The client's key set cannot be fetched now.";
		return rc;
	}
	if (!ok) {
		IDP_INFO("client_auth.assertion", " req=%s client=%s "
		    "msg=\"bad signature or no key\"", rq->id, c->client_id);
		return IDP_ERR_INVALID_CLIENT;
	}
	iss = json_string_value(json_object_get(j.payload, "iss"));
	sub = json_string_value(json_object_get(j.payload, "sub"));
	jti = json_string_value(json_object_get(j.payload, "jti"));
	exp = json_object_get(j.payload, "exp");
	nbf = json_object_get(j.payload, "nbf");
	if (!idp_str_eq(iss, c->client_id) || !idp_str_eq(sub, c->client_id)) {
		*why = "iss and sub of the assertion must be the client_id.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if (!aud_ok(rq, json_object_get(j.payload, "aud"))) {
		*why = "The assertion's aud must name this endpoint.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if (!json_is_integer(exp) || json_integer_value(exp) + SKEW <= rq->now ||
	    json_integer_value(exp) > rq->now + ASSERTION_MAX_LIFETIME) {
		*why = "The assertion is expired or lives too long.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if (nbf != NULL && (!json_is_integer(nbf) ||
	    json_integer_value(nbf) > rq->now + SKEW)) {
		*why = "The assertion is not valid yet.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if (jti == NULL || *jti == '\0' || strlen(jti) > 256) {
		*why = "The assertion needs a jti.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	rc = idp_store_assertion_jti(db, c->client_id, jti,
	    json_integer_value(exp) + SKEW);
	if (rc == IDP_ERR_CONFLICT) {
		IDP_WARN("client_auth.replay", " req=%s client=%s", rq->id,
		    c->client_id);
		*why = "The assertion was used before.";
		return IDP_ERR_INVALID_CLIENT;
	}
	return rc;
}

enum idp_err
idp_client_authenticate(struct idp_req *rq, const struct idp_client **out,
    const char **why)
{
	const struct idp_client *c = NULL;
	struct creds cr;
	unsigned char d[IDP_SHA256_LEN];
	enum idp_err rc;

	if ((rc = gather(rq, &cr, why)) != IDP_OK)
		return rc;
	if (cr.client_id == NULL) {
		*why = "Client authentication is required.";
		return IDP_ERR_INVALID_CLIENT;
	}
	rq->log_client = cr.client_id;
	rc = idp_clients_get(rq, cr.client_id, &c);
	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK && !c->enabled)) {
		*why = "Unknown or disabled client.";
		return IDP_ERR_INVALID_CLIENT;
	}
	if (rc != IDP_OK)
		return rc;
	if (cr.method != c->auth) {
		IDP_INFO("client_auth.method", " req=%s client=%s used=%s "
		    "registered=%s", rq->id, c->client_id,
		    idp_auth_method_name(cr.method),
		    idp_auth_method_name(c->auth));
		*why = "The client must authenticate with its registered "
		    "method.";
		return IDP_ERR_INVALID_CLIENT;
	}
	switch (cr.method) {
	case IDP_AUTH_BASIC:
	case IDP_AUTH_POST:
		idp_sha256_str(cr.secret, d);
		if (!c->has_secret || !idp_ct_eq(d, sizeof(d), c->secret_digest,
		    sizeof(c->secret_digest))) {
			IDP_INFO("client_auth.secret", " req=%s client=%s "
			    "msg=\"wrong secret\"", rq->id, c->client_id);
			*why = "Client authentication failed.";
			return IDP_ERR_INVALID_CLIENT;
		}
		break;
	case IDP_AUTH_PRIVATE_KEY_JWT:
		if ((rc = check_assertion(rq, c, cr.assertion, why)) != IDP_OK)
			return rc;
		break;
	case IDP_AUTH_NONE:
		break;
	}
	*out = c;
	return IDP_OK;
}

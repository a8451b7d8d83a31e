#include <string.h>

#include "config.h"
#include "core/bearer.h"
#include "core/ctx.h"
#include "core/published.h"
#include "core/reqdb.h"
#include "crypto/jws.h"
#include "crypto/random.h"
#include "oidc/scope.h"
#include "store/token.h"
#include "util/str.h"

#define TOKEN_MAX 8192

static enum idp_err
from_store(struct idp_req *rq, const unsigned char d[IDP_SHA256_LEN],
    struct idp_token_info *out)
{
	struct idp_access *t = NULL;
	struct idp_dbconn *db;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	rc = idp_store_access_get(db, rq->arena, d, &t);
	if (rc == IDP_ERR_NOT_FOUND)
		return IDP_ERR_INVALID_TOKEN;
	if (rc != IDP_OK)
		return rc;
	if (t->has_user && t->user.disabled)
		return IDP_ERR_INVALID_TOKEN;
	out->client_id = t->client_id;
	out->scope = t->scope;
	out->exp = t->expires_at;
	out->iat = t->issued_at;
	out->auth_time = t->auth_time;
	out->jkt = t->jkt;
	out->has_user = t->has_user;
	if (t->has_user)
		out->user = t->user;
	out->sub = t->has_user ? t->user.sub : t->client_id;
	out->grant_id = t->grant_id;
	out->act = t->act;
	out->audience = t->audience;
	if (t->audience != NULL)
		out->aud = t->audience;
	out->claims = t->claims;
	return IDP_OK;
}

static enum idp_err
from_jwt(struct idp_req *rq, const char *token, struct idp_token_info *out)
{
	const struct idp_published *p = idp_pubring_get(rq->ctx->pub,
	    rq->arena);
	unsigned char d[IDP_SHA256_LEN];
	const struct idp_key *k;
	struct idp_dbconn *db;
	struct idp_jws j;
	json_t *exp;
	bool revoked = true;
	enum idp_err rc;

	if (p == NULL || idp_jws_parse(rq->arena, token, &j) != 0)
		return IDP_ERR_INVALID_TOKEN;
	k = idp_keyset_find(p->keys, j.kid);
	if (k == NULL || idp_jws_verify(&j, k) != 0 ||
	    !idp_str_eq(j.typ, "at+jwt") ||
	    !idp_str_eq(json_string_value(json_object_get(j.payload, "iss")),
	    rq->ctx->cfg->issuer))
		return IDP_ERR_INVALID_TOKEN;
	exp = json_object_get(j.payload, "exp");
	if (!json_is_integer(exp) || json_integer_value(exp) <= rq->now)
		return IDP_ERR_INVALID_TOKEN;
	out->is_jwt = true;
	out->jti = idp_arena_strdup(rq->arena,
	    json_string_value(json_object_get(j.payload, "jti")));
	out->aud = idp_arena_strdup(rq->arena,
	    json_string_value(json_object_get(j.payload, "aud")));
	idp_sha256_str(token, d);
	rc = from_store(rq, d, out);
	/* The signed cnf is the binding of a JWT (RFC 9449 §6.1). */
	out->jkt = idp_arena_strdup(rq->arena, json_string_value(
	    json_object_get(json_object_get(j.payload, "cnf"), "jkt")));
	if (rc != IDP_ERR_INVALID_TOKEN)
		return rc;
	/* Not stored: only a client_credentials token may be (sub is the
	 * client itself); it lives unless its jti was revoked. */
	out->client_id = idp_arena_strdup(rq->arena, json_string_value(
	    json_object_get(j.payload, "client_id")));
	out->sub = idp_arena_strdup(rq->arena,
	    json_string_value(json_object_get(j.payload, "sub")));
	if (out->client_id == NULL || !idp_str_eq(out->sub, out->client_id) ||
	    out->jti == NULL)
		return IDP_ERR_INVALID_TOKEN;
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	if ((rc = idp_store_jwt_revoked(db, out->jti, &revoked)) != IDP_OK)
		return rc;
	if (revoked)
		return IDP_ERR_INVALID_TOKEN;
	out->scope = idp_arena_strdup(rq->arena, json_string_value(
	    json_object_get(j.payload, "scope")));
	if (out->scope == NULL)
		out->scope = "";
	out->exp = json_integer_value(exp);
	out->iat = json_integer_value(json_object_get(j.payload, "iat"));
	return IDP_OK;
}

enum idp_err
idp_bearer_lookup(struct idp_req *rq, const char *token,
    struct idp_token_info *out)
{
	unsigned char d[IDP_SHA256_LEN];
	enum idp_err rc;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (token == NULL || (n = strlen(token)) == 0 || n > TOKEN_MAX)
		return IDP_ERR_INVALID_TOKEN;
	if (strchr(token, '.') != NULL) {
		rc = from_jwt(rq, token, out);
	} else {
		if (n != IDP_TOKEN_CHARS)
			return IDP_ERR_INVALID_TOKEN;
		idp_sha256_str(token, d);
		rc = from_store(rq, d, out);
	}
	if (rc != IDP_OK)
		return rc;
	out->scopes = NULL;
	if (*out->scope != '\0' && idp_scope_parse(rq->arena, out->scope,
	    &out->scopes, &n) != IDP_OK)
		return IDP_ERR_INVALID_TOKEN;
	if (out->scopes == NULL)
		out->scopes = idp_arena_zalloc(rq->arena, sizeof(char *));
	return IDP_OK;
}

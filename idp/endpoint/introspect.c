/* Token introspection, RFC 7662. Only authenticated clients may ask, and
 * each sees only the tokens meant for it (§4 leaves this to the server):
 *  - the client a token was issued to sees it (its own tokens);
 *  - a resource server sees an access token that carries one of the API
 *    scopes it offers (the token's audience, oidc/scope.h), and its
 *    answer lists only those API scopes besides the standard ones, with
 *    the server's own resource URIs as aud;
 *  - a token with identity scopes only is the provider's own (for
 *    userinfo): only its client sees it.
 * Refresh tokens: only the client they were issued to. For anyone else,
 * and for everything unknown, expired, revoked or malformed, the answer is
 * {"active": false}. */
#include <string.h>

#include "config.h"
#include "core/bearer.h"
#include "core/client_auth.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/reqdb.h"
#include "core/subject.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "endpoint/endpoints.h"
#include "http/response.h"
#include "oidc/scope.h"
#include "store/token.h"
#include "util/str.h"

static json_t *
strings_or_one(char *const *v, const char *fallback)
{
	json_t *a;

	if (v == NULL || v[0] == NULL)
		return json_string(fallback);
	if (v[1] == NULL)
		return json_string(v[0]);
	a = json_array();
	for (; *v != NULL; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

/* The subject of t is the one its own client was given (core/subject.h):
 * a resource server sees what the client's JWT access tokens say. */
static json_t *
access_info(struct idp_req *rq, const struct idp_client *owner,
    const struct idp_token_info *t, const char *scope, char *const *aud)
{
	json_t *o = json_pack("{s:b, s:s, s:s, s:I, s:I, s:s, s:s}",
	    "active", 1, "client_id", t->client_id, "token_type", "Bearer",
	    "exp", (json_int_t)t->exp, "iat", (json_int_t)t->iat,
	    "sub", t->has_user ? idp_subject_for(rq, owner, &t->user) : t->sub,
	    "iss", rq->ctx->cfg->issuer);

	if (*scope != '\0')
		json_object_set_new(o, "scope", json_string(scope));
	if (t->has_user) {
		/* A username would join what pairwise subjects keep apart. */
		if (owner->sector == NULL)
			json_object_set_new(o, "username",
			    json_string(t->user.username));
		if (t->auth_time > 0)
			json_object_set_new(o, "auth_time",
			    json_integer((json_int_t)t->auth_time));
	}
	if (t->jti != NULL)
		json_object_set_new(o, "jti", json_string(t->jti));
	/* An exchanged token is for the audience its exchange named. */
	json_object_set_new(o, "aud", t->audience != NULL ?
	    json_string(t->audience) : strings_or_one(aud, t->client_id));
	/* RFC 8693 §4.1: who acts for the subject, of an exchanged token. */
	if (t->act != NULL)
		json_object_set_new(o, "act", json_loads(t->act, 0, NULL));
	/* RFC 9449 §6.2: the key a DPoP-bound token is bound to. */
	if (t->jkt != NULL) {
		json_object_set_new(o, "token_type", json_string("DPoP"));
		json_object_set_new(o, "cnf", json_pack("{s:s}", "jkt", t->jkt));
	}
	return o;
}

/* The rule above: the answer for client c about access token t, or NULL
 * when c may not see it. */
static enum idp_err
visible_info(struct idp_req *rq, const struct idp_client *c,
    const struct idp_token_info *t, json_t **out)
{
	const struct idp_client *owner = NULL;
	char **mine;
	size_t n = 0, theirs = 0;
	enum idp_err rc;

	*out = NULL;
	rc = idp_clients_get(rq, t->client_id, &owner);
	if (rc != IDP_OK)
		return rc == IDP_ERR_NOT_FOUND ? IDP_OK : rc;
	if (!strcmp(t->client_id, c->client_id)) {
		*out = access_info(rq, owner, t, t->scope,
		    idp_scope_audience(rq->arena, owner, t->scopes));
		return IDP_OK;
	}
	mine = idp_arena_zalloc(rq->arena, (IDP_SCOPE_MAX_ITEMS + 1) *
	    sizeof(char *));
	for (char **s = t->scopes; *s != NULL && n < IDP_SCOPE_MAX_ITEMS;
	    s++) {
		if (idp_list_has(c->offered, *s))
			theirs++;
		if (idp_list_has(c->offered, *s) || idp_scope_is_standard(*s))
			mine[n++] = *s;
	}
	if (theirs == 0)
		return IDP_OK;
	*out = access_info(rq, owner, t, idp_scope_join(rq->arena, mine, n),
	    c->resources);
	return IDP_OK;
}

static enum idp_err
refresh_info(struct idp_req *rq, const char *token, const struct idp_client *cl,
    json_t **out)
{
	struct idp_refresh_info *f = NULL;
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *c;
	enum idp_err rc;

	*out = NULL;
	if (strlen(token) != IDP_TOKEN_CHARS)
		return IDP_OK;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	idp_sha256_str(token, d);
	rc = idp_store_refresh_info(c, rq->arena, d, &f);
	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK &&
	    strcmp(f->client_id, cl->client_id) != 0))
		return IDP_OK;
	if (rc != IDP_OK)
		return rc;
	*out = json_pack("{s:b, s:s, s:s, s:s, s:I, s:I, s:s, s:s}",
	    "active", 1, "client_id", f->client_id, "token_type",
	    "refresh_token", "scope", f->scope, "exp",
	    (json_int_t)f->expires_at, "iat", (json_int_t)f->issued_at,
	    "sub", idp_subject_of(rq, cl, f->sub), "iss",
	    rq->ctx->cfg->issuer);
	if (*out != NULL && cl->sector == NULL)
		json_object_set_new(*out, "username", json_string(f->username));
	/* NULL here would read as "not active": a bug must not hide. */
	return *out != NULL ? IDP_OK : IDP_ERR_INTERNAL;
}

enum idp_err
idp_introspect_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_client *c = NULL;
	const char *token, *hint, *why = NULL;
	struct idp_token_info t;
	json_t *out = NULL;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The request must be a form.");
	if ((rc = idp_client_authenticate(rq, &c, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	/* A public client cannot prove who asks. */
	if (c->auth == IDP_AUTH_NONE)
		return idp_fail(rs, IDP_ERR_INVALID_CLIENT,
		    "Public clients may not introspect tokens.");
	token = idp_req_form(rq, "token");
	if (token == NULL || *token == '\0')
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "token is required.");
	hint = idp_req_form(rq, "token_type_hint");
	/* §2.1: the hint orders the search; it never limits it. */
	if (idp_str_eq(hint, "refresh_token") &&
	    (rc = refresh_info(rq, token, c, &out)) != IDP_OK)
		return rc;
	if (out == NULL) {
		rc = idp_bearer_lookup(rq, token, &t);
		if (rc == IDP_OK && (rc = visible_info(rq, c, &t, &out))
		    != IDP_OK)
			return rc;
		if (rc != IDP_OK && rc != IDP_ERR_INVALID_TOKEN)
			return rc;
	}
	if (out == NULL && !idp_str_eq(hint, "refresh_token") &&
	    (rc = refresh_info(rq, token, c, &out)) != IDP_OK)
		return rc;
	return idp_resp_json_object(rq, rs, 200, out ? out :
	    json_pack("{s:b}", "active", 0));
}

/* The token endpoint: RFC 6749 §3.2, §4.1.3 (authorization_code with PKCE,
 * RFC 7636 §4.6), §6 (refresh_token, rotated, reuse revokes the family),
 * §4.4 (client_credentials); OIDC Core §3.1.3 (ID token). Every response
 * carries Cache-Control: no-store. */
#include <string.h>

#include "config.h"
#include "core/client_auth.h"
#include "core/ctx.h"
#include "core/mint.h"
#include "core/reqdb.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "http/response.h"
#include "oidc/claims.h"
#include "oidc/pkce.h"
#include "oidc/scope.h"
#include "oidc/tokens.h"
#include "store/token.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

/* What a successful grant hands back. */
struct issued {
	const char *access_token;
	const char *refresh_token;
	const char *id_token;
	const char *scope;
	int64_t expires_in;
};

static enum idp_err
respond(struct idp_req *rq, struct idp_resp *rs, const struct issued *is)
{
	json_t *o = json_pack("{s:s, s:s, s:I}", "access_token",
	    is->access_token, "token_type", "Bearer", "expires_in",
	    (json_int_t)is->expires_in);
	char *s;

	if (o == NULL)
		return IDP_ERR_INTERNAL;
	if (is->refresh_token != NULL)
		json_object_set_new(o, "refresh_token",
		    json_string(is->refresh_token));
	if (is->id_token != NULL)
		json_object_set_new(o, "id_token", json_string(is->id_token));
	if (is->scope != NULL)
		json_object_set_new(o, "scope", json_string(is->scope));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		return IDP_ERR_INTERNAL;
	idp_resp_json(rs, 200, idp_arena_strdup(rq->arena, s));
	idp_wipe(s, strlen(s));
	free(s);
	idp_resp_no_store(rs);
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

/* An access token: opaque (only its digest is stored) or, when the client
 * registered for it, an RFC 9068 JWT (its digest is stored too when it
 * belongs to a grant, so revocation reaches it). */
static enum idp_err
make_access(struct idp_req *rq, const struct idp_client *c, const char *sub,
    const char *scope, int64_t auth_time, const char *aud,
    struct idp_secret *opaque, const char **token)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_jwt_at_in in = { 0 };
	char jti[37];
	json_t *claims;
	char *jwt;

	idp_mint_secret(opaque);
	if (!c->jwt_access_tokens) {
		*token = idp_arena_strdup(rq->arena, opaque->value);
		return IDP_OK;
	}
	idp_random_uuid(jti);
	in.issuer = cfg->issuer;
	in.aud = aud ? aud : c->client_id;
	in.sub = sub;
	in.client_id = c->client_id;
	in.scope = scope;
	in.jti = jti;
	in.iat = rq->now;
	in.exp = rq->now + cfg->access_token_ttl;
	in.auth_time = auth_time;
	claims = idp_jwt_at_claims(&in);
	jwt = idp_mint_jwt(rq, c->access_token_alg, "at+jwt", claims);
	json_decref(claims);
	if (jwt == NULL)
		return IDP_ERR_INTERNAL;
	idp_sha256_str(jwt, opaque->digest);
	*token = jwt;
	return IDP_OK;
}

static const char *
make_id_token(struct idp_req *rq, const struct idp_client *c,
    const struct idp_user *u, char **scopes, const char *nonce,
    const char *sid, int64_t auth_time, const char *acr, const char *amr,
    const char *access_token)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_id_token_in in = { 0 };
	char **amrv = NULL;
	size_t n;
	json_t *claims;
	char *jwt;

	if (amr == NULL || idp_split_spaces(rq->arena, amr, &amrv, &n) != 0)
		amrv = NULL;
	in.issuer = cfg->issuer;
	in.client_id = c->client_id;
	in.sub = u->sub;
	in.nonce = nonce;
	in.sid = sid;
	in.acr = acr;
	in.amr = amrv;
	in.auth_time = auth_time;
	in.iat = rq->now;
	in.exp = rq->now + cfg->id_token_ttl;
	in.access_token = access_token;
	in.user_claims = idp_claims_for_user(u, scopes);
	claims = idp_id_token_claims(rq->arena, &in);
	json_decref(in.user_claims);
	jwt = idp_mint_jwt(rq, c->id_token_alg, "JWT", claims);
	json_decref(claims);
	return jwt;
}

static enum idp_err
grant_code(struct idp_req *rq, struct idp_resp *rs, const struct idp_client *c)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	const char *code = idp_req_form(rq, "code");
	const char *redirect_uri = idp_req_form(rq, "redirect_uri");
	const char *verifier = idp_req_form(rq, "code_verifier");
	struct idp_secret at, rt;
	struct idp_issue is = { 0 };
	struct idp_code *k = NULL;
	struct idp_user *u = NULL;
	struct issued out = { 0 };
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *db;
	char *grant = NULL, **scopes;
	size_t nscopes;
	bool refresh;
	enum idp_err rc;

	if (!(c->grants & IDP_GRANT_CODE))
		return idp_fail(rs, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use the authorization code grant.");
	if (code == NULL || redirect_uri == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "code and redirect_uri are required.");
	if (strlen(code) != IDP_TOKEN_CHARS)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The code is not valid.");
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_sha256_str(code, d);
	rc = idp_store_code_consume(db, rq->arena, d, &k);
	if (rc == IDP_ERR_CONFLICT) {
		/* RFC 6749 §4.1.2: a code used twice revokes what it issued. */
		IDP_WARN("token.code_reuse", " req=%s client=%s grant=%s",
		    rq->id, c->client_id, k->grant_id ? k->grant_id : "-");
		if (idp_store_grant_revoke(db, k->grant_id, "code reuse")
		    == IDP_OK && k->grant_id != NULL)
			idp_flow_audit(rq, "token.code_reuse", 0, c->client_id,
			    json_pack("{s:s}", "grant", k->grant_id));
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The code was already used.");
	}
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The code is not valid.");
	if (rc != IDP_OK)
		return rc;
	if (strcmp(k->client_id, c->client_id) != 0)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The code was issued to another client.");
	if (k->expired)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The code has expired.");
	if (strcmp(k->redirect_uri, redirect_uri) != 0)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "redirect_uri differs from the authorization request.");
	if (k->code_challenge != NULL) {
		if (verifier == NULL || !idp_pkce_verify(idp_pkce_method_parse(
		    k->code_challenge_method), k->code_challenge, verifier))
			return idp_fail(rs, IDP_ERR_INVALID_GRANT,
			    "code_verifier does not match the code_challenge.");
	} else if (verifier != NULL) {
		/* No challenge was sent: a verifier now means a downgrade. */
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "code_verifier without a code_challenge.");
	}
	rc = idp_store_user_by_id(db, rq->arena, k->user_id, &u);
	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK && u->disabled))
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The user is disabled.");
	if (rc != IDP_OK)
		return rc;
	if (idp_scope_parse(rq->arena, k->scope, &scopes, &nscopes) != IDP_OK)
		return IDP_ERR_INTERNAL;
	if ((rc = make_access(rq, c, u->sub, k->scope, k->auth_time, NULL, &at,
	    &out.access_token)) != IDP_OK)
		return rc;
	refresh = (c->grants & IDP_GRANT_REFRESH) != 0;
	if (refresh)
		idp_mint_secret(&rt);
	is.client_id = c->client_id;
	is.user_id = u->id;
	is.session_id = k->session_id;
	is.scope = k->scope;
	is.auth_time = k->auth_time;
	is.acr = k->acr;
	is.amr = k->amr;
	is.code_digest = d;
	is.at_digest = at.digest;
	is.at_ttl = cfg->access_token_ttl;
	is.rt_digest = refresh ? rt.digest : NULL;
	is.rt_ttl = cfg->refresh_token_ttl;
	rc = idp_store_issue_from_code(db, rq->arena, &is, &grant);
	if (rc != IDP_OK)
		goto out;
	if (refresh)
		out.refresh_token = idp_arena_strdup(rq->arena, rt.value);
	if (idp_list_has(scopes, "openid")) {
		out.id_token = make_id_token(rq, c, u, scopes, k->nonce, k->sid,
		    k->auth_time, k->acr, k->amr, out.access_token);
		if (out.id_token == NULL) {
			rc = IDP_ERR_INTERNAL;
			goto out;
		}
	}
	out.scope = k->scope;
	out.expires_in = cfg->access_token_ttl;
	rc = respond(rq, rs, &out);
	rq->log_extra = idp_arena_printf(rq->arena, "grant=%s", grant);
out:
	idp_secret_wipe(&at);
	if (refresh)
		idp_secret_wipe(&rt);
	return rc;
}

static enum idp_err
grant_refresh(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	const char *token = idp_req_form(rq, "refresh_token");
	const char *want = idp_req_form(rq, "scope");
	struct idp_refresh *f = NULL;
	struct idp_secret at, rt;
	struct issued out = { 0 };
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *db;
	char **granted, **asked;
	size_t ng, na;
	const char *scope;
	enum idp_err rc;

	if (!(c->grants & IDP_GRANT_REFRESH))
		return idp_fail(rs, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use refresh tokens.");
	if (token == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "refresh_token is required.");
	if (strlen(token) != IDP_TOKEN_CHARS)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token is not valid.");
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_sha256_str(token, d);
	rc = idp_store_refresh_consume(db, rq->arena, d, &f);
	if (rc == IDP_ERR_CONFLICT) {
		/* A used refresh token came back: someone holds a copy.
		 * End the whole family (RFC 9700 §4.14.2). */
		IDP_WARN("token.refresh_reuse", " req=%s client=%s grant=%s",
		    rq->id, c->client_id, f->grant_id);
		if (idp_store_grant_revoke(db, f->grant_id, "refresh reuse")
		    == IDP_OK)
			idp_flow_audit(rq, "token.refresh_reuse", 0,
			    c->client_id, json_pack("{s:s}", "grant",
			    f->grant_id));
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token was already used.");
	}
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token is not valid.");
	if (rc != IDP_OK)
		return rc;
	if (strcmp(f->client_id, c->client_id) != 0)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token was issued to another client.");
	if (f->grant_revoked || f->user.disabled)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token was revoked.");
	/* §6: a narrower scope may be asked for, never a wider one. */
	scope = f->scope;
	if (idp_scope_parse(rq->arena, f->scope, &granted, &ng) != IDP_OK)
		return IDP_ERR_INTERNAL;
	if (want != NULL) {
		if (idp_scope_parse(rq->arena, want, &asked, &na) != IDP_OK ||
		    !idp_scope_subset(asked, granted))
			return idp_fail(rs, IDP_ERR_INVALID_SCOPE,
			    "The scope exceeds what was granted.");
		scope = idp_scope_join(rq->arena, asked, na);
		granted = asked;
	}
	if ((rc = make_access(rq, c, f->user.sub, scope, f->auth_time, NULL,
	    &at, &out.access_token)) != IDP_OK)
		return rc;
	idp_mint_secret(&rt);
	rc = idp_store_issue_refresh(db, f->grant_id, scope, at.digest,
	    cfg->access_token_ttl, rt.digest, cfg->refresh_token_ttl);
	if (rc == IDP_ERR_NOT_FOUND) {
		rc = idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token was revoked.");
		goto out;
	}
	if (rc != IDP_OK)
		goto out;
	out.refresh_token = idp_arena_strdup(rq->arena, rt.value);
	if (idp_list_has(granted, "openid")) {
		/* OIDC Core §12.2: same sub and auth_time, no nonce. */
		out.id_token = make_id_token(rq, c, &f->user, granted, NULL,
		    f->sid, f->auth_time, f->acr, f->amr, out.access_token);
		if (out.id_token == NULL) {
			rc = IDP_ERR_INTERNAL;
			goto out;
		}
	}
	out.scope = scope;
	out.expires_in = cfg->access_token_ttl;
	rc = respond(rq, rs, &out);
	rq->log_extra = idp_arena_printf(rq->arena, "grant=%s", f->grant_id);
out:
	idp_secret_wipe(&at);
	idp_secret_wipe(&rt);
	return rc;
}

static enum idp_err
grant_client_credentials(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	const char *want = idp_req_form(rq, "scope");
	const char *resource = idp_req_form(rq, "resource");
	struct idp_secret at;
	struct issued out = { 0 };
	struct idp_dbconn *db;
	char **asked = NULL;
	size_t na = 0;
	const char *why;
	enum idp_err rc;

	if (!(c->grants & IDP_GRANT_CLIENT_CREDENTIALS))
		return idp_fail(rs, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use client_credentials.");
	if (resource != NULL && idp_uri_check(resource, false, &why) != 0)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "resource must be an absolute https URI.");
	if (want == NULL) {
		/* §4.4.2: no scope asked, the client's allowed scopes apply
		 * (identity scopes mean nothing without a person). */
		for (char *const *s = c->scopes; *s != NULL; s++)
			na++;
		asked = idp_arena_zalloc(rq->arena, (na + 1) * sizeof(*asked));
		na = 0;
		for (char *const *s = c->scopes; *s != NULL; s++)
			if (strcmp(*s, "openid") != 0)
				asked[na++] = *s;
	} else if (idp_scope_parse(rq->arena, want, &asked, &na) != IDP_OK ||
	    idp_scope_check_allowed(asked, na, c->scopes) != IDP_OK ||
	    idp_list_has(asked, "openid")) {
		return idp_fail(rs, IDP_ERR_INVALID_SCOPE,
		    "A requested scope is not allowed for this client.");
	}
	out.scope = idp_scope_join(rq->arena, asked, na);
	if ((rc = make_access(rq, c, c->client_id, out.scope, 0, resource, &at,
	    &out.access_token)) != IDP_OK)
		return rc;
	/* A JWT for a service stands alone (RFC 9068): nothing to store. */
	if (!c->jwt_access_tokens) {
		if ((rc = idp_reqdb(rq, &db)) == IDP_OK)
			rc = idp_store_access_insert(db, at.digest, c->client_id,
			    out.scope, cfg->access_token_ttl);
		if (rc != IDP_OK) {
			idp_secret_wipe(&at);
			return rc;
		}
	}
	idp_secret_wipe(&at);
	if (*out.scope == '\0')
		out.scope = NULL;
	out.expires_in = cfg->access_token_ttl;
	return respond(rq, rs, &out);
}

enum idp_err
idp_token_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_client *c = NULL;
	const char *grant_type, *why = NULL;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The request must be application/x-www-form-urlencoded.");
	grant_type = idp_req_form(rq, "grant_type");
	if (grant_type == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "grant_type is required.");
	if ((rc = idp_client_authenticate(rq, &c, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	if (!strcmp(grant_type, "authorization_code"))
		return grant_code(rq, rs, c);
	if (!strcmp(grant_type, "refresh_token"))
		return grant_refresh(rq, rs, c);
	if (!strcmp(grant_type, "client_credentials"))
		return grant_client_credentials(rq, rs, c);
	return idp_fail(rs, IDP_ERR_UNSUPPORTED_GRANT_TYPE,
	    "grant_type is not supported.");
}

/* The token endpoint: RFC 6749 §3.2, §4.1.3 (authorization_code with PKCE,
 * RFC 7636 §4.6), §6 (refresh_token, rotated, reuse revokes the family:
 * token_refresh.c), §4.4 (client_credentials); OIDC Core §3.1.3 (ID
 * token); the device grant (RFC 8628, token_device.c) and token exchange
 * (RFC 8693, token_exchange.c). Every response carries Cache-Control: no-store and
 * the granted scope. Scopes follow the one rule of oidc/scope.h at every
 * grant, so a scope its resource server no longer allows is dropped at the
 * next refresh too; a refresh token is issued only as idp_scope_refresh_ok
 * says (OIDC Core §11). A DPoP proof (RFC 9449 §5, core/dpop.h) binds the
 * access token it issues to the client's key (token_type DPoP), and the
 * refresh token too for a public client. */
#include <string.h>

#include "config.h"
#include "core/client_auth.h"
#include "core/dpop.h"
#include "core/ctx.h"
#include "core/metrics.h"
#include "core/mint.h"
#include "core/release.h"
#include "core/reqdb.h"
#include "core/subject.h"
#include "core/usage.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/token.h"
#include "http/response.h"
#include "oidc/claims.h"
#include "oidc/device.h"
#include "oidc/exchange.h"
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
	    is->access_token, "token_type", rq->dpop_jkt ? "DPoP" : "Bearer",
	    "expires_in",
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
make_access(struct idp_req *rq, const struct grant_facts *g,
    struct idp_secret *opaque, const char **token)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	const struct idp_client *c = g->client;
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
	in.aud = g->audience;
	in.sub = g->user ? idp_subject_for(rq, c, g->user) : c->client_id;
	in.client_id = c->client_id;
	in.scope = g->scope;
	in.jti = jti;
	in.iat = rq->now;
	in.exp = rq->now + cfg->access_token_ttl;
	in.auth_time = g->auth_time;
	in.jkt = rq->dpop_jkt;
	claims = idp_jwt_at_claims(&in);
	jwt = idp_mint_jwt(rq, c->access_token_alg, "at+jwt", claims);
	json_decref(claims);
	if (jwt == NULL)
		return IDP_ERR_INTERNAL;
	idp_sha256_str(jwt, opaque->digest);
	*token = jwt;
	return IDP_OK;
}

static enum idp_err
make_id_token(struct idp_req *rq, const struct grant_facts *g,
    const char *access_token, const char **out)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_release rel = { g->client, g->user, g->scopes, g->claims };
	struct idp_id_token_in in = { 0 };
	char **amrv = NULL;
	size_t n;
	json_t *claims;
	enum idp_err rc;

	if (g->amr == NULL ||
	    idp_split_spaces(rq->arena, g->amr, &amrv, &n) != 0)
		amrv = NULL;
	in.issuer = cfg->issuer;
	in.client_id = g->client->client_id;
	in.sub = idp_subject_for(rq, g->client, g->user);
	in.nonce = g->nonce;
	in.sid = g->sid;
	in.acr = g->acr;
	in.amr = amrv;
	in.auth_time = g->auth_time;
	in.iat = rq->now;
	in.exp = rq->now + cfg->id_token_ttl;
	/* at_hash is optional here (OIDC Core 3.1.3.6). For EdDSA the hash it
	 * takes is not in the specification (SHA-512 by later consensus) and
	 * relying parties differ (Authlib 1.2 fails any), so it is left out. */
	in.access_token = g->client->id_token_alg == IDP_ALG_EDDSA ? NULL :
	    access_token;
	rc = idp_release_claims(rq, &rel, IDP_CLAIMS_ID_TOKEN,
	    &in.user_claims);
	if (rc != IDP_OK)
		return rc;
	claims = idp_id_token_claims(rq->arena, &in);
	json_decref(in.user_claims);
	*out = idp_mint_jwt(rq, g->client->id_token_alg, "JWT", claims);
	json_decref(claims);
	return *out != NULL ? IDP_OK : IDP_ERR_INTERNAL;
}

/* An access token, and a refresh token when the client may use them. */
enum idp_err
idp_token_mint(struct idp_req *rq, const struct grant_facts *g,
    struct minted *t)
{
	t->refresh = idp_scope_refresh_ok(g->client, g->scopes);
	if (t->refresh)
		idp_mint_secret(&t->rt);
	return make_access(rq, g, &t->at, &t->access_token);
}

/* RFC 9449 §5: only a public client's refresh tokens are bound to its
 * DPoP key; a confidential client's are bound to its credentials. */
const char *
idp_token_refresh_binding(const struct idp_req *rq,
    const struct idp_client *c)
{
	return c->auth == IDP_AUTH_NONE ? rq->dpop_jkt : NULL;
}

void
idp_token_minted_wipe(struct minted *t)
{
	idp_secret_wipe(&t->at);
	idp_secret_wipe(&t->rt);
}

/* The answer to a code or refresh exchange (RFC 6749 §5.1, OIDC Core
 * §3.1.3.3), once the store has recorded its tokens. */
enum idp_err
idp_token_answer(struct idp_req *rq, struct idp_resp *rs,
    const struct grant_facts *g, const struct minted *t)
{
	struct issued out = { 0 };
	enum idp_err rc;

	out.access_token = t->access_token;
	if (t->refresh)
		out.refresh_token = idp_arena_strdup(rq->arena, t->rt.value);
	if (idp_list_has(g->scopes, "openid") && (rc = make_id_token(rq, g,
	    t->access_token, &out.id_token)) != IDP_OK)
		return rc;
	out.scope = g->scope;
	out.expires_in = rq->ctx->cfg->access_token_ttl;
	if ((rc = respond(rq, rs, &out)) == IDP_OK)
		rq->log_extra = idp_arena_printf(rq->arena, "grant=%s", g->id);
	return rc;
}

/* A code or refresh token came back after it was used: someone holds a
 * copy, so everything issued under its grant ends (RFC 6749 §4.1.2, RFC
 * 9700 §4.14.2). */
void
idp_token_revoke_on_reuse(struct idp_req *rq, const struct idp_client *c,
    const char *event, const char *grant_id, const char *reason)
{
	struct idp_dbconn *db;

	IDP_WARN(event, " req=%s client=%s grant=%s", rq->id, c->client_id,
	    grant_id ? grant_id : "-");
	if (idp_reqdb(rq, &db) == IDP_OK &&
	    idp_store_grant_revoke(db, grant_id, reason) == IDP_OK &&
	    grant_id != NULL)
		idp_flow_audit(rq, event, 0, c->client_id,
		    json_pack("{s:s}", "grant", grant_id));
}

static enum idp_err
code_reused(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const char *grant_id)
{
	idp_token_revoke_on_reuse(rq, c, "token.code_reuse", grant_id, "code reuse");
	return idp_fail(rs, IDP_ERR_INVALID_GRANT,
	    "The code was already used.");
}

/* §4.1.3: issued to this client, not expired, the same redirect_uri, and
 * the PKCE verifier of its challenge (RFC 7636 §4.6). */
static enum idp_err
check_code(struct idp_resp *rs, const struct idp_client *c,
    const struct idp_code *k, const char *redirect_uri, const char *verifier)
{
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
	return IDP_OK;
}

/* Read the code (a code seen before is a replay); d receives its
 * digest, which the issuing statement uses up. */
static enum idp_err
read_code(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, unsigned char d[IDP_SHA256_LEN],
    struct idp_code **k)
{
	const char *code = idp_req_form(rq, "code");
	struct idp_dbconn *db;
	enum idp_err rc;

	if (code == NULL || idp_req_form(rq, "redirect_uri") == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "code and redirect_uri are required.");
	if (strlen(code) != IDP_TOKEN_CHARS)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The code is not valid.");
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_sha256_str(code, d);
	rc = idp_store_code_get(db, rq->arena, d, rq->dpop_jkt, k);
	if (rc == IDP_ERR_FORBIDDEN)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT, "The code is bound "
		    "to a DPoP key: send a DPoP proof of that key.");
	if (rc == IDP_ERR_CONFLICT)
		return code_reused(rq, rs, c, (*k)->grant_id);
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The code is not valid.");
	return rc;
}

/* A refused request uses its code or refresh token up all the same, as
 * when it was used before it was checked: the answer stays rc. */
enum idp_err
idp_token_burn(struct idp_req *rq, enum idp_err (*fn)(struct idp_dbconn *,
    const unsigned char *), const unsigned char d[IDP_SHA256_LEN],
    enum idp_err rc)
{
	struct idp_dbconn *db;
	enum idp_err burnt;

	if ((burnt = idp_reqdb(rq, &db)) != IDP_OK ||
	    (burnt = fn(db, d)) != IDP_OK)
		return burnt;
	return rc;
}

/* The scopes of a code or refresh token, under the client's policy as it
 * is now (a scope whose server withdrew it is dropped), and the resource
 * the request may name: one the grant's audience covers (RFC 8707 §2.2;
 * the grant was narrowed to a resource at /authorize). */
enum idp_err
idp_token_regrant(struct idp_req *rq, struct idp_resp *rs,
    struct grant_facts *g, size_t n)
{
	const char *resource = idp_req_form(rq, "resource");
	struct idp_scope_grant sg;
	const char *why = NULL;
	enum idp_err rc;

	rc = idp_scope_grant(rq->arena, g->client, g->scopes, n, true, NULL,
	    &sg, &why);
	if (rc != IDP_OK)
		return idp_fail(rs, rc, why);
	if (idp_scope_resource_covered(sg.audience, resource) != 0)
		return idp_fail(rs, IDP_ERR_INVALID_TARGET,
		    "resource is not an audience of this grant.");
	g->scopes = sg.scopes;
	g->scope = sg.scope;
	g->audience = sg.audience;
	return IDP_OK;
}

/* What the code stands for, when this client may exchange it now; its
 * person must still be allowed in. */
static enum idp_err
code_facts(struct idp_req *rq, struct idp_resp *rs, const struct idp_code *k,
    struct grant_facts *g)
{
	size_t n;
	enum idp_err rc;

	if ((rc = check_code(rs, g->client, k, idp_req_form(rq,
	    "redirect_uri"), idp_req_form(rq, "code_verifier"))) != IDP_OK)
		return rc;
	if (k->user.disabled)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The user is disabled.");
	if (idp_scope_parse(rq->arena, k->scope, &g->scopes, &n) != IDP_OK)
		return IDP_ERR_INTERNAL;
	if ((rc = idp_token_regrant(rq, rs, g, n)) != IDP_OK)
		return rc;
	g->user = &k->user;
	g->nonce = k->nonce;
	g->sid = k->sid;
	g->auth_time = k->auth_time;
	g->acr = k->acr;
	g->amr = k->amr;
	g->claims = k->claims;
	return IDP_OK;
}

/* A new grant for the facts g (a code's, d its digest, used up by the
 * same statement, or a device's, d NULL), its tokens stored and
 * answered. */
static enum idp_err
issue_grant(struct idp_req *rq, struct idp_resp *rs, struct grant_facts *g,
    long long session_id, const unsigned char *d, char **grant)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct minted t = { 0 };
	struct idp_issue is = { 0 };
	struct idp_dbconn *db;
	enum idp_err rc;

	if ((rc = idp_token_mint(rq, g, &t)) != IDP_OK ||
	    (rc = idp_reqdb(rq, &db)) != IDP_OK)
		goto out;
	is.client_id = g->client->client_id;
	is.user_id = g->user->id;
	is.session_id = session_id;
	is.scope = g->scope;
	is.auth_time = g->auth_time;
	is.acr = g->acr;
	is.amr = g->amr;
	is.code_digest = d;
	is.at_digest = t.at.digest;
	is.at_ttl = cfg->access_token_ttl;
	is.rt_digest = t.refresh ? t.rt.digest : NULL;
	is.rt_ttl = cfg->refresh_token_ttl;
	is.at_jkt = rq->dpop_jkt;
	is.rt_jkt = idp_token_refresh_binding(rq, g->client);
	rc = idp_store_issue_from_code(db, rq->arena, &is, grant);
	if (rc == IDP_OK) {
		g->id = *grant;
		rc = idp_token_answer(rq, rs, g, &t);
	} else if (rc == IDP_ERR_CONFLICT) {
		/* A concurrent exchange won: what it issued ends too. */
		rc = code_reused(rq, rs, g->client, *grant);
	} else if (rc == IDP_ERR_NOT_FOUND) {
		rc = idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The code is not valid.");
	}
out:
	idp_token_minted_wipe(&t);
	return rc;
}

static enum idp_err
grant_code(struct idp_req *rq, struct idp_resp *rs, const struct idp_client *c)
{
	struct grant_facts g = { .client = c };
	struct idp_code *k = NULL;
	unsigned char d[IDP_SHA256_LEN];
	char *grant = NULL;
	enum idp_err rc;

	if (!(c->grants & IDP_GRANT_CODE))
		return idp_fail(rs, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use the authorization code grant.");
	if ((rc = read_code(rq, rs, c, d, &k)) != IDP_OK)
		return rc;
	if ((rc = code_facts(rq, rs, k, &g)) != IDP_OK)
		return idp_token_burn(rq, idp_store_code_burn, d, rc);
	return issue_grant(rq, rs, &g, k->session_id, d, &grant);
}

/* §4.4.2: the scopes asked for, or without any the client's API scopes;
 * narrowed by the rule of oidc/scope.h (identity scopes mean nothing
 * without a person), and to one resource server when resource names it. */
static enum idp_err
service_scope(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, struct grant_facts *g)
{
	const char *want = idp_req_form(rq, "scope");
	const char *resource = idp_req_form(rq, "resource"), *why = NULL;
	struct idp_scope_grant sg;
	char **asked = NULL;
	size_t na = 0;
	enum idp_err rc;

	if (want != NULL && idp_scope_parse(rq->arena, want, &asked, &na)
	    != IDP_OK)
		return idp_fail(rs, IDP_ERR_INVALID_SCOPE,
		    "scope is malformed.");
	if (resource != NULL && idp_uri_check(resource, false, &why) != 0)
		return idp_fail(rs, IDP_ERR_INVALID_TARGET,
		    "resource must be an absolute URI without a fragment.");
	rc = idp_scope_grant(rq->arena, c, asked, na, false, resource, &sg,
	    &why);
	if (rc != IDP_OK)
		return idp_fail(rs, rc, why);
	if (sg.ndropped > 0)
		IDP_INFO("scope.narrowed", " req=%s client=%s dropped=%s",
		    rq->id, idp_logq(rq->arena, c->client_id),
		    idp_logq(rq->arena, idp_scope_join(rq->arena, sg.dropped,
		    sg.ndropped)));
	g->scope = sg.scope;
	g->scopes = sg.scopes;
	g->audience = sg.audience;
	return IDP_OK;
}

static enum idp_err
grant_client_credentials(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct grant_facts g = { .client = c };
	struct idp_secret at;
	struct issued out = { 0 };
	struct idp_dbconn *db;
	enum idp_err rc;

	if (!(c->grants & IDP_GRANT_CLIENT_CREDENTIALS))
		return idp_fail(rs, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use client_credentials.");
	if ((rc = service_scope(rq, rs, c, &g)) != IDP_OK)
		return rc;
	if ((rc = make_access(rq, &g, &at, &out.access_token)) != IDP_OK)
		goto out;
	/* A JWT for a service stands alone (RFC 9068): nothing to store. */
	if (!c->jwt_access_tokens &&
	    ((rc = idp_reqdb(rq, &db)) != IDP_OK ||
	    (rc = idp_store_access_insert(db, at.digest, c->client_id,
	    g.scope, cfg->access_token_ttl, rq->dpop_jkt)) != IDP_OK))
		goto out;
	out.scope = g.scope;
	out.expires_in = cfg->access_token_ttl;
	rc = respond(rq, rs, &out);
out:
	idp_secret_wipe(&at);
	return rc;
}

/* A token response counts for /metrics; an error does not. */
static enum idp_err
issued(struct idp_req *rq, struct idp_resp *rs, enum idp_err rc,
    enum idp_counter m)
{
	if (rc == IDP_OK && rs->status == 200)
		idp_metrics_count(rq->ctx->metrics, m);
	return rc;
}

static enum idp_err
token_grant(struct idp_req *rq, struct idp_resp *rs, const char *grant_type,
    const struct idp_client **c)
{
	const char *why = NULL;
	enum idp_err rc;

	if ((rc = idp_client_authenticate(rq, c, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	if ((rc = idp_dpop_token_request(rq, rs, *c, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	if (!strcmp(grant_type, "authorization_code"))
		return issued(rq, rs, grant_code(rq, rs, *c),
		    IDP_M_TOKEN_AUTHORIZATION_CODE);
	if (!strcmp(grant_type, "refresh_token"))
		return issued(rq, rs, idp_token_refresh(rq, rs, *c),
		    IDP_M_TOKEN_REFRESH_TOKEN);
	if (!strcmp(grant_type, "client_credentials"))
		return issued(rq, rs, grant_client_credentials(rq, rs, *c),
		    IDP_M_TOKEN_CLIENT_CREDENTIALS);
	if (!strcmp(grant_type, IDP_GRANT_TYPE_DEVICE_CODE))
		return issued(rq, rs, idp_token_device(rq, rs, *c),
		    IDP_M_TOKEN_DEVICE_CODE);
	if (!strcmp(grant_type, IDP_GRANT_TYPE_TOKEN_EXCHANGE))
		return issued(rq, rs, idp_token_exchange(rq, rs, *c),
		    IDP_M_TOKEN_EXCHANGE);
	return idp_fail(rs, IDP_ERR_UNSUPPORTED_GRANT_TYPE,
	    "grant_type is not supported.");
}

enum idp_err
idp_token_issue_person(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_token_person *p, char **grant_id)
{
	struct grant_facts g = { .client = p->client };
	size_t n;

	if (idp_scope_parse(rq->arena, p->scope, &g.scopes, &n) != IDP_OK)
		return IDP_ERR_INTERNAL;
	g.user = p->user;
	g.scope = p->scope;
	g.sid = p->sid;
	g.auth_time = p->auth_time;
	g.acr = p->acr;
	g.amr = p->amr;
	return issue_grant(rq, rs, &g, p->session_id, NULL, grant_id);
}

enum idp_err
idp_token_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_client *c = NULL;
	const char *grant_type;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The request must be application/x-www-form-urlencoded.");
	grant_type = idp_req_form(rq, "grant_type");
	if (grant_type == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "grant_type is required.");
	rc = token_grant(rq, rs, grant_type, &c);
	idp_usage_token_answer(rq, rs, c, rc,
	    !strcmp(grant_type, "authorization_code"));
	return rc;
}

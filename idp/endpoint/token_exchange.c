/* Token exchange (RFC 8693 §2): a service that holds a person's access
 * token (its own, or one a service named in its policy handed it) gets a
 * token for another service on that person's behalf, as the client's
 * token_exchange policy allows (oidc/exchange.h). The new token is the
 * person's, issued to the exchanging client, for one audience, with at
 * most the subject token's scope and life, and belongs to the subject
 * token's grant, so revoking that grant ends it too. With an actor_token
 * (the acting party's own token, issued to the same client) it is a
 * delegation and carries act (§4.1), nested for a chain; a delegated
 * subject token can only be exchanged as one. Every exchange, and every
 * refusal by policy, is audited. Errors follow §2.2.2: a bad or
 * unacceptable token is invalid_request, a target outside the policy
 * invalid_target. */
#include <string.h>

#include "config.h"
#include "core/bearer.h"
#include "core/ctx.h"
#include "core/mint.h"
#include "core/reqdb.h"
#include "endpoint/flow.h"
#include "endpoint/token.h"
#include "http/response.h"
#include "oidc/exchange.h"
#include "oidc/tokens.h"
#include "store/exchange.h"
#include "util/log.h"
#include "util/mem.h"

/* What one exchange asks for and gets. */
struct exchange {
	const struct idp_client *client;
	const struct idp_exchange_rule *rule;
	struct idp_token_info subject;
	const char *actor;		/* the actor's sub, or NULL */
	json_t *act;			/* the new token's act, or NULL */
	const char *scope;
	const char *issued_type;
	bool jwt;
	int64_t ttl;
};

static void
refused(struct idp_req *rq, const struct exchange *x, const char *why)
{
	IDP_WARN("token.exchange_refused", " req=%s client=%s why=%s", rq->id,
	    x->client->client_id, idp_logq(rq->arena, why));
	idp_flow_audit(rq, "token.exchange_refused", x->subject.user.id,
	    x->client->client_id, json_pack("{s:s, s:s?, s:s?}", "reason",
	    why, "subject_client", x->subject.client_id, "audience",
	    x->rule ? x->rule->audience : NULL));
}

/* The subject token (§2.1): one of the provider's live access tokens of
 * a person, issued to this client or to one its rule names. */
static enum idp_err
take_subject(struct idp_req *rq, struct idp_resp *rs, struct exchange *x)
{
	const char *token = idp_req_form(rq, "subject_token"), *why = NULL;
	enum idp_err rc;

	if (token == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "subject_token is required.");
	if ((rc = idp_exchange_token_type(idp_req_form(rq,
	    "subject_token_type"), token, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	rc = idp_bearer_lookup(rq, token, &x->subject);
	if (rc == IDP_ERR_INVALID_TOKEN)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST, "subject_token "
		    "is not an active access token of this provider.");
	if (rc != IDP_OK)
		return rc;
	if (!x->subject.has_user || x->subject.grant_id == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "subject_token must stand for a signed-in person.");
	if (!idp_exchange_subject_ok(x->rule, x->client->client_id,
	    x->subject.client_id)) {
		why = "This client may not exchange the tokens of the client "
		    "subject_token was issued to.";
		refused(rq, x, why);
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST, why);
	}
	return IDP_OK;
}

/* The actor token (§2.1, §4.1): the acting party's own token, issued to
 * this client; its subject becomes the current actor. */
static enum idp_err
take_actor(struct idp_req *rq, struct idp_resp *rs, struct exchange *x)
{
	const char *token = idp_req_form(rq, "actor_token");
	const char *type = idp_req_form(rq, "actor_token_type"), *why = NULL;
	json_t *prior = NULL;
	struct idp_token_info a;
	enum idp_err rc;

	if (token == NULL && type != NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "actor_token_type without actor_token.");
	if (x->subject.act != NULL &&
	    (prior = json_loads(x->subject.act, 0, NULL)) == NULL)
		return IDP_ERR_INTERNAL;
	if (token == NULL) {
		json_decref(prior);
		return prior == NULL ? IDP_OK : idp_fail(rs,
		    IDP_ERR_INVALID_REQUEST, "A delegated subject_token can "
		    "only be exchanged with an actor_token.");
	}
	if ((rc = idp_exchange_token_type(type, token, &why)) != IDP_OK ||
	    (rc = idp_bearer_lookup(rq, token, &a)) != IDP_OK) {
		json_decref(prior);
		if (rc == IDP_ERR_INVALID_TOKEN)
			return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
			    "actor_token is not an active access token of "
			    "this provider.");
		return why != NULL ? idp_fail(rs, rc, why) : rc;
	}
	if (strcmp(a.client_id, x->client->client_id) != 0) {
		json_decref(prior);
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "actor_token must be issued to the client that asks.");
	}
	x->actor = a.sub;
	x->act = idp_exchange_act(a.sub, prior);
	json_decref(prior);
	return x->act != NULL ? IDP_OK : IDP_ERR_INTERNAL;
}

/* What may be granted: the rule of the target, the scope, the type and
 * the life of the new token. */
static enum idp_err
settle(struct idp_req *rq, struct idp_resp *rs, struct exchange *x)
{
	const char *why = NULL;
	enum idp_err rc;

	rc = idp_exchange_scope(rq->arena, x->rule, x->subject.scopes,
	    x->client->scopes, idp_req_form(rq, "scope"), &x->scope, &why);
	if (rc != IDP_OK) {
		refused(rq, x, why);
		return idp_fail(rs, rc, why);
	}
	x->ttl = x->subject.exp - rq->now;
	if (x->ttl > rq->ctx->cfg->access_token_ttl)
		x->ttl = rq->ctx->cfg->access_token_ttl;
	if (x->ttl <= 0)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "subject_token is about to expire.");
	return IDP_OK;
}

/* The new token: opaque, or an RFC 9068 JWT with act; its digest is
 * stored either way, so revocation reaches it. */
static enum idp_err
mint(struct idp_req *rq, const struct exchange *x, struct idp_secret *s,
    const char **token)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_jwt_at_in in = { 0 };
	char jti[37];
	char *aud[2] = { NULL, NULL };
	json_t *claims;
	char *jwt;

	idp_mint_secret(s);
	*token = s->value;
	if (!x->jwt)
		return IDP_OK;
	idp_random_uuid(jti);
	in.issuer = cfg->issuer;
	aud[0] = idp_arena_strdup(rq->arena, x->rule->audience);
	in.aud = aud;
	in.sub = x->subject.sub;
	in.client_id = x->client->client_id;
	in.scope = x->scope;
	in.jti = jti;
	in.iat = rq->now;
	in.exp = rq->now + x->ttl;
	in.auth_time = x->subject.auth_time;
	if ((claims = idp_jwt_at_claims(&in)) == NULL)
		return IDP_ERR_INTERNAL;
	if (x->act != NULL)
		json_object_set(claims, "act", x->act);
	jwt = idp_mint_jwt(rq, x->client->access_token_alg, "at+jwt", claims);
	json_decref(claims);
	if (jwt == NULL)
		return IDP_ERR_INTERNAL;
	idp_sha256_str(jwt, s->digest);
	*token = jwt;
	return IDP_OK;
}

static enum idp_err
store_and_answer(struct idp_req *rq, struct idp_resp *rs,
    const struct exchange *x, const struct idp_secret *s, const char *token)
{
	struct idp_exchanged row = { 0 };
	struct idp_dbconn *db;
	char *act = x->act ? json_dumps(x->act, JSON_COMPACT) : NULL, *out;
	json_t *o;
	enum idp_err rc;

	row.digest = s->digest;
	row.client_id = x->client->client_id;
	row.user_id = x->subject.user.id;
	row.grant_id = x->subject.grant_id;
	row.scope = x->scope;
	row.ttl = x->ttl;
	row.audience = x->rule->audience;
	row.act = act;
	if ((rc = idp_reqdb(rq, &db)) == IDP_OK)
		rc = idp_store_exchange_insert(db, &row);
	free(act);
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "subject_token was revoked.");
	if (rc != IDP_OK)
		return rc;
	o = idp_exchange_response(token, x->issued_type, (long long)x->ttl,
	    x->scope);
	if (o == NULL || (out = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		return IDP_ERR_INTERNAL;
	}
	json_decref(o);
	idp_resp_json(rs, 200, idp_arena_strdup(rq->arena, out));
	idp_wipe(out, strlen(out));
	free(out);
	idp_resp_no_store(rs);
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

static enum idp_err
exchange(struct idp_req *rq, struct idp_resp *rs, struct exchange *x)
{
	struct idp_secret s;
	const char *token = NULL;
	enum idp_err rc;

	if ((rc = take_subject(rq, rs, x)) != IDP_OK ||
	    (rc = take_actor(rq, rs, x)) != IDP_OK ||
	    (rc = settle(rq, rs, x)) != IDP_OK)
		return rc;
	if ((rc = mint(rq, x, &s, &token)) == IDP_OK)
		rc = store_and_answer(rq, rs, x, &s, token);
	idp_secret_wipe(&s);
	if (rc != IDP_OK)
		return rc;
	idp_flow_audit(rq, "token.exchanged", x->subject.user.id,
	    x->client->client_id, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?}",
	    "subject_client", x->subject.client_id, "audience",
	    x->rule->audience, "scope", x->scope, "issued_token_type",
	    x->issued_type, "grant", x->subject.grant_id, "actor", x->actor));
	rq->log_extra = idp_arena_printf(rq->arena, "grant=%s audience=%s",
	    x->subject.grant_id, idp_logq(rq->arena, x->rule->audience));
	return IDP_OK;
}

enum idp_err
idp_token_exchange(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c)
{
	struct exchange x = { .client = c };
	struct idp_exchange_rule *rules = NULL;
	const char *why = NULL;
	size_t n = 0;
	enum idp_err rc;

	if (!(c->grants & IDP_GRANT_TOKEN_EXCHANGE))
		return idp_fail(rs, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use token exchange.");
	if (idp_exchange_policy_parse(rq->arena, json_object_get(c->metadata,
	    "token_exchange"), &rules, &n) != 0)
		return IDP_ERR_INTERNAL;
	if ((rc = idp_exchange_requested(idp_req_form(rq,
	    "requested_token_type"), c->jwt_access_tokens, &x.jwt,
	    &x.issued_type, &why)) != IDP_OK)
		return idp_fail(rs, rc, why);
	rc = idp_exchange_rule_find(rules, n, idp_req_form(rq, "audience"),
	    idp_req_form(rq, "resource"), &x.rule, &why);
	if (rc != IDP_OK) {
		if (rc == IDP_ERR_INVALID_TARGET)
			refused(rq, &x, why);
		return idp_fail(rs, rc, why);
	}
	rc = exchange(rq, rs, &x);
	json_decref(x.act);
	return rc;
}

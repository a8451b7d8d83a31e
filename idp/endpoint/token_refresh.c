/* The refresh token grant (RFC 6749 §6): the token rotates, the one
 * presented is used up and its successors issued in one statement, and a
 * token presented again means a second holder, so its grant is revoked
 * (RFC 9700 §4.14.2). The exception is the retry of a rotation whose
 * answer was lost (refresh_token_reuse_grace, oidc/refresh.h): answered
 * once, in one transaction that locks the old token's row. Scopes may
 * narrow, never widen; OIDC Core §12.2 for the ID token. */
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/reqdb.h"
#include "endpoint/flow.h"
#include "endpoint/token.h"
#include "http/response.h"
#include "oidc/refresh.h"
#include "oidc/scope.h"
#include "store/token.h"
#include "util/log.h"
#include "util/str.h"

static enum idp_err
refresh_reused(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const char *grant_id)
{
	idp_token_revoke_on_reuse(rq, c, "token.refresh_reuse", grant_id,
	    "refresh reuse");
	return idp_fail(rs, IDP_ERR_INVALID_GRANT,
	    "The refresh token was already used.");
}

/* A refresh token used before: the retry of a rotation whose answer was
 * lost, one more retry of it, or reuse (oidc/refresh.h). */
static enum idp_replay
replay_kind(struct idp_req *rq, const struct idp_client *c,
    const struct idp_refresh *f)
{
	int64_t grace = rq->ctx->cfg->refresh_token_reuse_grace;
	struct idp_refresh_replay r = {
		.same_client = !strcmp(f->client_id, c->client_id),
		.key_matches = !f->key_mismatch,
		.rotated_ms_ago = f->rotated_ms_ago,
		.has_successor = f->successor != NULL,
		.successor_unused = f->successor_unused,
		.retried = f->retried,
	};
	const char *why = NULL;
	enum idp_replay kind = idp_refresh_replay(&r, grace, &why);

	if (kind != IDP_REPLAY_RETRY && grace > 0)
		IDP_INFO("token.refresh_not_retry", " req=%s client=%s "
		    "grant=%s why=\"%s\"", rq->id, c->client_id,
		    f->grant_id ? f->grant_id : "-", why);
	return kind;
}

/* Another request with the same token was answered first, a moment ago
 * (a retry of the same rotation, or the same refresh sent twice at once):
 * with a grace for retries that is no proof of a second holder, so the
 * grant stays and this request alone is refused. */
static enum idp_err
refresh_race_lost(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const char *grant_id)
{
	IDP_WARN("token.refresh_race", " req=%s client=%s grant=%s", rq->id,
	    c->client_id, grant_id ? grant_id : "-");
	return idp_fail(rs, IDP_ERR_INVALID_GRANT,
	    "The refresh token was already used.");
}

/* Read the refresh token (one seen before is a replay, §6 and RFC 9700
 * §4.14.2, unless *retry says it is a retry); d receives its digest,
 * which the rotation uses up. */
static enum idp_err
read_refresh(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, unsigned char d[IDP_SHA256_LEN],
    struct idp_refresh **f, bool *retry)
{
	const char *token = idp_req_form(rq, "refresh_token");
	struct idp_dbconn *db;
	enum idp_err rc;

	if (token == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "refresh_token is required.");
	if (strlen(token) != IDP_TOKEN_CHARS)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token is not valid.");
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_sha256_str(token, d);
	rc = idp_store_refresh_get(db, rq->arena, d, rq->dpop_jkt, f);
	if (rc == IDP_ERR_FORBIDDEN)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT, "The refresh token "
		    "is bound to a DPoP key: send a DPoP proof of that key.");
	if (rc == IDP_ERR_CONFLICT) {
		switch (replay_kind(rq, c, *f)) {
		case IDP_REPLAY_RETRY:
			*retry = true;
			return IDP_OK;
		case IDP_REPLAY_REFUSE:
			return refresh_race_lost(rq, rs, c, (*f)->grant_id);
		case IDP_REPLAY_REUSE:
			break;
		}
		return refresh_reused(rq, rs, c, (*f)->grant_id);
	}
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token is not valid.");
	return rc;
}

/* The items of v that are in ceiling. */
static char **
within(struct idp_arena *a, char *const *v, char *const *ceiling, size_t *n)
{
	char **o = idp_arena_zalloc(a, (*n + 1) * sizeof(*o));
	size_t k = 0;

	for (size_t i = 0; i < *n; i++)
		if (idp_list_has(ceiling, v[i]))
			o[k++] = v[i];
	*n = k;
	return o;
}

/* The grant of the refresh token, when this client may rotate it, narrowed
 * to the scope asked for: §6 allows a narrower scope, never a wider one.
 * OIDC Core §12.2: the same sub and auth_time, and no nonce. */
static enum idp_err
refresh_facts(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_refresh *f, struct grant_facts *g)
{
	const char *want = idp_req_form(rq, "scope");
	char **asked;
	size_t n, na;
	enum idp_err rc;

	if (strcmp(f->client_id, g->client->client_id) != 0)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token was issued to another client.");
	if (f->grant_revoked || f->user.disabled)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token was revoked.");
	if (idp_scope_parse(rq->arena, f->scope, &g->scopes, &n) != IDP_OK)
		return IDP_ERR_INTERNAL;
	if (want != NULL) {
		/* Values the client may never have are left out, as at
		 * /authorize (relying parties send their configured scope
		 * again); what remains may not be wider than granted (§6,
		 * §5.2: invalid_scope). */
		if (idp_scope_parse(rq->arena, want, &asked, &na) != IDP_OK)
			return idp_fail(rs, IDP_ERR_INVALID_SCOPE,
			    "scope is malformed.");
		asked = within(rq->arena, asked, g->client->scopes, &na);
		if (na == 0 || !idp_scope_subset(asked, g->scopes))
			return idp_fail(rs, IDP_ERR_INVALID_SCOPE,
			    "The scope exceeds what was granted.");
		g->scopes = asked;
		n = na;
	}
	if ((rc = idp_token_regrant(rq, rs, g, n)) != IDP_OK)
		return rc;
	g->id = f->grant_id;
	g->user = &f->user;
	g->sid = f->sid;
	g->auth_time = f->auth_time;
	g->acr = f->acr;
	g->amr = f->amr;
	g->claims = f->claims;
	return IDP_OK;
}

/* A retry of the rotation of f, with the tokens t of ro (one transaction:
 * idp_store_refresh_retry locks the rows until its commit). */
struct retry {
	const struct grant_facts *g;
	const struct minted *t;
	const struct idp_rotate *ro;
	const struct idp_refresh *f;
};

static enum idp_err
retry_once(struct idp_req *rq, struct idp_resp *rs, void *arg)
{
	const struct retry *y = arg;
	const struct idp_client *c = y->g->client;
	enum idp_retry_outcome out;
	struct idp_dbconn *db;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &db)) != IDP_OK ||
	    (rc = idp_store_refresh_retry(db, y->ro,
	    rq->ctx->cfg->refresh_token_reuse_grace, &out)) != IDP_OK)
		return rc;
	switch (out) {
	case IDP_RETRY_ISSUED:
		IDP_INFO("token.refresh_retry", " req=%s client=%s grant=%s "
		    "rotated_ms_ago=%lld", rq->id, c->client_id, y->g->id,
		    (long long)y->f->rotated_ms_ago);
		idp_flow_audit(rq, "token.refresh_retry", y->g->user->id,
		    c->client_id, json_pack("{s:s, s:I}", "grant", y->g->id,
		    "rotated_ms_ago", (json_int_t)y->f->rotated_ms_ago));
		return idp_token_answer(rq, rs, y->g, y->t);
	case IDP_RETRY_RACE:
		return refresh_race_lost(rq, rs, c, y->g->id);
	case IDP_RETRY_REUSE:
		return refresh_reused(rq, rs, c, y->g->id);
	case IDP_RETRY_REVOKED:
		break;
	}
	return idp_fail(rs, IDP_ERR_INVALID_GRANT,
	    "The refresh token was revoked.");
}

/* The token was used between its reading and its rotation: by a
 * concurrent request with it (the same refresh sent twice), or displaced
 * by the retry of the rotation that issued it, whose answer then went to
 * another holder. Read again, the rule decides: with a grace the loser of
 * a race is refused, and anything else is reuse. */
static enum idp_err
rotated_meanwhile(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const unsigned char *d, const char *grant_id)
{
	struct idp_refresh *f = NULL;
	struct idp_dbconn *db;

	if (rq->ctx->cfg->refresh_token_reuse_grace > 0 &&
	    idp_reqdb(rq, &db) == IDP_OK &&
	    idp_store_refresh_get(db, rq->arena, d, rq->dpop_jkt, &f) ==
	    IDP_ERR_CONFLICT && replay_kind(rq, c, f) != IDP_REPLAY_REUSE)
		return refresh_race_lost(rq, rs, c, grant_id);
	return refresh_reused(rq, rs, c, grant_id);
}

/* The rotation itself (§6): the old token used up, its successors
 * issued, in one statement. */
static enum idp_err
rotate(struct idp_req *rq, struct idp_resp *rs, const struct grant_facts *g,
    const struct minted *t, const struct idp_rotate *ro)
{
	struct idp_dbconn *db;
	char *used = NULL;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	rc = idp_store_issue_refresh(db, rq->arena, ro, &used);
	if (rc == IDP_ERR_CONFLICT)
		return rotated_meanwhile(rq, rs, g->client, ro->old_digest,
		    used);
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The refresh token was revoked.");
	return rc == IDP_OK ? idp_token_answer(rq, rs, g, t) : rc;
}

enum idp_err
idp_token_refresh(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct grant_facts g = { .client = c };
	struct idp_refresh *f = NULL;
	struct minted t = { 0 };
	struct idp_rotate ro = { 0 };
	unsigned char d[IDP_SHA256_LEN];
	bool retry = false;
	enum idp_err rc;

	if (!(c->grants & IDP_GRANT_REFRESH))
		return idp_fail(rs, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use refresh tokens.");
	if ((rc = read_refresh(rq, rs, c, d, &f, &retry)) != IDP_OK)
		return rc;
	if ((rc = refresh_facts(rq, rs, f, &g)) != IDP_OK)
		return idp_token_burn(rq, idp_store_refresh_burn, d, rc);
	if ((rc = idp_token_mint(rq, &g, &t)) != IDP_OK)
		goto out;
	ro.old_digest = d;
	ro.scope = g.scope;
	ro.at_digest = t.at.digest;
	ro.at_ttl = cfg->access_token_ttl;
	ro.rt_digest = t.refresh ? t.rt.digest : NULL;
	ro.rt_ttl = cfg->refresh_token_ttl;
	ro.at_jkt = rq->dpop_jkt;
	ro.rt_jkt = idp_token_refresh_binding(rq, c);
	rc = retry ? idp_reqdb_once(rq, rs, retry_once,
	    &(struct retry){ &g, &t, &ro, f }) : rotate(rq, rs, &g, &t, &ro);
out:
	idp_token_minted_wipe(&t);
	return rc;
}

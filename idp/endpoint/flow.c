#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/mint.h"
#include "core/reqdb.h"
#include "crypto/b64url.h"
#include "endpoint/flow.h"
#include "endpoint/pages.h"
#include "endpoint/respond.h"
#include "http/response.h"
#include "oidc/scope.h"
#include "page/page.h"
#include "page/trouble.h"
#include "store/audit.h"
#include "store/consent.h"
#include "store/token.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

static const char *
cookie_attrs(struct idp_req *rq)
{
	return rq->ctx->cfg->cookie_secure_effective ?
	    "; Path=/; HttpOnly; SameSite=Lax; Secure" :
	    "; Path=/; HttpOnly; SameSite=Lax";
}

enum idp_err
idp_flow_session(struct idp_req *rq, struct idp_session **out)
{
	const char *v = idp_req_cookie_token(rq, rq->ctx->cfg->cookie_name);
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *c;
	enum idp_err rc;

	*out = NULL;
	if (v == NULL)
		return IDP_OK;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	idp_sha256_str(v, d);
	rc = idp_store_session_get(c, rq->arena, d, out);
	if (rc == IDP_ERR_NOT_FOUND) {
		*out = NULL;
		return IDP_OK;
	}
	if (rc == IDP_OK && (*out)->user.disabled)
		*out = NULL;
	return rc;
}

void
idp_flow_set_session_cookie(struct idp_req *rq, struct idp_resp *rs,
    const char *value)
{
	const struct idp_config *cfg = rq->ctx->cfg;

	idp_resp_header(rs, "Set-Cookie", value != NULL ?
	    idp_arena_printf(rq->arena, "%s=%s; Max-Age=%lld%s",
	    cfg->cookie_name, value, (long long)cfg->session_max_ttl,
	    cookie_attrs(rq)) :
	    idp_arena_printf(rq->arena, "%s=; Max-Age=0%s", cfg->cookie_name,
	    cookie_attrs(rq)));
}

const char *
idp_flow_browser(struct idp_req *rq, struct idp_resp *rs,
    unsigned char digest[IDP_SHA256_LEN])
{
	const char *v = idp_req_cookie_token(rq, IDP_BROWSER_COOKIE);

	if (v == NULL) {
		v = idp_random_token(rq->arena);
		/* A browser-session cookie: it only ties a login form to the
		 * browser that opened it. */
		idp_resp_header(rs, "Set-Cookie", idp_arena_printf(rq->arena,
		    "%s=%s%s", IDP_BROWSER_COOKIE, v, cookie_attrs(rq)));
	}
	idp_sha256_str(v, digest);
	return v;
}

char *
idp_flow_csrf(struct idp_req *rq, const char *login_id, const char *browser)
{
	unsigned char mac[IDP_SHA256_LEN];
	char *msg = idp_arena_printf(rq->arena, "csrf|%s", browser);

	if (idp_hmac_sha256(login_id, strlen(login_id), msg, strlen(msg),
	    mac) != 0)
		return NULL;
	return idp_b64url_encode(rq->arena, mac, sizeof(mac));
}

char *
idp_flow_session_csrf(struct idp_req *rq, const char *purpose)
{
	const char *cookie = idp_req_cookie_token(rq,
	    rq->ctx->cfg->cookie_name);
	unsigned char mac[IDP_SHA256_LEN];

	if (cookie == NULL || idp_hmac_sha256(cookie, strlen(cookie), purpose, strlen(purpose),
	    mac) != 0)
		return NULL;
	return idp_b64url_encode(rq->arena, mac, sizeof(mac));
}

bool
idp_flow_session_csrf_ok(struct idp_req *rq, const char *purpose)
{
	return idp_ct_streq(idp_req_form(rq, "csrf_token"),
	    idp_flow_session_csrf(rq, purpose));
}

/* A new pending login bound to this browser: for the authorization z, or
 * (z NULL) a local sign-in ending at next. */
static enum idp_err
pending_new(struct idp_req *rq, struct idp_resp *rs, const struct idp_authz *z,
    const char *next, long long session_id, const char **login_id,
    const char **csrf)
{
	int64_t ttl = rq->ctx->cfg->login_ttl;
	unsigned char browser[IDP_SHA256_LEN];
	const char *bv;
	struct idp_secret id;
	struct idp_dbconn *c;
	json_t *params;
	char *js;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	bv = idp_flow_browser(rq, rs, browser);
	idp_mint_secret(&id);
	if (z != NULL) {
		params = idp_authz_to_json(z);
		js = json_dumps(params, JSON_COMPACT);
		json_decref(params);
		if (js == NULL) {
			idp_secret_wipe(&id);
			return IDP_ERR_INTERNAL;
		}
		rc = idp_store_login_create(c, id.digest, browser, z->client_id,
		    js, ttl);
		free(js);
	} else {
		rc = idp_store_login_create_local(c, id.digest, browser, next,
		    ttl);
	}
	if (rc == IDP_OK && session_id != 0)
		rc = idp_store_login_set_session(c, id.digest, session_id);
	if (rc == IDP_OK) {
		*login_id = idp_arena_strdup(rq->arena, id.value);
		*csrf = idp_flow_csrf(rq, *login_id, bv);
		if (*csrf == NULL)
			rc = IDP_ERR_INTERNAL;
	}
	idp_secret_wipe(&id);
	return rc;
}

enum idp_err
idp_flow_pending(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_authz *z, long long session_id, const char **login_id,
    const char **csrf)
{
	return pending_new(rq, rs, z, NULL, session_id, login_id, csrf);
}

enum idp_err
idp_flow_pending_local(struct idp_req *rq, struct idp_resp *rs,
    const char *next, const char **login_id, const char **csrf)
{
	return pending_new(rq, rs, NULL, next, 0, login_id, csrf);
}

/* The link that starts p's request again: the same authorization, or the
 * same local sign-in. NULL when p is unknown. */
static const char *
restart_link(struct idp_req *rq, const struct idp_pending *p)
{
	struct idp_buf b;
	const char *q;

	if (p == NULL)
		return NULL;
	/* A client that only sends pushed or signed requests cannot start
	 * again from a plain link: the person goes back to the service. */
	if (p->client != NULL && (p->client->require_par ||
	    p->client->require_signed_request || rq->ctx->cfg->require_par))
		return NULL;
	idp_buf_init(&b, rq->arena, 17 * 1024);
	if (p->client == NULL) {
		idp_buf_adds(&b, "/login?next=");
		idp_buf_add_urlenc(&b, p->next);
	} else {
		if ((q = idp_authz_to_query(rq->arena, &p->authz)) == NULL)
			return NULL;
		idp_buf_adds(&b, "/authorize?");
		idp_buf_adds(&b, q);
	}
	return b.overflow ? NULL : b.data;
}

enum idp_err
idp_flow_trouble(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_pending *p, enum idp_trouble_kind kind,
    const char *detail)
{
	struct idp_trouble t = { 0 };

	t.kind = kind;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = detail;
	t.retry = restart_link(rq, p);
	if (p != NULL && p->client != NULL) {
		t.service_name = p->client->name;
		t.service_uri = p->client->client_uri;
		t.ui_locales = p->authz.ui_locales;
	}
	if (kind == IDP_TROUBLE_BAD_FORM)
		IDP_WARN("login.csrf", " req=%s ip=%s", rq->id, rq->ip);
	return idp_page_trouble(rq, rs, &t);
}

/* What the pending login leads to: its authorization request and client,
 * or its local path. */
static enum idp_err
read_target(struct idp_req *rq, struct idp_resp *rs, struct idp_pending *p)
{
	struct idp_trouble t = { 0 };
	json_t *params;
	enum idp_err rc;

	if (p->login->client_id == NULL) {
		p->next = p->login->next_path;
		return idp_local_path_ok(p->next) ? IDP_OK : IDP_ERR_INTERNAL;
	}
	params = json_loads(p->login->params, 0, NULL);
	if (params == NULL || idp_authz_from_json(rq->arena, params,
	    &p->authz) != 0) {
		json_decref(params);
		return IDP_ERR_INTERNAL;
	}
	json_decref(params);
	rc = idp_clients_get(rq, p->login->client_id, &p->client);
	if (rc == IDP_OK && p->client->enabled &&
	    p->client->approval == IDP_APPROVAL_APPROVED)
		return IDP_OK;
	if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND)
		return rc;
	p->client = NULL;
	t.kind = IDP_TROUBLE_UNKNOWN_SERVICE;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "The client of this login page is gone or disabled.";
	t.ui_locales = p->authz.ui_locales;
	return idp_page_trouble(rq, rs, &t);
}

/* The expired page of a browser that passed every check: a new pending
 * login for the same request takes its place. */
static enum idp_err
renew(struct idp_req *rq, struct idp_resp *rs, struct idp_pending *p)
{
	const char *id, *csrf;
	enum idp_err rc;

	rc = pending_new(rq, rs, p->client ? &p->authz : NULL, p->next, 0, &id,
	    &csrf);
	if (rc != IDP_OK)
		return rc;
	p->login_id = id;
	idp_sha256_str(id, p->digest);
	p->renewed = true;
	return IDP_OK;
}

enum idp_err
idp_flow_load_pending(struct idp_req *rq, struct idp_resp *rs,
    unsigned flags, struct idp_pending *p)
{
	const char *browser = idp_req_cookie_token(rq, IDP_BROWSER_COOKIE);
	unsigned char bd[IDP_SHA256_LEN];
	struct idp_dbconn *c;
	bool stale;
	enum idp_err rc;

	memset(p, 0, sizeof(*p));
	p->login_id = rq->method == IDP_POST ? idp_req_form(rq, "login") :
	    idp_req_query(rq, "login");
	if (p->login_id == NULL || strlen(p->login_id) != IDP_TOKEN_CHARS)
		return idp_flow_trouble(rq, rs, NULL, IDP_TROUBLE_EXPIRED,
		    "No login page has this id.");
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	idp_sha256_str(p->login_id, p->digest);
	rc = idp_store_login_get(c, rq->arena, p->digest, &p->login);
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_flow_trouble(rq, rs, NULL, IDP_TROUBLE_EXPIRED,
		    "No login page has this id.");
	if (rc != IDP_OK)
		return rc;
	stale = p->login->expired || p->login->completed;
	/* The page belongs to the browser that opened it (login CSRF); only
	 * that browser is offered its request again. */
	if (browser != NULL)
		idp_sha256_str(browser, bd);
	if (browser == NULL || !idp_ct_eq(bd, sizeof(bd),
	    p->login->browser_digest, sizeof(bd)))
		return idp_flow_trouble(rq, rs, NULL, stale ?
		    IDP_TROUBLE_EXPIRED : IDP_TROUBLE_BAD_FORM,
		    "The login page is another browser's.");
	if ((rc = read_target(rq, rs, p)) != IDP_OK)
		return rc;
	if ((flags & IDP_PENDING_CSRF) && !idp_ct_streq(idp_req_form(rq,
	    "csrf_token"), idp_flow_csrf(rq, p->login_id, browser)))
		return idp_flow_trouble(rq, rs, p, IDP_TROUBLE_BAD_FORM,
		    "The CSRF token does not match.");
	if (p->login->completed || (p->login->expired &&
	    !(flags & IDP_PENDING_RENEW)))
		return idp_flow_trouble(rq, rs, p, IDP_TROUBLE_EXPIRED,
		    p->login->completed ? "The login page was used already." :
		    "The login page expired.");
	return p->login->expired ? renew(rq, rs, p) : IDP_OK;
}

/* A fresh password check gets a fresh session id; the session the browser
 * had before ends, so a copy of its old cookie no longer works. */
static enum idp_err
end_previous_session(struct idp_req *rq, struct idp_dbconn *c,
    long long new_id)
{
	const char *old = idp_req_cookie_token(rq, rq->ctx->cfg->cookie_name);
	unsigned char d[IDP_SHA256_LEN];

	if (old == NULL)
		return IDP_OK;
	idp_sha256_str(old, d);
	return idp_store_session_replace(c, d, new_id);
}

enum idp_err
idp_flow_sign_in(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_sign_in *in, struct idp_session *s)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_session_new sn = { 0 };
	struct idp_secret sess;
	struct idp_dbconn *c;
	char sid[37];
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	idp_mint_secret(&sess);
	idp_random_uuid(sid);
	sn.digest = sess.digest;
	sn.sid = sid;
	sn.user_id = in->user->id;
	sn.auth_time = in->auth_time;
	sn.idle_ttl = cfg->session_idle_ttl;
	sn.max_ttl = cfg->session_max_ttl;
	sn.ip = strcmp(rq->ip, "-") ? rq->ip : NULL;
	sn.user_agent = idp_req_header(rq, "User-Agent");
	if (sn.user_agent != NULL && strlen(sn.user_agent) > 512)
		sn.user_agent = idp_arena_strndup(rq->arena, sn.user_agent, 512);
	sn.amr = in->amr;
	sn.acr = in->acr;
	sn.mfa_at = in->mfa_at;
	memset(s, 0, sizeof(*s));
	rc = idp_store_session_create(c, &sn, &s->id);
	if (rc == IDP_OK)
		rc = end_previous_session(rq, c, s->id);
	if (rc != IDP_OK) {
		idp_secret_wipe(&sess);
		return rc;
	}
	idp_flow_set_session_cookie(rq, rs, idp_arena_strdup(rq->arena,
	    sess.value));
	idp_secret_wipe(&sess);
	s->sid = idp_arena_strdup(rq->arena, sid);
	s->auth_time = in->auth_time;
	s->mfa_at = in->mfa_at;
	s->amr = idp_arena_strdup(rq->arena, in->amr ? in->amr : "pwd");
	s->acr = idp_arena_strdup(rq->arena, in->acr ? in->acr : "1");
	s->user = *in->user;
	return IDP_OK;
}

enum idp_err
idp_flow_error(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_authz *z, enum idp_err e, const char *desc)
{
	struct idp_response r = { 0 };
	enum idp_err rc;

	idp_response_add(&r, "error", idp_err_str(e));
	idp_response_add(&r, "error_description", idp_err_public_desc(e, desc));
	idp_response_add(&r, "state", z->state);
	idp_response_add(&r, "iss", rq->ctx->cfg->issuer);
	rc = idp_flow_respond(rq, rs, z, &r);
	return rc == IDP_OK ? e : rc;
}

void
idp_flow_audit(struct idp_req *rq, const char *event, long long user_id,
    const char *client_id, json_t *details)
{
	idp_flow_audit_by(rq, event, user_id, client_id, NULL, 0, details);
}

void
idp_flow_audit_by(struct idp_req *rq, const char *event, long long user_id,
    const char *client_id, const char *actor, long long actor_user_id,
    json_t *details)
{
	struct idp_audit ev = { .event = event, .user_id = user_id,
		.client_id = client_id, .request_id = rq->id, .actor = actor,
		.actor_user_id = actor_user_id };
	struct idp_dbconn *c;
	char *js = details ? json_dumps(details, JSON_COMPACT) : NULL;

	if (details != NULL && js == NULL)
		IDP_WARN("audit.details_lost", " req=%s event=%s", rq->id,
		    event);
	if (strcmp(rq->ip, "-") != 0)
		ev.ip = rq->ip;
	ev.details_json = js;
	if (idp_reqdb(rq, &c) != IDP_OK ||
	    idp_store_audit(c, &ev) != IDP_OK)
		IDP_WARN("audit.lost", " req=%s event=%s", rq->id, event);
	free(js);
	json_decref(details);
}

/* The scopes the person consented to for this client; *items NULL when
 * there is no consent on record. */
static enum idp_err
consented(struct idp_req *rq, const struct idp_client *c, long long user_id,
    char ***items)
{
	struct idp_dbconn *db;
	char *have = NULL;
	size_t n = 0;
	enum idp_err rc;

	*items = NULL;
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	rc = idp_store_consent_get(db, rq->arena, user_id, c->client_id,
	    &have);
	if (rc == IDP_ERR_NOT_FOUND)
		return IDP_OK;
	if (rc != IDP_OK)
		return rc;
	if (*have == '\0') {
		*items = idp_arena_zalloc(rq->arena, sizeof(char *));
		return IDP_OK;
	}
	return idp_scope_parse(rq->arena, have, items, &n) == IDP_OK ? IDP_OK :
	    IDP_ERR_INTERNAL;
}

enum idp_err
idp_flow_offline(struct idp_req *rq, const struct idp_client *c,
    struct idp_authz *z, long long user_id)
{
	char **have = NULL;
	enum idp_err rc;

	if (!idp_list_has(z->scopes, IDP_SCOPE_OFFLINE) || c->first_party ||
	    z->prompt_consent)
		return IDP_OK;
	if ((rc = consented(rq, c, user_id, &have)) != IDP_OK)
		return rc;
	if (idp_scope_offline_ok(c->first_party, z->prompt_consent, have))
		return IDP_OK;
	z->scopes = idp_scope_without(rq->arena, z->scopes, IDP_SCOPE_OFFLINE,
	    &z->nscopes);
	z->scope = idp_scope_join(rq->arena, z->scopes, z->nscopes);
	return IDP_OK;
}

static enum idp_err
need_consent(struct idp_req *rq, const struct idp_client *c,
    const struct idp_authz *z, const struct idp_session *s, bool *need)
{
	char **items = NULL;
	enum idp_err rc;

	*need = false;
	if (c->first_party)
		return IDP_OK;
	if (z->prompt_consent) {
		*need = true;
		return IDP_OK;
	}
	if ((rc = consented(rq, c, s->user.id, &items)) != IDP_OK)
		return rc;
	*need = items == NULL || !idp_scope_subset(z->scopes, items);
	return IDP_OK;
}

static enum idp_err
show_consent(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const struct idp_authz *z,
    const struct idp_session *s, struct idp_pending *pending)
{
	struct idp_consent_page page = { 0 };
	const char *login_id, *csrf;
	struct idp_dbconn *db;
	enum idp_err rc;

	if (pending != NULL) {
		/* The same page id continues, now tied to the session. */
		login_id = pending->login_id;
		csrf = idp_flow_csrf(rq, login_id,
		    idp_req_cookie_token(rq, IDP_BROWSER_COOKIE));
		if ((rc = idp_reqdb(rq, &db)) != IDP_OK ||
		    (rc = idp_store_login_set_session(db, pending->digest,
		    s->id)) != IDP_OK)
			return rc;
	} else if ((rc = idp_flow_pending(rq, rs, z, s->id, &login_id, &csrf))
	    != IDP_OK) {
		return rc;
	}
	page.ui_locales = z->ui_locales;
	page.redirect_uri = z->redirect_uri;
	page.client = c;
	page.user = &s->user;
	page.scopes = z->scopes;
	page.login_id = login_id;
	page.csrf_token = csrf;
	return idp_page_consent(rq, rs, &page);
}

static enum idp_err
issue_code(struct idp_req *rq, struct idp_resp *rs, const struct idp_client *c,
    const struct idp_authz *z, const struct idp_session *s, const char *acr)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_code_new n = { 0 };
	struct idp_response r = { 0 };
	struct idp_secret code;
	struct idp_dbconn *db;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_mint_secret(&code);
	n.digest = code.digest;
	n.client_id = c->client_id;
	n.user_id = s->user.id;
	n.session_id = s->id;
	n.redirect_uri = z->redirect_uri;
	n.scope = z->scope;
	n.nonce = z->nonce;
	n.code_challenge = z->code_challenge;
	n.code_challenge_method = idp_pkce_method_name(z->pkce);
	n.auth_time = s->auth_time;
	n.acr = acr;
	n.amr = s->amr;
	n.claims = z->claims;
	n.ttl = cfg->code_ttl;
	n.dpop_jkt = z->dpop_jkt;
	rc = idp_store_code_insert(db, &n);
	if (rc == IDP_OK)
		rc = idp_store_session_touch(db, s->id, c->client_id,
		    cfg->session_idle_ttl);
	if (rc != IDP_OK) {
		idp_secret_wipe(&code);
		return rc;
	}
	idp_response_add(&r, "code", idp_arena_strdup(rq->arena, code.value));
	idp_response_add(&r, "state", z->state);
	idp_response_add(&r, "iss", cfg->issuer);
	idp_secret_wipe(&code);
	rq->log_client = c->client_id;
	return idp_flow_respond(rq, rs, z, &r) == IDP_OK ? IDP_OK :
	    IDP_ERR_INTERNAL;
}

enum idp_err
idp_flow_finish(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const struct idp_authz *za,
    const struct idp_session *s, struct idp_pending *pending,
    bool consent_done)
{
	struct idp_authz zz = *za, *z = &zz;
	struct idp_dbconn *db;
	const char *acr = NULL;
	enum idp_err rc;
	bool need = false;

	/* The claims request's sub and acr (flow_claims.c). */
	if ((rc = idp_flow_claims_check(rq, rs, c, z, s, &acr)) != IDP_OK)
		return rc;
	/* OIDC Core §11: offline_access only with consent to it. */
	if ((rc = idp_flow_offline(rq, c, z, s->user.id)) != IDP_OK)
		return rc;
	if (z->nscopes == 0)
		return idp_flow_error(rq, rs, z, IDP_ERR_INVALID_SCOPE,
		    "offline_access needs prompt=consent.");
	if (!consent_done) {
		if ((rc = need_consent(rq, c, z, s, &need)) != IDP_OK)
			return rc;
		if (need && z->prompt_none)
			return idp_flow_error(rq, rs, z,
			    IDP_ERR_CONSENT_REQUIRED,
			    "The user has not consented to this client.");
		if (need)
			return show_consent(rq, rs, c, z, s, pending);
	}
	if (pending != NULL) {
		if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
			return rc;
		rc = idp_store_login_complete(db, pending->digest);
		if (rc == IDP_ERR_CONFLICT)
			return idp_flow_trouble(rq, rs, pending,
			    IDP_TROUBLE_EXPIRED,
			    "The login page was used already.");
		if (rc != IDP_OK)
			return rc;
	}
	return issue_code(rq, rs, c, z, s, acr);
}

enum idp_err
idp_flow_finish_local(struct idp_req *rq, struct idp_resp *rs,
    struct idp_pending *pending)
{
	struct idp_dbconn *db;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	rc = idp_store_login_complete(db, pending->digest);
	if (rc == IDP_ERR_CONFLICT)
		return idp_flow_trouble(rq, rs, pending, IDP_TROUBLE_EXPIRED,
		    "The login page was used already.");
	if (rc != IDP_OK)
		return rc;
	idp_page_see_other(rq, rs, pending->next, NULL);
	return IDP_OK;
}

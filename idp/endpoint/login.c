/* The login form: GET /login re-renders a pending login (language switch),
 * POST /login checks the password on a hashing thread and continues the
 * authorization. One generic message for every failure; an unknown user
 * costs the same argon2id run as a wrong password. */
#include <string.h>
#include <time.h>

#include "config.h"
#include "core/ctx.h"
#include "core/mint.h"
#include "core/reqdb.h"
#include "crypto/pwhash.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/pages.h"
#include "http/response.h"
#include "store/directory.h"
#include "store/session.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

/* Guessing is throttled per username: after this many failures within the
 * window, attempts are refused until the window has passed. */
#define THROTTLE_FAILURES 10
#define THROTTLE_WINDOW 900

struct login_job {
	struct idp_pending p;
	const char *username;
	char *password;		/* arena copy, wiped after hashing */
	size_t pwlen;
	const char *hash;	/* the user's, or the dummy */
	struct idp_user *user;	/* NULL when unknown */
	struct idp_pwhash_params params;
	bool ok;
	bool rehashed;
	char new_hash[IDP_PWHASH_STRMAX];
	int64_t checked_at;
};

static void
render(struct idp_req *rq, struct idp_resp *rs, struct idp_pending *p,
    const char *username, const char *error)
{
	struct idp_login_page page = { 0 };

	page.locale = p->locale;
	page.client = p->client;
	page.login_id = p->login_id;
	page.csrf_token = idp_flow_csrf(rq, p->login_id,
	    idp_req_cookie_token(rq, IDP_BROWSER_COOKIE));
	page.username = username ? username : p->authz.login_hint;
	page.error = error;
	idp_page_login(rq, rs, &page);
}

/* GET /login?login=ID&lang=en: the same pending login in another language. */
static enum idp_err
login_get(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_pending p;
	const char *lang = idp_req_query(rq, "lang");
	enum idp_err rc;

	rc = idp_flow_load_pending(rq, rs, false, &p);
	if (rc != IDP_OK)
		return rs->status ? IDP_OK : rc;
	if (lang != NULL && (!strcmp(lang, "id") || !strcmp(lang, "en")))
		p.locale = lang;
	render(rq, rs, &p, NULL, NULL);
	return IDP_OK;
}

/* Runs on a hashing thread: no database, no response, just argon2id. */
static void
check_password(void *arg)
{
	struct login_job *j = arg;

	j->ok = idp_pwhash_verify(j->hash, j->password, j->pwlen) == 0;
	j->checked_at = (int64_t)time(NULL);
	if (j->ok && j->user != NULL &&
	    idp_pwhash_needs_rehash(j->hash, &j->params))
		j->rehashed = idp_pwhash_str(&j->params, j->password, j->pwlen,
		    j->new_hash) == 0;
	idp_wipe(j->password, j->pwlen);
}

/* A wrong password, an unknown or a disabled user: counted for the
 * throttle, audited, and answered with the form again (not an error). */
static enum idp_err
login_refused(struct idp_req *rq, struct idp_resp *rs, struct login_job *j,
    const char *reason)
{
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	if ((rc = idp_store_login_failed(c, j->username, THROTTLE_WINDOW))
	    != IDP_OK)
		return rc;
	idp_flow_audit(rq, "login.failure", j->user ? j->user->id : 0,
	    j->p.client->client_id, json_pack("{s:s, s:s}", "username",
	    j->username, "reason", reason));
	IDP_INFO("login.failure", " req=%s ip=%s client=%s username=%s "
	    "reason=%s", rq->id, rq->ip, j->p.client->client_id,
	    idp_logq(rq->arena, j->username), reason);
	render(rq, rs, &j->p, j->username, IDP_MSG_BAD_CREDENTIALS);
	return IDP_OK;
}

/* A fresh password check gets a fresh session id; the session the browser
 * had before ends, so a copy of its old cookie no longer works. */
static enum idp_err
end_previous_session(struct idp_req *rq, struct idp_dbconn *c,
    long long new_id)
{
	const char *old = idp_req_cookie(rq, rq->ctx->cfg->cookie_name);
	unsigned char d[IDP_SHA256_LEN];

	if (old == NULL || strlen(old) != IDP_TOKEN_CHARS)
		return IDP_OK;
	idp_sha256_str(old, d);
	return idp_store_session_replace(c, d, new_id);
}

/* Back on an HTTP worker after the hash: sign in, or say no. */
static enum idp_err
login_continue(struct idp_req *rq, struct idp_resp *rs)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct login_job *j = rq->async_arg;
	struct idp_session_new sn = { 0 };
	struct idp_session s = { 0 };
	struct idp_secret sess;
	char sid[37];
	struct idp_dbconn *c;
	enum idp_err rc;

	if (!j->ok || j->user == NULL)
		return login_refused(rq, rs, j, j->user ? "wrong_password" :
		    "unknown_user");
	if (j->user->disabled)
		return login_refused(rq, rs, j, "disabled");
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	if ((rc = idp_store_login_succeeded(c, j->username)) != IDP_OK)
		return rc;
	if (j->rehashed && idp_store_user_rehash(c, j->user->id, j->hash,
	    j->new_hash) == IDP_OK)
		IDP_INFO("password.rehash", " req=%s user=%lld", rq->id,
		    j->user->id);
	idp_mint_secret(&sess);
	idp_random_uuid(sid);
	sn.digest = sess.digest;
	sn.sid = sid;
	sn.user_id = j->user->id;
	sn.auth_time = j->checked_at;
	sn.idle_ttl = cfg->session_idle_ttl;
	sn.max_ttl = cfg->session_max_ttl;
	sn.ip = strcmp(rq->ip, "-") ? rq->ip : NULL;
	sn.user_agent = idp_req_header(rq, "User-Agent");
	if (sn.user_agent != NULL && strlen(sn.user_agent) > 512)
		sn.user_agent = idp_arena_strndup(rq->arena, sn.user_agent, 512);
	rc = idp_store_session_create(c, &sn, &s.id);
	if (rc == IDP_OK)
		rc = end_previous_session(rq, c, s.id);
	if (rc != IDP_OK) {
		idp_secret_wipe(&sess);
		return rc;
	}
	idp_flow_set_session_cookie(rq, rs, idp_arena_strdup(rq->arena,
	    sess.value));
	idp_secret_wipe(&sess);
	s.sid = idp_arena_strdup(rq->arena, sid);
	s.auth_time = j->checked_at;
	s.amr = "pwd";
	s.acr = "1";
	s.user = *j->user;
	idp_flow_audit(rq, "login.success", j->user->id,
	    j->p.client->client_id, json_pack("{s:s}", "sid", sid));
	IDP_INFO("login.success", " req=%s ip=%s client=%s user=%s", rq->id,
	    rq->ip, j->p.client->client_id, j->user->sub);
	return idp_flow_finish(rq, rs, j->p.client, &j->p.authz, &s, &j->p,
	    false);
}

static enum idp_err
login_post(struct idp_req *rq, struct idp_resp *rs)
{
	struct login_job *j = idp_arena_zalloc(rq->arena, sizeof(*j));
	const char *username = idp_req_form(rq, "username");
	const char *password = idp_req_form(rq, "password");
	struct idp_dbconn *c;
	bool throttled = false;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The login form must be posted as a form.");
	rc = idp_flow_load_pending(rq, rs, true, &j->p);
	if (rc != IDP_OK)
		return rs->status ? IDP_OK : rc;
	rq->log_client = j->p.client->client_id;
	if (username == NULL || password == NULL || *username == '\0' ||
	    *password == '\0' || strlen(username) > 128 ||
	    strlen(password) > IDP_PASSWORD_MAX) {
		render(rq, rs, &j->p, username && strlen(username) <= 128 ?
		    username : NULL, IDP_MSG_MISSING);
		return IDP_OK;
	}
	j->username = username;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_login_throttled(c, username, THROTTLE_FAILURES,
	    THROTTLE_WINDOW, &throttled);
	if (rc != IDP_OK)
		return rc;
	if (throttled) {
		IDP_WARN("login.throttled", " req=%s ip=%s username=%s", rq->id,
		    rq->ip, idp_logq(rq->arena, username));
		render(rq, rs, &j->p, username, IDP_MSG_THROTTLED);
		return IDP_OK;
	}
	rc = idp_store_user_by_username(c, rq->arena, username, &j->user);
	if (rc == IDP_ERR_NOT_FOUND)
		j->user = NULL;
	else if (rc != IDP_OK)
		return rc;
	j->hash = j->user && j->user->password_hash ? j->user->password_hash :
	    rq->ctx->dummy_hash;
	j->password = idp_arena_strdup(rq->arena, password);
	j->pwlen = strlen(password);
	j->params = rq->ctx->cfg->argon2;
	/* Give the connection back while the hash runs. */
	idp_reqdb_release(rq);
	rq->async_run = check_password;
	rq->async_arg = j;
	rq->cont = login_continue;
	rs->suspend = true;
	return IDP_OK;
}

enum idp_err
idp_login_handle(struct idp_req *rq, struct idp_resp *rs)
{
	return rq->method == IDP_POST ? login_post(rq, rs) : login_get(rq, rs);
}

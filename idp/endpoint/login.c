/* The login form: GET /login re-renders a pending login (language switch)
 * or, without one, starts a local sign-in to the provider's own pages
 * (/login?next=/account); POST /login checks the password on a hashing
 * thread and continues the authorization, or goes to the local path. The
 * person names the account by username, NIP or verified email; one
 * generic message for every failure, and an unknown account costs the same
 * argon2id run as a wrong password and is throttled like a known one
 * (core/throttle.h). An imported hash (bcrypt, SHA-crypt, PBKDF2) is
 * replaced by argon2id at the first successful sign-in. */
#include <string.h>
#include <time.h>

#include "config.h"
#include "core/ctx.h"
#include "core/hashq.h"
#include "core/mfa.h"
#include "core/mint.h"
#include "core/reqdb.h"
#include "core/throttle.h"
#include "crypto/pwhash.h"
#include "crypto/pwimport.h"
#include "endpoint/endpoints.h"
#include "endpoint/factor.h"
#include "endpoint/flow.h"
#include "endpoint/pages.h"
#include "http/response.h"
#include "page/page.h"
#include "page/trouble.h"
#include "store/credential.h"
#include "store/directory.h"
#include "store/session.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

/* Longest identifier accepted: an email address. */
#define IDENTIFIER_MAX 254

struct login_job {
	struct idp_pending p;
	const char *username;	/* the identifier typed */
	char *password;		/* arena copy, wiped after hashing */
	size_t pwlen;
	const char *hash;	/* the user's, or the dummy */
	struct idp_user *user;	/* NULL when unknown */
	long long cred_id;	/* the password credential, 0 when none */
	struct idp_throttle throttle;
	struct idp_pwhash_params params;
	bool ok;
	bool rehashed;
	char new_hash[IDP_PWHASH_STRMAX];
	int64_t checked_at;
};

/* The client a pending login is for; NULL for a local sign-in. */
static const char *
client_id_of(const struct idp_pending *p)
{
	return p->client != NULL ? p->client->client_id : NULL;
}

/* The form of pending login p. csrf: NULL to derive it from the browser
 * cookie this request carries. */
static enum idp_err
render_wait(struct idp_req *rq, struct idp_resp *rs, struct idp_pending *p,
    const char *csrf, const char *username, enum idp_login_note note,
    int wait)
{
	struct idp_login_page page = { 0 };
	const char *pw = idp_req_form(rq, "password");

	page.client = p->client;
	page.redirect_uri = p->client ? p->authz.redirect_uri : NULL;
	page.ui_locales = p->authz.ui_locales;
	page.login_id = p->login_id;
	page.csrf_token = csrf ? csrf : idp_flow_csrf(rq, p->login_id,
	    idp_req_cookie_token(rq, IDP_BROWSER_COOKIE));
	page.username = username ? username : p->authz.login_hint;
	page.note = note;
	page.password_missing = pw == NULL || *pw == '\0' ||
	    strlen(pw) > IDP_PASSWORD_MAX;
	page.wait = wait;
	return idp_page_login(rq, rs, &page);
}

static enum idp_err
render(struct idp_req *rq, struct idp_resp *rs, struct idp_pending *p,
    const char *csrf, const char *username, enum idp_login_note note)
{
	return render_wait(rq, rs, p, csrf, username, note, 0);
}

/* GET /login?next=PATH (or plain /login: the account page): sign in to
 * the provider's own pages. A person already signed in goes on at once;
 * a path that is not this origin's is refused, never followed. */
static enum idp_err
local_get(struct idp_req *rq, struct idp_resp *rs, const char *next)
{
	struct idp_pending p = { 0 };
	struct idp_session *s = NULL;
	struct idp_trouble t = { 0 };
	struct idp_mfa_state st = { 0 };
	struct idp_dbconn *c;
	bool step_up = false;
	const char *csrf;
	enum idp_err rc = IDP_OK;

	if (next == NULL)
		next = "/account";
	if (!idp_local_path_ok(next)) {
		IDP_WARN("login.next_refused", " req=%s ip=%s next=%s", rq->id,
		    rq->ip, idp_logq(rq->arena, next));
		idp_flow_audit(rq, "login.next_refused", 0, NULL,
		    json_pack("{s:s%}", "next", next, strlen(next) > 200 ? 200 :
		    strlen(next)));
		t.err = IDP_ERR_INVALID_REQUEST;
		t.detail = "next must be a path on this site.";
		return idp_page_trouble(rq, rs, &t);
	}
	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s != NULL && !idp_session_second_factor(s, NULL) &&
	    (rc = idp_reqdb(rq, &c)) == IDP_OK &&
	    (rc = idp_store_mfa_state(c, s->user.id, &st)) == IDP_OK &&
	    idp_mfa_reasons(&st, NULL, NULL) != 0)
		step_up = true;
	else if (rc != IDP_OK)
		return rc;
	if (s != NULL && !step_up) {
		idp_page_see_other(rq, rs, next, NULL);
		return IDP_OK;
	}
	if ((rc = idp_flow_pending_local(rq, rs, next, &p.login_id, &csrf))
	    != IDP_OK)
		return rc;
	p.next = next;
	idp_sha256_str(p.login_id, p.digest);
	/* A session of the password alone, of a person with a second
	 * factor: the second step, without the password again. */
	if (step_up)
		return idp_factor_ask(rq, rs, &p, csrf, &s->user, s->auth_time,
		    s->amr, &st, idp_mfa_reasons(&st, NULL, NULL));
	return render(rq, rs, &p, csrf, NULL, IDP_LOGIN_NOTE_NONE);
}

/* GET /login?login=ID&lang=en: the same pending login in another language. */
static enum idp_err
login_get(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_pending p;
	enum idp_err rc;

	if (idp_req_query(rq, "login") == NULL)
		return local_get(rq, rs, idp_req_query(rq, "next"));
	rc = idp_flow_load_pending(rq, rs, 0, &p);
	if (rc != IDP_OK)
		return rs->status ? IDP_OK : rc;
	return render(rq, rs, &p, NULL, NULL, IDP_LOGIN_NOTE_NONE);
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
	enum idp_err rc;

	json_t *d;

	if ((rc = idp_throttle_failed(rq, &j->throttle)) != IDP_OK)
		return rc;
	d = json_pack("{s:s, s:s, s:s*, s:o}", "username", j->username,
	    "reason", reason, "next", j->p.next, "throttle",
	    idp_throttle_details(&j->throttle));
	idp_flow_audit(rq, "login.failure", j->user ? j->user->id : 0,
	    client_id_of(&j->p), d);
	IDP_INFO("login.failure", " req=%s ip=%s client=%s username=%s "
	    "reason=%s", rq->id, rq->ip, idp_logq(rq->arena,
	    client_id_of(&j->p)), idp_logq(rq->arena, j->username), reason);
	return render(rq, rs, &j->p, NULL, j->username,
	    IDP_LOGIN_BAD_CREDENTIALS);
}

/* The password worked: record its use, or replace it by argon2id at the
 * configured cost (an imported hash, or an older cost). The audit says
 * from which algorithm. A password set meanwhile wins over the upgrade. */
static enum idp_err
password_used(struct idp_req *rq, struct idp_dbconn *c, struct login_job *j)
{
	enum idp_pwhash_alg from = idp_pwhash_alg_of(j->hash);
	enum idp_err rc;

	if (!j->rehashed) {
		rc = idp_store_cred_mark_used(c, j->user->id, j->cred_id, 0);
		return rc == IDP_ERR_NOT_FOUND ? IDP_OK : rc;
	}
	rc = idp_store_password_rehash(c, j->user->id, j->hash, j->new_hash);
	if (rc == IDP_ERR_NOT_FOUND)
		return IDP_OK;
	if (rc != IDP_OK)
		return rc;
	idp_flow_audit(rq, from == IDP_PWHASH_ARGON2ID ? "password.rehash" :
	    "password.upgraded", j->user->id, client_id_of(&j->p),
	    json_pack("{s:s, s:s}", "from", idp_pwhash_alg_name(from), "to",
	    "argon2id"));
	IDP_INFO("password.rehash", " req=%s user=%lld from=%s", rq->id,
	    j->user->id, idp_pwhash_alg_name(from));
	return IDP_OK;
}

/* Back on an HTTP worker after the hash: sign in, or say no. */
static enum idp_err
login_continue(struct idp_req *rq, struct idp_resp *rs)
{
	struct login_job *j = rq->async_arg;
	struct idp_sign_in in = { 0 };
	struct idp_session s = { 0 };
	struct idp_mfa_state st = { 0 };
	struct idp_dbconn *c;
	unsigned why;
	enum idp_err rc;

	if (!j->ok || j->user == NULL)
		return login_refused(rq, rs, j, j->user ? "wrong_password" :
		    "unknown_user");
	if (j->user->disabled)
		return login_refused(rq, rs, j, "disabled");
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	if ((rc = idp_throttle_succeeded(rq, rs, &j->throttle)) != IDP_OK)
		return rc;
	if ((rc = password_used(rq, c, j)) != IDP_OK)
		return rc;
	if ((rc = idp_store_mfa_state(c, j->user->id, &st)) != IDP_OK)
		return rc;
	why = idp_mfa_reasons(&st, j->p.client, j->p.client ? &j->p.authz :
	    NULL);
	if (why != 0)
		return idp_factor_ask(rq, rs, &j->p, NULL, j->user,
		    j->checked_at, "pwd", &st, why);
	in.user = j->user;
	in.auth_time = j->checked_at;
	in.amr = "pwd";
	in.acr = idp_mfa_acr(false);
	if ((rc = idp_flow_sign_in(rq, rs, &in, &s)) != IDP_OK)
		return rc;
	idp_flow_audit(rq, "login.success", j->user->id, client_id_of(&j->p),
	    json_pack("{s:s, s:s*, s:o}", "sid", s.sid, "next", j->p.next,
	    "throttle", idp_throttle_details(&j->throttle)));
	IDP_INFO("login.success", " req=%s ip=%s client=%s user=%s", rq->id,
	    rq->ip, idp_logq(rq->arena, client_id_of(&j->p)), j->user->sub);
	if (j->p.client == NULL)
		return idp_flow_finish_local(rq, rs, &j->p);
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
	char *hash = NULL;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The login form must be posted as a form.");
	rc = idp_flow_load_pending(rq, rs, IDP_PENDING_CSRF |
	    IDP_PENDING_RENEW, &j->p);
	if (rc != IDP_OK)
		return rs->status ? IDP_OK : rc;
	rq->log_client = client_id_of(&j->p);
	if (username != NULL && strlen(username) > IDENTIFIER_MAX)
		username = NULL;
	if (j->p.renewed)
		return render(rq, rs, &j->p, NULL, username,
		    IDP_LOGIN_RESTARTED);
	if (username == NULL || password == NULL || *username == '\0' ||
	    *password == '\0' || strlen(password) > IDP_PASSWORD_MAX)
		return render(rq, rs, &j->p, NULL, username, IDP_LOGIN_MISSING);
	j->username = username;
	/* The throttle counts the attempt before the hash; one the full hash
	 * queue would refuse is answered here, uncounted, so that a login
	 * storm does not slow the people caught in it. (The queue may still
	 * fill between here and the server's reservation: rarely, an
	 * attempt is then counted without being checked.) */
	if (idp_hashq_depth(rq->ctx->hashq) >= rq->ctx->cfg->hash_queue)
		return idp_fail(rs, IDP_ERR_UNAVAILABLE,
		    "The service is busy; retry shortly.");
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_user_by_login(c, rq->arena, username, &j->user, &hash,
	    &j->cred_id);
	if (rc == IDP_ERR_NOT_FOUND)
		j->user = NULL;
	else if (rc != IDP_OK)
		return rc;
	j->throttle.scope = IDP_THROTTLE_LOGIN;
	j->throttle.user_id = j->user ? j->user->id : 0;
	j->throttle.name = username;
	if ((rc = idp_throttle_begin(rq, &j->throttle)) != IDP_OK)
		return rc;
	if (!j->throttle.allowed)
		return render_wait(rq, rs, &j->p, NULL, username,
		    IDP_LOGIN_THROTTLED, j->throttle.wait);
	j->hash = j->user && hash ? hash : rq->ctx->dummy_hash;
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

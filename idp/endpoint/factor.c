/* The second step of a sign-in: POST /login/factor, for a pending login
 * whose password was checked (login_requests.factor_user_id). The person
 * gives a code of their authenticator app, a recovery code or a passkey;
 * a person asked for a second factor who has none sets up an app here
 * first (a service with require_mfa, their organisation's rule, acr_values
 * asking for it). Every code is checked through the throttle
 * (core/throttle.h) and accepted once. Success creates the session with
 * the methods used (amr, acr, mfa_at) and finishes the login like the
 * password step would have. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/mail.h"
#include "core/mfa.h"
#include "core/reqdb.h"
#include "core/throttle.h"
#include "core/totpkey.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "crypto/totp.h"
#include "endpoint/endpoints.h"
#include "endpoint/factor.h"
#include "endpoint/passkey.h"
#include "http/response.h"
#include "page/trouble.h"
#include "store/credential.h"
#include "store/directory.h"
#include "store/outbox.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"

struct factor {
	struct idp_pending p;
	struct idp_user *user;
	struct idp_mfa_state st;
	struct idp_credential *totp;		/* by_totp */
	struct idp_throttle *throttle;		/* by_totp */
};

static void
form_of(struct idp_req *rq, const struct idp_pending *p, const char *csrf,
    struct idp_factor_form *f)
{
	f->action = "/login/factor";
	f->login_id = p->login_id;
	f->csrf = csrf != NULL ? csrf : idp_flow_csrf(rq, p->login_id,
	    idp_req_cookie_token(rq, IDP_BROWSER_COOKIE));
	if (p->client != NULL) {
		f->ui_locales = p->authz.ui_locales;
		f->redirect_uri = p->authz.redirect_uri;
	}
}

static enum idp_err
show(struct idp_req *rq, struct idp_resp *rs, struct idp_pending *p,
    const char *csrf, const struct idp_user *user,
    const struct idp_mfa_state *st, enum idp_factor_note note, int wait)
{
	struct idp_factor_page page = { 0 };
	enum idp_err rc;

	form_of(rq, p, csrf, &page.f);
	page.service = p->client != NULL ? p->client->name : NULL;
	page.totp = st->totp > 0;
	page.passkey = st->passkeys > 0;
	page.recovery = st->recovery_left > 0;
	page.must_enrol = !idp_mfa_has_factor(st);
	page.note = note;
	page.wait = wait;
	if (page.passkey && (rc = idp_passkey_request(rq, user->id,
	    &page.webauthn_request)) != IDP_OK)
		return rc;
	return idp_page_factor(rq, rs, &page);
}

enum idp_err
idp_factor_ask(struct idp_req *rq, struct idp_resp *rs, struct idp_pending *p,
    const char *csrf, const struct idp_user *user, int64_t password_at,
    const char *amr, const struct idp_mfa_state *st, unsigned why)
{
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_login_set_factor(c, p->digest, user->id, password_at,
	    amr);
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_flow_trouble(rq, rs, p, IDP_TROUBLE_EXPIRED,
		    "The login page was used already.");
	if (rc != IDP_OK)
		return rc;
	idp_flow_audit(rq, "login.factor_asked", user->id, p->client ?
	    p->client->client_id : NULL, json_pack("{s:b, s:b, s:b, s:b, s:b}",
	    "person", (why & IDP_MFA_PERSON) != 0, "client",
	    (why & IDP_MFA_CLIENT) != 0, "organisation",
	    (why & IDP_MFA_ORG) != 0, "acr_values", (why & IDP_MFA_ACR) != 0,
	    "enrol", !idp_mfa_has_factor(st)));
	return show(rq, rs, p, csrf, user, st, IDP_FACTOR_NOTE_NONE, 0);
}

/* The step whose code was typed: a code accepted before, of this or the
 * neighbouring steps, is told apart from a wrong one, so the person
 * knows to wait for the next code. */
/* The step the code matches (-1: none, -2: taken by another request),
 * recorded when cred counts already; a plain key is sealed at its use. */
static enum idp_err
totp_step(struct idp_req *rq, long long user_id,
    const struct idp_credential *cred, bool parsed, uint32_t code,
    int64_t *step)
{
	struct idp_dbconn *c;
	enum idp_err rc;

	*step = parsed ? idp_totp_match(cred->totp_secret.data,
	    cred->totp_secret.len, rq->now, code, cred->totp_last_step) : -1;
	if (*step < 0 || cred->confirmed_at == 0)
		return IDP_OK;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_cred_mark_used(c, user_id, cred->id, *step);
	if (rc == IDP_ERR_CONFLICT) {
		*step = -2;
		return IDP_OK;
	}
	if (rc == IDP_OK)
		idp_totp_key_seal_used(rq->ctx->kek, c, cred);
	return rc;
}

enum idp_err
idp_factor_totp_begin(struct idp_req *rq, long long user_id,
    struct idp_throttle **t)
{
	*t = idp_arena_zalloc(rq->arena, sizeof(**t));
	(*t)->scope = IDP_THROTTLE_TOTP;
	(*t)->user_id = user_id;
	return idp_throttle_begin(rq, *t);
}

enum idp_err
idp_factor_totp_check(struct idp_req *rq, long long user_id,
    struct idp_credential *cred, const char *typed, struct idp_throttle *t,
    int64_t *accepted, enum idp_factor_note *note)
{
	uint32_t code = 0;
	bool parsed = idp_totp_parse(typed, &code) == 0, used;
	int64_t step;
	enum idp_err rc;

	*note = IDP_FACTOR_NOTE_NONE;
	if ((rc = totp_step(rq, user_id, cred, parsed, code, &step)) != IDP_OK)
		goto out;
	if (step >= 0) {
		if (accepted != NULL)
			*accepted = step;
		idp_flow_audit(rq, "mfa.totp_ok", user_id, NULL, json_pack(
		    "{s:o}", "throttle", idp_throttle_details(t)));
		rc = idp_throttle_succeeded(rq, NULL, t);
		goto out;
	}
	used = step == -2 || (parsed && idp_totp_match(cred->totp_secret.data,
	    cred->totp_secret.len, rq->now, code, -1) >= 0);
	*note = used ? IDP_FACTOR_USED_CODE : IDP_FACTOR_WRONG_CODE;
	if ((rc = idp_throttle_failed(rq, t)) != IDP_OK)
		goto out;
	idp_flow_audit(rq, "mfa.totp_refused", user_id, NULL, json_pack(
	    "{s:s, s:o}", "reason", !parsed ? "malformed" :
	    used ? "replay" : "wrong_code",
	    "throttle", idp_throttle_details(t)));
out:
	idp_wipe(cred->totp_secret.data, cred->totp_secret.len);
	return rc;
}

/* The person's confirmed TOTP factor, or NULL. */
static enum idp_err
totp_of(struct idp_req *rq, long long user_id, bool pending,
    struct idp_credential **out)
{
	struct idp_credential *list = NULL;
	struct idp_dbconn *c;
	enum idp_err rc;
	int n = 0;

	*out = NULL;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_cred_list_open(rq->ctx->kek, c, rq->arena, user_id,
	    IDP_CRED_TOTP, &list, &n)) != IDP_OK)
		return rc;
	for (int i = 0; i < n; i++)
		if ((list[i].confirmed_at == 0) == pending)
			*out = &list[i];
	return IDP_OK;
}

/* Sign the person in with the second factor method (RFC 8176) and finish
 * the login, or (finish false) leave it for "continue". */
static enum idp_err
complete(struct idp_req *rq, struct idp_resp *rs, struct factor *x,
    const char *method, bool finish)
{
	struct idp_sign_in in = { 0 };
	struct idp_session s;
	enum idp_err rc;

	in.user = x->user;
	in.auth_time = x->p.login->password_at;
	in.mfa_at = rq->now;
	in.amr = idp_mfa_amr(rq->arena, x->p.login->password_amr, method);
	in.acr = idp_mfa_acr(true);
	if ((rc = idp_flow_sign_in(rq, rs, &in, &s)) != IDP_OK)
		return rc;
	idp_flow_audit(rq, "login.success", x->user->id, x->p.client ?
	    x->p.client->client_id : NULL, json_pack("{s:s, s:s*, s:s}",
	    "sid", s.sid, "next", x->p.next, "amr", in.amr));
	IDP_INFO("login.success", " req=%s ip=%s user=%s amr=%s", rq->id,
	    rq->ip, x->user->sub, idp_logq(rq->arena, in.amr));
	if (!finish)
		return IDP_OK;
	if (x->p.client == NULL)
		return idp_flow_finish_local(rq, rs, &x->p);
	return idp_flow_finish(rq, rs, x->p.client, &x->p.authz, &s, &x->p,
	    false);
}

/* After the throttle allowed it: the code, and on success the sign-in,
 * written in one transaction (one commit) as the password's outcome is
 * (login.c). */
static enum idp_err
totp_sign_in(struct idp_req *rq, struct idp_resp *rs, void *arg)
{
	struct factor *x = arg;
	enum idp_factor_note note;
	enum idp_err rc;

	rc = idp_factor_totp_check(rq, x->user->id, x->totp, idp_req_form(rq,
	    "code"), x->throttle, NULL, &note);
	if (rc != IDP_OK)
		return rc;
	if (note != IDP_FACTOR_NOTE_NONE)
		return show(rq, rs, &x->p, NULL, x->user, &x->st, note, 0);
	return complete(rq, rs, x, "otp", true);
}

static enum idp_err
by_totp(struct idp_req *rq, struct idp_resp *rs, struct factor *x)
{
	enum idp_err rc;

	if ((rc = totp_of(rq, x->user->id, false, &x->totp)) != IDP_OK)
		return rc;
	if (x->totp == NULL)
		return show(rq, rs, &x->p, NULL, x->user, &x->st,
		    IDP_FACTOR_WRONG_CODE, 0);
	if ((rc = idp_factor_totp_begin(rq, x->user->id, &x->throttle))
	    != IDP_OK)
		return rc;
	if (!x->throttle->allowed) {
		idp_wipe(x->totp->totp_secret.data, x->totp->totp_secret.len);
		return show(rq, rs, &x->p, NULL, x->user, &x->st,
		    IDP_FACTOR_THROTTLED, x->throttle->wait);
	}
	return idp_reqdb_once(rq, rs, totp_sign_in, x);
}

/* A recovery code typed on the step, and the throttle that let it be
 * tried (by_recovery). */
struct recovery_try {
	struct factor *x;
	struct idp_throttle *t;
	const char *norm;	/* the parsed code, NULL when it did not parse */
};

/* After the throttle allowed it: the code's digest among the person's
 * unused ones, compared in constant time, used once
 * (idp_store_cred_mark_used), and the sign-in, in one transaction as for
 * an app's code: a code is never used up without the session it gave. */
static enum idp_err
recovery_sign_in(struct idp_req *rq, struct idp_resp *rs, void *arg)
{
	struct recovery_try *y = arg;
	struct factor *x = y->x;
	unsigned char d[IDP_SHA256_LEN];
	struct idp_credential *list = NULL;
	struct idp_dbconn *c;
	long long id = 0;
	int n = 0;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_store_cred_list(c, rq->arena, x->user->id,
	    IDP_CRED_RECOVERY_CODE, &list, &n)) != IDP_OK)
		return rc;
	if (y->norm != NULL) {
		idp_sha256(y->norm, strlen(y->norm), d);
		for (int i = 0; i < n; i++)
			if (list[i].used_at == 0 && idp_ct_eq(d, sizeof(d),
			    list[i].recovery_digest.data,
			    list[i].recovery_digest.len))
				id = list[i].id;
	}
	rc = id != 0 ? idp_store_cred_mark_used(c, x->user->id, id, 0) :
	    IDP_ERR_NOT_FOUND;
	if (rc != IDP_OK && rc != IDP_ERR_CONFLICT && rc != IDP_ERR_NOT_FOUND)
		return rc;
	if (rc != IDP_OK) {
		if ((rc = idp_throttle_failed(rq, y->t)) != IDP_OK)
			return rc;
		idp_flow_audit(rq, "mfa.recovery_refused", x->user->id, NULL,
		    json_pack("{s:o}", "throttle", idp_throttle_details(y->t)));
		return show(rq, rs, &x->p, NULL, x->user, &x->st,
		    IDP_FACTOR_WRONG_RECOVERY, 0);
	}
	if ((rc = idp_throttle_succeeded(rq, NULL, y->t)) != IDP_OK)
		return rc;
	idp_flow_audit(rq, "mfa.recovery_used", x->user->id, NULL, json_pack(
	    "{s:i}", "left", x->st.recovery_left - 1));
	return complete(rq, rs, x, "otp", true);
}

static enum idp_err
by_recovery(struct idp_req *rq, struct idp_resp *rs, struct factor *x)
{
	struct recovery_try y = { x, idp_arena_zalloc(rq->arena,
	    sizeof(*y.t)), NULL };
	char norm[IDP_RECOVERY_CHARS + 1];
	enum idp_err rc;

	if (idp_recovery_parse(idp_req_form(rq, "recovery_code"), norm) == 0)
		y.norm = norm;
	y.t->scope = IDP_THROTTLE_RECOVERY_CODE;
	y.t->user_id = x->user->id;
	if ((rc = idp_throttle_begin(rq, y.t)) != IDP_OK)
		goto out;
	if (!y.t->allowed)
		rc = show(rq, rs, &x->p, NULL, x->user, &x->st,
		    IDP_FACTOR_THROTTLED, y.t->wait);
	else
		rc = idp_reqdb_once(rq, rs, recovery_sign_in, &y);
out:
	idp_wipe(norm, sizeof(norm));
	return rc;
}

static enum idp_err
enrol(struct idp_req *rq, struct idp_resp *rs, struct factor *x)
{
	struct idp_totp_enrol_page page = { 0 };
	enum idp_err rc;

	if (idp_mfa_has_factor(&x->st))
		return show(rq, rs, &x->p, NULL, x->user, &x->st,
		    IDP_FACTOR_NOTE_NONE, 0);
	form_of(rq, &x->p, NULL, &page.f);
	if ((rc = idp_factor_enrol_start(rq, x->user, &page)) != IDP_OK)
		return rc;
	return idp_page_totp_enrol(rq, rs, &page);
}

static enum idp_err
enrol_confirm(struct idp_req *rq, struct idp_resp *rs, struct factor *x)
{
	struct idp_recovery_page rp = { 0 };
	struct idp_totp_enrol_page page = { 0 };
	const char *enrol_id = idp_req_form(rq, "enrol");
	char (*codes)[16] = idp_arena_zalloc(rq->arena,
	    IDP_RECOVERY_COUNT * sizeof(*codes));
	struct idp_credential *cred;
	enum idp_err rc;

	if (idp_mfa_has_factor(&x->st))
		return show(rq, rs, &x->p, NULL, x->user, &x->st,
		    IDP_FACTOR_NOTE_NONE, 0);
	rc = idp_factor_enrol_confirm(rq, x->user, enrol_id, idp_req_form(rq,
	    "code"), codes, &page.note, &page.wait);
	if (rc == IDP_ERR_NOT_FOUND)
		return enrol(rq, rs, x);
	if (rc != IDP_OK)
		return rc;
	if (page.note != IDP_FACTOR_NOTE_NONE) {
		if ((rc = totp_of(rq, x->user->id, true, &cred)) != IDP_OK)
			return rc;
		if (cred == NULL)
			return enrol(rq, rs, x);
		form_of(rq, &x->p, NULL, &page.f);
		page.enrol_id = enrol_id;
		page.secret = idp_base32_encode(rq->arena, cred->totp_secret.data,
		    cred->totp_secret.len);
		page.uri = idp_factor_otpauth_uri(rq, x->user, page.secret);
		return idp_page_totp_enrol(rq, rs, &page);
	}
	if ((rc = complete(rq, rs, x, "otp", false)) != IDP_OK)
		return rc;
	form_of(rq, &x->p, NULL, &rp.f);
	rp.codes = codes;
	rp.ncodes = IDP_RECOVERY_COUNT;
	rp.signin = true;
	return idp_page_recovery_codes(rq, rs, &rp);
}

/* After the recovery codes of a new factor: the session made then
 * finishes the login. */
static enum idp_err
go_on(struct idp_req *rq, struct idp_resp *rs, struct factor *x)
{
	struct idp_session *s = NULL;
	enum idp_err rc;

	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s == NULL || s->user.id != x->user->id ||
	    !idp_session_second_factor(s, NULL))
		return show(rq, rs, &x->p, NULL, x->user, &x->st,
		    IDP_FACTOR_NOTE_NONE, 0);
	if (x->p.client == NULL)
		return idp_flow_finish_local(rq, rs, &x->p);
	return idp_flow_finish(rq, rs, x->p.client, &x->p.authz, s, &x->p,
	    false);
}

static enum idp_err
by_passkey(struct idp_req *rq, struct idp_resp *rs, struct factor *x)
{
	bool ok = false;
	enum idp_err rc;

	if ((rc = idp_passkey_verify_login(rq, x->user->id, &ok)) != IDP_OK)
		return rc;
	if (!ok)
		return show(rq, rs, &x->p, NULL, x->user, &x->st,
		    IDP_FACTOR_PASSKEY_FAILED, 0);
	return complete(rq, rs, x, "hwk", true);
}

enum idp_err
idp_login_factor_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct factor *x = idp_arena_zalloc(rq->arena, sizeof(*x));
	const char *action = idp_req_form(rq, "action");
	struct idp_dbconn *c;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The form must be posted as a form.");
	rc = idp_flow_load_pending(rq, rs, IDP_PENDING_CSRF, &x->p);
	if (rc != IDP_OK)
		return rs->status ? IDP_OK : rc;
	if (x->p.login->factor_user_id == 0)
		return idp_flow_trouble(rq, rs, &x->p, IDP_TROUBLE_EXPIRED,
		    "No password was checked on this login page.");
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_store_user_by_id(c, rq->arena,
	    x->p.login->factor_user_id, &x->user)) != IDP_OK ||
	    (rc = idp_store_mfa_state(c, x->user->id, &x->st)) != IDP_OK)
		return rc;
	if (x->user->disabled)
		return idp_flow_trouble(rq, rs, &x->p, IDP_TROUBLE_EXPIRED,
		    "The account is disabled.");
	rq->log_client = x->p.client ? x->p.client->client_id : NULL;
	if (action == NULL)
		action = "";
	if (!strcmp(action, "totp"))
		return by_totp(rq, rs, x);
	if (!strcmp(action, "recovery"))
		return by_recovery(rq, rs, x);
	if (!strcmp(action, "passkey"))
		return by_passkey(rq, rs, x);
	if (!strcmp(action, "enrol"))
		return enrol(rq, rs, x);
	if (!strcmp(action, "enrol_confirm"))
		return enrol_confirm(rq, rs, x);
	if (!strcmp(action, "continue"))
		return go_on(rq, rs, x);
	return show(rq, rs, &x->p, NULL, x->user, &x->st,
	    IDP_FACTOR_NOTE_NONE, 0);
}

/* The person's second factors on /account/mfa: set up an authenticator
 * app (QR code, first code, recovery codes shown once), add a passkey,
 * make new recovery codes, remove a factor. A person who has a factor
 * changes factors only from a session that used one (else the browser is
 * sent through /login for the second step first); removing asks first,
 * and the last factor of a person whose organisation requires one stays.
 * Every change is audited and mailed to the person's address. */
#include <string.h>

#include "core/ctx.h"
#include "core/mfa.h"
#include "core/reqdb.h"
#include "core/totpkey.h"
#include "crypto/totp.h"
#include "endpoint/endpoints.h"
#include "endpoint/factor.h"
#include "endpoint/flow.h"
#include "endpoint/passkey.h"
#include "http/response.h"
#include "page/form.h"
#include "page/page.h"
#include "page/trouble.h"
#include "store/credential.h"
#include "store/outbox.h"
#include "util/str.h"

#define CSRF_MFA "mfa"
#define SELF "/account/mfa"
#define STEP_UP "/login?next=%2Faccount%2Fmfa"

struct acct {
	struct idp_session *s;
	struct idp_mfa_state st;
	struct idp_credential *creds;
	int ncreds;
};

static enum idp_err
load(struct idp_req *rq, struct acct *x)
{
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_store_mfa_state(c, x->s->user.id, &x->st)) != IDP_OK)
		return rc;
	return idp_store_cred_list(c, rq->arena, x->s->user.id, IDP_CRED_ANY,
	    &x->creds, &x->ncreds);
}

static enum idp_err
show(struct idp_req *rq, struct idp_resp *rs, struct acct *x)
{
	struct idp_mfa_account_page page = { 0 };
	struct idp_credential *keys = idp_arena_zalloc(rq->arena,
	    sizeof(*keys) * (size_t)(x->ncreds + 1));
	enum idp_err rc;

	for (int i = 0; i < x->ncreds; i++) {
		if (x->creds[i].confirmed_at == 0)
			continue;
		if (x->creds[i].kind == IDP_CRED_TOTP)
			page.totp = &x->creds[i];
		else if (x->creds[i].kind == IDP_CRED_WEBAUTHN)
			keys[page.npasskeys++] = x->creds[i];
	}
	page.passkeys = keys;
	page.recovery_left = x->st.recovery_left;
	page.org_requires = x->st.org_requires;
	page.csrf = idp_flow_session_csrf(rq, CSRF_MFA);
	if ((rc = idp_passkey_create_options(rq, &x->s->user,
	    &page.webauthn_create)) != IDP_OK)
		return rc;
	return idp_page_mfa_account(rq, rs, &page);
}

/* A person who has a factor proves it before changing factors. */
static bool
must_step_up(const struct acct *x)
{
	return idp_mfa_has_factor(&x->st) &&
	    !idp_session_second_factor(x->s, NULL);
}

static enum idp_err
enrol(struct idp_req *rq, struct idp_resp *rs, struct acct *x)
{
	struct idp_totp_enrol_page page = { 0 };
	enum idp_err rc;

	page.f.action = SELF;
	page.f.csrf = idp_flow_session_csrf(rq, CSRF_MFA);
	rc = idp_factor_enrol_start(rq, &x->s->user, &page);
	if (rc == IDP_ERR_CONFLICT) {
		idp_page_see_other(rq, rs, SELF, NULL);
		return IDP_OK;
	}
	return rc != IDP_OK ? rc : idp_page_totp_enrol(rq, rs, &page);
}

/* The session goes on with the factor just proved (a fresh session id,
 * the same password time). */
static enum idp_err
upgrade(struct idp_req *rq, struct idp_resp *rs, struct acct *x,
    const char *method)
{
	struct idp_sign_in in = { 0 };
	struct idp_session s;

	in.user = &x->s->user;
	in.auth_time = x->s->auth_time;
	in.mfa_at = rq->now;
	in.amr = idp_mfa_amr(rq->arena, x->s->amr, method);
	in.acr = idp_mfa_acr(true);
	return idp_flow_sign_in(rq, rs, &in, &s);
}

static enum idp_err
enrol_confirm(struct idp_req *rq, struct idp_resp *rs, struct acct *x)
{
	struct idp_totp_enrol_page page = { 0 };
	struct idp_recovery_page rp = { 0 };
	const char *enrol_id = idp_req_form(rq, "enrol");
	char (*codes)[16] = idp_arena_zalloc(rq->arena,
	    IDP_RECOVERY_COUNT * sizeof(*codes));
	enum idp_err rc;

	rc = idp_factor_enrol_confirm(rq, &x->s->user, enrol_id,
	    idp_req_form(rq, "code"), codes, &page.note, &page.wait);
	if (rc == IDP_ERR_NOT_FOUND)
		return enrol(rq, rs, x);
	if (rc != IDP_OK)
		return rc;
	if (page.note != IDP_FACTOR_NOTE_NONE) {
		for (int i = 0; i < x->ncreds; i++) {
			struct idp_credential *k = &x->creds[i];

			if (k->kind != IDP_CRED_TOTP || k->confirmed_at != 0 ||
			    !idp_str_eq(idp_arena_printf(rq->arena, "%lld",
			    k->id), enrol_id))
				continue;
			if ((rc = idp_totp_key_open(rq->ctx->kek, rq->arena,
			    k)) != IDP_OK)
				return rc;
			page.f.action = SELF;
			page.f.csrf = idp_flow_session_csrf(rq, CSRF_MFA);
			page.enrol_id = enrol_id;
			page.secret = idp_base32_encode(rq->arena,
			    k->totp_secret.data, k->totp_secret.len);
			page.uri = idp_factor_otpauth_uri(rq, &x->s->user,
			    page.secret);
			return idp_page_totp_enrol(rq, rs, &page);
		}
		return enrol(rq, rs, x);
	}
	if ((rc = upgrade(rq, rs, x, "otp")) != IDP_OK)
		return rc;
	rp.codes = codes;
	rp.ncodes = IDP_RECOVERY_COUNT;
	return idp_page_recovery_codes(rq, rs, &rp);
}

static enum idp_err
recovery_new(struct idp_req *rq, struct idp_resp *rs, struct acct *x)
{
	struct idp_recovery_page rp = { 0 };
	char (*codes)[16] = idp_arena_zalloc(rq->arena,
	    IDP_RECOVERY_COUNT * sizeof(*codes));
	struct idp_dbconn *c;
	enum idp_err rc;

	if (!idp_mfa_has_factor(&x->st)) {
		idp_page_see_other(rq, rs, SELF, NULL);
		return IDP_OK;
	}
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	if ((rc = idp_factor_recovery_new(c, x->s->user.id, codes)) != IDP_OK ||
	    (rc = idp_db_commit(c)) != IDP_OK) {
		idp_db_rollback(c);
		return rc;
	}
	idp_flow_audit(rq, "mfa.recovery_renewed", x->s->user.id, NULL, NULL);
	rp.codes = codes;
	rp.ncodes = IDP_RECOVERY_COUNT;
	return idp_page_recovery_codes(rq, rs, &rp);
}

static enum idp_err
remove_factor(struct idp_req *rq, struct idp_resp *rs, struct acct *x,
    const char *action, enum idp_cred_kind kind)
{
	int64_t id = 0;
	struct idp_dbconn *c;
	int left;
	enum idp_err rc;

	if (idp_parse_i64(idp_req_form(rq, "id"), 1, INT64_MAX, &id) != 0)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "id must name a factor.");
	left = x->st.totp + x->st.passkeys - 1;
	if (left == 0 && x->st.org_requires) {
		idp_page_see_other(rq, rs, SELF, "org_requires");
		return IDP_OK;
	}
	if (!idp_form_confirmed(rq))
		return idp_page_mfa_remove(rq, rs, idp_flow_session_csrf(rq,
		    CSRF_MFA), action, id);
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_cred_remove(c, x->s->user.id, kind, id);
	if (rc == IDP_ERR_NOT_FOUND) {
		idp_page_see_other(rq, rs, SELF, NULL);
		return IDP_OK;
	}
	if (rc != IDP_OK)
		return rc;
	/* Recovery codes stand in for a factor; without one they go. */
	if (left == 0 && (rc = idp_store_cred_remove(c, x->s->user.id,
	    IDP_CRED_RECOVERY_CODE, 0)) != IDP_OK && rc != IDP_ERR_NOT_FOUND)
		return rc;
	idp_factor_changed(rq, &x->s->user, kind == IDP_CRED_TOTP ?
	    "mfa.totp_removed" : "mfa.passkey_removed", false, json_pack(
	    "{s:I, s:i}", "credential", (json_int_t)id, "factors_left",
	    left));
	idp_page_see_other(rq, rs, SELF, "factor_removed");
	return IDP_OK;
}

static enum idp_err
add_passkey(struct idp_req *rq, struct idp_resp *rs, struct acct *x)
{
	bool ok = false;
	enum idp_err rc;

	if ((rc = idp_passkey_register(rq, &x->s->user, &ok)) != IDP_OK)
		return rc;
	if (ok)
		idp_factor_changed(rq, &x->s->user, "mfa.passkey_added", true,
		    NULL);
	/* The first factor: the ceremony just proved it, as a first code
	 * does for an app. */
	if (ok && !idp_session_second_factor(x->s, NULL) &&
	    (rc = upgrade(rq, rs, x, "hwk")) != IDP_OK)
		return rc;
	idp_page_see_other(rq, rs, SELF, ok ? "passkey_added" :
	    "passkey_failed");
	return IDP_OK;
}

static enum idp_err
bad_form(struct idp_req *rq, struct idp_resp *rs, bool signed_out)
{
	struct idp_trouble t = { 0 };

	t.kind = signed_out ? IDP_TROUBLE_SESSION_ENDED : IDP_TROUBLE_BAD_FORM;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "The two-step verification form is not valid.";
	t.retry = signed_out ? STEP_UP : SELF;
	return idp_page_trouble(rq, rs, &t);
}

enum idp_err
idp_account_mfa_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct acct *x = idp_arena_zalloc(rq->arena, sizeof(*x));
	const char *action;
	enum idp_err rc;

	if ((rc = idp_flow_session(rq, &x->s)) != IDP_OK)
		return rc;
	if (x->s == NULL && rq->method != IDP_POST) {
		idp_page_see_other(rq, rs, STEP_UP, NULL);
		return IDP_OK;
	}
	if (x->s == NULL)
		return bad_form(rq, rs, true);
	if (rq->method == IDP_POST && (!rq->has_form ||
	    !idp_flow_session_csrf_ok(rq, CSRF_MFA)))
		return bad_form(rq, rs, false);
	if ((rc = load(rq, x)) != IDP_OK)
		return rc;
	if (must_step_up(x)) {
		idp_page_see_other(rq, rs, STEP_UP, NULL);
		return IDP_OK;
	}
	if (rq->method != IDP_POST)
		return show(rq, rs, x);
	action = idp_req_form(rq, "action");
	if (action == NULL)
		return bad_form(rq, rs, false);
	if (!strcmp(action, "enrol"))
		return enrol(rq, rs, x);
	if (!strcmp(action, "enrol_confirm"))
		return enrol_confirm(rq, rs, x);
	if (!strcmp(action, "recovery_new"))
		return recovery_new(rq, rs, x);
	if (!strcmp(action, "remove_totp"))
		return remove_factor(rq, rs, x, action, IDP_CRED_TOTP);
	if (!strcmp(action, "remove_passkey"))
		return remove_factor(rq, rs, x, action, IDP_CRED_WEBAUTHN);
	if (!strcmp(action, "add_passkey"))
		return add_passkey(rq, rs, x);
	return bad_form(rq, rs, false);
}

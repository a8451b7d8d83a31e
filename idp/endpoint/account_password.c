/* Changing the password on /account/password: the current password, the
 * new one twice. The current password is checked and the new one hashed
 * on a hashing thread, like a sign-in; wrong current passwords count in
 * the sign-in throttle of the account (core/throttle.h). On success the other sessions end
 * (unless the person keeps them) with the grants issued through them, an
 * audit event is written and a notification mailed through the outbox. */
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/reqdb.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/password.h"
#include "http/response.h"
#include "page/form.h"
#include "page/page.h"
#include "page/trouble.h"
#include "store/credential.h"
#include "store/session.h"
#include "util/log.h"

#define CSRF_PASSWORD "password"

static enum idp_err
form(struct idp_req *rq, struct idp_resp *rs, const struct idp_session *s,
    const struct idp_newpw_note *note)
{
	return idp_page_password_change(rq, rs, idp_flow_session_csrf(rq,
	    CSRF_PASSWORD), s->user.username, note);
}

static enum idp_err
changed(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_pw_job *j = rq->async_arg;
	struct idp_newpw_note note = { 0 };
	struct idp_password_set set = { 0 };
	struct idp_session s = { 0 };
	struct idp_dbconn *c;
	enum idp_err rc;

	s.user = *j->user;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	if (!j->current_ok) {
		if ((rc = idp_throttle_failed(rq, &j->throttle)) != IDP_OK)
			return rc;
		idp_flow_audit(rq, "password.change_refused", j->user->id, NULL,
		    json_pack("{s:s, s:o}", "reason", "wrong_password",
		    "throttle", idp_throttle_details(&j->throttle)));
		note.current_wrong = true;
		return form(rq, rs, &s, &note);
	}
	if (!j->hashed)
		return IDP_ERR_INTERNAL;
	set.user = j->user;
	set.hash = j->hash;
	set.event = "password.changed";
	set.mail = IDP_MAIL_PASSWORD_CHANGED;
	if (!j->keep_sessions) {
		set.end.user_id = j->user->id;
		set.end.scope = IDP_END_OTHERS;
		set.end.session_id = j->session_id;
		set.end.grants = IDP_GRANTS_OF_SESSIONS;
		set.end.reason = "password_change";
	}
	if ((rc = idp_password_commit(rq, &set)) != IDP_OK)
		return rc;
	if (idp_throttle_succeeded(rq, NULL, &j->throttle) != IDP_OK)
		IDP_WARN("throttle.lost", " req=%s msg=\"the good password was "
		    "not given back\"", rq->id);
	idp_page_see_other(rq, rs, "/account", "password_changed");
	return IDP_OK;
}

static enum idp_err
change(struct idp_req *rq, struct idp_resp *rs, struct idp_session *s)
{
	const char *cur = idp_req_form(rq, "current_password");
	const char *keep = idp_req_form(rq, "keep_sessions");
	struct idp_newpw_note note = { 0 };
	struct idp_pw_job *j;
	struct idp_dbconn *c;
	char *hash = NULL;
	long long cred_id = 0;
	enum idp_err rc;

	if (cur == NULL || *cur == '\0' || strlen(cur) > IDP_PASSWORD_MAX) {
		note.current_wrong = true;
		return form(rq, rs, s, &note);
	}
	if (!idp_password_acceptable(rq, &s->user, &note))
		return form(rq, rs, s, &note);
	j = idp_password_job(rq, &s->user, cur, idp_req_form(rq,
	    "new_password"));
	j->throttle.scope = IDP_THROTTLE_LOGIN;
	j->throttle.user_id = s->user.id;
	if ((rc = idp_throttle_begin(rq, &j->throttle)) != IDP_OK)
		return rc;
	if (!j->throttle.allowed) {
		note.throttled = true;
		return form(rq, rs, s, &note);
	}
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_password_get(c, rq->arena, s->user.id, &hash, &cred_id);
	if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND)
		return rc;
	j->current_hash = hash;
	j->keep_sessions = keep != NULL && strcmp(keep, "yes") == 0;
	j->session_id = s->id;
	idp_reqdb_release(rq);
	rq->async_run = idp_password_job_run;
	rq->async_arg = j;
	rq->cont = changed;
	rs->suspend = true;
	return IDP_OK;
}

enum idp_err
idp_account_password_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_session *s = NULL;
	struct idp_trouble t = { 0 };
	enum idp_err rc;

	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s == NULL && rq->method != IDP_POST) {
		idp_page_see_other(rq, rs, "/login?next=%2Faccount%2Fpassword",
		    NULL);
		return IDP_OK;
	}
	if (s == NULL || (rq->method == IDP_POST && (!rq->has_form ||
	    !idp_flow_session_csrf_ok(rq, CSRF_PASSWORD)))) {
		t.kind = s == NULL ? IDP_TROUBLE_SESSION_ENDED :
		    IDP_TROUBLE_BAD_FORM;
		t.err = IDP_ERR_INVALID_REQUEST;
		t.detail = "The password form is not valid.";
		t.retry = s == NULL ? "/login?next=%2Faccount%2Fpassword" :
		    "/account/password";
		return idp_page_trouble(rq, rs, &t);
	}
	if (rq->method != IDP_POST)
		return form(rq, rs, s, NULL);
	return change(rq, rs, s);
}

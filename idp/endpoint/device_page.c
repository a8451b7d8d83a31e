/* /device, the verification URI of the device grant (RFC 8628 §3.3): the
 * person signs in first (/login?next=...), types the code the device
 * shows, or arrives with it from verification_uri_complete, sees which
 * service asks, for what, and the code to compare with the device's
 * screen (§3.3.1, §5.4), and approves or denies. The person who enters a
 * code first holds it: nobody else can decide it. Wrong codes are counted
 * per person and per source address (§5.1; docs/security.md), and past
 * the limit the form refuses further tries for the window. */
#include <string.h>

#include "core/clients.h"
#include "core/ctx.h"
#include "core/reqdb.h"
#include "core/throttle.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/pages_device.h"
#include "http/response.h"
#include "oidc/device.h"
#include "oidc/scope.h"
#include "page/form.h"
#include "page/page.h"
#include "page/trouble.h"
#include "store/consent.h"
#include "store/device.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"

#define CSRF_DEVICE "device"

static enum idp_err
entry_wait(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_session *s, const char *typed,
    enum idp_device_note note, int wait)
{
	struct idp_device_entry_page p = { 0 };

	p.user = &s->user;
	p.typed = typed;
	p.note = note;
	p.wait = wait;
	p.csrf_token = idp_flow_session_csrf(rq, CSRF_DEVICE);
	if (note == IDP_DEVICE_NOTE_THROTTLED)
		idp_resp_header(rs, "Retry-After", idp_arena_printf(rq->arena,
		    "%d", wait > 0 ? wait : 1));
	return idp_page_device_entry(rq, rs, &p,
	    note == IDP_DEVICE_NOTE_THROTTLED ? 429 : 200);
}

static enum idp_err
entry(struct idp_req *rq, struct idp_resp *rs, const struct idp_session *s,
    const char *typed, enum idp_device_note note)
{
	return entry_wait(rq, rs, s, typed, note, 0);
}

static enum idp_err
bad_form(struct idp_req *rq, struct idp_resp *rs, enum idp_trouble_kind kind)
{
	struct idp_trouble t = { 0 };

	t.kind = kind;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "The device form is not valid.";
	t.retry = kind == IDP_TROUBLE_SESSION_ENDED ?
	    "/login?next=%2Fdevice" : "/device";
	return idp_page_trouble(rq, rs, &t);
}

/* Signed out: sign in, then back here with the code the link carried. */
static enum idp_err
to_login(struct idp_req *rq, struct idp_resp *rs, const char *typed)
{
	struct idp_buf next, b;

	idp_buf_init(&next, rq->arena, 512);
	idp_buf_adds(&next, "/device");
	if (typed != NULL && strlen(typed) <= IDP_USER_CODE_INPUT_MAX) {
		idp_buf_adds(&next, "?user_code=");
		idp_buf_add_urlenc(&next, typed);
	}
	idp_buf_init(&b, rq->arena, 2048);
	idp_buf_adds(&b, "/login?next=");
	idp_buf_add_urlenc(&b, next.overflow ? "/device" : next.data);
	idp_page_see_other(rq, rs, b.overflow ? "/login?next=%2Fdevice" :
	    b.data, NULL);
	return IDP_OK;
}

static enum idp_err
confirm(struct idp_req *rq, struct idp_resp *rs, const struct idp_session *s,
    const struct idp_user_code *code, const struct idp_device_seen *seen)
{
	struct idp_device_confirm_page p = { 0 };
	const struct idp_client *c = NULL;
	char shown[10], **scopes;
	size_t n;
	enum idp_err rc;

	rc = idp_clients_get(rq, seen->client_id, &c);
	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK && !c->enabled))
		return entry(rq, rs, s, NULL, IDP_DEVICE_NOTE_EXPIRED);
	if (rc != IDP_OK)
		return rc;
	if (idp_scope_parse(rq->arena, seen->scope, &scopes, &n) != IDP_OK)
		return IDP_ERR_INTERNAL;
	p.scopes = scopes;
	idp_user_code_format(code, shown);
	p.client = c;
	p.user = &s->user;
	p.shown = shown;
	p.code = code->c;
	p.expires_at = seen->expires_at;
	p.csrf_token = idp_flow_session_csrf(rq, CSRF_DEVICE);
	rq->log_client = c->client_id;
	return idp_page_device_confirm(rq, rs, &p);
}

/* A code typed (or carried by the link): the question, or the form again
 * saying what is wrong. */
static enum idp_err
look_up(struct idp_req *rq, struct idp_resp *rs, const struct idp_session *s,
    const char *typed)
{
	struct idp_user_code code;
	struct idp_device_seen *seen = NULL;
	struct idp_throttle *t;
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *db;
	enum idp_err rc;

	switch (idp_user_code_parse(typed, &code)) {
	case IDP_USER_CODE_EMPTY:
		return entry(rq, rs, s, typed, IDP_DEVICE_NOTE_EMPTY);
	case IDP_USER_CODE_MALFORMED:
		return entry(rq, rs, s, strlen(typed) <= 16 ? typed : NULL,
		    IDP_DEVICE_NOTE_MALFORMED);
	case IDP_USER_CODE_OK:
		break;
	}
	/* RFC 8628 §5.1: guessing is slowed by the sign-in defence, per
	 * person (their own browser counted on its device cookie) and per
	 * address; the lookup waits until the rules allow it. */
	t = idp_arena_zalloc(rq->arena, sizeof(*t));
	t->scope = IDP_THROTTLE_USER_CODE;
	t->user_id = s->user.id;
	if ((rc = idp_throttle_begin(rq, t)) != IDP_OK)
		return rc;
	if (!t->allowed)
		return entry_wait(rq, rs, s, NULL, IDP_DEVICE_NOTE_THROTTLED,
		    t->wait);
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_sha256_str(code.c, d);
	rc = idp_store_device_claim(db, rq->arena, d, s->user.id, &seen);
	if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND)
		return rc;
	/* The person's own code, in any state, is no guess. */
	if (rc == IDP_OK && seen->mine &&
	    (rc = idp_throttle_succeeded(rq, NULL, t)) != IDP_OK)
		return rc;
	if (seen != NULL && seen->mine && !seen->expired &&
	    !strcmp(seen->status, "pending"))
		return confirm(rq, rs, s, &code, seen);
	/* A code of someone else's, or none: a guess as far as we know. */
	if (seen == NULL || !seen->mine) {
		IDP_WARN("device.user_code_wrong", " req=%s user=%s ip=%s",
		    rq->id, s->user.sub, rq->ip);
		if ((rc = idp_throttle_failed(rq, t)) != IDP_OK)
			return rc;
	}
	return entry(rq, rs, s, typed, seen != NULL && (seen->mine ||
	    seen->expired) ? IDP_DEVICE_NOTE_EXPIRED : IDP_DEVICE_NOTE_UNKNOWN);
}

/* Approving a third-party service's request is the person's consent to
 * its scopes, remembered as /consent does (withdrawn on /account). */
static enum idp_err
remember_consent(struct idp_req *rq, struct idp_dbconn *db,
    const struct idp_session *s, const char *client_id, const char *scope)
{
	const struct idp_client *c = NULL;
	enum idp_err rc = idp_clients_get(rq, client_id, &c);

	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK && c->first_party))
		return IDP_OK;
	if (rc != IDP_OK ||
	    (rc = idp_store_consent_put(db, s->user.id, client_id, scope))
	    != IDP_OK)
		return rc;
	idp_flow_audit(rq, "consent.granted", s->user.id, client_id,
	    json_pack("{s:s}", "scope", scope));
	return IDP_OK;
}

/* Approve or deny (POST, decision=...); post/redirect/get. */
static enum idp_err
decide(struct idp_req *rq, struct idp_resp *rs, const struct idp_session *s,
    const char *decision)
{
	struct idp_device_decision dd = { 0 };
	struct idp_user_code code;
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *db;
	char *client_id = NULL, *scope = NULL;
	bool approve = !strcmp(decision, "approve");
	enum idp_err rc;

	if ((!approve && strcmp(decision, "deny") != 0) ||
	    idp_user_code_parse(idp_req_form(rq, "user_code"), &code) !=
	    IDP_USER_CODE_OK)
		return bad_form(rq, rs, IDP_TROUBLE_BAD_FORM);
	idp_sha256_str(code.c, d);
	dd.user_digest = d;
	dd.user_id = s->user.id;
	dd.approve = approve;
	dd.session_id = s->id;
	dd.auth_time = s->auth_time;
	dd.acr = s->acr;
	dd.amr = s->amr;
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	rc = idp_store_device_decide(db, rq->arena, &dd, &client_id, &scope);
	if (rc == IDP_ERR_NOT_FOUND)
		return entry(rq, rs, s, NULL, IDP_DEVICE_NOTE_EXPIRED);
	if (rc != IDP_OK)
		return rc;
	rq->log_client = client_id;
	idp_flow_audit(rq, approve ? "device.approved" : "device.denied",
	    s->user.id, client_id, json_pack("{s:s}", "scope", scope));
	if (approve && (rc = remember_consent(rq, db, s, client_id, scope))
	    != IDP_OK)
		return rc;
	idp_page_see_other(rq, rs, "/device", approve ? "device_approved" :
	    "device_denied");
	return IDP_OK;
}

enum idp_err
idp_device_page_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_session *s = NULL;
	const char *decision;
	enum idp_err rc;

	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (rq->method != IDP_POST) {
		if (s == NULL)
			return to_login(rq, rs, idp_req_query(rq, "user_code"));
		if (idp_req_query(rq, "user_code") == NULL)
			return entry(rq, rs, s, NULL, IDP_DEVICE_NOTE_NONE);
		return look_up(rq, rs, s, idp_req_query(rq, "user_code"));
	}
	if (s == NULL)
		return bad_form(rq, rs, IDP_TROUBLE_SESSION_ENDED);
	if (!rq->has_form || !idp_flow_session_csrf_ok(rq, CSRF_DEVICE))
		return bad_form(rq, rs, IDP_TROUBLE_BAD_FORM);
	decision = idp_req_form(rq, "decision");
	if (decision != NULL)
		return decide(rq, rs, s, decision);
	return look_up(rq, rs, s, idp_req_form(rq, "user_code"));
}

/* The person's sessions (GET /account/sessions) and ending one of them or
 * every other one (POST, asked first, then confirmed). Ending goes through
 * idp_session_end, which revokes the grants issued through those sessions
 * too: a phone that was lost stops reaching the services at once. */
#include <string.h>

#include "core/ctx.h"
#include "core/reqdb.h"
#include "core/session_end.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/pages_password.h"
#include "http/response.h"
#include "page/form.h"
#include "page/page.h"
#include "page/trouble.h"
#include "util/log.h"
#include "util/str.h"

#define CSRF_SESSIONS "sessions"

static enum idp_err
bad(struct idp_req *rq, struct idp_resp *rs, bool ended)
{
	struct idp_trouble t = { 0 };

	t.kind = ended ? IDP_TROUBLE_SESSION_ENDED : IDP_TROUBLE_BAD_FORM;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "The sessions form is not valid.";
	t.retry = ended ? "/login?next=%2Faccount%2Fsessions" :
	    "/account/sessions";
	return idp_page_trouble(rq, rs, &t);
}

static enum idp_err
list(struct idp_req *rq, struct idp_resp *rs, const struct idp_session *s,
    struct idp_session_row **rows, int *n)
{
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	(void)rs;
	return idp_store_sessions_of(c, rq->arena, s->user.id, rows, n);
}

static enum idp_err
end(struct idp_req *rq, struct idp_resp *rs, const struct idp_session *s,
    const struct idp_session_row *rows, int n)
{
	const char *action = idp_req_form(rq, "action");
	const char *which = idp_req_form(rq, "session");
	const struct idp_session_row *one = NULL;
	struct idp_session_end e = { 0 };
	struct idp_dbconn *c;
	int64_t id = 0;
	enum idp_err rc;

	if (action == NULL || (strcmp(action, "end") != 0 &&
	    strcmp(action, "end_others") != 0))
		return bad(rq, rs, false);
	if (!strcmp(action, "end")) {
		if (which == NULL || idp_parse_i64(which, 1, INT64_MAX, &id))
			return bad(rq, rs, false);
		for (int i = 0; i < n; i++)
			if (rows[i].id == id && id != s->id)
				one = &rows[i];
		if (one == NULL) {	/* ended meanwhile, or not theirs */
			idp_page_see_other(rq, rs, "/account/sessions", NULL);
			return IDP_OK;
		}
	}
	if (!idp_form_confirmed(rq))
		return idp_page_sessions_confirm(rq, rs,
		    idp_flow_session_csrf(rq, CSRF_SESSIONS), one);
	e.user_id = s->user.id;
	e.scope = one ? IDP_END_ONE : IDP_END_OTHERS;
	e.session_id = one ? one->id : s->id;
	e.grants = IDP_GRANTS_OF_SESSIONS;
	e.reason = "account";
	e.request_id = rq->id;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_session_end(c, &e)) != IDP_OK)
		return rc;
	idp_flow_audit(rq, one ? "session.ended" : "session.ended_others",
	    s->user.id, NULL, json_pack("{s:i, s:i, s:s*}", "sessions",
	    e.sessions, "grants_revoked", e.revoked, "sid", one ? one->sid :
	    NULL));
	idp_page_see_other(rq, rs, "/account/sessions", one ?
	    "session_ended" : "sessions_ended");
	return IDP_OK;
}

enum idp_err
idp_account_sessions_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_sessions_page page = { 0 };
	struct idp_session_row *rows = NULL;
	struct idp_session *s = NULL;
	int n = 0;
	enum idp_err rc;

	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s == NULL && rq->method != IDP_POST) {
		idp_page_see_other(rq, rs, "/login?next=%2Faccount%2Fsessions",
		    NULL);
		return IDP_OK;
	}
	if (s == NULL)
		return bad(rq, rs, true);
	if (rq->method == IDP_POST && (!rq->has_form ||
	    !idp_flow_session_csrf_ok(rq, CSRF_SESSIONS)))
		return bad(rq, rs, false);
	if ((rc = list(rq, rs, s, &rows, &n)) != IDP_OK)
		return rc;
	if (rq->method == IDP_POST)
		return end(rq, rs, s, rows, n);
	page.rows = rows;
	page.n = n;
	page.current = s->id;
	page.csrf = idp_flow_session_csrf(rq, CSRF_SESSIONS);
	return idp_page_sessions(rq, rs, &page);
}

/* The person's own page (GET /account): who is signed in, the third-party
 * clients they allowed, and a way to withdraw each consent (POST
 * /account, asked first, then confirmed) — its refresh and access tokens
 * stop working with it. Opened while signed out, it sends the browser to
 * sign in first and back here after. */
#include <string.h>

#include "core/clients.h"
#include "core/ctx.h"
#include "core/reqdb.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/pages.h"
#include "http/response.h"
#include "page/form.h"
#include "page/page.h"
#include "page/trouble.h"
#include "oidc/scope.h"
#include "store/consent.h"
#include "util/log.h"

#define CSRF_ACCOUNT "account"
#define CSRF_LOGOUT "logout"

static enum idp_err
show(struct idp_req *rq, struct idp_resp *rs, struct idp_session *s)
{
	struct idp_account_page page = { 0 };
	struct idp_account_consent *list;
	struct idp_consent *cs = NULL;
	struct idp_dbconn *c;
	enum idp_err rc;
	int n = 0;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_store_consent_list(c, rq->arena, s->user.id, &cs, &n))
	    != IDP_OK)
		return rc;
	list = idp_arena_zalloc(rq->arena, sizeof(*list) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		const struct idp_client *cl = NULL;
		char **scopes = NULL;
		size_t k;

		list[i].client_id = cs[i].client_id;
		list[i].client_name = cs[i].client_id;
		if (idp_clients_get(rq, cs[i].client_id, &cl) == IDP_OK)
			list[i].client_name = cl->name;
		if (*cs[i].scopes != '\0' && idp_scope_parse(rq->arena,
		    cs[i].scopes, &scopes, &k) == IDP_OK)
			list[i].scopes = scopes;
	}
	page.user = &s->user;
	page.auth_time = s->auth_time;
	page.consents = list;
	page.nconsents = (size_t)n;
	page.csrf_account = idp_flow_session_csrf(rq, CSRF_ACCOUNT);
	page.csrf_logout = idp_flow_session_csrf(rq, CSRF_LOGOUT);
	return idp_page_account(rq, rs, &page);
}

/* The question before a consent is withdrawn, naming the application. */
static enum idp_err
ask_withdraw(struct idp_req *rq, struct idp_resp *rs, const char *client_id)
{
	struct idp_withdraw_page page = { 0 };
	const struct idp_client *cl = NULL;

	page.client_id = client_id;
	page.client_name = client_id;
	if (idp_clients_get(rq, client_id, &cl) == IDP_OK)
		page.client_name = cl->name;
	page.csrf_token = idp_flow_session_csrf(rq, CSRF_ACCOUNT);
	return idp_page_withdraw(rq, rs, &page);
}

static enum idp_err
bad_form(struct idp_req *rq, struct idp_resp *rs, enum idp_trouble_kind kind)
{
	struct idp_trouble t = { 0 };

	t.kind = kind;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "The account form is not valid.";
	t.retry = kind == IDP_TROUBLE_SESSION_ENDED ?
	    "/login?next=%2Faccount" : "/account";
	return idp_page_trouble(rq, rs, &t);
}

enum idp_err
idp_account_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_session *s = NULL;
	const char *client_id, *action;
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s == NULL && rq->method != IDP_POST) {
		idp_page_see_other(rq, rs, "/login?next=%2Faccount", NULL);
		return IDP_OK;
	}
	if (s == NULL)
		return bad_form(rq, rs, IDP_TROUBLE_SESSION_ENDED);
	if (rq->method != IDP_POST)
		return show(rq, rs, s);
	action = idp_req_form(rq, "action");
	client_id = idp_req_form(rq, "client_id");
	if (!rq->has_form || !idp_flow_session_csrf_ok(rq, CSRF_ACCOUNT) ||
	    action == NULL || strcmp(action, "withdraw") != 0 ||
	    client_id == NULL)
		return bad_form(rq, rs, IDP_TROUBLE_BAD_FORM);
	if (!idp_form_confirmed(rq))
		return ask_withdraw(rq, rs, client_id);
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_consent_withdraw(c, s->user.id, client_id);
	if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND)
		return rc;
	if (rc == IDP_OK) {
		idp_flow_audit(rq, "consent.withdrawn", s->user.id, client_id,
		    NULL);
		IDP_INFO("consent.withdrawn", " req=%s user=%s username=%s "
		    "client=%s", rq->id, s->user.sub, idp_logq(rq->arena,
		    s->user.username), idp_logq(rq->arena, client_id));
	}
	/* Post/redirect/get: a reload does not post again. */
	idp_page_see_other(rq, rs, "/account", rc == IDP_OK ?
	    "consent_withdrawn" : NULL);
	return IDP_OK;
}

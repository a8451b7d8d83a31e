/* RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the
 * SSO session. With a valid id_token_hint for the signed-in person it
 * logs out at once; otherwise it asks for confirmation first, so a link on
 * another site cannot sign a person out. post_logout_redirect_uri must be
 * registered for the client named by client_id or by the hint. */
#include <string.h>

#include "config.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/published.h"
#include "core/reqdb.h"
#include "core/session_end.h"
#include "core/subject.h"
#include "crypto/jws.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/pages.h"
#include "http/response.h"
#include "page/trouble.h"
#include "store/session.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"

#define CSRF_LOGOUT "logout"

/* The payload of an ID token we signed (expired ones too), or NULL. */
static json_t *
hint_payload(struct idp_req *rq, const char *hint)
{
	const struct idp_published *p = idp_pubring_get(rq->ctx->pub,
	    rq->arena);
	const struct idp_key *k;
	struct idp_jws j;

	if (hint == NULL || p == NULL || idp_jws_parse(rq->arena, hint, &j) != 0)
		return NULL;
	k = idp_keyset_find(p->keys, j.kid);
	if (k == NULL || idp_jws_verify(&j, k) != 0 ||
	    !idp_str_eq(json_string_value(json_object_get(j.payload, "iss")),
	    rq->ctx->cfg->issuer))
		return NULL;
	return j.payload;
}

static enum idp_err
signed_out(struct idp_req *rq, struct idp_resp *rs, const char *ui_locales,
    const char *uri, const char *state)
{
	struct idp_buf b;

	if (uri == NULL)
		return idp_page_signed_out(rq, rs, ui_locales);
	idp_buf_init(&b, rq->arena, 8192);
	idp_buf_adds(&b, uri);
	if (state != NULL) {
		idp_buf_addc(&b, strchr(uri, '?') ? '&' : '?');
		idp_buf_adds(&b, "state=");
		idp_buf_add_urlenc(&b, state);
	}
	if (b.overflow)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The state parameter is too long.");
	idp_resp_redirect(rs, b.data);
	idp_resp_no_store(rs);
	return IDP_OK;
}

/* A post_logout_redirect_uri that is not registered: the person stays
 * signed in and is told so, with the way back to their service. */
static enum idp_err
bad_return(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const char *ui_locales)
{
	struct idp_trouble t = { 0 };

	t.kind = IDP_TROUBLE_BAD_LOGOUT;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "post_logout_redirect_uri is not registered for the client.";
	t.ui_locales = ui_locales;
	if (c != NULL) {
		t.service_name = c->name;
		t.service_uri = c->client_uri;
	}
	return idp_page_trouble(rq, rs, &t);
}

/* The hint names the signed-in person: its sub is the one its client was
 * given for them (core/subject.h: pairwise clients have their own). */
static enum idp_err
hint_matches(struct idp_req *rq, json_t *hp, const char *client_id,
    const struct idp_session *s, bool *match)
{
	const struct idp_client *c = NULL;
	enum idp_err rc;

	*match = false;
	if (hp == NULL)
		return IDP_OK;
	rc = client_id ? idp_clients_get(rq, client_id, &c) : IDP_ERR_NOT_FOUND;
	if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND)
		return rc;
	*match = idp_str_eq(json_string_value(json_object_get(hp, "sub")),
	    idp_subject_of(rq, c, s->user.sub));
	return IDP_OK;
}

enum idp_err
idp_logout_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const char *hint = idp_req_param(rq, "id_token_hint");
	const char *client_id = idp_req_param(rq, "client_id");
	const char *uri = idp_req_param(rq, "post_logout_redirect_uri");
	const char *state = idp_req_param(rq, "state");
	const char *ui_locales = idp_req_param(rq, "ui_locales");
	const struct idp_client *c = NULL;
	struct idp_session *s = NULL;
	struct idp_dbconn *db;
	json_t *hp = hint_payload(rq, hint);
	bool confirmed;
	enum idp_err rc;

	if (rq->method == IDP_POST && !rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The sign-out form must be posted as a form.");
	if (hint != NULL && hp == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "id_token_hint is not an ID token of this provider.");
	if (client_id == NULL && hp != NULL)
		client_id = json_string_value(json_object_get(hp, "aud"));
	if (uri != NULL) {
		rc = client_id ? idp_clients_get(rq, client_id, &c) :
		    IDP_ERR_NOT_FOUND;
		if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND)
			return rc;
		if (c == NULL || !idp_client_post_logout_registered(c, uri))
			return bad_return(rq, rs, c, ui_locales);
		rq->log_client = c->client_id;
	}
	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s == NULL) {
		idp_flow_set_session_cookie(rq, rs, NULL);
		return signed_out(rq, rs, ui_locales, uri, state);
	}
	if ((rc = hint_matches(rq, hp, client_id, s, &confirmed)) != IDP_OK)
		return rc;
	confirmed = confirmed ||
	    (rq->method == IDP_POST && idp_flow_session_csrf_ok(rq,
	    CSRF_LOGOUT));
	if (!confirmed) {
		struct idp_logout_page page = { &s->user, ui_locales,
			idp_flow_session_csrf(rq, CSRF_LOGOUT), client_id, uri,
			state };

		return idp_page_logout_confirm(rq, rs, &page);
	}
	{
		struct idp_session_end e = { s->user.id, IDP_END_ONE, s->id,
			IDP_GRANTS_KEEP, "logout", rq->id, 0, 0 };

		if ((rc = idp_reqdb(rq, &db)) != IDP_OK ||
		    (rc = idp_session_end(db, &e)) != IDP_OK)
			return rc;
	}
	idp_flow_audit(rq, "logout", s->user.id, client_id,
	    json_pack("{s:s}", "sid", s->sid));
	IDP_INFO("logout", " req=%s user=%s sid=%s", rq->id, s->user.sub,
	    s->sid);
	idp_flow_set_session_cookie(rq, rs, NULL);
	return signed_out(rq, rs, ui_locales, uri, state);
}

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
#include "crypto/jws.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/pages.h"
#include "http/response.h"
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

static void
signed_out(struct idp_req *rq, struct idp_resp *rs, const char *locale,
    const char *uri, const char *state)
{
	struct idp_buf b;

	if (uri == NULL) {
		idp_page_message(rq, rs, 200, locale, "signed_out");
		return;
	}
	idp_buf_init(&b, rq->arena, 8192);
	idp_buf_adds(&b, uri);
	if (state != NULL) {
		idp_buf_addc(&b, strchr(uri, '?') ? '&' : '?');
		idp_buf_adds(&b, "state=");
		idp_buf_add_urlenc(&b, state);
	}
	idp_resp_redirect(rs, b.data);
	idp_resp_no_store(rs);
}

enum idp_err
idp_logout_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const char *hint = idp_req_param(rq, "id_token_hint");
	const char *client_id = idp_req_param(rq, "client_id");
	const char *uri = idp_req_param(rq, "post_logout_redirect_uri");
	const char *state = idp_req_param(rq, "state");
	const char *locale = idp_pick_locale(idp_req_param(rq, "ui_locales"),
	    idp_req_header(rq, "Accept-Language"), rq->ctx->cfg->default_locale);
	const struct idp_client *c = NULL;
	struct idp_session *s = NULL;
	struct idp_dbconn *db;
	json_t *hp = hint_payload(rq, hint);
	bool confirmed;
	enum idp_err rc;

	if (rq->method == IDP_POST && !rq->has_form) {
		idp_page_message(rq, rs, 400, locale, "bad_form");
		return IDP_OK;
	}
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
		if (c == NULL || !idp_client_post_logout_registered(c, uri)) {
			idp_page_message(rq, rs, 400, locale, "bad_logout");
			return IDP_OK;
		}
		rq->log_client = c->client_id;
	}
	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s == NULL) {
		idp_flow_set_session_cookie(rq, rs, NULL);
		signed_out(rq, rs, locale, uri, state);
		return IDP_OK;
	}
	confirmed = (hp != NULL && idp_str_eq(json_string_value(
	    json_object_get(hp, "sub")), s->user.sub)) ||
	    (rq->method == IDP_POST && idp_flow_session_csrf_ok(rq,
	    CSRF_LOGOUT));
	if (!confirmed) {
		struct idp_logout_page page = { locale, &s->user,
			idp_flow_session_csrf(rq, CSRF_LOGOUT), client_id, uri,
			state };

		idp_page_logout_confirm(rq, rs, &page);
		return IDP_OK;
	}
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK ||
	    (rc = idp_store_session_end(db, s->id)) != IDP_OK)
		return rc;
	idp_flow_audit(rq, "logout", s->user.id, client_id,
	    json_pack("{s:s}", "sid", s->sid));
	IDP_INFO("logout", " req=%s user=%s sid=%s", rq->id, s->user.sub,
	    s->sid);
	idp_flow_set_session_cookie(rq, rs, NULL);
	signed_out(rq, rs, locale, uri, state);
	return IDP_OK;
}

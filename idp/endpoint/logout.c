/* RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the
 * SSO session. With a valid id_token_hint for the signed-in person it
 * logs out at once; otherwise it asks for confirmation first, so a link on
 * another site cannot sign a person out. post_logout_redirect_uri must be
 * registered for the client named by client_id or by the hint. */
#include <string.h>

#include "config.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/outbox.h"
#include "core/published.h"
#include "core/reqdb.h"
#include "core/session_end.h"
#include "core/subject.h"
#include "crypto/jws.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/pages.h"
#include "endpoint/pages_logout.h"
#include "http/response.h"
#include "oidc/logout.h"
#include "page/trouble.h"
#include "store/session.h"
#include "store/usersession.h"
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

/* uri with state added, or NULL when too long. */
static const char *
back_uri(struct idp_req *rq, const char *uri, const char *state)
{
	struct idp_buf b;

	idp_buf_init(&b, rq->arena, 8192);
	idp_buf_adds(&b, uri);
	if (state != NULL) {
		idp_buf_addc(&b, strchr(uri, '?') ? '&' : '?');
		idp_buf_adds(&b, "state=");
		idp_buf_add_urlenc(&b, state);
	}
	return b.overflow ? NULL : b.data;
}

/* The services the ended session reached, with their front-channel
 * URIs (Front-Channel Logout 1.0 §2: iss and sid added). */
static enum idp_err
services_of(struct idp_req *rq, const struct idp_session *s,
    struct idp_signed_out_page *pg, bool *framed)
{
	struct idp_signed_out_service *out;
	struct idp_dbconn *db;
	char **ids;
	int n = 0;
	enum idp_err rc;

	*framed = false;
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK ||
	    (rc = idp_store_session_clients_of(db, rq->arena, s->id, &ids,
	    &n)) != IDP_OK)
		return rc;
	out = idp_arena_zalloc(rq->arena, sizeof(*out) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		const struct idp_client *c = NULL;

		rc = idp_clients_get(rq, ids[i], &c);
		if (rc == IDP_ERR_NOT_FOUND)
			continue;	/* removed since */
		if (rc != IDP_OK)
			return rc;
		out[pg->nservices].name = c->name;
		if (c->frontchannel_logout_uri != NULL) {
			out[pg->nservices].frame_uri = idp_frontchannel_uri(
			    rq->arena, c->frontchannel_logout_uri,
			    rq->ctx->cfg->issuer, s->sid, 4096);
			*framed |= out[pg->nservices].frame_uri != NULL;
		}
		pg->nservices++;
	}
	pg->services = out;
	return IDP_OK;
}

/* Signed out: straight back to the service when nothing has to load in
 * this browser; otherwise the page, with the way back on it. */
static enum idp_err
signed_out(struct idp_req *rq, struct idp_resp *rs,
    struct idp_signed_out_page *pg, bool framed)
{
	if (pg->back_uri != NULL && !framed) {
		idp_resp_redirect(rs, pg->back_uri);
		idp_resp_no_store(rs);
		return IDP_OK;
	}
	return idp_page_signed_out(rq, rs, pg);
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

/* §2: client_id and the hint must name the same client; the hint's aud
 * is the client (one audience, as this provider issues them). */
static const char *
client_of(struct idp_resp *rs, json_t *hp,
    const char *client_id, enum idp_err *rc)
{
	const char *aud = hp ? json_string_value(json_object_get(hp, "aud")) :
	    NULL;

	*rc = IDP_OK;
	if (hp == NULL || client_id == NULL)
		return client_id ? client_id : aud;
	if (aud == NULL || !idp_str_eq(aud, client_id))
		*rc = idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "client_id is not the audience of id_token_hint.");
	return client_id;
}

static enum idp_err
end_session(struct idp_req *rq, const struct idp_session *s)
{
	struct idp_session_end e = { 0 };
	struct idp_dbconn *db;
	enum idp_err rc;

	e.user_id = s->user.id;
	e.scope = IDP_END_ONE;
	e.session_id = s->id;
	e.grants = IDP_GRANTS_KEEP;
	e.reason = "logout";
	e.request_id = rq->id;
	e.give_up = rq->ctx->cfg->logout_give_up;
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK ||
	    (rc = idp_session_end(db, &e)) != IDP_OK)
		return rc;
	if (e.notified > 0)
		idp_outbox_wake(rq->ctx->outbox);
	return IDP_OK;
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
	struct idp_signed_out_page out = { 0 };
	const struct idp_client *c = NULL;
	struct idp_session *s = NULL;
	json_t *hp = hint_payload(rq, hint);
	bool confirmed, framed = false;
	enum idp_err rc;

	if (rq->method == IDP_POST && !rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The sign-out form must be posted as a form.");
	if (hint != NULL && hp == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "id_token_hint is not an ID token of this provider.");
	client_id = client_of(rs, hp, client_id, &rc);
	if (rc != IDP_OK)
		return rc;
	out.ui_locales = ui_locales;
	if (uri != NULL) {
		rc = client_id ? idp_clients_get(rq, client_id, &c) :
		    IDP_ERR_NOT_FOUND;
		if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND)
			return rc;
		if (c == NULL || !idp_client_post_logout_registered(c, uri))
			return bad_return(rq, rs, c, ui_locales);
		rq->log_client = c->client_id;
		if ((out.back_uri = back_uri(rq, uri, state)) == NULL)
			return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
			    "The state parameter is too long.");
		out.back_name = c->name;
	}
	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s == NULL) {
		idp_flow_set_session_cookie(rq, rs, NULL);
		return signed_out(rq, rs, &out, false);
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
	if ((rc = services_of(rq, s, &out, &framed)) != IDP_OK ||
	    (rc = end_session(rq, s)) != IDP_OK)
		return rc;
	idp_flow_audit(rq, "logout", s->user.id, client_id,
	    json_pack("{s:s, s:i}", "sid", s->sid, "services",
	    (int)out.nservices));
	IDP_INFO("logout", " req=%s user=%s sid=%s services=%zu", rq->id,
	    s->user.sub, s->sid, out.nservices);
	idp_flow_set_session_cookie(rq, rs, NULL);
	return signed_out(rq, rs, &out, framed);
}

/* The device access token request (RFC 8628 §3.4, §3.5): the device
 * polls with its device_code until the person approved or denied, or the
 * codes expired. Every poll is recorded, so one that comes sooner than
 * the interval is told slow_down and the interval grows by 5 s; an
 * approved authorization issues its tokens to exactly one poll, as a code
 * exchange would (RFC 6749 §5.1), and a device code presented again after
 * that revokes them, as a replayed code does (RFC 6749 §4.1.2). */
#include <string.h>

#include "core/mint.h"
#include "core/reqdb.h"
#include "endpoint/flow.h"
#include "endpoint/token.h"
#include "http/response.h"
#include "oidc/device.h"
#include "store/device.h"
#include "store/directory.h"
#include "store/token.h"
#include "util/log.h"

/* The poll of an authorization the person approved: its tokens. */
static enum idp_err
issue(struct idp_req *rq, struct idp_resp *rs, const struct idp_client *c,
    struct idp_dbconn *db, const struct idp_device_polled *d)
{
	struct idp_token_person p = { .client = c };
	struct idp_user *u = NULL;
	char *grant = NULL;
	enum idp_err rc;

	rc = idp_store_user_by_id(db, rq->arena, d->user_id, &u);
	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK && u->disabled))
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The user is disabled.");
	if (rc != IDP_OK)
		return rc;
	p.user = u;
	p.session_id = d->session_id;
	p.sid = d->sid;
	p.scope = d->scope;
	p.auth_time = d->auth_time;
	p.acr = d->acr;
	p.amr = d->amr;
	if ((rc = idp_token_issue_person(rq, rs, &p, &grant)) != IDP_OK)
		return rc;
	if (idp_reqdb(rq, &db) != IDP_OK ||
	    idp_store_device_link(db, d->id, grant) != IDP_OK)
		IDP_WARN("device.link_lost", " req=%s grant=%s", rq->id, grant);
	idp_flow_audit(rq, "device.tokens", u->id, c->client_id,
	    json_pack("{s:s, s:s}", "grant", grant, "scope", d->scope));
	return IDP_OK;
}

/* The device code came back after its tokens were issued: someone holds
 * a copy, so everything issued under its grant ends. */
static enum idp_err
replayed(struct idp_req *rq, struct idp_resp *rs, const struct idp_client *c,
    struct idp_dbconn *db, const struct idp_device_polled *d)
{
	IDP_WARN("token.device_code_reuse", " req=%s client=%s grant=%s",
	    rq->id, c->client_id, d->grant_id ? d->grant_id : "-");
	if (d->grant_id != NULL && idp_store_grant_revoke(db, d->grant_id,
	    "device code reuse") == IDP_OK)
		idp_flow_audit(rq, "token.device_code_reuse", d->user_id,
		    c->client_id, json_pack("{s:s}", "grant", d->grant_id));
	return idp_fail(rs, IDP_ERR_INVALID_GRANT,
	    "The device code was already used.");
}

enum idp_err
idp_token_device(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c)
{
	const char *code = idp_req_form(rq, "device_code"), *why = NULL;
	unsigned char d[IDP_SHA256_LEN];
	struct idp_device_polled *st = NULL;
	struct idp_device_poll poll = { 0 };
	struct idp_dbconn *db;
	enum idp_err rc, err = IDP_ERR_INTERNAL;
	int status;

	if (!(c->grants & IDP_GRANT_DEVICE_CODE))
		return idp_fail(rs, IDP_ERR_UNAUTHORIZED_CLIENT,
		    "This client may not use the device authorization grant.");
	if (code == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "device_code is required.");
	if (!idp_token_syntax_ok(code))
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The device code is not valid.");
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_sha256_str(code, d);
	rc = idp_store_device_poll(db, rq->arena, d, c->client_id, &st);
	if (rc == IDP_ERR_NOT_FOUND)
		return idp_fail(rs, IDP_ERR_INVALID_GRANT,
		    "The device code is not valid for this client.");
	if (rc != IDP_OK)
		return rc;
	if ((status = idp_device_status_parse(st->status)) < 0)
		return IDP_ERR_INTERNAL;
	poll.status = (enum idp_device_status)status;
	poll.expired = st->expired;
	poll.too_fast = st->too_fast;
	switch (idp_device_answer(&poll, &err, &why)) {
	case IDP_DEVICE_ISSUE:
		return issue(rq, rs, c, db, st);
	case IDP_DEVICE_REUSED:
		return replayed(rq, rs, c, db, st);
	case IDP_DEVICE_ANSWER_ERROR:
		break;
	}
	if (err == IDP_ERR_SLOW_DOWN)
		IDP_INFO("device.slow_down", " req=%s client=%s", rq->id,
		    c->client_id);
	return idp_fail(rs, err, why);
}

/* The consent form of third-party clients (POST /consent): allow
 * remembers the consent for the requested scopes and issues the code;
 * deny sends access_denied back to the client. */
#include <string.h>

#include "core/ctx.h"
#include "core/reqdb.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/pages.h"
#include "http/response.h"
#include "store/consent.h"
#include "store/session.h"
#include "util/log.h"

/* The answer to a consent page that is this session's. */
struct answer {
	struct idp_pending *p;
	struct idp_session *s;
	bool allow;
};

/* What the answer writes (the consent or the refusal, its audit row, the
 * pending login completed, the code) is one transaction
 * (idp_reqdb_once). */
static enum idp_err
decide(struct idp_req *rq, struct idp_resp *rs, void *arg)
{
	struct answer *a = arg;
	struct idp_pending *p = a->p;
	struct idp_session *s = a->s;
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	if (!a->allow) {
		if ((rc = idp_store_login_complete(c, p->digest)) != IDP_OK &&
		    rc != IDP_ERR_CONFLICT)
			return rc;
		idp_flow_audit(rq, "consent.denied", s->user.id,
		    p->client->client_id, json_pack("{s:s}", "scope",
		    p->authz.scope));
		return idp_flow_error(rq, rs, &p->authz, IDP_ERR_ACCESS_DENIED,
		    "The user denied the request.");
	}
	/* What the page asked for: offline_access only when §11 allows it. */
	if ((rc = idp_flow_offline(rq, p->client, &p->authz, s->user.id))
	    != IDP_OK)
		return rc;
	if ((rc = idp_store_consent_put(c, s->user.id, p->client->client_id,
	    p->authz.scope)) != IDP_OK)
		return rc;
	idp_flow_audit(rq, "consent.granted", s->user.id, p->client->client_id,
	    json_pack("{s:s}", "scope", p->authz.scope));
	return idp_flow_finish(rq, rs, p->client, &p->authz, s, p, true);
}

enum idp_err
idp_consent_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const char *decision = idp_req_form(rq, "decision");
	struct answer a = { 0 };
	struct idp_pending p;
	struct idp_session *s = NULL;
	enum idp_err rc;

	if (!rq->has_form)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The consent form must be posted as a form.");
	rc = idp_flow_load_pending(rq, rs, IDP_PENDING_CSRF, &p);
	if (rc != IDP_OK)
		return rs->status ? IDP_OK : rc;
	if (p.client == NULL)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "A local sign-in has no consent.");
	rq->log_client = p.client->client_id;
	/* Only the person whose session was shown the page may answer. */
	if ((rc = idp_flow_session(rq, &s)) != IDP_OK)
		return rc;
	if (s == NULL || p.login->session_id == 0 ||
	    s->id != p.login->session_id)
		return idp_flow_trouble(rq, rs, &p, IDP_TROUBLE_EXPIRED,
		    "The consent page belongs to another session.");
	if (decision == NULL || (strcmp(decision, "allow") != 0 &&
	    strcmp(decision, "deny") != 0))
		return idp_flow_trouble(rq, rs, &p, IDP_TROUBLE_BAD_FORM,
		    "decision must be allow or deny.");
	a.p = &p;
	a.s = s;
	a.allow = !strcmp(decision, "allow");
	return idp_reqdb_once(rq, rs, decide, &a);
}

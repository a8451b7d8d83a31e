#include <stdio.h>

#include <jansson.h>

#include "core/helpdesk.h"
#include "core/session_end.h"
#include "store/outbox.h"
#include "store/people.h"
#include "util/mem.h"

enum idp_err
idp_operator_audit(struct idp_dbconn *c, const struct idp_operator *op,
    const char *event, long long user_id, json_t *details)
{
	struct idp_audit ev = { .event = event, .user_id = user_id,
		.ip = op->ip, .request_id = op->request_id, .actor = op->actor,
		.actor_user_id = op->actor_user_id };
	enum idp_err rc;
	char *js;

	if (details == NULL)
		details = json_object();
	if (op->via != NULL)
		json_object_set_new(details, "via", json_string(op->via));
	js = json_dumps(details, JSON_COMPACT);
	json_decref(details);
	if (js == NULL)
		return IDP_ERR_INTERNAL;
	ev.details_json = js;
	rc = idp_store_audit(c, &ev);
	free(js);
	return rc;
}

static enum idp_err
finish(struct idp_dbconn *c, enum idp_err rc)
{
	if (rc == IDP_OK)
		rc = idp_db_commit(c);
	if (rc != IDP_OK)
		idp_db_rollback(c);
	return rc;
}

static enum idp_err
end_all(struct idp_dbconn *c, const struct idp_operator *op, long long uid,
    enum idp_end_grants grants, const char *reason, struct idp_ended *out)
{
	struct idp_session_end e = { .user_id = uid, .scope = IDP_END_ALL,
		.grants = grants, .reason = reason,
		.request_id = op->request_id, .give_up = op->logout_give_up };
	enum idp_err rc = idp_session_end_tx(c, &e);

	out->sessions = e.sessions;
	out->grants = e.revoked;
	out->logout_tokens = e.notified;
	return rc;
}

static json_t *
ended_json(const struct idp_ended *e)
{
	return json_pack("{s:i, s:i, s:i}", "sessions_ended", e->sessions,
	    "grants_revoked", e->grants, "logout_tokens", e->logout_tokens);
}

enum idp_err
idp_helpdesk_set_disabled(struct idp_dbconn *c, const struct idp_operator *op,
    long long user_id, bool disabled, struct idp_ended *ended)
{
	struct idp_ended e = { 0 };
	enum idp_err rc;

	if ((rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	rc = idp_store_user_set_disabled_id(c, user_id, disabled);
	if (rc == IDP_OK && disabled)
		rc = end_all(c, op, user_id, IDP_GRANTS_ALL, "disabled", &e);
	if (rc == IDP_OK)
		rc = idp_operator_audit(c, op, disabled ? "user.disabled" :
		    "user.enabled", user_id, ended_json(&e));
	if (ended != NULL)
		*ended = e;
	return finish(c, rc);
}

enum idp_err
idp_helpdesk_end_sessions(struct idp_dbconn *c, const struct idp_operator *op,
    long long user_id, struct idp_ended *ended)
{
	struct idp_ended e = { 0 };
	enum idp_err rc;

	if ((rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	rc = end_all(c, op, user_id, IDP_GRANTS_OF_SESSIONS, "helpdesk", &e);
	if (rc == IDP_OK)
		rc = idp_operator_audit(c, op, "helpdesk.sessions_ended",
		    user_id, ended_json(&e));
	if (ended != NULL)
		*ended = e;
	return finish(c, rc);
}

enum idp_err
idp_helpdesk_reset_code(struct idp_dbconn *c, const struct idp_operator *op,
    long long user_id, int64_t ttl, char shown[IDP_RESET_CODE_SHOWN + 1])
{
	enum idp_err rc;

	if ((rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	rc = idp_reset_issue_code(c, user_id, ttl, op->actor, shown);
	if (rc == IDP_OK)
		rc = idp_operator_audit(c, op, "password_reset.code_issued",
		    user_id, NULL);
	if ((rc = finish(c, rc)) != IDP_OK)
		idp_wipe(shown, IDP_RESET_CODE_SHOWN + 1);
	return rc;
}

enum idp_err
idp_helpdesk_erase(struct idp_dbconn *c, const struct idp_operator *op,
    long long user_id)
{
	struct idp_ended e = { 0 };
	enum idp_err rc;

	if ((rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	rc = end_all(c, op, user_id, IDP_GRANTS_ALL, "deleted", &e);
	if (rc == IDP_OK)
		rc = idp_store_user_erase(c, user_id);
	if (rc == IDP_OK)
		rc = idp_operator_audit(c, op, "user.deleted", user_id,
		    ended_json(&e));
	return finish(c, rc);
}

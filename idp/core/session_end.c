#include "core/session_end.h"
#include "store/outbox.h"
#include "store/usersession.h"
#include "util/log.h"

enum idp_err
idp_session_end_tx(struct idp_dbconn *c, struct idp_session_end *e)
{
	static const char *const grants[] = { "none", "sessions", "all" };
	long long only = e->scope == IDP_END_ONE ? e->session_id : 0;
	long long keep = e->scope == IDP_END_OTHERS ? e->session_id : 0;
	enum idp_err rc;

	if (e->scope != IDP_END_ALL && e->session_id == 0)
		return IDP_ERR_INTERNAL;
	rc = idp_store_sessions_end(c, e->user_id, only, keep,
	    grants[e->grants], e->reason, &e->sessions, &e->revoked);
	if (rc == IDP_OK)
		IDP_INFO("session.end", " req=%s user=%lld reason=%s "
		    "sessions=%d grants=%d", e->request_id ? e->request_id :
		    "-", e->user_id, e->reason, e->sessions, e->revoked);
	return rc;
}

enum idp_err
idp_session_end(struct idp_dbconn *c, struct idp_session_end *e)
{
	enum idp_err rc;

	if ((rc = idp_store_tx_begin_durable(c)) != IDP_OK)
		return rc;
	if ((rc = idp_session_end_tx(c, e)) != IDP_OK ||
	    (rc = idp_db_commit(c)) != IDP_OK)
		idp_db_rollback(c);
	return rc;
}

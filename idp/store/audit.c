#include <stdio.h>

#include "store/audit.h"
#include "store/statements.h"

const struct idp_stmt idp_audit_stmts[] = {
	{ "audit_insert",
	  "INSERT INTO audit_log (event, user_id, client_id, ip, request_id, "
	  "details, actor, actor_user_id) VALUES ($1, $2, $3, $4::inet, $5, "
	  "coalesce($6::jsonb, '{}'), $7, $8)", 8 },
	{ "health_ping", "SELECT 1", 0 },
	{ "sync_commit_off",
	  "SELECT current_setting('synchronous_commit') = 'off'", 0 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_audit(struct idp_dbconn *c, const struct idp_audit *ev)
{
	char uid[24], aid[24];
	struct idp_param p[8] = { P_TXT(ev->event),
		P_TXT(ev->user_id ? uid : NULL), P_TXT(ev->client_id),
		P_TXT(ev->ip), P_TXT(ev->request_id), P_TXT(ev->details_json),
		P_TXT(ev->actor), P_TXT(ev->actor_user_id ? aid : NULL) };

	snprintf(uid, sizeof(uid), "%lld", ev->user_id);
	snprintf(aid, sizeof(aid), "%lld", ev->actor_user_id);
	return idp_db_run(c, "audit_insert", p, 8);
}

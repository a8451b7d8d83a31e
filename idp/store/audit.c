#include <stdio.h>

#include "store/audit.h"
#include "store/statements.h"

const struct idp_stmt idp_audit_stmts[] = {
	{ "audit_insert",
	  "INSERT INTO audit_log (event, user_id, client_id, ip, request_id, "
	  "details) VALUES ($1, $2, $3, $4::inet, $5, "
	  "coalesce($6::jsonb, '{}'))", 6 },
	{ "health_ping", "SELECT 1", 0 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_audit(struct idp_dbconn *c, const struct idp_audit *ev)
{
	char uid[24];
	struct idp_param p[6] = { P_TXT(ev->event),
		P_TXT(ev->user_id ? uid : NULL), P_TXT(ev->client_id),
		P_TXT(ev->ip), P_TXT(ev->request_id), P_TXT(ev->details_json) };

	snprintf(uid, sizeof(uid), "%lld", ev->user_id);
	return idp_db_run(c, "audit_insert", p, 6);
}

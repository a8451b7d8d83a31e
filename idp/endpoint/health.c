#include "core/ctx.h"
#include "core/reqdb.h"
#include "endpoint/endpoints.h"
#include "http/response.h"
#include "store/db.h"

/* Liveness: the process answers. Never touches the database, so an
 * orchestrator does not restart idp because PostgreSQL is down. */
enum idp_err
idp_healthz_handle(struct idp_req *rq, struct idp_resp *rs)
{
	(void)rq;
	idp_resp_json(rs, 200, "{\"status\":\"ok\"}");
	idp_resp_no_store(rs);
	return IDP_OK;
}

/* Readiness: one round trip to PostgreSQL; 503 while it is unreachable. */
enum idp_err
idp_readyz_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_dbconn *c;
	enum idp_err rc;

	rc = idp_reqdb(rq, &c);
	if (rc == IDP_OK)
		rc = idp_db_ping(c);
	idp_resp_no_store(rs);
	if (rc != IDP_OK) {
		idp_resp_json(rs, 503, "{\"status\":\"unavailable\","
		    "\"database\":\"unreachable\"}");
		idp_resp_header(rs, "Retry-After", "1");
		return IDP_OK;
	}
	idp_resp_json(rs, 200, "{\"status\":\"ready\",\"database\":\"ok\"}");
	return IDP_OK;
}

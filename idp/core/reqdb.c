#include "core/ctx.h"
#include "core/reqdb.h"

static void
release(void *p)
{
	idp_reqdb_release(p);
}

enum idp_err
idp_reqdb(struct idp_req *rq, struct idp_dbconn **out)
{
	enum idp_err rc;

	if (rq->dbconn == NULL) {
		rc = idp_db_acquire(rq->ctx->db, &rq->dbconn);
		if (rc != IDP_OK)
			return rc;
		idp_arena_on_free(rq->arena, release, rq);
	}
	*out = rq->dbconn;
	return IDP_OK;
}

void
idp_reqdb_release(struct idp_req *rq)
{
	if (rq->dbconn != NULL) {
		idp_db_release(rq->ctx->db, rq->dbconn);
		rq->dbconn = NULL;
	}
}

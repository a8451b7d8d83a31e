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

enum idp_err
idp_reqdb_once(struct idp_req *rq, struct idp_resp *rs,
    enum idp_err (*fn)(struct idp_req *, struct idp_resp *, void *),
    void *arg)
{
	struct idp_dbconn *c;
	enum idp_err rc, done;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	rc = fn(rq, rs, arg);
	if (rq->dbconn != c) {
		/* Given back, and so rolled back, meanwhile. */
		*rs = (struct idp_resp){ 0 };
		return rc != IDP_OK ? rc : IDP_ERR_INTERNAL;
	}
	if ((done = idp_db_commit(c)) == IDP_OK)
		return rc;
	*rs = (struct idp_resp){ 0 };
	return done;
}

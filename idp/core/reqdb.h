/* A request's database connection: borrowed from the pool on first use,
 * given back when the request ends (or earlier, before it suspends). */
#ifndef IDP_CORE_REQDB_H
#define IDP_CORE_REQDB_H

#include "http/req.h"
#include "store/db.h"

enum idp_err idp_reqdb(struct idp_req *rq, struct idp_dbconn **out)
	__attribute__((warn_unused_result));
void idp_reqdb_release(struct idp_req *rq);

/* Run fn with everything it writes in one transaction: one commit, one WAL
 * flush for the request, and what fn answered goes out only once it is
 * committed (otherwise the answer is dropped and the error returned). fn
 * must not give the connection back, begin or commit. */
enum idp_err idp_reqdb_once(struct idp_req *rq, struct idp_resp *rs,
    enum idp_err (*fn)(struct idp_req *, struct idp_resp *, void *),
    void *arg);

#endif

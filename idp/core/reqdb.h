/* A request's database connection: borrowed from the pool on first use,
 * given back when the request ends (or earlier, before it suspends). */
#ifndef IDP_CORE_REQDB_H
#define IDP_CORE_REQDB_H

#include "http/req.h"
#include "store/db.h"

enum idp_err idp_reqdb(struct idp_req *rq, struct idp_dbconn **out)
	__attribute__((warn_unused_result));
void idp_reqdb_release(struct idp_req *rq);

#endif

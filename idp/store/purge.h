/* Deleting expired rows in small batches, so tables stay small for years
 * and no purge holds locks for long. */
#ifndef IDP_STORE_PURGE_H
#define IDP_STORE_PURGE_H

#include "store/db.h"

/* One pass over every table, at most batch rows per statement, repeated
 * while a statement deleted a full batch (bounded by max_rounds).
 * *deleted counts all rows removed. */
enum idp_err idp_store_purge(struct idp_dbconn *c, int batch, int max_rounds,
    long long *deleted);

#endif

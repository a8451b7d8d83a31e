/* Every statement table of store/, prepared on each pooled connection. */
#ifndef IDP_STORE_STATEMENTS_H
#define IDP_STORE_STATEMENTS_H

#include "store/db.h"

extern const struct idp_stmt *const idp_stmt_tables[];

#endif

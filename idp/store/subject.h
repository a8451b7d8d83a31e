/* The salt of pairwise subject identifiers (oidc/subject.h), one row made
 * by migration 045: read once when idp starts. */
#ifndef IDP_STORE_SUBJECT_H
#define IDP_STORE_SUBJECT_H

#include "store/db.h"

#define IDP_STORE_SALT_LEN 32

/* IDP_ERR_NOT_FOUND when the row is missing (migrations not applied). */
enum idp_err idp_store_pairwise_salt(struct idp_dbconn *c,
    unsigned char out[IDP_STORE_SALT_LEN]);

#endif

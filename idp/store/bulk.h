/* Bulk loading of the directory from CSV through COPY: tens of thousands
 * of users in seconds (password hashes computed beforehand). */
#ifndef IDP_STORE_BULK_H
#define IDP_STORE_BULK_H

#include <stdio.h>

#include "store/db.h"

/* CSV with a header: code,name,kind,parent_code. Existing codes are
 * updated. */
enum idp_err idp_store_orgs_import(struct idp_dbconn *c, FILE *csv,
    long long *rows, char *why, size_t whylen);
/* CSV with a header: username,password_hash,name,email,phone_number,nip,
 * job_title,org_code. Existing usernames are left alone (*skipped). */
enum idp_err idp_store_users_import(struct idp_dbconn *c, FILE *csv,
    long long *added, long long *skipped, char *why, size_t whylen);

#endif

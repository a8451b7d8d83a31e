/* Bulk loading of the directory from CSV through COPY: tens of thousands
 * of users in seconds (password hashes computed beforehand). */
#ifndef IDP_STORE_BULK_H
#define IDP_STORE_BULK_H

#include <stdbool.h>
#include <stdio.h>

#include "store/db.h"

/* CSV with a header: code,name,kind,parent_code. Existing codes are
 * updated. */
enum idp_err idp_store_orgs_import(struct idp_dbconn *c, FILE *csv,
    long long *rows, char *why, size_t whylen);
/* CSV with a header naming its columns, in any order: username and name,
 * and any of password_hash, given_name, family_name, email,
 * email_verified (true/false; without the column an email counts as
 * verified), phone_number, nip, job_title, org_code, locale. Existing
 * usernames are left alone (*skipped). Nothing is written when a row is
 * wrong: why names the rows (row 1 is the first after the header) and
 * what is wrong with them (a bad NIP, an identifier another person or
 * another row has, an unknown organisation, a password_hash that hash_ok
 * refuses, ...). */
enum idp_err idp_store_users_import(struct idp_dbconn *c, FILE *csv,
    bool (*hash_ok)(const char *), long long *added, long long *skipped,
    char *why, size_t whylen);

#endif

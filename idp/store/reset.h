/* Password resets (sql/016_password_reset.sql): mailed links and helpdesk
 * codes, kept as SHA-256 digests; core/reset.c makes and checks them. */
#ifndef IDP_STORE_RESET_H
#define IDP_STORE_RESET_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/digest.h"
#include "store/db.h"
#include "store/directory.h"
#include "util/arena.h"

struct idp_reset_new {
	long long user_id;
	const char *kind;		/* "link" or "code" */
	const unsigned char *digest;
	int64_t ttl;
	const char *issued_by;		/* "self", "code", an operator */
	const char *ip;			/* may be NULL */
	int max_per_hour;		/* 0: no cap; else refused beyond it */
};
/* *created is false when the cap refused it (nothing written). */
enum idp_err idp_store_reset_create(struct idp_dbconn *c,
    const struct idp_reset_new *n, bool *created);

/* The user of a live link (unused, unexpired): IDP_ERR_NOT_FOUND
 * otherwise. */
enum idp_err idp_store_reset_link_user(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long *user_id);
/* Use a live link, exactly once: IDP_ERR_NOT_FOUND when it is used,
 * expired or unknown. */
enum idp_err idp_store_reset_link_use(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long *user_id);

/* Try a code against the user's live code, in one statement: a match
 * uses it (*ok), a miss counts a failure; a code with max_failures
 * failures is no longer live. IDP_ERR_NOT_FOUND when the user has no live
 * code. */
enum idp_err idp_store_reset_code_try(struct idp_dbconn *c, long long user_id,
    const unsigned char digest[IDP_SHA256_LEN], int max_failures, bool *ok);
/* End the user's unused codes (a new one replaces them). */
enum idp_err idp_store_reset_codes_end(struct idp_dbconn *c,
    long long user_id);

/* A person by email address (case-insensitive). */
enum idp_err idp_store_user_by_email(struct idp_dbconn *c, struct idp_arena *a,
    const char *email, struct idp_user **out);

#endif

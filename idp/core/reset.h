/* Password resets, for every way one is issued: a link mailed to the
 * person (256 bits, the reset page's "Lupa kata sandi?"), and a short code
 * the helpdesk reads over the phone (idpctl user reset-code; the operator
 * console later calls the same function). Only digests are stored. A code
 * that checks out is exchanged for a link-like ticket, so both routes end
 * on the same new-password form. */
#ifndef IDP_CORE_RESET_H
#define IDP_CORE_RESET_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mint.h"
#include "store/db.h"

#define IDP_RESET_CODE_DIGITS 10
/* "482 193 5760": three groups, as a phone number is read out. */
#define IDP_RESET_CODE_SHOWN 13

/* A reset link's secret for user_id: *created is false when the person
 * already had five links in the last hour (nothing is written, the same
 * answer is given). issued_by: "self" (mailed), "code" (after a code). */
enum idp_err idp_reset_issue_link(struct idp_dbconn *c, long long user_id,
    int64_t ttl, const char *issued_by, const char *ip,
    struct idp_secret *out, bool *created);

/* A new helpdesk code for user_id, replacing earlier unused ones: written
 * as "482 193 5760" into shown. issued_by names the operator. */
enum idp_err idp_reset_issue_code(struct idp_dbconn *c, long long user_id,
    int64_t ttl, const char *issued_by, char shown[IDP_RESET_CODE_SHOWN + 1]);

/* The code a person typed, as its digits: spaces, dashes and dots between
 * them are allowed, anything else is not. 0, or -1 when it is not ten
 * digits. Pure. */
int idp_reset_code_parse(const char *in, char out[IDP_RESET_CODE_DIGITS + 1]);

/* The digest a code is stored as: bound to the person, so equal codes of
 * two people differ. */
void idp_reset_code_digest(long long user_id, const char *digits,
    unsigned char out[IDP_SHA256_LEN]);

#endif

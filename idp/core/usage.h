/* Usage counters per client, for its developers: sign-ins, token requests
 * and token errors per day, and the last errors. The token endpoint counts
 * in memory (a mutex and a small table, no database); the housekeeping
 * thread adds the counts to the store every IDP_USAGE_FLUSH_SECONDS
 * (store/usage.h), and so does a developer opening a usage page, so it
 * shows this instance's counts at once. Several idp instances add their
 * own counts. A crash loses at most the counts of the last interval:
 * usage figures, not an audit trail (that is audit_log). */
#ifndef IDP_CORE_USAGE_H
#define IDP_CORE_USAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "http/req.h"
#include "oidc/client.h"
#include "store/db.h"

#define IDP_USAGE_FLUSH_SECONDS 10
#define IDP_USAGE_KEEP_DAYS 400

struct idp_usage;

struct idp_usage *idp_usage_new(void);
void idp_usage_free(struct idp_usage *u);	/* accepts NULL */

/* One token request of client_id at now: a sign-in when it redeemed an
 * authorization code, an error when it failed. */
void idp_usage_token(struct idp_usage *u, const char *client_id, int64_t now,
    bool signin, bool error);
/* The error a client was told (the OAuth code and description). */
void idp_usage_error(struct idp_usage *u, const char *client_id, int64_t now,
    const char *endpoint, const char *error, const char *description);

/* The token endpoint's answer rc (rs) to rq, counted for client c, or,
 * when authentication failed (c NULL), for the client the request named
 * if it exists (a wrong secret after a rotation is what its developers
 * need to see); a request naming no known client counts for nobody.
 * code_grant: grant_type authorization_code, a sign-in when it worked. */
void idp_usage_token_answer(struct idp_req *rq, const struct idp_resp *rs,
    const struct idp_client *c, enum idp_err rc, bool code_grant);

/* Add what was counted since the last flush to the store. Counts that
 * could not be written stay for the next flush. */
enum idp_err idp_usage_flush(struct idp_usage *u, struct idp_dbconn *c);

/* The local date of t (the process's time zone) as YYYY-MM-DD. */
void idp_usage_day(int64_t t, char out[11]);

#endif

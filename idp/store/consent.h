/* A person's consent to a third-party client, per set of scopes. */
#ifndef IDP_STORE_CONSENT_H
#define IDP_STORE_CONSENT_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/* The scopes consented to, space-separated, or IDP_ERR_NOT_FOUND. */
enum idp_err idp_store_consent_get(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, const char *client_id, char **scopes);
/* Remember consent to these scopes (added to what was consented). */
enum idp_err idp_store_consent_put(struct idp_dbconn *c, long long user_id,
    const char *client_id, const char *scopes);
/* Withdraw consent; every grant of the user to the client is revoked with
 * it, so its refresh and access tokens stop working. */
enum idp_err idp_store_consent_withdraw(struct idp_dbconn *c,
    long long user_id, const char *client_id);

struct idp_consent {
	char *client_id;
	char *scopes;
	int64_t granted_at;
};
enum idp_err idp_store_consent_list(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, struct idp_consent **out, int *n);

#endif

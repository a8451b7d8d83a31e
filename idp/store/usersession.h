/* A person's SSO sessions as the person sees them (/account/sessions) and
 * ending them, with the grants issued through them, in one statement.
 * core/session_end.c is the one caller that ends sessions. */
#ifndef IDP_STORE_USERSESSION_H
#define IDP_STORE_USERSESSION_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct idp_session_row {
	long long id;
	char *sid;
	int64_t started;
	int64_t last_used;
	char *ip;		/* may be NULL */
	char *user_agent;	/* may be NULL */
	int clients;		/* services reached through it */
};
/* The live sessions of user_id, the most recently used first. */
enum idp_err idp_store_sessions_of(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, struct idp_session_row **out, int *n);

/* grants: "none", "sessions" (those issued through the ended sessions) or
 * "all" (every grant of the person). only: end that session (0: any);
 * keep: end every other (0: none kept). */
enum idp_err idp_store_sessions_end(struct idp_dbconn *c, long long user_id,
    long long only, long long keep, const char *grants, const char *reason,
    int *sessions, int *revoked);

#endif

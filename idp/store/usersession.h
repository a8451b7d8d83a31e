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

struct idp_sessions_ended {
	int sessions;		/* sessions ended */
	int revoked;		/* grants revoked */
	int notified;		/* back-channel logout rows written */
};
/* grants: "none", "sessions" (those issued through the ended sessions) or
 * "all" (every grant of the person). only: end that session (0: any);
 * keep: end every other (0: none kept). In the same statement, an outbox
 * row of kind "logout" for each ended session and each service it reached
 * that registered a backchannel_logout_uri, retried for give_up seconds. */
enum idp_err idp_store_sessions_end(struct idp_dbconn *c, long long user_id,
    long long only, long long keep, const char *grants, const char *reason,
    int64_t give_up, struct idp_sessions_ended *out);

/* The client_ids a session reached (ended or not), first reached first;
 * NULL-terminated. */
enum idp_err idp_store_session_clients_of(struct idp_dbconn *c,
    struct idp_arena *a, long long session_id, char ***out, int *n);

/* The person of a live session; IDP_ERR_NOT_FOUND when none. */
enum idp_err idp_store_session_owner(struct idp_dbconn *c,
    long long session_id, long long *user_id);

#endif

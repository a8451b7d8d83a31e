/* Device authorizations (RFC 8628, sql/055): the pair of codes a device
 * asked for, kept as digests, what the person decided, and the device's
 * polling. Each call is one statement. */
#ifndef IDP_STORE_DEVICE_H
#define IDP_STORE_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/digest.h"
#include "store/db.h"
#include "util/arena.h"

struct idp_device_new {
	const unsigned char *device_digest;
	const unsigned char *user_digest;
	const char *client_id;
	const char *scope;
	int64_t ttl;
	int interval;
	const char *ip;			/* NULL when unknown */
};
/* IDP_ERR_CONFLICT when the user code is taken (draw another). */
enum idp_err idp_store_device_insert(struct idp_dbconn *c,
    const struct idp_device_new *n);

/* One poll of the token endpoint, recorded (§3.5): the state before it
 * and, for an approved authorization, the facts of its grant, which the
 * poll has just marked used. IDP_ERR_NOT_FOUND for an unknown code or
 * one issued to another client (which records nothing). */
struct idp_device_polled {
	char *status;			/* before this poll */
	bool expired;
	bool too_fast;			/* interval_s grew by 5 */
	long long id;
	long long user_id;		/* 0 while pending */
	long long session_id;		/* 0: none or gone */
	char *sid;
	char *scope;
	int64_t auth_time;
	char *acr;
	char *amr;
	char *grant_id;			/* of a used one */
};
enum idp_err idp_store_device_poll(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char device_digest[IDP_SHA256_LEN], const char *client_id,
    struct idp_device_polled **out);
/* The grant the tokens of a used authorization belong to (for a replay). */
enum idp_err idp_store_device_link(struct idp_dbconn *c, long long id,
    const char *grant_id);

/* The authorization of a user code a person typed, which becomes theirs
 * when it is pending and nobody else's (mine). IDP_ERR_NOT_FOUND when no
 * code is so. */
struct idp_device_seen {
	char *client_id;
	char *scope;
	char *status;
	bool expired;
	bool mine;			/* the person's own to decide */
	int64_t created_at;
	int64_t expires_at;
};
enum idp_err idp_store_device_claim(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char user_digest[IDP_SHA256_LEN], long long user_id,
    struct idp_device_seen **out);

/* The person's decision on their pending authorization, with the session
 * it was made in; its client and scope. IDP_ERR_NOT_FOUND when it is no
 * longer pending, expired or not theirs. */
struct idp_device_decision {
	const unsigned char *user_digest;
	long long user_id;
	bool approve;
	long long session_id;
	int64_t auth_time;
	const char *acr;
	const char *amr;		/* space-separated */
};
enum idp_err idp_store_device_decide(struct idp_dbconn *c,
    struct idp_arena *a, const struct idp_device_decision *d,
    char **client_id, char **scope);

#endif

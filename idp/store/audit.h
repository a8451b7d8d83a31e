/* The audit table: one row per security event. Details are a JSON object
 * built by the caller; never a secret in it. Every change names who made
 * it (the actor): the daemon and idpctl write through this one function. */
#ifndef IDP_STORE_AUDIT_H
#define IDP_STORE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct idp_audit {
	const char *event;
	long long user_id;	/* the person it concerns; 0 for none */
	const char *client_id;
	const char *ip;
	const char *request_id;
	const char *details_json;	/* NULL for {} */
	/* Who did it: "idpctl:<OS user>", "iat:<id>", a username; NULL
	 * when the subject acted (a sign-in). */
	const char *actor;
	long long actor_user_id;	/* when a person acted; 0 otherwise */
};

enum idp_err idp_store_audit(struct idp_dbconn *c, const struct idp_audit *ev);

/* Reading the log back (idpctl audit list, the console's audit page).
 * Every filter is optional (NULL or 0). */
struct idp_audit_filter {
	long long user_id;	/* rows about the person or by them */
	const char *client_id;
	const char *event;	/* exact, or a prefix ending in '.' */
	int64_t since, until;	/* [since, until), seconds */
	long long before_id;	/* page on: rows older than this id */
	int limit;		/* 1..10000 */
};

struct idp_audit_row {
	long long id;
	int64_t at;
	char *event;
	long long user_id;
	char *username;		/* NULL when the row is about nobody */
	char *client_id;
	char *ip;
	char *request_id;
	char *details;		/* JSON text */
	char *actor;
};

/* An event filter: 1-64 of a-z 0-9 . _ (a prefix ends in '.'). */
bool idp_audit_event_ok(const char *s);

/* Newest first. */
enum idp_err idp_store_audit_list(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_audit_filter *f, struct idp_audit_row **out, int *n);

#endif

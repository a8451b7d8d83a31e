/* The audit table: one row per security event. Details are a JSON object
 * built by the caller; never a secret in it. Every change names who made
 * it (the actor): the daemon and idpctl write through this one function. */
#ifndef IDP_STORE_AUDIT_H
#define IDP_STORE_AUDIT_H

#include "store/db.h"

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

#endif

/* The audit table: one row per security event. Details are a JSON object
 * built by the caller; never a secret in it. */
#ifndef IDP_STORE_AUDIT_H
#define IDP_STORE_AUDIT_H

#include "store/db.h"

struct idp_audit {
	const char *event;
	long long user_id;	/* 0 for none */
	const char *client_id;
	const char *ip;
	const char *request_id;
	const char *details_json;	/* NULL for {} */
};

enum idp_err idp_store_audit(struct idp_dbconn *c, const struct idp_audit *ev);

#endif

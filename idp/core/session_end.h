/* The one way SSO sessions end: RP-initiated logout, "sign out this
 * session" and "sign out everywhere else" on /account, a password change
 * and a password reset all come here, so that what ending a session
 * entails is decided in one place. It ends the sessions and revokes the
 * grants asked for (with their access and refresh tokens) in one
 * statement; back-channel logout will write its outbox rows for the
 * services each session reached here too, in the same transaction. */
#ifndef IDP_CORE_SESSION_END_H
#define IDP_CORE_SESSION_END_H

#include "store/db.h"

enum idp_end_scope {
	IDP_END_ONE,		/* session_id */
	IDP_END_OTHERS,		/* every one but session_id */
	IDP_END_ALL,
};

enum idp_end_grants {
	IDP_GRANTS_KEEP,	/* tokens live on (RP-initiated logout) */
	IDP_GRANTS_OF_SESSIONS,	/* grants issued through the ended ones */
	IDP_GRANTS_ALL,		/* every grant of the person (a reset) */
};

struct idp_session_end {
	long long user_id;
	enum idp_end_scope scope;
	long long session_id;
	enum idp_end_grants grants;
	const char *reason;	/* logout, account, password_change,
				 * password_reset: logs and revoked_reason */
	const char *request_id;	/* for the log line */
	/* the outcome */
	int sessions;		/* sessions ended */
	int revoked;		/* grants revoked */
};

/* Inside the caller's transaction (idp_store_tx_begin_durable), with the
 * event that ends the sessions. */
enum idp_err idp_session_end_tx(struct idp_dbconn *c,
    struct idp_session_end *e);
/* In a durable transaction of its own. */
enum idp_err idp_session_end(struct idp_dbconn *c, struct idp_session_end *e);

#endif

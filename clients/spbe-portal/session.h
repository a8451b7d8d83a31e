/*
 * The portal's sessions: a small table in memory, keyed by the random value
 * of the browser's cookie. An entry is either a sign-in in progress (the
 * state, nonce and PKCE verifier /login made, which /callback needs) or a
 * signed-in person (their claims and ID token). Thread-safe; no I/O.
 *
 * A sign-in in progress lives SESSION_TTL seconds from /login. A signed-in
 * session lives until SESSION_TTL seconds pass without a request. The table
 * never grows: when it is full the oldest sign-in in progress makes room,
 * then the least recently used session.
 */
#ifndef SPBE_PORTAL_SESSION_H
#define SPBE_PORTAL_SESSION_H

#include "util.h"

#define SESSION_TTL		600
#define SESSION_MAX		1024
#define SESSION_ID_LEN		RANDOM_TOKEN_LEN

struct session_table;

/* What /login keeps for /callback. */
struct session_login {
	char	sl_state[RANDOM_TOKEN_LEN + 1];
	char	sl_nonce[RANDOM_TOKEN_LEN + 1];
	char	sl_verifier[RANDOM_TOKEN_LEN + 1];
};

struct session_table	*session_table_new(size_t max, long long ttl);
void			 session_table_free(struct session_table *);

/* Starts a sign-in; writes the new session id (the cookie) to sid. */
int	 session_login_new(struct session_table *, long long now,
	    const struct session_login *, char sid[SESSION_ID_LEN + 1])
	    __attribute__((warn_unused_result));

enum session_take {
	SESSION_TAKEN = 0,
	SESSION_NONE,		/* no sign-in in progress for this cookie */
	SESSION_STATE_MISMATCH,	/* kept: the real response may still come */
};

/*
 * If sid has a sign-in in progress whose state equals state (constant
 * time), copies it to out and ends it, so a response is used only once.
 */
enum session_take session_login_take(struct session_table *, long long now,
	    const char *sid, const char *state, struct session_login *out);

/* Creates a signed-in session (a new id: no fixation, OWASP). */
int	 session_user_new(struct session_table *, long long now,
	    const char *claims_json, const char *id_token,
	    char sid[SESSION_ID_LEN + 1])
	    __attribute__((warn_unused_result));

/*
 * Copies the claims and ID token of a signed-in session (caller frees
 * both with wipe_free). Returns 0, or -1 if there is none.
 */
int	 session_user_get(struct session_table *, long long now,
	    const char *sid, char **claims_json, char **id_token);

/* Ends whatever session sid names. */
void	 session_drop(struct session_table *, const char *sid);

#endif

/* SSO sessions, pending logins (the authorization request waiting for a
 * password or for consent). Ids and cookies are
 * stored as SHA-256 digests. */
#ifndef IDP_STORE_SESSION_H
#define IDP_STORE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/digest.h"
#include "store/db.h"
#include "store/directory.h"
#include "util/arena.h"

struct idp_session {
	long long id;
	char *sid;
	int64_t auth_time;
	char *amr;			/* space-separated */
	char *acr;
	int64_t mfa_at;			/* the second factor; 0: none */
	int64_t expires_at;
	int64_t idle_expires_at;
	struct idp_user user;
};

/* A live session: not ended, within both lifetimes. IDP_ERR_NOT_FOUND
 * otherwise. */
enum idp_err idp_store_session_get(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_session **out);

struct idp_session_new {
	const unsigned char *digest;
	const char *sid;
	long long user_id;
	int64_t auth_time;
	int64_t idle_ttl;
	int64_t max_ttl;
	const char *ip;
	const char *user_agent;
	const char *amr;		/* space-separated; NULL: "pwd" */
	const char *acr;		/* NULL: "1" */
	int64_t mfa_at;			/* 0: no second factor */
};
enum idp_err idp_store_session_create(struct idp_dbconn *c,
    const struct idp_session_new *s, long long *id);
/* Record use by client_id and push the idle expiry forward. */
enum idp_err idp_store_session_touch(struct idp_dbconn *c, long long id,
    const char *client_id, int64_t idle_ttl);
enum idp_err idp_store_session_end(struct idp_dbconn *c, long long id);
/* A new password check replaces the browser's session: end the one whose
 * cookie digest is old_digest (if any) and carry the clients reached
 * through it over to new_id when both belong to the same person. */
enum idp_err idp_store_session_replace(struct idp_dbconn *c,
    const unsigned char old_digest[IDP_SHA256_LEN], long long new_id);

struct idp_login {
	char *client_id;		/* NULL for a local sign-in */
	char *params;			/* JSON of struct idp_authz */
	char *next_path;		/* a local sign-in's target, or NULL */
	unsigned char browser_digest[IDP_SHA256_LEN];
	long long session_id;		/* 0 until a password was checked */
	bool completed;
	bool expired;			/* past its lifetime, kept a day */
	/* Waiting for the second factor: the person whose password was
	 * checked (0: none yet), when, and the methods so far. */
	long long factor_user_id;
	int64_t password_at;
	char *password_amr;
};

enum idp_err idp_store_login_create(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN],
    const unsigned char browser[IDP_SHA256_LEN], const char *client_id,
    const char *params, int64_t ttl);
/* A sign-in to the provider's own pages, ending at next_path. */
enum idp_err idp_store_login_create_local(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN],
    const unsigned char browser[IDP_SHA256_LEN], const char *next_path,
    int64_t ttl);
/* A pending login, also an expired or completed one (kept a day after its
 * expiry, so its page can offer to start the same request again): the
 * caller decides. IDP_ERR_NOT_FOUND once it is purged. */
enum idp_err idp_store_login_get(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_login **out);
/* Attach the session a password check created (consent comes next). */
enum idp_err idp_store_login_set_session(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long session_id);
/* The password of user_id was checked at password_at (methods amr): the
 * pending login now waits for the second factor. IDP_ERR_NOT_FOUND when
 * it is gone or completed. */
enum idp_err idp_store_login_set_factor(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], long long user_id,
    int64_t password_at, const char *amr);
/* Mark done; IDP_ERR_CONFLICT if it already was (a replayed form). */
enum idp_err idp_store_login_complete(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN]);

#endif

/*
 * The network side of signing in: discovery at start, the provider's JWK
 * Set (cached, refetched when a new kid appears), and the back-channel part
 * of the callback: code exchange, ID token validation, UserInfo. The rules
 * themselves are in oidc.c.
 */
#ifndef SPBE_PORTAL_FLOW_H
#define SPBE_PORTAL_FLOW_H

#include <pthread.h>
#include <stddef.h>

#include <jansson.h>

#include "oidc.h"
#include "session.h"

struct flow {
	struct oidc_provider	 fl_op;
	struct oidc_client	 fl_client;	/* borrowed strings */
	pthread_mutex_t		 fl_jwks_lock;
	json_t			*fl_jwks;
};

/*
 * Discovers the provider of issuer (retrying for up to wait_seconds while
 * it does not answer) and fetches its JWK Set. Returns 0, or -1 with the
 * reason in err.
 */
int	 flow_init(struct flow *, const struct oidc_client *,
	    const char *issuer, int wait_seconds, char *err, size_t errlen)
	    __attribute__((warn_unused_result));
void	 flow_free(struct flow *);

enum flow_result {
	FLOW_OK = 0,
	FLOW_UNREACHABLE,	/* the provider did not answer properly */
	FLOW_REJECTED,		/* the token endpoint refused the code */
	FLOW_INVALID,		/* a response failed validation */
};

/* Who signed in: what the session keeps. */
struct flow_identity {
	char	*fi_sub;	/* the stable user key (OIDC Core §2) */
	char	*fi_claims;	/* JSON: UserInfo, completed by the ID token */
	char	*fi_id_token;	/* for id_token_hint at logout */
};

/*
 * Exchanges the authorization code and validates everything that comes
 * back. On FLOW_REJECTED, oauth_error holds the token endpoint's error
 * code (e.g. invalid_grant). err gets details for the log.
 */
enum flow_result flow_exchange(struct flow *, const char *code,
	    const struct session_login *, struct flow_identity *,
	    char *oauth_error, size_t oauth_errlen, char *err, size_t errlen);
void	 flow_identity_free(struct flow_identity *);

#endif

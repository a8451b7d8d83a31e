/* What the grants kept in files of their own (token_device.c, RFC 8628;
 * token_exchange.c, RFC 8693) share with the token endpoint. */
#ifndef IDP_ENDPOINT_TOKEN_H
#define IDP_ENDPOINT_TOKEN_H

#include <stdint.h>

#include "http/req.h"
#include "oidc/client.h"
#include "store/directory.h"

/* A person's authorization that became a grant without a code: the
 * device grant. Borrowed. */
struct idp_token_person {
	const struct idp_client *client;
	const struct idp_user *user;
	long long session_id;		/* 0: none */
	const char *sid;
	const char *scope;		/* granted, space-separated */
	int64_t auth_time;
	const char *acr;
	const char *amr;		/* space-separated */
};

/* A new grant for p with its tokens, answered as a code exchange is
 * (RFC 6749 §5.1, OIDC Core §3.1.3.3): an access token, a refresh token
 * when the client may have one, an ID token when openid was granted.
 * *grant_id in the arena. */
enum idp_err idp_token_issue_person(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_token_person *p, char **grant_id);

/* token_device.c: grant_type=urn:ietf:params:oauth:grant-type:device_code. */
enum idp_err idp_token_device(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c);
/* token_exchange.c: grant_type=urn:ietf:params:oauth:grant-type:token-
 * exchange. */
enum idp_err idp_token_exchange(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c);

#endif

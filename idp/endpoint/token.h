/* What the grants kept in files of their own (token_device.c, RFC 8628;
 * token_exchange.c, RFC 8693; token_refresh.c, RFC 6749 §6) share with the
 * token endpoint. */
#ifndef IDP_ENDPOINT_TOKEN_H
#define IDP_ENDPOINT_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mint.h"
#include "crypto/digest.h"
#include "http/req.h"
#include "oidc/client.h"
#include "store/db.h"
#include "store/directory.h"

/* The facts of a grant that its tokens state: the client, the person, what
 * was granted and how the person signed in. A code exchange reads them from
 * the code, a refresh from the grant of its token, client_credentials from
 * the request (no person: the client is the subject). All borrowed. */
struct grant_facts {
	const struct idp_client *client;
	const struct idp_user *user;	/* NULL for client_credentials */
	const char *id;			/* the grant; NULL without one */
	const char *scope;		/* space-separated */
	char **scopes;			/* the same, parsed */
	const char *nonce;		/* from a code only (OIDC Core §12.2) */
	const char *sid;
	int64_t auth_time;		/* 0 without a person */
	const char *acr;
	const char *amr;		/* space-separated */
	char **audience;		/* resource URIs (RFC 8707), maybe none */
	const char *claims;		/* the claims request (OIDC Core §5.5) */
};

/* The tokens of one answer, wiped once it is sent. The store keeps the
 * digests: of the opaque access token (or of the JWT) and of the refresh
 * token. */
struct minted {
	struct idp_secret at;
	struct idp_secret rt;
	const char *access_token;
	bool refresh;
};

/* An access token, and a refresh token when the client may use them. */
enum idp_err idp_token_mint(struct idp_req *rq, const struct grant_facts *g,
    struct minted *t);
void idp_token_minted_wipe(struct minted *t);
/* RFC 9449 §5: the DPoP key a new refresh token of c is bound to, or
 * NULL. */
const char *idp_token_refresh_binding(const struct idp_req *rq,
    const struct idp_client *c);
/* The answer to a code or refresh exchange, once its tokens are stored. */
enum idp_err idp_token_answer(struct idp_req *rq, struct idp_resp *rs,
    const struct grant_facts *g, const struct minted *t);
/* g's scopes of n under the client's policy as it is now, and the
 * request's resource (RFC 8707). */
enum idp_err idp_token_regrant(struct idp_req *rq, struct idp_resp *rs,
    struct grant_facts *g, size_t n);
/* A refused request uses its code or refresh token up (fn, digest d) all
 * the same; the answer stays rc. */
enum idp_err idp_token_burn(struct idp_req *rq,
    enum idp_err (*fn)(struct idp_dbconn *, const unsigned char *),
    const unsigned char d[IDP_SHA256_LEN], enum idp_err rc);
/* A code or refresh token came back after it was used: everything issued
 * under grant_id ends, logged and audited as event. */
void idp_token_revoke_on_reuse(struct idp_req *rq, const struct idp_client *c,
    const char *event, const char *grant_id, const char *reason);

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

/* token_refresh.c: grant_type=refresh_token. */
enum idp_err idp_token_refresh(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c);
/* token_device.c: grant_type=urn:ietf:params:oauth:grant-type:device_code. */
enum idp_err idp_token_device(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c);
/* token_exchange.c: grant_type=urn:ietf:params:oauth:grant-type:token-
 * exchange. */
enum idp_err idp_token_exchange(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c);

#endif

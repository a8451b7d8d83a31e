/* The client credentials of a token, introspection or revocation request
 * (RFC 6749 §2.3, RFC 7523 §2.2 and §3, OIDC Core §9), read from the
 * Authorization header and the form: which method, which client, and the
 * secret or assertion; and the claims a client assertion must carry.
 * Pure: no I/O, so every byte of it can be fuzzed (tests/fuzz/). */
#ifndef IDP_OIDC_CLIENT_AUTH_H
#define IDP_OIDC_CLIENT_AUTH_H

#include <stdint.h>

#include <jansson.h>

#include "oidc/client.h"
#include "util/arena.h"
#include "util/err.h"

#define IDP_ASSERTION_TYPE \
	"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#define IDP_ASSERTION_MAX_LIFETIME 3600	/* seconds from now to exp */
#define IDP_ASSERTION_SKEW 60		/* clock difference tolerated */
#define IDP_ASSERTION_JTI_MAX 256

/* What the request carries; NULL when absent. */
struct idp_client_creds_in {
	const char *authorization;	/* the Authorization header */
	const char *client_id;		/* form parameters */
	const char *client_secret;
	const char *assertion_type;
	const char *assertion;
};

struct idp_client_creds {
	enum idp_auth_method method;
	const char *client_id;		/* NULL: the request names no client */
	const char *secret;		/* Basic and POST */
	const char *assertion;		/* private_key_jwt */
};

/* The credentials of "Authorization: Basic <b64>" (b64 is what follows
 * the scheme). Both parts are form-encoded before base64 (RFC 6749
 * §2.3.1); the client_id must not be empty. -1 when malformed. */
int idp_basic_credentials_parse(struct idp_arena *a, const char *b64,
    const char **client_id, const char **secret);

/* Exactly one method per request. On error returns IDP_ERR_INVALID_CLIENT
 * (malformed Basic credentials) or IDP_ERR_INVALID_REQUEST, with *why for
 * error_description. */
enum idp_err idp_client_creds_parse(struct idp_arena *a,
    const struct idp_client_creds_in *in, struct idp_client_creds *out,
    const char **why);

struct idp_assertion_claims {
	const char *jti;	/* borrowed from the payload */
	int64_t exp;
};

/* RFC 7523 §3 for a client assertion whose signature was verified: iss and
 * sub are the client, aud names one of audiences (NULL-terminated), exp
 * within IDP_ASSERTION_MAX_LIFETIME of now, nbf not in the future, a jti.
 * On error returns IDP_ERR_INVALID_CLIENT with *why. */
enum idp_err idp_assertion_check_claims(json_t *payload,
    const char *client_id, const char *const *audiences, int64_t now,
    struct idp_assertion_claims *out, const char **why);

#endif

/* Token exchange (RFC 8693) as pure rules: the policy a client manifest
 * gives (which subject tokens the client may exchange, for which
 * audience, with which scopes), the token types, the scope of the new
 * token, and the act claim of a delegation. No I/O.
 *
 * The policy is the client's `token_exchange` member, an operator's
 * decision (never accepted through /register):
 *
 *	"token_exchange": [
 *	  { "audience": "https://sipd.baliprov.go.id/connector/api/",
 *	    "scopes": ["sipd.read"],
 *	    "subject_clients": ["e-budgeting"] }
 *	]
 *
 * Each rule names one audience (an absolute URI, matched against the
 * request's `resource` or `audience`, or a client_id, matched against
 * `audience`), the scopes a token for it may carry (within the client's
 * registered scope), and the clients whose people's tokens may be
 * exchanged besides the client's own. The new token never carries more
 * than the subject token did: its scope is within the subject token's,
 * its life within the subject token's, its person the subject token's. */
#ifndef IDP_OIDC_EXCHANGE_H
#define IDP_OIDC_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/arena.h"
#include "util/err.h"

#define IDP_GRANT_TYPE_TOKEN_EXCHANGE \
	"urn:ietf:params:oauth:grant-type:token-exchange"
#define IDP_TOKEN_TYPE_ACCESS "urn:ietf:params:oauth:token-type:access_token"
#define IDP_TOKEN_TYPE_JWT "urn:ietf:params:oauth:token-type:jwt"

#define IDP_EXCHANGE_RULES_MAX 16
#define IDP_EXCHANGE_LIST_MAX 32

struct idp_exchange_rule {
	const char *audience;
	char **scopes;			/* NULL-terminated */
	char **subject_clients;		/* NULL-terminated, maybe empty */
};

/* Validate a token_exchange member against the client's registered
 * scopes (ceiling). *out is the normalised copy (a new reference).
 * IDP_ERR_INVALID_CLIENT_METADATA with *why naming the rule at fault. */
enum idp_err idp_exchange_policy_check(struct idp_arena *a, json_t *in,
    char *const *ceiling, json_t **out, const char **why);

/* The rules of a stored (validated) policy; *n 0 for none. -1 when it
 * does not parse (a row written by an older version). */
int idp_exchange_policy_parse(struct idp_arena *a, json_t *v,
    struct idp_exchange_rule **out, size_t *n);

/* The rule of the target the request names by audience and/or resource
 * (both: they must name the same rule); with neither, the only rule when
 * there is exactly one. IDP_ERR_INVALID_TARGET when no rule covers it,
 * IDP_ERR_INVALID_REQUEST when the target is ambiguous. */
enum idp_err idp_exchange_rule_find(const struct idp_exchange_rule *r,
    size_t n, const char *audience, const char *resource,
    const struct idp_exchange_rule **out, const char **why);

/* May client exchange a token issued to subject_client under rule? */
bool idp_exchange_subject_ok(const struct idp_exchange_rule *rule,
    const char *client_id, const char *subject_client);

/* The scope of the new token: what was asked for (requested, or NULL for
 * all of the rule's), each value in the rule, in the subject token's
 * scope and in the client's ceiling. IDP_ERR_INVALID_SCOPE when a value
 * asked for is outside, or nothing is left. *scope in the arena. */
enum idp_err idp_exchange_scope(struct idp_arena *a,
    const struct idp_exchange_rule *rule, char *const *subject,
    char *const *ceiling, const char *requested, const char **scope,
    const char **why);

/* subject_token_type / actor_token_type (§2.1): access_token for any of
 * the provider's access tokens, jwt for its JWT access tokens only.
 * IDP_ERR_INVALID_REQUEST otherwise. */
enum idp_err idp_exchange_token_type(const char *type, const char *token,
    const char **why);

/* requested_token_type (§2.1): absent or access_token (the client's
 * registered format), or jwt (a JWT access token). *jwt and the
 * issued_token_type of the answer (§2.2.1). */
enum idp_err idp_exchange_requested(const char *requested, bool client_jwt,
    bool *jwt, const char **issued_type, const char **why);

/* The act claim of a delegation (§4.1): the current actor, with the chain
 * of the subject token (its own act, may be NULL) nested inside. A new
 * reference. */
json_t *idp_exchange_act(const char *actor_sub, json_t *subject_act);

/* The answer (§2.2.1), a new reference: access_token, issued_token_type,
 * token_type Bearer, expires_in, and scope. */
json_t *idp_exchange_response(const char *access_token,
    const char *issued_type, long long expires_in, const char *scope);

#endif

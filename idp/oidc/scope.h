/* Scopes (RFC 6749 §3.3): parsing, the standard scopes the provider grants
 * by policy, and the one rule that decides what a request gets.
 *
 * The grant rule, for /authorize and every grant at /token:
 *  - a value the client may not have is dropped, whether nobody knows it
 *    (OIDC Core §3.1.2.1: unknown values are ignored) or it is an API
 *    scope its resource server did not allow this client (RFC 6749 §3.3:
 *    the server may issue a narrower scope, and says so in `scope`);
 *  - identity scopes need a person: client_credentials drops them;
 *  - a `resource` (RFC 8707) keeps only the API scopes of that resource
 *    server, and must be one the client may reach (invalid_target);
 *  - when nothing is left, the request fails with invalid_scope.
 * The audience of a token is the resource servers whose scopes it carries.
 * Registration is stricter: an unknown or not allowed value is refused. */
#ifndef IDP_OIDC_SCOPE_H
#define IDP_OIDC_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "oidc/client.h"
#include "store/api.h"
#include "util/arena.h"
#include "util/err.h"

#define IDP_SCOPE_MAX_LEN 1024
#define IDP_SCOPE_MAX_ITEMS 32
#define IDP_SCOPE_OFFLINE "offline_access"
/* The person's roles and groups (oidc/claims.h): granted by policy like
 * the standard scopes, but only to first-party clients that register it,
 * and not advertised in discovery (RFC 8414 §2 lets a server keep a
 * scope unlisted), so that self-registered clients never expect it. */
#define IDP_SCOPE_ROLES "roles"

/* The standard scopes, granted by policy (discovery lists them). */
extern const char *const idp_scopes_known[];
/* One of those, or roles: a scope of the provider's policy, not an API's. */
bool idp_scope_is_standard(const char *s);

/* A scope token is 1*( %x21 / %x23-5B / %x5D-7E ) (RFC 6749 §3.3). */
bool idp_scope_token_valid(const char *s);

/* Parse a scope string into a de-duplicated list. IDP_ERR_INVALID_SCOPE on
 * bad syntax, too many items or too long. */
enum idp_err idp_scope_parse(struct idp_arena *a, const char *s,
    char ***out, size_t *n);

/* Join a list with single spaces. */
char *idp_scope_join(struct idp_arena *a, char *const *v, size_t n);

/* Every requested scope must be allowed; IDP_ERR_INVALID_SCOPE otherwise. */
enum idp_err idp_scope_check_allowed(char *const *req, size_t n,
    char *const *allowed);

/* Is every item of sub also in super? (consent already covers it) */
bool idp_scope_subset(char *const *sub, char *const *super);

/* v without s, a new list in the arena; *n its length. */
char **idp_scope_without(struct idp_arena *a, char *const *v, const char *s,
    size_t *n);

/* What a request was granted. Lists are NULL-terminated, in the arena. */
struct idp_scope_grant {
	char **scopes;
	size_t n;
	const char *scope;	/* joined, the `scope` of the response */
	char **dropped;		/* asked for, not granted (for the log) */
	size_t ndropped;
	char **audience;	/* resource URIs of the API scopes granted */
};

/* The grant rule above. req/n: the scopes asked for; for
 * client_credentials without a scope parameter pass req NULL, and the
 * client's registered API scopes are the default (§3.3). person: an
 * authorization for a person (identity scopes apply). resource: NULL or
 * the RFC 8707 parameter. Errors: IDP_ERR_INVALID_SCOPE, _INVALID_TARGET. */
enum idp_err idp_scope_grant(struct idp_arena *a, const struct idp_client *c,
    char *const *req, size_t n, bool person, const char *resource,
    struct idp_scope_grant *out, const char **why);

/* The audience of scopes the client holds: the resource URIs of their
 * resource servers (none for identity scopes alone: the provider's own
 * token, for userinfo). */
char **idp_scope_audience(struct idp_arena *a, const struct idp_client *c,
    char *const *scopes);

/* May a resource given at the token endpoint (code and refresh grants)
 * name these granted scopes' audience? 0 when it may. */
int idp_scope_resource_covered(char *const *audience, const char *resource);

/* OIDC Core §11: may offline_access stay in an authorization? Always for
 * first-party clients (they never see a consent screen); for third-party
 * ones only when the request says prompt=consent or the person already
 * consented to offline access (consented: their stored consent, or NULL). */
bool idp_scope_offline_ok(bool first_party, bool prompt_consent,
    char *const *consented);

/* A refresh token for these granted scopes? Needs the refresh_token
 * grant, and for third-party clients offline_access (§11); first-party
 * clients get one with the grant alone. */
bool idp_scope_refresh_ok(const struct idp_client *c, char *const *granted);

/* Registration (RFC 7591 §2, manifests): check its API scopes as the
 * store knows them (states[i] for api[i]); IDP_ERR_INVALID_CLIENT_METADATA
 * names the first value at fault in *why. Standard scopes are checked with the rest of the
 * metadata (oidc/client.c). */
enum idp_err idp_scope_registration_check(struct idp_arena *a,
    char *const *api, const enum idp_api_scope_state *states,
    const char **why);
/* Split a registered scope into its standard and its API values. */
void idp_scope_split(struct idp_arena *a, char *const *v, char ***standard,
    char ***api);

#endif

/* A relying party as the protocol sees it: metadata validated once
 * (RFC 7591 §2, OIDC Dynamic Registration §2) and parsed into a struct.
 * Validation refuses what is unsafe: http redirect URIs except loopback,
 * fragments, wildcards, userinfo, relative URIs. Pure: no I/O. */
#ifndef IDP_OIDC_CLIENT_H
#define IDP_OIDC_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "crypto/digest.h"
#include "crypto/key.h"
#include "store/client.h"
#include "util/arena.h"
#include "util/err.h"

enum idp_auth_method {
	IDP_AUTH_BASIC = 1,
	IDP_AUTH_POST,
	IDP_AUTH_PRIVATE_KEY_JWT,
	IDP_AUTH_NONE,
};

#define IDP_GRANT_CODE 1u
#define IDP_GRANT_REFRESH 2u
#define IDP_GRANT_CLIENT_CREDENTIALS 4u
#define IDP_GRANT_DEVICE_CODE 8u	/* RFC 8628 */
#define IDP_GRANT_TOKEN_EXCHANGE 16u	/* RFC 8693 */

#define IDP_URI_MAX 2000
#define IDP_CLIENT_URIS_MAX 32
#define IDP_DEFAULT_MAX_AGE_MAX 31536000	/* one year, in seconds */

/* Flags of idp_client_metadata_validate. */
#define IDP_META_DYNAMIC 1u	/* submitted through /register */
#define IDP_META_OUTBOUND_LOOPBACK 2u	/* outbound_allow_loopback is on */
#define IDP_META_FIRST_PARTY 4u	/* a manifest with first_party: true */

extern const char *const idp_grant_types_supported[];

/* An API scope a client may have, with the resource server that offers
 * it (a client of the directory) and that server's resource URIs. */
struct idp_api_scope {
	char *scope;
	char *server;			/* the resource server's client_id */
	char **resources;		/* RFC 8707 resource URIs */
};

/* Self-registered clients wait for an operator (clients.approval). */
enum idp_approval {
	IDP_APPROVAL_APPROVED = 0,
	IDP_APPROVAL_PENDING,
	IDP_APPROVAL_REJECTED,
};
extern const char *const idp_auth_methods_supported[];

struct idp_client {
	struct idp_arena *arena;	/* owns everything below */
	char *client_id;
	json_t *metadata;		/* the validated document */
	const char *name;
	enum idp_auth_method auth;
	unsigned grants;
	char **redirect_uris;
	char **post_logout_redirect_uris;
	const char *backchannel_logout_uri;
	/* The ceiling of what the client may ask for: the standard scopes
	 * of its registration, and its registered API scopes that their
	 * resource servers allow now, plus approved scope requests.
	 * NULL-terminated; api[] describes the API ones. */
	char **scopes;
	struct idp_api_scope *api;
	size_t napi;
	char **offered;			/* API scopes it offers as a server */
	char **resources;		/* and its resource URIs */
	enum idp_approval approval;
	const char *approval_reason;
	enum idp_alg id_token_alg;
	bool jwt_access_tokens;
	enum idp_alg access_token_alg;	/* for JWT access tokens */
	/* userinfo_signed_response_alg: userinfo answers as a signed JWT
	 * (OIDC Core §5.3.2) when registered. */
	bool userinfo_signed;
	enum idp_alg userinfo_alg;
	/* subject_type pairwise (OIDC Core §8.1): its sector identifier
	 * (oidc/subject.h); NULL for public clients. */
	const char *sector;
	json_t *jwks;			/* for private_key_jwt, or NULL */
	const char *jwks_uri;
	/* Shown only when https and on the registrable domain of one of the
	 * redirect URIs (oidc/site.h); otherwise NULL here, the registered
	 * value stays in metadata and withheld says so. */
	const char *logo_uri;
	const char *client_uri;
	const char *policy_uri;
	const char *tos_uri;
	struct {
		bool logo, client, policy, tos;
	} withheld;
	const char *client_uri_host;	/* of the shown client_uri */
	char **contacts;		/* NULL-terminated, maybe empty */
	int64_t default_max_age;	/* -1 when not registered */
	/* Every sign-in to the client needs a second factor (its
	 * registration metadata or manifest: "require_mfa": true). */
	bool require_mfa;
	/* How it sends requests (oidc/client_request.h). */
	bool require_par;		/* RFC 9126 §6 */
	bool require_signed_request;	/* RFC 9101 §10.5 */
	enum idp_alg request_object_alg;	/* IDP_ALG_NONE: any of ours */
	bool dpop_bound;		/* RFC 9449 §5.2 */
	bool first_party;
	bool enabled;
	bool has_secret;
	unsigned char secret_digest[IDP_SHA256_LEN];
	char *owner_org;
	const char *owner_org_name;	/* NULL without an owner */
	int64_t updated_at;
};

/* Validate and normalise metadata (defaults filled in, unknown members
 * dropped). IDP_META_DYNAMIC: submitted through /register, where the
 * provider's own extensions (first_party) are not accepted. URIs the
 * provider calls (jwks_uri, backchannel_logout_uri) follow
 * oidc/outbound.h; IDP_META_OUTBOUND_LOOPBACK lets them name loopback.
 * On error returns IDP_ERR_INVALID_REDIRECT_URI or
 * IDP_ERR_INVALID_CLIENT_METADATA and sets *why to a sentence for
 * error_description. *out is a new reference. */
enum idp_err idp_client_metadata_validate(struct idp_arena *a, json_t *in,
    unsigned flags, json_t **out, const char **why);

/* A single redirect-style URI: 0 when acceptable. public_native allows
 * private-use schemes (RFC 8252 §7.1) such as id.go.baliprov.app:/cb. */
int idp_uri_check(const char *uri, bool public_native, const char **why);

enum idp_auth_method idp_auth_method_parse(const char *s);
const char *idp_auth_method_name(enum idp_auth_method m);

/* Parse a stored row (metadata already validated). NULL on a row that no
 * longer validates (logged by the caller). */
struct idp_client *idp_client_from_row(const struct idp_client_row *row);
void idp_client_free(struct idp_client *c);	/* accepts NULL */

/* Exact string comparison against the registered list (no wildcards, no
 * prefix or case folding). */
bool idp_client_redirect_registered(const struct idp_client *c,
    const char *uri);
bool idp_client_post_logout_registered(const struct idp_client *c,
    const char *uri);

#endif

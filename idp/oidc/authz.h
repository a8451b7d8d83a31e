/* The authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636
 * §4.3) validated against a client. Two stages, as the specs demand: a bad
 * client or redirect_uri must never redirect (an error page), every later
 * error goes back to the redirect URI. Pure: no I/O. */
#ifndef IDP_OIDC_AUTHZ_H
#define IDP_OIDC_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "oidc/client.h"
#include "oidc/pkce.h"
#include "util/arena.h"
#include "util/err.h"

#define IDP_STATE_MAX 2048
#define IDP_NONCE_MAX 512
#define IDP_HINT_MAX 8192

struct idp_authz_raw {
	const char *response_type;
	const char *client_id;
	const char *redirect_uri;
	const char *scope;
	const char *state;
	const char *nonce;
	const char *prompt;
	const char *max_age;
	const char *code_challenge;
	const char *code_challenge_method;
	const char *login_hint;
	const char *id_token_hint;
	const char *ui_locales;
	const char *response_mode;
	const char *dpop_jkt;		/* RFC 9449 §10 */
	const char *request;
	const char *request_uri;
	const char *registration;
	const char *resource;		/* RFC 8707 */
	const char *acr_values;		/* OIDC Core §3.1.2.1 */
	const char *claims;		/* OIDC Core §5.5 */
};

/* How the authorization response travels (OAuth 2.0 Multiple Response
 * Type Encoding Practices §2.1, OAuth 2.0 Form Post Response Mode). */
enum idp_response_mode {
	IDP_RESPONSE_QUERY = 0,		/* the default for code */
	IDP_RESPONSE_FORM_POST,
};

struct idp_authz {
	const char *client_id;
	const char *redirect_uri;
	const char *state;		/* NULL when absent */
	const char *nonce;
	const char *code_challenge;
	enum idp_pkce_method pkce;
	/* What is granted (oidc/scope.h: values the client may not have
	 * are dropped); scope is the same, space-joined. */
	char **scopes;
	size_t nscopes;
	const char *scope;
	char **scopes_dropped;		/* asked for, not granted */
	size_t ndropped;
	const char *resource;		/* RFC 8707, or NULL */
	bool openid;
	bool prompt_none;
	bool prompt_login;
	bool prompt_consent;
	bool prompt_select_account;
	int64_t max_age;		/* -1 when absent */
	const char *login_hint;
	const char *id_token_hint;
	const char *ui_locales;
	/* acr_values as asked (NULL when absent), and whether it asks for
	 * a second factor: it names IDP_ACR_MFA and not IDP_ACR_PASSWORD
	 * (values are voluntary, in order of preference; unknown ones are
	 * ignored). */
	const char *acr_values;
	bool acr_mfa;
	const char *dpop_jkt;		/* the code's DPoP key, or NULL */
	enum idp_response_mode response_mode;
	/* The claims request (oidc/claims_req.h), normalised, or NULL; and
	 * the sub its id_token member asks for (§3.1.2.2), or NULL. */
	const char *claims;
	const char *claims_sub;
};

struct idp_authz_opts {
	bool allow_plain_pkce;
	/* Where the parameters came from (endpoint/authz_params.h), and
	 * whether the provider wants every client to push (RFC 9126 §5). */
	bool pushed;
	bool signed_request;
	bool require_par;
};

/* Stage 1: may we redirect at all? IDP_OK when redirect_uri is present
 * and registered exactly. Otherwise an error for a page, with *why. */
enum idp_err idp_authz_check_redirect(const struct idp_client *c,
    const char *redirect_uri, const char **why);

/* Stage 2: everything else. On error *why is the error_description sent
 * back to the client. */
enum idp_err idp_authz_validate(struct idp_arena *a,
    const struct idp_client *c, const struct idp_authz_raw *raw,
    const struct idp_authz_opts *opts, struct idp_authz *out,
    const char **why);

/* For the pending-login table; from_json trusts its input (we wrote it). */
json_t *idp_authz_to_json(const struct idp_authz *z);
int idp_authz_from_json(struct idp_arena *a, json_t *o, struct idp_authz *z);

/* The same request as an /authorize query string, to start it again
 * (an expired login page): every parameter the pending login kept. NULL
 * when it would exceed 16 KiB. */
char *idp_authz_to_query(struct idp_arena *a, const struct idp_authz *z);

#endif

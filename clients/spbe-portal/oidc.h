/*
 * The relying party's protocol rules, as pure functions with no I/O:
 * discovery document checks, PKCE, the authorization request URL, client
 * authentication, the token response, ID token and UserInfo validation,
 * the logout URL. flow.c does the HTTP; the unit tests call these directly.
 */
#ifndef SPBE_PORTAL_OIDC_H
#define SPBE_PORTAL_OIDC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* What the portal needs from the discovery document (OIDC Discovery §3). */
struct oidc_provider {
	char	*op_issuer;
	char	*op_authorization_endpoint;
	char	*op_token_endpoint;
	char	*op_userinfo_endpoint;
	char	*op_jwks_uri;
	char	*op_end_session_endpoint;	/* NULL: not advertised */
	bool	 op_iss_parameter_supported;	/* RFC 9207 §3 */
};

/* The portal's own registration. All strings borrowed. */
struct oidc_client {
	const char	*oc_client_id;
	const char	*oc_client_secret;
	const char	*oc_redirect_uri;
};

/* Leeway for clock differences when checking exp and iat. */
#define OIDC_LEEWAY_SECONDS	60

/*
 * Whether url may be an issuer or endpoint: https, or http only to this
 * machine (127.0.0.1, [::1], localhost) for development. No fragment.
 */
bool	 oidc_url_ok(const char *url);

/*
 * Parses and checks a discovery document fetched for issuer. Returns 0, or
 * -1 with a reason in err. Free the result with oidc_provider_free().
 */
int	 oidc_discovery_parse(const char *doc, size_t len, const char *issuer,
	    struct oidc_provider *, char *err, size_t errlen)
	    __attribute__((warn_unused_result));
void	 oidc_provider_free(struct oidc_provider *);

/* RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))), 43 characters. */
#define OIDC_PKCE_CHALLENGE_LEN	43
int	 oidc_pkce_challenge(const char *verifier,
	    char out[OIDC_PKCE_CHALLENGE_LEN + 1])
	    __attribute__((warn_unused_result));

/* The URL to send the browser to (OIDC Core §3.1.2.1). Caller frees. */
char	*oidc_authorize_url(const struct oidc_provider *,
	    const struct oidc_client *, const char *state, const char *nonce,
	    const char *code_challenge);

/* The Authorization header value for client_secret_basic. Wipe it. */
char	*oidc_basic_auth(const char *client_id, const char *client_secret);

/* The token request body (RFC 6749 §4.1.3, RFC 7636 §4.5). Wipe it. */
char	*oidc_token_form(const struct oidc_client *, const char *code,
	    const char *code_verifier);

/* The token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
struct oidc_tokens {
	char	*ot_access_token;
	char	*ot_id_token;
};
int	 oidc_token_response_parse(const char *body, size_t len,
	    struct oidc_tokens *, char *err, size_t errlen)
	    __attribute__((warn_unused_result));
/* Wipes and frees the tokens. */
void	 oidc_tokens_free(struct oidc_tokens *);

/*
 * The "error" code of an OAuth error response (RFC 6749 §5.2), copied into
 * out if it has the allowed characters; "" otherwise.
 */
void	 oidc_error_code(const char *body, size_t len, char *out,
	    size_t outlen);

/* Outcome of checking an ID token's signature. */
enum oidc_sig {
	OIDC_SIG_OK = 0,
	OIDC_SIG_UNKNOWN_KEY,	/* no key in the JWKS: refetch it once */
	OIDC_SIG_INVALID,
};

/*
 * Verifies the JWS signature of an ID token with the provider's JWK Set
 * (OIDC Core §3.1.3.7 step 6) and returns its claims in *claims (caller
 * json_decref()s). Only RS256 and ES256 are accepted.
 */
enum oidc_sig oidc_id_token_verify(const char *id_token, const json_t *jwks,
	    json_t **claims, char *err, size_t errlen)
	    __attribute__((warn_unused_result));

/* What the ID token's claims must say. All strings borrowed. */
struct oidc_expect {
	const char	*oe_issuer;
	const char	*oe_client_id;
	const char	*oe_nonce;
	const char	*oe_access_token;
	long long	 oe_now;	/* seconds since the epoch */
};

/*
 * Checks the claims of a signature-verified ID token (OIDC Core §3.1.3.7
 * steps 2-5, 9-11, and §3.1.3.8 at_hash). Returns 0 when every check
 * passed, or -1 naming the first that failed.
 */
int	 oidc_id_token_check(const json_t *claims, const struct oidc_expect *,
	    char *err, size_t errlen)
	    __attribute__((warn_unused_result));

/* OIDC Core §3.2.2.9: base64url of the left half of SHA-256(token). */
#define OIDC_AT_HASH_LEN	22
int	 oidc_at_hash(const char *access_token, char out[OIDC_AT_HASH_LEN + 1])
	    __attribute__((warn_unused_result));

/*
 * Parses a UserInfo response and checks its sub is the ID token's (OIDC
 * Core §5.3.2). Returns the claims in *claims, or -1 with a reason.
 */
int	 oidc_userinfo_parse(const char *body, size_t len, const char *sub,
	    json_t **claims, char *err, size_t errlen)
	    __attribute__((warn_unused_result));

/* The end-session URL (OpenID Connect RP-Initiated Logout 1.0 §2). */
char	*oidc_logout_url(const struct oidc_provider *, const char *client_id,
	    const char *id_token_hint, const char *post_logout_redirect_uri);

#endif

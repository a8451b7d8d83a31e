/* One error type travels through the provider; only http/response.c turns it
 * into an HTTP status, an OAuth error code or an error page.
 * Values are never renumbered: they appear in logs. */
#ifndef IDP_UTIL_ERR_H
#define IDP_UTIL_ERR_H

enum idp_err {
	IDP_OK = 0,
	IDP_ERR_INTERNAL = 1,		/* a bug or a library failure: 500 */
	IDP_ERR_NOMEM = 2,
	IDP_ERR_UNAVAILABLE = 3,	/* database down, queue full: 503 */
	IDP_ERR_NOT_FOUND = 4,
	IDP_ERR_METHOD = 5,
	IDP_ERR_TOO_LARGE = 6,
	IDP_ERR_BAD_REQUEST = 7,	/* malformed HTTP-level input */
	/* OAuth 2.0 / OIDC protocol errors, named as the RFCs name them */
	IDP_ERR_INVALID_REQUEST = 20,
	IDP_ERR_INVALID_CLIENT = 21,
	IDP_ERR_INVALID_GRANT = 22,
	IDP_ERR_UNAUTHORIZED_CLIENT = 23,
	IDP_ERR_UNSUPPORTED_GRANT_TYPE = 24,
	IDP_ERR_INVALID_SCOPE = 25,
	IDP_ERR_ACCESS_DENIED = 26,
	IDP_ERR_UNSUPPORTED_RESPONSE_TYPE = 27,
	IDP_ERR_LOGIN_REQUIRED = 28,
	IDP_ERR_CONSENT_REQUIRED = 29,
	IDP_ERR_INTERACTION_REQUIRED = 30,
	IDP_ERR_ACCOUNT_SELECTION_REQUIRED = 31,
	IDP_ERR_INVALID_TOKEN = 32,
	IDP_ERR_INSUFFICIENT_SCOPE = 33,
	IDP_ERR_UNSUPPORTED_TOKEN_TYPE = 34,
	IDP_ERR_INVALID_REDIRECT_URI = 35,
	IDP_ERR_INVALID_CLIENT_METADATA = 36,
	IDP_ERR_REQUEST_NOT_SUPPORTED = 37,
	IDP_ERR_REQUEST_URI_NOT_SUPPORTED = 38,
	IDP_ERR_TEMPORARILY_UNAVAILABLE = 39,
	IDP_ERR_CONFLICT = 40,		/* a unique key already exists */
	IDP_ERR_FORBIDDEN = 41,
};

/* The OAuth "error" value, or a short name for the non-OAuth errors. */
const char *idp_err_str(enum idp_err e);

#endif

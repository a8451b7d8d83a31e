/* One error type travels through the provider; only http/response.c turns it
 * into what a client sees, and it reads all of that from one table. */
#ifndef IDP_UTIL_ERR_H
#define IDP_UTIL_ERR_H

#include <stddef.h>

/* What clients see instead of the caller's sentence for a 5xx: the detail
 * (SQL state, OpenSSL text) belongs in the log. */
#define IDP_DESC_SERVER_ERROR "The server could not complete the request."
#define IDP_DESC_UNAVAILABLE \
	"The service is temporarily unavailable; retry shortly."

/*
 * The error table, one row per value:
 *   the value, its number (never renumbered: numbers appear in logs),
 *   the "error" a client sees, the HTTP status, and the description shown
 *   instead of the caller's (NULL: the caller's sentence is shown).
 * Names are OAuth's (RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009
 * §2.2.1, RFC 7591 §3.2.2, RFC 8707 §2, OIDC Core §3.1.2.6, RFC 9101 §6.2,
 * RFC 9449 §12.2, OIDC Unmet Authentication Requirements 1.0) except ok,
 * not_found, method_not_allowed, request_too_large, conflict and forbidden: the
 * provider's own, for answers outside OAuth.
 * tests/unit/test_util_err.c checks every row against the RFCs.
 */
#define IDP_ERR_TABLE(X)						\
	X(IDP_OK, 0, "ok", 200, NULL)					\
	/* a bug or a library failure */				\
	X(IDP_ERR_INTERNAL, 1, "server_error", 500, IDP_DESC_SERVER_ERROR) \
	X(IDP_ERR_NOMEM, 2, "server_error", 500, IDP_DESC_SERVER_ERROR)	\
	/* the database is away or the hash queue is full */		\
	X(IDP_ERR_UNAVAILABLE, 3, "temporarily_unavailable", 503,	\
	    IDP_DESC_UNAVAILABLE)					\
	X(IDP_ERR_NOT_FOUND, 4, "not_found", 404, NULL)			\
	X(IDP_ERR_METHOD, 5, "method_not_allowed", 405, NULL)		\
	X(IDP_ERR_TOO_LARGE, 6, "request_too_large", 413, NULL)		\
	/* malformed HTTP-level input */				\
	X(IDP_ERR_BAD_REQUEST, 7, "invalid_request", 400, NULL)		\
	/* OAuth 2.0 / OIDC protocol errors, named as the RFCs name them */ \
	X(IDP_ERR_INVALID_REQUEST, 20, "invalid_request", 400, NULL)	\
	X(IDP_ERR_INVALID_CLIENT, 21, "invalid_client", 401, NULL)	\
	X(IDP_ERR_INVALID_GRANT, 22, "invalid_grant", 400, NULL)	\
	X(IDP_ERR_UNAUTHORIZED_CLIENT, 23, "unauthorized_client", 400, NULL) \
	X(IDP_ERR_UNSUPPORTED_GRANT_TYPE, 24, "unsupported_grant_type",	\
	    400, NULL)							\
	X(IDP_ERR_INVALID_SCOPE, 25, "invalid_scope", 400, NULL)	\
	X(IDP_ERR_ACCESS_DENIED, 26, "access_denied", 400, NULL)	\
	X(IDP_ERR_UNSUPPORTED_RESPONSE_TYPE, 27,			\
	    "unsupported_response_type", 400, NULL)			\
	X(IDP_ERR_LOGIN_REQUIRED, 28, "login_required", 400, NULL)	\
	X(IDP_ERR_CONSENT_REQUIRED, 29, "consent_required", 400, NULL)	\
	X(IDP_ERR_INTERACTION_REQUIRED, 30, "interaction_required",	\
	    400, NULL)							\
	X(IDP_ERR_ACCOUNT_SELECTION_REQUIRED, 31,			\
	    "account_selection_required", 400, NULL)			\
	X(IDP_ERR_INVALID_TOKEN, 32, "invalid_token", 401, NULL)	\
	X(IDP_ERR_INSUFFICIENT_SCOPE, 33, "insufficient_scope", 403, NULL) \
	X(IDP_ERR_UNSUPPORTED_TOKEN_TYPE, 34, "unsupported_token_type",	\
	    400, NULL)							\
	X(IDP_ERR_INVALID_REDIRECT_URI, 35, "invalid_redirect_uri",	\
	    400, NULL)							\
	X(IDP_ERR_INVALID_CLIENT_METADATA, 36, "invalid_client_metadata", \
	    400, NULL)							\
	X(IDP_ERR_REQUEST_NOT_SUPPORTED, 37, "request_not_supported",	\
	    400, NULL)							\
	X(IDP_ERR_REQUEST_URI_NOT_SUPPORTED, 38,			\
	    "request_uri_not_supported", 400, NULL)			\
	X(IDP_ERR_TEMPORARILY_UNAVAILABLE, 39, "temporarily_unavailable", \
	    503, IDP_DESC_UNAVAILABLE)					\
	/* a unique key already exists */				\
	X(IDP_ERR_CONFLICT, 40, "conflict", 409, NULL)			\
	X(IDP_ERR_FORBIDDEN, 41, "forbidden", 403, NULL)		\
	/* RFC 8707 §2: a resource indicator the server will not serve */ \
	X(IDP_ERR_INVALID_TARGET, 42, "invalid_target", 400, NULL)	\
	/* RFC 8628 §3.5: the answers to a device that polls */	\
	X(IDP_ERR_AUTHORIZATION_PENDING, 55, "authorization_pending",	\
	    400, NULL)							\
	X(IDP_ERR_SLOW_DOWN, 56, "slow_down", 400, NULL)		\
	X(IDP_ERR_EXPIRED_TOKEN, 57, "expired_token", 400, NULL)	\
	/* request objects and pushed requests (RFC 9101 §6.2) */	\
	X(IDP_ERR_INVALID_REQUEST_OBJECT, 50, "invalid_request_object",	\
	    400, NULL)							\
	X(IDP_ERR_INVALID_REQUEST_URI, 51, "invalid_request_uri", 400, NULL) \
	/* DPoP (RFC 9449 §5, §8); a resource server answers them 401 */ \
	X(IDP_ERR_INVALID_DPOP_PROOF, 52, "invalid_dpop_proof", 400, NULL) \
	X(IDP_ERR_USE_DPOP_NONCE, 53, "use_dpop_nonce", 400, NULL)	\
	/* OIDC Unmet Authentication Requirements 1.0 §1: an essential	\
	 * acr the sign-in cannot meet (OIDC Core §5.5.1.1) */		\
	X(IDP_ERR_UNMET_AUTHENTICATION_REQUIREMENTS, 58,		\
	    "unmet_authentication_requirements", 400, NULL)

enum idp_err {
#define IDP_ERR_ENUM(id, num, name, status, desc) id = num,
	IDP_ERR_TABLE(IDP_ERR_ENUM)
#undef IDP_ERR_ENUM
};

struct idp_err_info {
	enum idp_err err;
	const char *name;	/* the OAuth "error" value */
	int status;		/* HTTP status */
	const char *desc;	/* replaces the caller's sentence; or NULL */
};

/* The row of e; a value outside the table (a bug) gets IDP_ERR_INTERNAL's. */
const struct idp_err_info *idp_err_info(enum idp_err e);
/* Every row, in value order (for tests and documentation). */
const struct idp_err_info *idp_err_rows(size_t *n);

/* The OAuth "error" value, or the short name of a non-OAuth error. */
const char *idp_err_str(enum idp_err e);
int idp_err_status(enum idp_err e);
/* What a client may read about e: the table's fixed sentence when it has
 * one, else the caller's (which may be NULL: no description). */
const char *idp_err_public_desc(enum idp_err e, const char *desc);

/* Fail with the sentence a client will read (error_description, or the
 * text of an error page): *why = desc, and e is returned. oidc/ rules fill
 * the caller's why; endpoints use idp_fail() (http/response.h), which fills
 * the response's. */
static inline enum idp_err
idp_fail_why(const char **why, enum idp_err e, const char *desc)
{
	*why = desc;
	return e;
}

#endif

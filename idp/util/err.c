#include "util/err.h"

const char *
idp_err_str(enum idp_err e)
{
	switch (e) {
	case IDP_OK: return "ok";
	case IDP_ERR_INTERNAL: return "server_error";
	case IDP_ERR_NOMEM: return "server_error";
	case IDP_ERR_UNAVAILABLE: return "temporarily_unavailable";
	case IDP_ERR_NOT_FOUND: return "not_found";
	case IDP_ERR_METHOD: return "method_not_allowed";
	case IDP_ERR_TOO_LARGE: return "request_too_large";
	case IDP_ERR_BAD_REQUEST: return "invalid_request";
	case IDP_ERR_INVALID_REQUEST: return "invalid_request";
	case IDP_ERR_INVALID_CLIENT: return "invalid_client";
	case IDP_ERR_INVALID_GRANT: return "invalid_grant";
	case IDP_ERR_UNAUTHORIZED_CLIENT: return "unauthorized_client";
	case IDP_ERR_UNSUPPORTED_GRANT_TYPE: return "unsupported_grant_type";
	case IDP_ERR_INVALID_SCOPE: return "invalid_scope";
	case IDP_ERR_ACCESS_DENIED: return "access_denied";
	case IDP_ERR_UNSUPPORTED_RESPONSE_TYPE: return "unsupported_response_type";
	case IDP_ERR_LOGIN_REQUIRED: return "login_required";
	case IDP_ERR_CONSENT_REQUIRED: return "consent_required";
	case IDP_ERR_INTERACTION_REQUIRED: return "interaction_required";
	case IDP_ERR_ACCOUNT_SELECTION_REQUIRED: return "account_selection_required";
	case IDP_ERR_INVALID_TOKEN: return "invalid_token";
	case IDP_ERR_INSUFFICIENT_SCOPE: return "insufficient_scope";
	case IDP_ERR_UNSUPPORTED_TOKEN_TYPE: return "unsupported_token_type";
	case IDP_ERR_INVALID_REDIRECT_URI: return "invalid_redirect_uri";
	case IDP_ERR_INVALID_CLIENT_METADATA: return "invalid_client_metadata";
	case IDP_ERR_REQUEST_NOT_SUPPORTED: return "request_not_supported";
	case IDP_ERR_REQUEST_URI_NOT_SUPPORTED: return "request_uri_not_supported";
	case IDP_ERR_TEMPORARILY_UNAVAILABLE: return "temporarily_unavailable";
	case IDP_ERR_CONFLICT: return "conflict";
	case IDP_ERR_FORBIDDEN: return "forbidden";
	}
	return "server_error";
}

#include "core/sector.h"
#include "oidc/subject.h"
#include "util/log.h"

enum idp_err
idp_sector_verify(struct idp_fetcher *f, struct idp_arena *a,
    const struct idp_fetch_caller *who, json_t *metadata, const char **why)
{
	const char *uri = json_string_value(json_object_get(metadata,
	    "sector_identifier_uri"));
	struct idp_fetch call = { .method = IDP_FETCH_GET,
		.purpose = "sector_identifier_uri", .uri = uri,
		.accept = "application/json", .max_bytes = IDP_SECTOR_DOC_MAX };

	if (uri == NULL)
		return IDP_OK;
	switch (idp_fetch(f, a, who, &call)) {
	case IDP_FETCH_OK:
		break;
	case IDP_FETCH_REFUSED:
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "sector_identifier_uri: the address is not allowed");
	case IDP_FETCH_TOO_LARGE:
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "sector_identifier_uri: the document is larger than 64 KiB");
	case IDP_FETCH_BUSY:
		return idp_fail_why(why, IDP_ERR_UNAVAILABLE,
		    "The sector identifier cannot be fetched now.");
	default:
		IDP_INFO("sector.unreachable", " req=%s client=%s msg=%s",
		    who->request_id, idp_logq(a, who->client_id),
		    idp_logq(a, call.why));
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "sector_identifier_uri cannot be fetched");
	}
	if (call.status != 200) {
		*why = idp_arena_printf(a, "sector_identifier_uri answered HTTP "
		    "%ld, not 200", call.status);
		return IDP_ERR_INVALID_CLIENT_METADATA;
	}
	return idp_sector_doc_check(a, call.body, call.body_len,
	    json_object_get(metadata, "redirect_uris"), why);
}

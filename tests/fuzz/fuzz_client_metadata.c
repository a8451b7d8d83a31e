/* Client metadata (oidc/client.c idp_client_metadata_validate), as sent to
 * /register (RFC 7591) and read from service manifests. Whatever the JSON:
 * validation refuses it with an RFC 7591 error, or its normalised document
 * validates again to itself (idempotent), loads as a client the way a
 * stored row does, and every redirect URI in it passes the URI rules.
 * Input: the JSON text; both the dynamic and the operator path run. */
#include <string.h>

#include "oidc/client.h"
#include "store/client.h"

#include "fuzz.h"

static void
check_loads(json_t *md)
{
	struct idp_client_row row;
	struct idp_client *c;
	char *text = json_dumps(md, JSON_COMPACT);
	json_t *uris = json_object_get(md, "redirect_uris"), *u;
	size_t i;

	FUZZ_ASSERT(text != NULL);
	memset(&row, 0, sizeof(row));
	row.client_id = (char *)"fuzz-client";
	row.metadata = text;
	row.auth_method = (char *)(uintptr_t)json_string_value(
	    json_object_get(md, "token_endpoint_auth_method"));
	row.enabled = true;
	c = idp_client_from_row(&row);
	FUZZ_ASSERT(c != NULL);
	FUZZ_ASSERT(c->grants != 0);
	FUZZ_ASSERT(!(c->grants & IDP_GRANT_REFRESH) ||
	    (c->grants & (IDP_GRANT_CODE | IDP_GRANT_DEVICE_CODE)));
	json_array_foreach(uris, i, u) {
		const char *why = NULL;

		FUZZ_ASSERT(idp_uri_check(json_string_value(u),
		    c->auth == IDP_AUTH_NONE, &why) == 0);
		FUZZ_ASSERT(idp_client_redirect_registered(c,
		    json_string_value(u)));
	}
	FUZZ_ASSERT(!(c->grants & IDP_GRANT_CODE) || json_array_size(uris) > 0);
	idp_client_free(c);
	free(text);
}

static void
check(struct idp_arena *a, json_t *in, bool dynamic)
{
	json_t *out = NULL, *again = NULL;
	const char *why = NULL;
	enum idp_err rc;

	rc = idp_client_metadata_validate(a, in, dynamic, &out, &why);
	if (rc != IDP_OK) {
		FUZZ_ASSERT(rc == IDP_ERR_INVALID_CLIENT_METADATA ||
		    rc == IDP_ERR_INVALID_REDIRECT_URI);
		FUZZ_ASSERT(out == NULL && why != NULL);
		return;
	}
	FUZZ_ASSERT(json_is_object(out));
	rc = idp_client_metadata_validate(a, out, false, &again, &why);
	FUZZ_ASSERT(rc == IDP_OK);
	FUZZ_ASSERT(json_equal(out, again));
	check_loads(out);
	json_decref(again);
	json_decref(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	json_t *in = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES, NULL);

	if (in != NULL) {
		check(a, in, true);
		check(a, in, false);
	}
	json_decref(in);
	idp_arena_free(a);
	return 0;
}

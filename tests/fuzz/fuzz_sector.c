/* The sector identifier document of a pairwise client (oidc/subject.c,
 * OIDC Core §8.1), as a client's server answers the provider. Whatever
 * the body: it is refused with invalid_client_metadata and a reason, or
 * it is a JSON array of strings that lists every redirect URI exactly.
 * Input: the body, checked against one and against two redirect URIs. */
#include <string.h>

#include "oidc/subject.h"

#include "fuzz.h"

static bool
lists_all(json_t *doc, json_t *uris)
{
	size_t i, j;
	json_t *u, *e;

	json_array_foreach(uris, i, u) {
		bool found = false;

		json_array_foreach(doc, j, e)
			found = found || (json_is_string(e) &&
			    !strcmp(json_string_value(e), json_string_value(u)));
		if (!found)
			return false;
	}
	return true;
}

static void
check(struct idp_arena *a, const uint8_t *data, size_t size, const char *js)
{
	json_t *uris = json_loads(js, 0, NULL), *doc, *e;
	const char *why = NULL;
	enum idp_err rc;
	size_t i;

	rc = idp_sector_doc_check(a, (const char *)data, size, uris, &why);
	if (rc != IDP_OK) {
		FUZZ_ASSERT(rc == IDP_ERR_INVALID_CLIENT_METADATA && why != NULL);
		json_decref(uris);
		return;
	}
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    NULL);
	FUZZ_ASSERT(size <= IDP_SECTOR_DOC_MAX);
	FUZZ_ASSERT(json_is_array(doc) && json_array_size(doc) > 0 &&
	    json_array_size(doc) <= IDP_SECTOR_URIS_MAX);
	json_array_foreach(doc, i, e)
		FUZZ_ASSERT(json_is_string(e));
	FUZZ_ASSERT(lists_all(doc, uris));
	json_decref(doc);
	json_decref(uris);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);

	check(a, data, size, "[\"https://a.go.id/cb\"]");
	check(a, data, size, "[\"https://a.go.id/cb\",\"https://b.go.id/cb\"]");
	idp_arena_free(a);
	return 0;
}

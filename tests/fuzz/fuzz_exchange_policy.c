/* The token_exchange policy of a client manifest (oidc/exchange.c, RFC
 * 8693). Whatever the JSON: the check refuses it with
 * invalid_client_metadata and a reason, or its normalised copy checks
 * again to itself, parses into rules whose scopes are all within the
 * client's, and each rule is found by its own audience and by no other.
 * Input: the JSON text of the member. */
#include <string.h>

#include "oidc/exchange.h"
#include "util/arena.h"
#include "util/str.h"

#include "fuzz.h"

static char *ceiling[] = { "sipd.read", "sipd.write", "openid", NULL };

static void
check_rules(struct idp_arena *a, json_t *norm)
{
	const struct idp_exchange_rule *found = NULL;
	struct idp_exchange_rule *r = NULL;
	const char *why = NULL;
	size_t n = 0;

	FUZZ_ASSERT(idp_exchange_policy_parse(a, norm, &r, &n) == 0);
	FUZZ_ASSERT(n == json_array_size(norm) && n > 0);
	for (size_t i = 0; i < n; i++) {
		for (char **s = r[i].scopes; *s != NULL; s++)
			FUZZ_ASSERT(idp_list_has(ceiling, *s));
		FUZZ_ASSERT(idp_exchange_rule_find(r, n, r[i].audience, NULL,
		    &found, &why) == IDP_OK && found == &r[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	json_t *in = json_loads(text, JSON_DECODE_ANY, NULL), *out = NULL;
	json_t *again = NULL;
	struct idp_arena *a = idp_arena_new(4096);
	const char *why = NULL;
	enum idp_err rc;

	free(text);
	if (in == NULL) {
		idp_arena_free(a);
		return 0;
	}
	rc = idp_exchange_policy_check(a, in, ceiling, &out, &why);
	if (rc != IDP_OK) {
		FUZZ_ASSERT(rc == IDP_ERR_INVALID_CLIENT_METADATA);
		FUZZ_ASSERT(out == NULL && why != NULL && *why != '\0');
	} else {
		FUZZ_ASSERT(idp_exchange_policy_check(a, out, ceiling, &again,
		    &why) == IDP_OK);
		FUZZ_ASSERT(json_equal(out, again));
		check_rules(a, out);
	}
	json_decref(again);
	json_decref(out);
	json_decref(in);
	idp_arena_free(a);
	return 0;
}

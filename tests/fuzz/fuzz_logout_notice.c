/* What an outbox row of kind "logout" holds (oidc/logout.c): whatever the
 * bytes, the parse accepts only an object with sub, sid and jti of 1-255
 * bytes (and a string alg when present); what it accepts builds a claim
 * set of Back-Channel Logout 1.0 §2.4 with those values, no nonce, and a
 * front-channel URI that carries the sid. Input: the payload. */
#include <string.h>

#include "oidc/logout.h"
#include "util/arena.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *payload = fuzz_cstr(data, size);
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_logout_notice n;
	json_t *c;
	char *uri;

	if (idp_logout_notice_parse(a, payload, &n) != 0) {
		FUZZ_ASSERT(n.sub == NULL || n.sid == NULL || n.jti == NULL ||
		    n.alg == NULL);
		goto out;
	}
	FUZZ_ASSERT(n.sub && n.sid && n.jti);
	FUZZ_ASSERT(strlen(n.sub) >= 1 && strlen(n.sub) <= 255);
	FUZZ_ASSERT(strlen(n.sid) >= 1 && strlen(n.sid) <= 255);
	c = idp_logout_token_claims("https://sso.baliprov.go.id", "rp-x", &n,
	    1700000000);
	FUZZ_ASSERT(c != NULL);
	FUZZ_ASSERT(json_object_get(c, "nonce") == NULL);
	FUZZ_ASSERT(!strcmp(json_string_value(json_object_get(c, "sid")),
	    n.sid));
	FUZZ_ASSERT(json_is_object(json_object_get(json_object_get(c,
	    "events"), IDP_LOGOUT_EVENT)));
	json_decref(c);
	uri = idp_frontchannel_uri(a, "https://rp.example.go.id/fcl",
	    "https://sso.baliprov.go.id", n.sid, 8192);
	FUZZ_ASSERT(uri != NULL && strstr(uri, "&sid=") != NULL);
	FUZZ_ASSERT(strpbrk(uri, " \"<>#") == NULL);
out:
	idp_arena_free(a);
	free(payload);
	return 0;
}

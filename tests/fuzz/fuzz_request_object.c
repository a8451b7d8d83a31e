/* Request objects (RFC 9101, oidc/request_object.c): a compact JWS is
 * parsed as /authorize and /par parse one (signatures cannot verify with
 * the fresh keys here), and its claims go through every claim rule and
 * become parameters. An input that starts with '{' is taken as the
 * claims themselves, so the fuzzer reaches the rules without forging a
 * signature. */
#include <string.h>

#include "crypto/jws.h"
#include "oidc/request_object.h"

#include "fuzz.h"

#define NOW 1700000000
#define CLIENT "layanan-jar"
#define ISS "https://sso.baliprov.go.id"

static struct idp_key *rsa, *ec;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_keys(IDP_ALG_RS256, &rsa, &ec);
	return 0;
}

static bool
jwt_claim(const char *k)
{
	return !strcmp(k, "iss") || !strcmp(k, "aud") || !strcmp(k, "exp") ||
	    !strcmp(k, "nbf") || !strcmp(k, "iat") || !strcmp(k, "jti") ||
	    !strcmp(k, "sub");
}

static void
check(struct idp_arena *a, const struct idp_jws *j, const char *rt)
{
	struct idp_ro_want w = { .client_id = CLIENT, .response_type = rt,
		.issuer = ISS, .alg = IDP_ALG_NONE, .now = NOW };
	struct idp_kv kv[IDP_MAX_PARAMS];
	const char *why = NULL;
	size_t n = 99;

	if (idp_request_object_check(a, j, &w, kv, IDP_MAX_PARAMS, &n, &why)
	    != IDP_OK) {
		FUZZ_ASSERT(why != NULL);
		return;
	}
	FUZZ_ASSERT(n <= IDP_MAX_PARAMS);
	FUZZ_ASSERT(!strcmp(json_string_value(json_object_get(j->payload,
	    "iss")), CLIENT));
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(kv[i].key != NULL && kv[i].val != NULL);
		FUZZ_ASSERT(strlen(kv[i].val) == kv[i].len);
		FUZZ_ASSERT(!jwt_claim(kv[i].key));
		FUZZ_ASSERT(strcmp(kv[i].key, "request") != 0 &&
		    strcmp(kv[i].key, "request_uri") != 0);
		if (!strcmp(kv[i].key, "client_id"))
			FUZZ_ASSERT(!strcmp(kv[i].val, CLIENT));
		if (rt != NULL && !strcmp(kv[i].key, "response_type"))
			FUZZ_ASSERT(!strcmp(kv[i].val, rt));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	char *s = fuzz_cstr(data, size);
	const char *why = NULL;
	struct idp_jws j;

	if (s[0] == '{') {
		memset(&j, 0, sizeof(j));
		j.payload = json_loads(s, JSON_REJECT_DUPLICATES, NULL);
		j.alg = IDP_ALG_ES256;
		j.typ = "oauth-authz-req+jwt";
		if (j.payload != NULL && json_is_object(j.payload)) {
			check(a, &j, NULL);
			check(a, &j, "code");
		}
		json_decref(j.payload);
	} else if (idp_request_object_parse(a, s, &j, &why) == IDP_OK) {
		FUZZ_ASSERT(idp_jws_verify(&j, rsa) != 0);
		FUZZ_ASSERT(idp_jws_verify(&j, ec) != 0);
		check(a, &j, NULL);
	} else {
		FUZZ_ASSERT(why != NULL);
	}
	free(s);
	idp_arena_free(a);
	return 0;
}

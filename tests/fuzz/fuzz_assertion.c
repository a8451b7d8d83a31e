/* private_key_jwt client assertions (RFC 7523): the JWS is parsed and
 * verified against the client's keys (an RSA and an EC key here), then its
 * claims are checked (oidc/client_auth.c idp_assertion_check_claims). An
 * input that starts with '{' is taken as the claims themselves, so the
 * fuzzer reaches the claim rules without forging a signature; anything
 * else is a compact JWS. */
#include <string.h>

#include "crypto/jws.h"
#include "crypto/key.h"
#include "oidc/client_auth.h"

#include "fuzz.h"

#define NOW 1700000000
#define CLIENT "layanan-kunci"
#define ISS "https://sso.baliprov.go.id"

static const char *const auds[] = { ISS, ISS "/token", ISS "/introspect",
	NULL };
static struct idp_key *rsa, *ec;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_keys(IDP_ALG_PS256, &rsa, &ec);
	return 0;
}

static void
check_claims(json_t *payload)
{
	struct idp_assertion_claims c;
	const char *why = NULL;

	if (idp_assertion_check_claims(payload, CLIENT, auds, NOW, &c, &why)
	    != IDP_OK) {
		FUZZ_ASSERT(why != NULL);
		return;
	}
	FUZZ_ASSERT(!strcmp(json_string_value(json_object_get(payload, "iss")),
	    CLIENT));
	FUZZ_ASSERT(!strcmp(json_string_value(json_object_get(payload, "sub")),
	    CLIENT));
	FUZZ_ASSERT(c.jti != NULL && *c.jti != '\0' &&
	    strlen(c.jti) <= IDP_ASSERTION_JTI_MAX);
	FUZZ_ASSERT(c.exp > NOW - IDP_ASSERTION_SKEW &&
	    c.exp <= NOW + IDP_ASSERTION_MAX_LIFETIME);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	char *s = fuzz_cstr(data, size);
	struct idp_jws j;

	if (s[0] == '{') {
		json_t *o = json_loads(s, JSON_REJECT_DUPLICATES, NULL);

		check_claims(o);
		json_decref(o);
	} else if (idp_jws_parse(a, s, &j) == 0) {
		/* The keys are new to this process: nothing verifies. */
		FUZZ_ASSERT(idp_jws_verify(&j, rsa) != 0);
		FUZZ_ASSERT(idp_jws_verify(&j, ec) != 0);
		check_claims(j.payload);
	}
	free(s);
	idp_arena_free(a);
	return 0;
}

/* DPoP proofs (RFC 9449 §4.3, oidc/dpop.c): the input is a DPoP header
 * value, checked as the token endpoint checks it (with and without the
 * provider's nonces) and as userinfo checks it with an access token. The
 * seeds hold RFC 9449's own proofs, which pass at the time the target
 * sets; their key is the RFC's, so the fuzzer starts from proofs whose
 * signature verifies. Also: htu normalisation is idempotent, and no
 * input passes where a nonce of ours is required (the fuzzer cannot know
 * the key). */
#include <string.h>

#include "oidc/dpop.h"

#include "fuzz.h"

#define IAT 1562262616		/* of the RFC's proofs */
#define AT "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"

static const unsigned char key[IDP_DPOP_NONCE_KEY_LEN] = "fuzz nonce key";

static void
check_ok(const struct idp_dpop_proof *p, const struct idp_dpop_want *w)
{
	FUZZ_ASSERT(idp_dpop_jkt_syntax_ok(p->jkt));
	FUZZ_ASSERT(p->jti != NULL && *p->jti != '\0' &&
	    strlen(p->jti) <= IDP_DPOP_JTI_MAX);
	FUZZ_ASSERT(p->alg != IDP_ALG_NONE);
	if (!p->fresh_by_nonce)
		FUZZ_ASSERT(p->keep_until <= w->now + IDP_DPOP_SKEW +
		    w->max_age + 1 && p->keep_until > w->now - 1);
}

static void
one(struct idp_arena *a, const char *s, const struct idp_dpop_want *w)
{
	struct idp_dpop_proof p;
	const char *why = NULL;
	enum idp_err rc = idp_dpop_check(a, s, w, &p, &why);

	if (rc == IDP_OK) {
		check_ok(&p, w);
		return;
	}
	FUZZ_ASSERT(why != NULL);
	FUZZ_ASSERT(rc == IDP_ERR_INVALID_DPOP_PROOF ||
	    rc == IDP_ERR_USE_DPOP_NONCE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	char *s = fuzz_cstr(data, size);
	struct idp_dpop_want token = { .htm = "POST",
		.htu = "https://server.example.com/token", .now = IAT + 10,
		.max_age = 60 };
	struct idp_dpop_want nonced = token;
	struct idp_dpop_want resource = { .htm = "GET",
		.htu = "https://resource.example.org/protectedresource",
		.access_token = AT, .now = IAT + 10, .max_age = 60 };
	struct idp_dpop_proof p;
	const char *why = NULL;
	char *n, *nn;
	int64_t until;

	one(a, s, &token);
	one(a, s, &resource);
	nonced.nonce_key = key;
	nonced.nonce_rotation = 300;
	nonced.nonce_required = true;
	FUZZ_ASSERT(idp_dpop_check(a, s, &nonced, &p, &why) != IDP_OK);
	(void)idp_dpop_nonce_ok(key, s, IAT, 300, &until);
	if ((n = idp_dpop_htu_normalize(a, s)) != NULL) {
		nn = idp_dpop_htu_normalize(a, n);
		FUZZ_ASSERT(nn != NULL && strcmp(n, nn) == 0);
	}
	free(s);
	idp_arena_free(a);
	return 0;
}

/* The claims request parameter (oidc/claims_req.c, OIDC Core §5.5), as a
 * relying party sends it to /authorize. Whatever the text: parsing refuses
 * it with invalid_request and a reason, or its normalised form parses
 * again to itself, names only claims the provider knows, within the
 * limits; releasing claims under it, matching values and choosing the acr
 * never fail. Input: the parameter's text. */
#include <string.h>

#include "oidc/acr.h"
#include "oidc/claims.h"
#include "oidc/claims_req.h"

#include "fuzz.h"

static bool
known(const char *name)
{
	for (const char *const *k = idp_claims_known; *k != NULL; k++)
		if (!strcmp(*k, name))
			return true;
	return false;
}

static void
release(const struct idp_claims_req *r)
{
	static char openid[] = "openid", email[] = "email", roles[] = "roles";
	static char *granted[] = { openid, email, NULL };
	static char *all[] = { openid, email, roles, NULL };
	static char sub[] = "5f0c2a4e-8a4b-4d7e-9a51-0e3f6c1d2b9a";
	static char mail[] = "made@baliprov.go.id", role[] = "developer@x";
	static char *rs[] = { role, NULL };
	struct idp_user u = { .sub = sub, .email = mail, .email_verified = true };
	struct idp_claims_ctx x = { .user = &u, .sub = "pairwise", .granted =
	    granted, .releasable = all, .roles = rs, .groups = rs, .req = r };

	for (int d = 0; d < 2; d++) {
		json_t *o = idp_claims_release(&x, (enum idp_claims_dest)d);

		FUZZ_ASSERT(json_is_object(o));
		FUZZ_ASSERT(!strcmp(json_string_value(json_object_get(o, "sub")),
		    "pairwise"));
		json_decref(o);
	}
}

static void
check(struct idp_arena *a, const struct idp_claims_req *r)
{
	struct idp_claims_req again;
	const char *why = NULL, *acr = NULL;
	char *text = idp_claims_req_text(a, r);
	json_t *v = json_string("1");

	for (int d = 0; d < 2; d++) {
		FUZZ_ASSERT(r->n[d] <= IDP_CLAIMS_ASK_MAX);
		for (size_t i = 0; i < r->n[d]; i++) {
			FUZZ_ASSERT(known(r->ask[d][i].name));
			(void)idp_claim_value_ok(&r->ask[d][i], v);
		}
	}
	if (text != NULL) {
		FUZZ_ASSERT(idp_claims_req_parse(a, text, &again, &why) ==
		    IDP_OK);
		FUZZ_ASSERT(!strcmp(idp_claims_req_text(a, &again), text));
	} else {
		FUZZ_ASSERT(r->n[0] == 0 && r->n[1] == 0);
	}
	FUZZ_ASSERT(idp_acr_choose(idp_claims_req_find(r, IDP_CLAIMS_ID_TOKEN,
	    "acr"), "1", &acr) != IDP_ACR_MET || acr != NULL);
	release(r);
	json_decref(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	char *s = fuzz_cstr(data, size);
	struct idp_claims_req r;
	const char *why = NULL;
	enum idp_err rc = idp_claims_req_parse(a, s, &r, &why);

	if (rc == IDP_OK)
		check(a, &r);
	else
		FUZZ_ASSERT(rc == IDP_ERR_INVALID_REQUEST && why != NULL);
	free(s);
	idp_arena_free(a);
	return 0;
}

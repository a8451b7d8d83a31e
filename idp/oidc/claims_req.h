/* The claims request parameter (OIDC Core §5.5): a JSON object whose
 * "userinfo" and "id_token" members list individual claims, each null (the
 * default manner, voluntary) or an object with "essential", "value" or
 * "values" (§5.5.1). Parsed once at /authorize into a normalised document
 * that travels with the request: the pending login, the code and the
 * grant keep its text, so a refreshed ID token and every later userinfo
 * call honour it. Pure: no I/O.
 *
 * Strict where the spec gives the shape, lenient where it says to ignore:
 *  - not a JSON object, not UTF-8, a duplicated member, userinfo or
 *    id_token not an object, a claim that is neither null nor an object,
 *    essential not a boolean, values not an array, value or a values item
 *    not a string, number or boolean: invalid_request;
 *  - other top-level members, members of a claim request other than the
 *    three, and claims the provider does not know are ignored (§5.5,
 *    §5.5.1: "MUST be ignored"), and left out of the normalised form. */
#ifndef IDP_OIDC_CLAIMS_REQ_H
#define IDP_OIDC_CLAIMS_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/arena.h"
#include "util/err.h"

#define IDP_CLAIMS_PARAM_MAX 4096	/* bytes of the parameter */
#define IDP_CLAIMS_ASK_MAX 64		/* claims per member */
#define IDP_CLAIMS_VALUES_MAX 16	/* items of "values" */
#define IDP_CLAIMS_NAME_MAX 128

enum idp_claims_dest {
	IDP_CLAIMS_ID_TOKEN = 0,
	IDP_CLAIMS_USERINFO = 1,
};

/* One individual claim request. value and values belong to the request's
 * document. */
struct idp_claim_ask {
	const char *name;
	bool essential;
	json_t *value;		/* NULL when absent */
	json_t *values;		/* an array, or NULL */
};

struct idp_claims_req {
	json_t *doc;		/* normalised; the arena holds the reference */
	struct idp_claim_ask *ask[2];	/* by enum idp_claims_dest */
	size_t n[2];
};

/* Parse the parameter s. IDP_ERR_INVALID_REQUEST with *why for the
 * error_description. An empty request (nothing the provider knows) is
 * valid: out->n are 0. */
enum idp_err idp_claims_req_parse(struct idp_arena *a, const char *s,
    struct idp_claims_req *out, const char **why);

/* The normalised document as compact text with sorted keys, in the arena;
 * NULL when it asks for nothing. Parsing it again gives the same. */
char *idp_claims_req_text(struct idp_arena *a, const struct idp_claims_req *r);

/* The request for claim name at d, or NULL. r may be NULL. */
const struct idp_claim_ask *idp_claims_req_find(const struct idp_claims_req *r,
    enum idp_claims_dest d, const char *name);

/* Does have satisfy ask's value or values (§5.5.1)? true when ask names
 * neither; false when have is NULL and it names one. */
bool idp_claim_value_ok(const struct idp_claim_ask *ask, json_t *have);

/* The "value" the id_token member asks "sub" to have (OIDC Core §3.1.2.2:
 * only that person may be signed in), or NULL. */
const char *idp_claims_req_sub(const struct idp_claims_req *r);

#endif

#include <string.h>

#include "oidc/acr.h"

/* One row per class, weakest first; a level satisfies every lower one. */
static const struct {
	const char *acr;
	int level;
} classes[] = {
	{ "1", 1 },	/* a password */
	{ "2", 2 },	/* a password and a second factor */
};

const char *const idp_acr_values[] = { "1", "2", NULL };

static int
level_of(const char *acr)
{
	for (size_t i = 0; acr != NULL && i < sizeof(classes) /
	    sizeof(classes[0]); i++)
		if (!strcmp(classes[i].acr, acr))
			return classes[i].level;
	return 0;
}

bool
idp_acr_satisfies(const char *have, const char *want)
{
	int h = level_of(have), w = level_of(want);

	return h > 0 && w > 0 && h >= w;
}

enum idp_acr_outcome
idp_acr_choose(const struct idp_claim_ask *ask, const char *session_acr,
    const char **out)
{
	const char *session = session_acr != NULL ? session_acr :
	    IDP_ACR_DEFAULT;
	size_t i;
	json_t *v;

	*out = session;
	if (ask == NULL || (ask->value == NULL && ask->values == NULL))
		return IDP_ACR_MET;
	if (idp_acr_satisfies(session, json_string_value(ask->value))) {
		*out = json_string_value(ask->value);
		return IDP_ACR_MET;
	}
	json_array_foreach(ask->values, i, v) {
		if (idp_acr_satisfies(session, json_string_value(v))) {
			*out = json_string_value(v);
			return IDP_ACR_MET;
		}
	}
	return ask->essential ? IDP_ACR_UNMET : IDP_ACR_MET;
}

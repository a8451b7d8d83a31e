#include <strings.h>

#include "core/subject.h"
#include "endpoint/authz_hints.h"
#include "util/str.h"

static bool
login_hint_ok(const char *hint, const char *sub, const struct idp_user *u)
{
	return hint == NULL || idp_str_eq(hint, sub) ||
	    (u->username != NULL && !strcasecmp(hint, u->username)) ||
	    (u->email != NULL && !strcasecmp(hint, u->email));
}

bool
idp_authz_hints_match(struct idp_req *rq, const struct idp_client *c,
    const struct idp_authz *z, const char *hint_sub,
    const struct idp_user *u)
{
	const char *sub = idp_subject_for(rq, c, u);

	if (hint_sub != NULL && !idp_str_eq(hint_sub, sub))
		return false;
	if (z->claims_sub != NULL && !idp_str_eq(z->claims_sub, sub))
		return false;
	return login_hint_ok(z->login_hint, sub, u);
}

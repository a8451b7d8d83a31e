#include <string.h>

#include "core/roles.h"
#include "store/member.h"
#include "util/str.h"

static const char *const names[] = {
	[IDP_ROLE_NONE] = "none",
	[IDP_ROLE_DEVELOPER] = "developer",
	[IDP_ROLE_ADMIN] = "admin",
	[IDP_ROLE_HELPDESK] = "helpdesk",
	[IDP_ROLE_AUDITOR] = "auditor",
};

enum idp_role
idp_role_parse(const char *s)
{
	for (size_t i = IDP_ROLE_DEVELOPER; s && i <= IDP_ROLE_AUDITOR; i++)
		if (!strcmp(s, names[i]))
			return (enum idp_role)i;
	return IDP_ROLE_NONE;
}

const char *
idp_role_name(enum idp_role r)
{
	return r <= IDP_ROLE_AUDITOR ? names[r] : names[IDP_ROLE_NONE];
}

bool
idp_role_is_operator(enum idp_role r)
{
	return r == IDP_ROLE_ADMIN || r == IDP_ROLE_HELPDESK ||
	    r == IDP_ROLE_AUDITOR;
}

int
idp_role_valid_in(enum idp_role r, const char *org, const char *operator_org,
    const char **why)
{
	if (r == IDP_ROLE_NONE) {
		*why = "the role must be developer, admin, helpdesk or auditor";
		return -1;
	}
	if (idp_role_is_operator(r) && !idp_str_eq(org, operator_org)) {
		*why = "admin, helpdesk and auditor are roles of the operators' "
		    "organisation (operator_organisation) only";
		return -1;
	}
	return 0;
}

enum idp_err
idp_roles_of(struct idp_dbconn *c, struct idp_arena *a,
    const char *operator_org, long long user_id, struct idp_roles *out)
{
	struct idp_member *m = NULL;
	enum idp_err rc;
	int n = 0;

	memset(out, 0, sizeof(*out));
	out->user_id = user_id;
	if ((rc = idp_store_member_roles(c, a, user_id, &m, &n)) != IDP_OK)
		return rc;
	out->v = idp_arena_zalloc(a, sizeof(*out->v) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		enum idp_role r = idp_role_parse(m[i].role);
		const char *why;

		if (idp_role_valid_in(r, m[i].org, operator_org, &why) != 0)
			continue;
		out->v[out->n].role = r;
		out->v[out->n].org = m[i].org;
		out->n++;
	}
	return IDP_OK;
}

static bool
holds(const struct idp_roles *r, enum idp_role role, const char *org)
{
	for (size_t i = 0; r != NULL && i < r->n; i++)
		if (r->v[i].role == role && (org == NULL ||
		    idp_str_eq(r->v[i].org, org)))
			return true;
	return false;
}

bool
idp_role_check(const struct idp_roles *r, enum idp_action act,
    const char *org)
{
	/* Operator roles were kept only for the operators' organisation. */
	if (holds(r, IDP_ROLE_ADMIN, NULL))
		return true;
	switch (act) {
	case IDP_ACT_CLIENT_MANAGE:
	case IDP_ACT_SCOPE_DECIDE:
		return org != NULL && holds(r, IDP_ROLE_DEVELOPER, org);
	case IDP_ACT_PEOPLE:
		return holds(r, IDP_ROLE_HELPDESK, NULL);
	case IDP_ACT_AUDIT_READ:
		return holds(r, IDP_ROLE_AUDITOR, NULL);
	case IDP_ACT_CONSOLE:
		return holds(r, IDP_ROLE_HELPDESK, NULL) ||
		    holds(r, IDP_ROLE_AUDITOR, NULL);
	case IDP_ACT_CLIENT_APPROVE:
	case IDP_ACT_MEMBERS:
	case IDP_ACT_SETTINGS:
		return false;
	}
	return false;
}

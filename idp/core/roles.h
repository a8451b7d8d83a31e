/* Roles through memberships, and what each allows. The developer portal
 * and the operator console call idp_roles_of once per request and
 * idp_role_check for every action; idpctl uses the same rules.
 *
 *   developer (of any organisation): manage that organisation's clients;
 *     decide requests for the API scopes its resource servers offer.
 *   admin (of the operators' organisation, operator_organisation):
 *     everything, approving registrations and managing members included.
 *   helpdesk (operators'): people — find, reset codes, end sessions,
 *     disable and enable; no clients, keys or settings.
 *   auditor (operators'): read the audit log and reports, nothing else.
 * An operator role recorded for another organisation counts for nothing. */
#ifndef IDP_CORE_ROLES_H
#define IDP_CORE_ROLES_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"
#include "util/arena.h"
#include "util/err.h"

enum idp_role {
	IDP_ROLE_NONE = 0,
	IDP_ROLE_DEVELOPER,
	IDP_ROLE_ADMIN,
	IDP_ROLE_HELPDESK,
	IDP_ROLE_AUDITOR,
};

enum idp_role idp_role_parse(const char *s);	/* IDP_ROLE_NONE if unknown */
const char *idp_role_name(enum idp_role r);
bool idp_role_is_operator(enum idp_role r);

/* May role be held in org? Operator roles only in operator_org. 0, or -1
 * with a sentence in *why. */
int idp_role_valid_in(enum idp_role r, const char *org,
    const char *operator_org, const char **why);

enum idp_action {
	IDP_ACT_CLIENT_MANAGE,	/* the clients of org: register, edit, ... */
	IDP_ACT_SCOPE_DECIDE,	/* requests for scopes offered by org */
	IDP_ACT_CLIENT_APPROVE,	/* approve or reject registrations */
	IDP_ACT_MEMBERS,	/* add and remove memberships */
	IDP_ACT_PEOPLE,		/* helpdesk work on people */
	IDP_ACT_AUDIT_READ,	/* the audit log and reports */
	IDP_ACT_CONSOLE,	/* open the operator console */
	IDP_ACT_SETTINGS,	/* keys and settings */
};

struct idp_role_grant {
	enum idp_role role;
	const char *org;	/* organisation code */
};

struct idp_roles {
	long long user_id;
	struct idp_role_grant *v;
	size_t n;
};

/* A person's roles (none for a disabled person). */
enum idp_err idp_roles_of(struct idp_dbconn *c, struct idp_arena *a,
    const char *operator_org, long long user_id, struct idp_roles *out);

/* May the holder of r do act (on org, for the org-scoped actions;
 * ignored by the others)? */
bool idp_role_check(const struct idp_roles *r, enum idp_action act,
    const char *org);

#endif

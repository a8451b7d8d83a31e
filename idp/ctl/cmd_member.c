/* idpctl member: roles through memberships (core/roles.h). developer of
 * any organisation; admin, helpdesk and auditor of the operators'
 * organisation only (operator_organisation). Every change is audited. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/roles.h"
#include "ctl/ctl.h"
#include "store/member.h"

static void
member_usage(void)
{
	printf("usage: idpctl member add USERNAME ORG ROLE\n"
	    "       idpctl member remove USERNAME ORG ROLE\n"
	    "       idpctl member list [--org CODE] [--user USERNAME]\n\n"
	    "ROLE is developer (of ORG: manages ORG's clients and decides "
	    "requests for\nthe API scopes ORG's services offer), or admin, "
	    "helpdesk or auditor (of the\noperators' organisation, the "
	    "configuration key operator_organisation).\n");
}

/* USERNAME ORG ROLE, checked; -1 to go on, or the exit code. */
static int
member_args(struct ctl *c, int argc, char **argv, char ***op)
{
	const char *why = NULL;
	enum idp_role r;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 3, 3, "USERNAME, ORG and ROLE "
	    "are required", op)) != -1)
		return rc;
	if (ctl_config(c) != 0)
		return CTL_FAIL;
	r = idp_role_parse((*op)[2]);
	if (idp_role_valid_in(r, (*op)[1], c->cfg.operator_org, &why) != 0)
		return ctl_usage("%s: %s: %s", c->cmd, (*op)[2], why);
	return -1;
}

static int
member_change(struct ctl *c, int argc, char **argv, bool add)
{
	long long uid = 0;
	enum idp_err e;
	char **op;
	int rc;

	if ((rc = member_args(c, argc, argv, &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = add ? idp_store_member_add(c->conn, op[0], op[1], op[2], &uid) :
	    idp_store_member_remove(c->conn, op[0], op[1], op[2], &uid);
	if (e == IDP_ERR_CONFLICT)
		return ctl_err("%s: %s is %s of %s already", c->cmd, op[0],
		    op[2], op[1]);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err(add ? "%s: no person %s (or disabled), or no "
		    "organisation %s" : "%s: %s is not %s of %s", c->cmd, op[0],
		    add ? op[1] : op[2], op[add ? 2 : 1]);
	if (e != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	if ((rc = ctl_audit(c, add ? "member.added" : "member.removed", uid,
	    NULL, json_pack("{s:s, s:s}", "organisation", op[1], "role",
	    op[2]))) != 0)
		return rc;
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:s, s:s, s:b}",
		    "username", op[0], "organisation", op[1], "role", op[2],
		    add ? "added" : "removed", 1));
	printf("%s %s %s of %s\n", op[0], add ? "is now" : "is no longer",
	    op[2], op[1]);
	return CTL_OK;
}

static int
member_add(struct ctl *c, int argc, char **argv)
{
	return member_change(c, argc, argv, true);
}

static int
member_remove(struct ctl *c, int argc, char **argv)
{
	return member_change(c, argc, argv, false);
}

static int
member_list(struct ctl *c, int argc, char **argv)
{
	enum { OPT_ORG = 0x100 + 1, OPT_USER };
	static const struct option opts[] = {
		{ "org", required_argument, NULL, OPT_ORG },
		{ "user", required_argument, NULL, OPT_USER },
		CTL_OPTS_COMMON
	};
	const char *org = NULL, *user = NULL;
	struct idp_member *m = NULL;
	enum idp_err e;
	char **op;
	int ch, n = 0, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_ORG)
			org = optarg;
		else if (ch == OPT_USER)
			user = optarg;
		else
			return ctl_opt_exit(ch);
	}
	if (ctl_rest(c, argc, argv, 0, &op) < 0)
		return CTL_USAGE;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((e = idp_store_member_list(c->conn, c->arena, org, user, &m, &n))
	    != IDP_OK)
		return ctl_err("member list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, "
			    "s:I}", "username", m[i].username, "name",
			    m[i].name, "organisation", m[i].org, "role",
			    m[i].role, "created_at",
			    (json_int_t)m[i].created_at));
		return ctl_print_json(json_pack("{s:o}", "members", a));
	}
	printf("%-28s %-10s %-24s %s\n", "ORGANISATION", "ROLE", "USERNAME",
	    "NAME");
	for (int i = 0; i < n; i++)
		printf("%-28s %-10s %-24s %s\n", m[i].org, m[i].role,
		    m[i].username, m[i].name);
	return CTL_OK;
}

static const struct ctl_cmd member_cmds[] = {
	{ "add", member_add },
	{ "remove", member_remove },
	{ "list", member_list },
	{ NULL, NULL },
};

const struct ctl_group ctl_member_group = {
	.name = "member", .subs = "add|remove|list",
	.summary = "roles: developers and operators",
	.usage = member_usage, .cmds = member_cmds,
};

/* idpctl consent: what a person allowed third-party clients, and
 * withdrawing it for them (helpdesk). */
#include <stdio.h>

#include "ctl/ctl.h"
#include "store/consent.h"
#include "store/directory.h"

static void
consent_usage(void)
{
	printf("usage: idpctl consent list USERNAME\n"
	    "       idpctl consent revoke USERNAME CLIENT_ID\n\n"
	    "revoke withdraws the consent; every grant of the person to that "
	    "client is\nrevoked with it, so its refresh and access tokens stop "
	    "working.\n");
}

static int
find_user(struct ctl *c, const char *name, struct idp_user **u)
{
	enum idp_err e = idp_store_user_by_username(c->conn, c->arena, name, u);

	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("consent: no user %s", name);
	if (e != IDP_OK)
		return ctl_err("consent: %s", ctl_db_msg(c, e));
	return 0;
}

static int
consent_revoke(struct ctl *c, int argc, char **argv)
{
	struct idp_user *u = NULL;
	enum idp_err e;
	char **op;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 2, 2,
	    "USERNAME and CLIENT_ID are required", &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if (find_user(c, op[0], &u) != 0)
		return CTL_FAIL;
	e = idp_store_consent_withdraw(c->conn, u->id, op[1]);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("consent revoke: %s has no consent for %s",
		    op[0], op[1]);
	if (e != IDP_OK)
		return ctl_err("consent revoke: %s", ctl_db_msg(c, e));
	if ((rc = ctl_audit(c, "consent.withdrawn", u->id, op[1], NULL)) != 0)
		return rc;
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:s, s:b}", "username",
		    op[0], "client_id", op[1], "revoked", 1));
	printf("consent of %s for %s withdrawn; its tokens are revoked\n",
	    op[0], op[1]);
	return CTL_OK;
}

static int
consent_list(struct ctl *c, int argc, char **argv)
{
	struct idp_user *u = NULL;
	struct idp_consent *list = NULL;
	enum idp_err e;
	char **op;
	int n = 0, rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "USERNAME is required",
	    &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if (find_user(c, op[0], &u) != 0)
		return CTL_FAIL;
	if ((e = idp_store_consent_list(c->conn, c->arena, u->id, &list, &n))
	    != IDP_OK)
		return ctl_err("consent list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:I}",
			    "client_id", list[i].client_id, "scope",
			    list[i].scopes, "granted_at",
			    (json_int_t)list[i].granted_at));
		return ctl_print_json(json_pack("{s:o}", "consents", a));
	}
	printf("%-32s %s\n", "CLIENT_ID", "SCOPES");
	for (int i = 0; i < n; i++)
		printf("%-32s %s\n", list[i].client_id, list[i].scopes);
	return CTL_OK;
}

static const struct ctl_cmd consent_cmds[] = {
	{ "list", consent_list },
	{ "revoke", consent_revoke },
	{ NULL, NULL },
};

const struct ctl_group ctl_consent_group = {
	.name = "consent", .subs = "list|revoke",
	.summary = "a person's consents to third parties",
	.usage = consent_usage, .cmds = consent_cmds,
};

/* idpctl consent: what a person allowed third-party clients, and
 * withdrawing it for them (helpdesk). */
#include <stdio.h>
#include <string.h>

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

int
ctl_consent(struct ctl *c, int argc, char **argv)
{
	struct idp_user *u = NULL;
	struct idp_consent *list = NULL;
	enum idp_err e;
	int n = 0, rc;

	if (argc < 3 || ctl_wants_help(argc, argv)) {
		consent_usage();
		return argc < 3 ? CTL_USAGE : CTL_OK;
	}
	if (strcmp(argv[1], "list") && strcmp(argv[1], "revoke")) {
		ctl_err("consent: unknown subcommand %s", argv[1]);
		return CTL_USAGE;
	}
	if (!strcmp(argv[1], "revoke") && (argc < 4 || argv[3][0] == '-')) {
		ctl_err("consent revoke: USERNAME and CLIENT_ID are required");
		return CTL_USAGE;
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if (find_user(c, argv[2], &u) != 0)
		return CTL_FAIL;
	if (!strcmp(argv[1], "revoke")) {
		e = idp_store_consent_withdraw(c->conn, u->id, argv[3]);
		if (e == IDP_ERR_NOT_FOUND)
			return ctl_err("consent revoke: %s has no consent for "
			    "%s", argv[2], argv[3]);
		if (e != IDP_OK)
			return ctl_err("consent revoke: %s", ctl_db_msg(c, e));
		if (c->json)
			ctl_print_json(json_pack("{s:s, s:s, s:b}", "username",
			    argv[2], "client_id", argv[3], "revoked", 1));
		else
			printf("consent of %s for %s withdrawn; its tokens are "
			    "revoked\n", argv[2], argv[3]);
		return CTL_OK;
	}
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
		ctl_print_json(json_pack("{s:o}", "consents", a));
		return CTL_OK;
	}
	printf("%-32s %s\n", "CLIENT_ID", "SCOPES");
	for (int i = 0; i < n; i++)
		printf("%-32s %s\n", list[i].client_id, list[i].scopes);
	return CTL_OK;
}

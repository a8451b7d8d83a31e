/* idpctl logout status [--client ID] [--failed]: back-channel logout per
 * service, from the outbox (kind "logout", label the client_id): tokens
 * pending, delivered and failed, the oldest pending one and the last
 * error (an HTTP status, or what the connection said). Delivered and
 * failed rows are counted until outbox_retention purges them. */
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "store/outbox.h"

#define LOGOUT_KIND "logout"	/* core/logout.h IDP_LOGOUT_KIND */

enum { OPT_CLIENT = 0x100 + 1, OPT_FAILED };

static void
logout_usage(void)
{
	printf("usage: idpctl logout status [--client CLIENT_ID] [--failed]"
	    "\n\nBack-channel logout tokens per service: pending, delivered, "
	    "failed, the\noldest pending and the last error. --failed: only "
	    "services with failures.\n");
}

static int
logout_status(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "client", required_argument, NULL, OPT_CLIENT },
		{ "failed", no_argument, NULL, OPT_FAILED },
		CTL_OPTS_COMMON
	};
	struct idp_outbox_stat *st = NULL;
	const char *client = NULL;
	bool failed = false;
	char **op;
	int ch, n = 0, k = 0, rc;
	enum idp_err e;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_CLIENT)
			client = optarg;
		else if (ch == OPT_FAILED)
			failed = true;
		else
			return ctl_opt_exit(ch);
	}
	if (ctl_rest(c, argc, argv, 0, &op) < 0)
		return CTL_USAGE;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_outbox_status(c->conn, c->arena, LOGOUT_KIND, &st,
	    &n);
	if (e != IDP_OK)
		return ctl_err("logout status: %s", ctl_db_msg(c, e));
	for (int i = 0; i < n; i++) {
		if ((client != NULL && strcmp(st[i].label, client) != 0) ||
		    (failed && st[i].failed == 0))
			continue;
		st[k++] = st[i];
	}
	if (client != NULL && k == 0 && !failed && !c->json)
		fprintf(stderr, "idpctl: logout status: nothing recorded for "
		    "%s\n", client);
	return ctl_outbox_print(c, st, k, true);
}

static const struct ctl_cmd logout_cmds[] = {
	{ "status", logout_status },
	{ NULL, NULL },
};

const struct ctl_group ctl_logout_group = {
	.name = "logout", .subs = "status",
	.summary = "back-channel logout deliveries per service",
	.usage = logout_usage, .cmds = logout_cmds,
};

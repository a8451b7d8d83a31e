/* idpctl: administer the identity provider (see ctl.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "idp_build.h"
#include "util/log.h"
#include "util/mem.h"

static const struct ctl_group *const commands[] = {
	&ctl_migrate_group,
	&ctl_keys_group,
	&ctl_org_group,
	&ctl_user_group,
	&ctl_client_group,
	&ctl_iat_group,
	&ctl_consent_group,
	&ctl_scope_group,
	&ctl_member_group,
	&ctl_outbox_group,
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	fprintf(f, "usage: idpctl [--config FILE] [--json] COMMAND ...\n\n"
	    "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct ctl_group *g = commands[i];
		char name[64];

		snprintf(name, sizeof(name), "%s%s%s", g->name,
		    *g->subs ? " " : "", g->subs);
		if (strlen(name) > 27)
			fprintf(f, "  %s\n  %-27s %s\n", name, "", g->summary);
		else
			fprintf(f, "  %-27s %s\n", name, g->summary);
	}
	fprintf(f, "\n"
	    "Every command takes --help. Settings come from FILE (or\n"
	    "IDP_CONFIG) and IDP_* environment variables, as for idp.\n"
	    "--json prints machine-readable output.\n\n"
	    "Exit codes: 0 success, 1 failure, 2 usage error, 3 database "
	    "unreachable.\n");
}

enum { OPT_CONFIG = 0x200, OPT_VERSION };

/* The options before the command. Returns -1 to go on, or the exit code. */
static int
global_options(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "version", no_argument, NULL, OPT_VERSION },
		CTL_OPTS_COMMON
	};
	int ch;

	opterr = 0;
	/* '+': stop at the command; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_CONFIG:
			c->cfgpath = optarg;
			break;
		case CTL_OPT_JSON:
			c->json = true;
			break;
		case CTL_OPT_HELP:
			usage(stdout);
			return CTL_OK;
		case OPT_VERSION:
			printf("idpctl %s\n", IDP_VERSION);
			return CTL_OK;
		case ':':
			return ctl_usage("%s needs a value", argv[optind - 1]);
		default:
			return ctl_usage("unknown option %s (see idpctl "
			    "--help)", argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CTL_USAGE;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct ctl c = { 0 };
	int rc;

	idp_mem_init();
	c.cfgpath = getenv("IDP_CONFIG");
	/* idpctl talks to people: only warnings and errors reach stderr. */
	idp_log_set_level(IDP_LOG_WARN);
	if ((rc = global_options(&c, argc, argv)) != -1)
		return rc;
	argc -= optind;
	argv += optind;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i]->name, argv[0]) != 0)
			continue;
		c.arena = idp_arena_new(16384);
		rc = ctl_run(&c, commands[i], argc, argv);
		ctl_close(&c);
		idp_arena_free(c.arena);
		return rc;
	}
	return ctl_usage("unknown command %s (see idpctl --help)", argv[0]);
}

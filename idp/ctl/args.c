/* idpctl: command tables and option parsing (see ctl.h). */
#include <string.h>

#include "ctl/ctl.h"

int
ctl_run(struct ctl *c, const struct ctl_group *g, int argc, char **argv)
{
	c->usage = g->usage;
	optind = 0;	/* glibc: start afresh on this argv */
	if (g->cmds == NULL) {
		c->cmd = g->name;
		return g->run(c, argc, argv);
	}
	if (argc < 2) {
		g->usage();
		return CTL_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		g->usage();
		return CTL_OK;
	}
	for (const struct ctl_cmd *k = g->cmds; k->name != NULL; k++) {
		if (strcmp(k->name, argv[1]) != 0)
			continue;
		c->cmd = idp_arena_printf(c->arena, "%s %s", g->name, k->name);
		return k->run(c, argc - 1, argv + 1);
	}
	return ctl_usage("%s: unknown subcommand %s (see idpctl %s --help)",
	    g->name, argv[1], g->name);
}

int
ctl_getopt(struct ctl *c, int argc, char **argv, const struct option *opts)
{
	int ch;

	opterr = 0;	/* the messages below name the command */
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) ==
	    CTL_OPT_JSON)
		c->json = true;
	if (ch == CTL_OPT_HELP) {
		c->usage();
	} else if (ch == ':') {
		ctl_usage("%s: %s needs a value", c->cmd, argv[optind - 1]);
		ch = CTL_OPT_BAD;
	} else if (ch == '?') {
		const char *a = optind > 0 ? argv[optind - 1] : "";

		if (!strncmp(a, "--", 2))
			ctl_usage("%s: unknown option %s", c->cmd, a);
		else	/* a kid, say, may begin with '-' */
			ctl_usage("%s: unknown option -%c (an operand that "
			    "begins with - goes after --)", c->cmd, optopt);
	}
	return ch;
}

int
ctl_opt_exit(int ch)
{
	return ch == CTL_OPT_HELP ? CTL_OK : CTL_USAGE;
}

int
ctl_rest(struct ctl *c, int argc, char **argv, int max, char ***ops)
{
	int n = argc - optind;

	*ops = argv + optind;
	if (n > max) {
		ctl_usage("%s: unexpected argument %s", c->cmd, argv[optind + max]);
		return -1;
	}
	return n;
}

int
ctl_operands(struct ctl *c, int argc, char **argv, int min, int max,
    const char *need, char ***ops)
{
	static const struct option common[] = { CTL_OPTS_COMMON };
	int ch, n;

	if ((ch = ctl_getopt(c, argc, argv, common)) != -1)
		return ctl_opt_exit(ch);
	if ((n = ctl_rest(c, argc, argv, max, ops)) < 0)
		return CTL_USAGE;
	if (n < min)
		return ctl_usage("%s: %s", c->cmd, need);
	return -1;
}

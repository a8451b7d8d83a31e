#include <stdio.h>

#include "ctl/ctl.h"
#include "store/migrate.h"

static void
report(const char *line)
{
	printf("%s\n", line);
}

static void
migrate_usage(void)
{
	printf("usage: idpctl migrate\n\n"
	    "Apply the migrations in sql_dir that the database has not "
	    "seen, each in\na transaction of its own, in version order. "
	    "Running it again changes\nnothing.\n");
}

static int
migrate(struct ctl *c, int argc, char **argv)
{
	struct idp_migration *m = NULL;
	size_t n = 0;
	char why[1024], **ops;
	int applied = 0, rc;

	if ((rc = ctl_operands(c, argc, argv, 0, 0, "", &ops)) != -1)
		return rc;
	if (ctl_config(c) != 0)
		return CTL_FAIL;
	if (idp_migrations_scan(c->arena, c->cfg.sql_dir, &m, &n, why,
	    sizeof(why)) != 0)
		return ctl_err("sql_dir: %s", why);
	if (n == 0)
		return ctl_err("sql_dir: no migrations in %s", c->cfg.sql_dir);
	if ((rc = ctl_connect(c, false)) != 0)
		return rc;
	if (idp_migrate(c->conn, c->arena, m, n, &applied,
	    c->json ? NULL : report, why, sizeof(why)) != IDP_OK)
		return ctl_err("migrate: %s", why);
	if (c->json)
		return ctl_print_json(json_pack("{s:i, s:i}", "applied",
		    applied, "version", m[n - 1].version));
	printf("database at version %03d (%d applied)\n", m[n - 1].version,
	    applied);
	return CTL_OK;
}

const struct ctl_group ctl_migrate_group = {
	.name = "migrate", .subs = "",
	.summary = "apply missing database migrations",
	.usage = migrate_usage, .run = migrate,
};

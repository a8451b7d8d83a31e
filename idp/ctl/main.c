/* idpctl: administer the identity provider (see ctl.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "idp_build.h"
#include "util/log.h"
#include "util/mem.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: idpctl [--config FILE] [--json] COMMAND ...\n\n"
	    "Commands:\n"
	    "  migrate                     apply missing database migrations\n"
	    "  keys generate|list|rotate   manage signing keys\n"
	    "  org add|list|import         manage organisations\n"
	    "  user add|list|passwd|disable|enable|import\n"
	    "                              manage people who sign in\n"
	    "  client add|list|show|remove|secret|apply\n"
	    "                              manage relying parties\n"
	    "  iat create|list|revoke      initial access tokens for /register\n"
	    "  consent list|revoke         a person's consents to third parties\n\n"
	    "Every command takes --help. Settings come from FILE (or\n"
	    "IDP_CONFIG) and IDP_* environment variables, as for idp.\n"
	    "--json prints machine-readable output.\n\n"
	    "Exit codes: 0 success, 1 failure, 2 usage error, 3 database "
	    "unreachable.\n");
}

int
ctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("idpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CTL_FAIL;
}

int
ctl_config(struct ctl *c)
{
	char err[1024];

	if (c->cfg_loaded)
		return 0;
	if (idp_config_load(c->cfgpath, &c->cfg, err, sizeof(err)) != 0) {
		ctl_err("%s", err);
		return -1;
	}
	c->cfg_loaded = true;
	return 0;
}

int
ctl_connect(struct ctl *c, bool prepared)
{
	char err[1024];

	if (c->conn != NULL)
		return 0;
	if (ctl_config(c) != 0)
		return CTL_FAIL;
	c->db = idp_db_new(c->cfg.database_url, 1, c->cfg.db_connect_timeout,
	    prepared);
	if (idp_db_wait_ready(c->db, 0, err, sizeof(err)) != IDP_OK) {
		ctl_err("database_url: cannot use the database: %s", err);
		return CTL_DB;
	}
	if (idp_db_acquire(c->db, &c->conn) != IDP_OK) {
		ctl_err("database_url: cannot use the database");
		return CTL_DB;
	}
	return 0;
}

void
ctl_print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		puts(s);
		free(s);
	}
	json_decref(o);
}

int
ctl_read_secret(char *buf, size_t len)
{
	size_t n;

	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(stdin))
		return -1;	/* longer than the buffer */
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return n == 0 ? -1 : 0;
}

const char *
ctl_db_msg(struct ctl *c, enum idp_err e)
{
	switch (e) {
	case IDP_ERR_UNAVAILABLE:
		return "the database is unreachable";
	case IDP_ERR_CONFLICT:
		return "it already exists";
	case IDP_ERR_NOT_FOUND:
		return "not found";
	case IDP_ERR_INVALID_REQUEST:
		return idp_arena_printf(c->arena, "the database refused it: %s",
		    c->conn ? idp_db_last_error(c->conn) : "");
	default:
		return idp_arena_printf(c->arena, "database error: %s",
		    c->conn ? idp_db_last_error(c->conn) : "");
	}
}

const char *
ctl_opt(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		ctl_err("%s needs a value", name);
		exit(CTL_USAGE);
	}
	(*i)++;
	return argv[*i];
}

bool
ctl_flag(char **argv, int i, const char *name)
{
	return strcmp(argv[i], name) == 0;
}

bool
ctl_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	struct ctl c = { 0 };
	int i = 1, rc;

	idp_mem_init();
	c.cfgpath = getenv("IDP_CONFIG");
	/* idpctl talks to people: only warnings and errors reach stderr. */
	idp_log_set_level(IDP_LOG_WARN);
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *v;

		if ((v = ctl_opt(argc, argv, &i, "--config")) != NULL) {
			c.cfgpath = v;
		} else if (!strcmp(argv[i], "--json")) {
			c.json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return CTL_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("idpctl %s\n", IDP_VERSION);
			return CTL_OK;
		} else {
			ctl_err("unknown option %s (see idpctl --help)", argv[i]);
			return CTL_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return CTL_USAGE;
	}
	/* --json may also follow the command. */
	for (int j = i; j < argc; j++)
		if (!strcmp(argv[j], "--json"))
			c.json = true;
	c.arena = idp_arena_new(16384);
	if (!strcmp(argv[i], "migrate"))
		rc = ctl_migrate(&c, argc - i, argv + i);
	else if (!strcmp(argv[i], "keys"))
		rc = ctl_keys(&c, argc - i, argv + i);
	else if (!strcmp(argv[i], "user"))
		rc = ctl_user(&c, argc - i, argv + i);
	else if (!strcmp(argv[i], "org"))
		rc = ctl_org(&c, argc - i, argv + i);
	else if (!strcmp(argv[i], "client"))
		rc = ctl_client(&c, argc - i, argv + i);
	else if (!strcmp(argv[i], "iat"))
		rc = ctl_iat(&c, argc - i, argv + i);
	else if (!strcmp(argv[i], "consent"))
		rc = ctl_consent(&c, argc - i, argv + i);
	else {
		ctl_err("unknown command %s (see idpctl --help)", argv[i]);
		rc = CTL_USAGE;
	}
	if (c.conn != NULL)
		idp_db_release(c.db, c.conn);
	idp_db_free(c.db);
	if (c.cfg_loaded)
		idp_config_free(&c.cfg);
	idp_arena_free(c.arena);
	return rc;
}

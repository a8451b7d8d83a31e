/* idpctl: what every command uses (see ctl.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"

static void
verr(const char *fmt, va_list ap)
{
	fputs("idpctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int
ctl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	return CTL_FAIL;
}

int
ctl_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	return CTL_USAGE;
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
ctl_close(struct ctl *c)
{
	if (c->conn != NULL)
		idp_db_release(c->db, c->conn);
	c->conn = NULL;
	idp_db_free(c->db);
	c->db = NULL;
	if (c->cfg_loaded)
		idp_config_free(&c->cfg);
	c->cfg_loaded = false;
}

int
ctl_print_json(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

	json_decref(o);
	if (s == NULL)
		return ctl_err("cannot print the result as JSON");
	puts(s);
	free(s);
	return CTL_OK;
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

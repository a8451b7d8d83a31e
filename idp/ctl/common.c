/* idpctl: what every command uses (see ctl.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pwd.h>
#include <unistd.h>

#include "core/helpdesk.h"
#include "core/roles.h"
#include "ctl/ctl.h"
#include "store/audit.h"
#include "store/directory.h"

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

/* A user name fit for the audit log: short, printable, no spaces. */
static bool
name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 64)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

const char *
ctl_actor(struct ctl *c)
{
	const char *sudo = getenv("SUDO_USER");
	struct passwd *pw;

	if (name_ok(sudo))
		return idp_arena_printf(c->arena, "idpctl:%s", sudo);
	pw = getpwuid(getuid());
	if (pw != NULL && name_ok(pw->pw_name))
		return idp_arena_printf(c->arena, "idpctl:%s", pw->pw_name);
	return idp_arena_printf(c->arena, "idpctl:uid%ld", (long)getuid());
}

int
ctl_audit(struct ctl *c, const char *event, long long user_id,
    const char *client_id, json_t *details)
{
	struct idp_audit ev = { .event = event, .user_id = user_id,
		.client_id = client_id };
	char *js;
	enum idp_err e;

	if (details == NULL)
		details = json_object();
	if (c->as_name != NULL) {
		json_object_set_new(details, "via", json_string(ctl_actor(c)));
		ev.actor = c->as_name;
		ev.actor_user_id = c->as_user_id;
	} else {
		ev.actor = ctl_actor(c);
	}
	js = json_dumps(details, JSON_COMPACT);
	json_decref(details);
	if (js == NULL)
		return ctl_err("%s: cannot record the audit event", c->cmd);
	ev.details_json = js;
	e = idp_store_audit(c->conn, &ev);
	free(js);
	if (e != IDP_OK)
		return ctl_err("%s: cannot record the audit event: %s", c->cmd,
		    ctl_db_msg(c, e));
	return 0;
}

const char *
ctl_utc(struct ctl *c, int64_t t)
{
	time_t tt = (time_t)t;
	char buf[32];
	struct tm tm;

	if (t == 0)
		return "-";
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return idp_arena_strdup(c->arena, buf);
}

void
ctl_operator(struct ctl *c, struct idp_operator *op)
{
	memset(op, 0, sizeof(*op));
	if (c->as_name != NULL) {
		op->actor = c->as_name;
		op->actor_user_id = c->as_user_id;
		op->via = ctl_actor(c);
	} else {
		op->actor = ctl_actor(c);
	}
	op->logout_give_up = c->cfg.logout_give_up;
}

int
ctl_as(struct ctl *c, const char *username, int act, const char *org)
{
	struct idp_user *u = NULL;
	struct idp_roles roles;
	enum idp_err e;

	e = idp_store_user_by_username(c->conn, c->arena, username, &u);
	if (e == IDP_ERR_NOT_FOUND || (e == IDP_OK && u->disabled))
		return ctl_err("%s: --as %s: no such person (or disabled)",
		    c->cmd, username);
	if (e == IDP_OK)
		e = idp_roles_of(c->conn, c->arena, c->cfg.operator_org, u->id,
		    &roles);
	if (e != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	if (!idp_role_check(&roles, (enum idp_action)act, org))
		return ctl_err("%s: --as %s: not allowed (needs a developer of "
		    "%s or an admin)", c->cmd, username, org ? org : "the "
		    "organisation");
	c->as_name = idp_arena_strdup(c->arena, u->username);
	c->as_user_id = u->id;
	return 0;
}

/* idpctl session list --user U | end ID | end --user U: an operator sees
 * and ends a person's SSO sessions (a lost phone, a shared computer, an
 * account taken over). Ending goes through idp_session_end, so the grants
 * issued through the ended sessions are revoked and every service they
 * reached is sent a back-channel logout token by the running idp
 * instances, as when the person signs out. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/session_end.h"
#include "ctl/ctl.h"
#include "store/directory.h"
#include "store/outbox.h"
#include "store/usersession.h"
#include "util/str.h"

enum { OPT_USER = 0x100 + 1 };

static void
session_usage(void)
{
	printf("usage: idpctl session list --user USERNAME\n"
	    "       idpctl session end ID | --user USERNAME\n\n"
	    "list shows a person's live sessions (ID, sid, started, last "
	    "used, address,\nservices reached); end ends one session, or "
	    "every session of the person,\nrevokes the grants issued "
	    "through them and tells their services\n(back-channel logout).\n");
}

static int
user_of(struct ctl *c, const char *username, struct idp_user **u)
{
	enum idp_err e = idp_store_user_by_username(c->conn, c->arena,
	    username, u);

	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("%s: no user %s", c->cmd, username);
	if (e != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	return 0;
}

static int
parse_user(struct ctl *c, int argc, char **argv, const char **user,
    char ***op, int max)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, OPT_USER },
		CTL_OPTS_COMMON
	};
	int ch;

	*user = NULL;
	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_USER)
			*user = optarg;
		else
			return ctl_opt_exit(ch);
	}
	if (ctl_rest(c, argc, argv, max, op) < 0)
		return CTL_USAGE;
	return -1;
}

static void
utc(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, n, "%lld", (long long)t);
}

static int
print_sessions(struct ctl *c, const struct idp_session_row *s, int n)
{
	json_t *a;

	if (c->json) {
		a = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:I, s:s, s:I, "
			    "s:I, s:s*, s:s*, s:i}", "id", (json_int_t)s[i].id,
			    "sid", s[i].sid, "started", (json_int_t)
			    s[i].started, "last_used", (json_int_t)
			    s[i].last_used, "ip", s[i].ip, "user_agent",
			    s[i].user_agent, "services", s[i].clients));
		return ctl_print_json(json_pack("{s:o}", "sessions", a));
	}
	printf("%-8s %-24s %-20s %-20s %-16s %s\n", "ID", "SID", "STARTED",
	    "LAST USED", "ADDRESS", "SERVICES");
	for (int i = 0; i < n; i++) {
		char st[32], lu[32];

		utc(s[i].started, st, sizeof(st));
		utc(s[i].last_used, lu, sizeof(lu));
		printf("%-8lld %-24.24s %-20s %-20s %-16s %d\n", s[i].id,
		    s[i].sid, st, lu, s[i].ip ? s[i].ip : "-", s[i].clients);
	}
	return CTL_OK;
}

static int
session_list(struct ctl *c, int argc, char **argv)
{
	struct idp_session_row *s = NULL;
	struct idp_user *u;
	const char *user;
	char **op;
	int rc, n = 0;
	enum idp_err e;

	if ((rc = parse_user(c, argc, argv, &user, &op, 0)) != -1)
		return rc;
	if (user == NULL)
		return ctl_usage("session list: --user USERNAME is required");
	if ((rc = ctl_connect(c, true)) != 0 ||
	    (rc = user_of(c, user, &u)) != 0)
		return rc;
	e = idp_store_sessions_of(c->conn, c->arena, u->id, &s, &n);
	if (e != IDP_OK)
		return ctl_err("session list: %s", ctl_db_msg(c, e));
	return print_sessions(c, s, n);
}

/* In one durable transaction with its audit row. */
static int
end_and_audit(struct ctl *c, struct idp_session_end *e)
{
	enum idp_err rc;
	int arc;

	if ((rc = idp_db_begin(c->conn)) != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, rc));
	if ((rc = idp_session_end_tx(c->conn, e)) != IDP_OK) {
		idp_db_rollback(c->conn);
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, rc));
	}
	if ((arc = ctl_audit(c, "session.ended_by_operator", e->user_id,
	    NULL, json_pack("{s:I, s:i, s:i, s:i}", "session",
	    (json_int_t)e->session_id, "sessions", e->sessions,
	    "grants_revoked", e->revoked, "logout_tokens", e->notified)))
	    != 0) {
		idp_db_rollback(c->conn);
		return arc;
	}
	if ((rc = idp_db_commit(c->conn)) != IDP_OK) {
		idp_db_rollback(c->conn);
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, rc));
	}
	return 0;
}

static int
session_end(struct ctl *c, int argc, char **argv)
{
	struct idp_session_end e = { 0 };
	struct idp_user *u;
	const char *user;
	int64_t id = 0;
	char **op;
	int rc;
	enum idp_err de;

	if ((rc = parse_user(c, argc, argv, &user, &op, 1)) != -1)
		return rc;
	if ((user == NULL) == (op[0] == NULL))
		return ctl_usage("session end: give a session ID or --user "
		    "USERNAME");
	if (op[0] != NULL && idp_parse_i64(op[0], 1, INT64_MAX, &id) != 0)
		return ctl_usage("session end: %s is not a session ID "
		    "(see idpctl session list)", op[0]);
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if (user != NULL) {
		if ((rc = user_of(c, user, &u)) != 0)
			return rc;
		e.user_id = u->id;
		e.scope = IDP_END_ALL;
	} else {
		de = idp_store_session_owner(c->conn, id, &e.user_id);
		if (de == IDP_ERR_NOT_FOUND)
			return ctl_err("session end: no live session %lld",
			    (long long)id);
		if (de != IDP_OK)
			return ctl_err("session end: %s", ctl_db_msg(c, de));
		e.scope = IDP_END_ONE;
		e.session_id = id;
	}
	e.grants = IDP_GRANTS_OF_SESSIONS;
	e.reason = "operator";
	e.request_id = "idpctl";
	e.give_up = c->cfg.logout_give_up;
	if ((rc = end_and_audit(c, &e)) != 0)
		return rc;
	if (c->json)
		return ctl_print_json(json_pack("{s:i, s:i, s:i}",
		    "sessions_ended", e.sessions, "grants_revoked", e.revoked,
		    "logout_tokens", e.notified));
	printf("%d sessions ended, %d grants revoked, %d services to be "
	    "told\n", e.sessions, e.revoked, e.notified);
	return CTL_OK;
}

static const struct ctl_cmd session_cmds[] = {
	{ "list", session_list },
	{ "end", session_end },
	{ NULL, NULL },
};

const struct ctl_group ctl_session_group = {
	.name = "session", .subs = "list|end",
	.summary = "a person's SSO sessions: list them, end them",
	.usage = session_usage, .cmds = session_cmds,
};

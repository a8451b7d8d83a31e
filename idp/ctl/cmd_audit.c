/* idpctl audit: read the audit log (store/audit.h) with the filters the
 * console's audit page offers. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl/ctl.h"
#include "store/audit.h"
#include "store/directory.h"
#include "util/str.h"

static void
audit_usage(void)
{
	printf("usage: idpctl audit list [--user USERNAME] [--client ID] "
	    "[--event NAME]\n"
	    "                        [--since TIME] [--until TIME] "
	    "[--limit N] [--before ID]\n\n"
	    "Newest first, at most --limit rows (100; up to 10000). --user "
	    "matches rows\nabout the person and rows of their own actions; "
	    "--event is an event name\n(login.failure) or a prefix ending in "
	    "a dot (login.). TIME is 2026-12-01\n(midnight UTC) or "
	    "2026-12-01T08:00:00 with Z or an offset (+08:00 is WITA).\n"
	    "--before ID pages on from the last row shown.\n");
}

enum {
	OPT_USER = 0x100 + 1, OPT_CLIENT, OPT_EVENT, OPT_SINCE, OPT_UNTIL,
	OPT_LIMIT, OPT_BEFORE,
};

static int
audit_opt(int ch, struct idp_audit_filter *f,
    const char **user)
{
	int64_t v;

	switch (ch) {
	case OPT_USER: *user = optarg; return -1;
	case OPT_CLIENT: f->client_id = optarg; return -1;
	case OPT_EVENT:
		if (!idp_audit_event_ok(optarg))
			return ctl_usage("audit list: --event must be an event "
			    "name or a prefix ending in a dot");
		f->event = optarg;
		return -1;
	case OPT_SINCE:
	case OPT_UNTIL:
		if (idp_parse_time(optarg, &v) != 0)
			return ctl_usage("audit list: %s must be a time like "
			    "2026-12-01 or 2026-12-01T08:00:00+08:00",
			    ch == OPT_SINCE ? "--since" : "--until");
		*(ch == OPT_SINCE ? &f->since : &f->until) = v;
		return -1;
	case OPT_LIMIT:
		if (idp_parse_i64(optarg, 1, 10000, &v) != 0)
			return ctl_usage("audit list: --limit must be 1-10000");
		f->limit = (int)v;
		return -1;
	case OPT_BEFORE:
		if (idp_parse_i64(optarg, 1, INT64_MAX, &v) != 0)
			return ctl_usage("audit list: --before must be a row id");
		f->before_id = v;
		return -1;
	default:
		return ctl_opt_exit(ch);
	}
}

static json_t *
row_json(const struct idp_audit_row *w)
{
	json_error_t err;
	json_t *d = w->details ? json_loads(w->details, 0, &err) : NULL;

	return json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:o}",
	    "id", (json_int_t)w->id, "at", (json_int_t)w->at, "event",
	    w->event, "username", w->username, "client_id", w->client_id,
	    "ip", w->ip, "request_id", w->request_id, "actor", w->actor,
	    "details", d ? d : json_object());
}

static void
row_print(struct ctl *c, const struct idp_audit_row *w)
{
	printf("%-8lld %-20s %-28s %-20s %-20s %-22s %s\n", w->id,
	    ctl_utc(c, w->at),
	    w->event, w->username ? w->username : "-",
	    w->client_id ? w->client_id : "-", w->actor ? w->actor : "-",
	    w->details ? w->details : "{}");
}

static int
audit_list(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, OPT_USER },
		{ "client", required_argument, NULL, OPT_CLIENT },
		{ "event", required_argument, NULL, OPT_EVENT },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "before", required_argument, NULL, OPT_BEFORE },
		CTL_OPTS_COMMON
	};
	struct idp_audit_filter f = { .limit = 100 };
	struct idp_audit_row *w = NULL;
	const char *user = NULL;
	struct idp_user *u;
	enum idp_err e;
	char **op;
	int ch, n = 0, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1)
		if ((rc = audit_opt(ch, &f, &user)) != -1)
			return rc;
	if (ctl_rest(c, argc, argv, 0, &op) < 0)
		return CTL_USAGE;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if (user != NULL) {
		e = idp_store_user_by_username(c->conn, c->arena, user, &u);
		if (e == IDP_ERR_NOT_FOUND)
			return ctl_err("audit list: no user %s", user);
		if (e != IDP_OK)
			return ctl_err("audit list: %s", ctl_db_msg(c, e));
		f.user_id = u->id;
	}
	if ((e = idp_store_audit_list(c->conn, c->arena, &f, &w, &n)) !=
	    IDP_OK)
		return ctl_err("audit list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, row_json(&w[i]));
		return ctl_print_json(json_pack("{s:o}", "events", a));
	}
	printf("%-8s %-20s %-28s %-20s %-20s %-22s %s\n", "ID", "AT (UTC)",
	    "EVENT", "USERNAME", "CLIENT", "ACTOR", "DETAILS");
	for (int i = 0; i < n; i++)
		row_print(c, &w[i]);
	return CTL_OK;
}

static const struct ctl_cmd audit_cmds[] = {
	{ "list", audit_list },
	{ NULL, NULL },
};

const struct ctl_group ctl_audit_group = {
	.name = "audit", .subs = "list",
	.summary = "read the audit log",
	.usage = audit_usage, .cmds = audit_cmds,
};

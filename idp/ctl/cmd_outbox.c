/* idpctl outbox status: what the outbox holds, per kind (mail; later
 * logout tokens) and, with --by-label, per label within it (the mail's
 * template, a logout token's service): pending, delivered, failed, the
 * oldest pending row and the last error. Delivered and failed rows are
 * counted until they are purged (outbox_retention). */
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "store/outbox.h"

enum { OPT_KIND = 0x100 + 1, OPT_BY_LABEL };

static void
outbox_usage(void)
{
	printf("usage: idpctl outbox status [--kind KIND] [--by-label]\n\n"
	    "Pending, delivered and failed messages per kind (mail, ...) and "
	    "the last\nerror; --by-label shows each label (the mail's "
	    "template) on its own line.\n");
}

/* Rows of one kind folded into its first row (the counts added, the most
 * recent error kept). */
static void
fold(struct idp_outbox_stat *into, const struct idp_outbox_stat *s)
{
	into->pending += s->pending;
	into->delivered += s->delivered;
	into->failed += s->failed;
	if (s->oldest_pending > into->oldest_pending)
		into->oldest_pending = s->oldest_pending;
	if (s->last_error != NULL && s->last_error_at >= into->last_error_at) {
		into->last_error = s->last_error;
		into->last_error_at = s->last_error_at;
		into->last_status = s->last_status;
	}
}

static int
print(struct ctl *c, const struct idp_outbox_stat *st, int n)
{
	json_t *a;

	if (c->json) {
		a = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s*, s:I, "
			    "s:I, s:I, s:I, s:s*, s:I}", "kind", st[i].kind,
			    "label", st[i].label, "pending",
			    (json_int_t)st[i].pending, "delivered",
			    (json_int_t)st[i].delivered, "failed",
			    (json_int_t)st[i].failed, "oldest_pending_seconds",
			    (json_int_t)st[i].oldest_pending, "last_error",
			    st[i].last_error, "last_status",
			    (json_int_t)st[i].last_status));
		return ctl_print_json(json_pack("{s:o}", "outbox", a));
	}
	printf("%-10s %-22s %8s %10s %7s %8s  %s\n", "KIND", "LABEL",
	    "PENDING", "DELIVERED", "FAILED", "OLDEST", "LAST ERROR");
	for (int i = 0; i < n; i++)
		printf("%-10s %-22s %8lld %10lld %7lld %7llds  %s\n",
		    st[i].kind, st[i].label ? st[i].label : "*",
		    st[i].pending, st[i].delivered, st[i].failed,
		    st[i].oldest_pending, st[i].last_error ?
		    st[i].last_error : "-");
	return CTL_OK;
}

static int
outbox_status(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "by-label", no_argument, NULL, OPT_BY_LABEL },
		CTL_OPTS_COMMON
	};
	struct idp_outbox_stat *st = NULL;
	const char *kind = NULL;
	bool by_label = false;
	char **op;
	int ch, n = 0, k = 0, rc;
	enum idp_err e;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_KIND)
			kind = optarg;
		else if (ch == OPT_BY_LABEL)
			by_label = true;
		else
			return ctl_opt_exit(ch);
	}
	if (ctl_rest(c, argc, argv, 0, &op) < 0)
		return CTL_USAGE;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_outbox_status(c->conn, c->arena, kind, &st, &n);
	if (e != IDP_OK)
		return ctl_err("outbox status: %s", ctl_db_msg(c, e));
	if (!by_label) {
		for (int i = 0; i < n; i++) {
			if (k > 0 && !strcmp(st[k - 1].kind, st[i].kind)) {
				fold(&st[k - 1], &st[i]);
				continue;
			}
			st[k] = st[i];
			st[k++].label = NULL;
		}
		n = k;
	}
	return print(c, st, n);
}

static const struct ctl_cmd outbox_cmds[] = {
	{ "status", outbox_status },
	{ NULL, NULL },
};

const struct ctl_group ctl_outbox_group = {
	.name = "outbox", .subs = "status",
	.summary = "what the outbox holds (mail) and its last errors",
	.usage = outbox_usage, .cmds = outbox_cmds,
};

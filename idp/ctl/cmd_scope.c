/* idpctl scope: the API scopes services offer (declared in their
 * manifests) and requests by clients for another service's scope, which
 * a developer of the offering organisation or an admin decides. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/registry.h"
#include "core/roles.h"
#include "ctl/ctl.h"
#include "oidc/scope.h"
#include "store/api.h"
#include "store/client.h"
#include "util/str.h"

static void
scope_usage(void)
{
	printf("usage: idpctl scope list\n"
	    "       idpctl scope requests [--state pending|approved|rejected]\n"
	    "       idpctl scope request CLIENT_ID SCOPE [--reason TEXT] "
	    "[--as USERNAME]\n"
	    "       idpctl scope approve ID [--reason TEXT] [--as USERNAME]\n"
	    "       idpctl scope reject ID --reason TEXT [--as USERNAME]\n\n"
	    "An API scope belongs to the service whose manifest offers it "
	    "(\"api\" member)\nand names who may have it. A client asks for "
	    "another one with request;\nthe request waits until a developer "
	    "of the offering service's organisation\n(--as USERNAME) or an "
	    "operator approves or rejects it. Rejecting an approved\nrequest "
	    "withdraws the scope. --as USERNAME acts for that person: their "
	    "role is\nchecked and they are the actor in the audit log.\n");
}

static int
scope_list(struct ctl *c, int argc, char **argv)
{
	struct idp_api_scope_row *s = NULL;
	enum idp_err e;
	char **op;
	int n = 0, rc;

	if ((rc = ctl_operands(c, argc, argv, 0, 0, "", &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((e = idp_store_api_scope_list(c->conn, c->arena, &s, &n)) != IDP_OK)
		return ctl_err("scope list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s?, "
			    "s:s, s:s?, s:s?, s:i}", "scope", s[i].scope,
			    "server", s[i].server, "organisation",
			    s[i].server_org, "description", s[i].description,
			    "resources", s[i].resources, "allowed",
			    s[i].allowed, "pending_requests", s[i].pending));
		return ctl_print_json(json_pack("{s:o}", "scopes", a));
	}
	printf("%-24s %-22s %-22s %-7s %s\n", "SCOPE", "SERVER", "ORGANISATION",
	    "PENDING", "ALLOWED");
	for (int i = 0; i < n; i++)
		printf("%-24s %-22s %-22s %-7d %s\n", s[i].scope, s[i].server,
		    s[i].server_org ? s[i].server_org : "-", s[i].pending,
		    s[i].allowed ? s[i].allowed : "-");
	return CTL_OK;
}

static json_t *
request_json(const struct idp_scope_request *q)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, "
	    "s:s?, s:I, s:I}", "id", (json_int_t)q->id, "client_id",
	    q->client_id, "scope", q->scope, "state", q->state, "reason",
	    q->reason, "requested_by", q->requested_by, "decided_by",
	    q->decided_by, "decision_reason", q->decision_reason, "server",
	    q->server, "server_organisation", q->server_org, "created_at",
	    (json_int_t)q->created_at, "decided_at",
	    (json_int_t)q->decided_at);
}

static int
scope_requests(struct ctl *c, int argc, char **argv)
{
	enum { OPT_STATE = 0x100 + 1 };
	static const struct option opts[] = {
		{ "state", required_argument, NULL, OPT_STATE },
		CTL_OPTS_COMMON
	};
	struct idp_scope_request *q = NULL;
	const char *state = NULL;
	enum idp_err e;
	char **op;
	int ch, n = 0, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch != OPT_STATE)
			return ctl_opt_exit(ch);
		state = optarg;
	}
	if (ctl_rest(c, argc, argv, 0, &op) < 0)
		return CTL_USAGE;
	if (state != NULL && strcmp(state, "pending") != 0 &&
	    strcmp(state, "approved") != 0 && strcmp(state, "rejected") != 0)
		return ctl_usage("scope requests: --state must be pending, "
		    "approved or rejected");
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_scope_request_list(c->conn, c->arena, state, &q, &n);
	if (e != IDP_OK)
		return ctl_err("scope requests: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, request_json(&q[i]));
		return ctl_print_json(json_pack("{s:o}", "requests", a));
	}
	printf("%-6s %-9s %-28s %-22s %s\n", "ID", "STATE", "CLIENT", "SCOPE",
	    "SERVER");
	for (int i = 0; i < n; i++)
		printf("%-6lld %-9s %-28s %-22s %s\n", q[i].id, q[i].state,
		    q[i].client_id, q[i].scope, q[i].server);
	return CTL_OK;
}

struct decision_args {
	const char *reason;
	const char *as;
	char **op;
	int n;
};

/* [--reason TEXT] [--as USERNAME] and up to max operands. */
static int
decision_args(struct ctl *c, int argc, char **argv, int max,
    struct decision_args *d)
{
	enum { OPT_REASON = 0x100 + 1, OPT_AS };
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "as", required_argument, NULL, OPT_AS },
		CTL_OPTS_COMMON
	};
	int ch;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_REASON)
			d->reason = optarg;
		else if (ch == OPT_AS)
			d->as = optarg;
		else
			return ctl_opt_exit(ch);
	}
	if ((d->n = ctl_rest(c, argc, argv, max, &d->op)) < 0)
		return CTL_USAGE;
	if (d->reason != NULL && (strlen(d->reason) > 500 ||
	    !idp_utf8_valid(d->reason, strlen(d->reason))))
		return ctl_usage("%s: --reason must be UTF-8 text of at most "
		    "500 bytes", c->cmd);
	return -1;
}

/* The requesting client must exist; the scope must exist and not be
 * allowed to it already. */
static int
request_check(struct ctl *c, const char *client_id, const char *scope,
    struct idp_client_row **row)
{
	const char *why = NULL;
	enum idp_err e;

	e = idp_store_client_get(c->conn, c->arena, client_id, row);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("scope request: no client %s", client_id);
	if (e != IDP_OK)
		return ctl_err("scope request: %s", ctl_db_msg(c, e));
	e = idp_registry_check_request(c->conn, c->arena, client_id,
	    (*row)->owner_org, scope, &why);
	if (e == IDP_ERR_NOT_FOUND || e == IDP_ERR_CONFLICT)
		return ctl_err("scope request: %s", why);
	if (e != IDP_OK)
		return ctl_err("scope request: %s", ctl_db_msg(c, e));
	return 0;
}

static int
scope_request(struct ctl *c, int argc, char **argv)
{
	struct decision_args d = { 0 };
	struct idp_client_row *row = NULL;
	long long id = 0;
	enum idp_err e;
	int rc;

	if ((rc = decision_args(c, argc, argv, 2, &d)) != -1)
		return rc;
	if (d.n < 2)
		return ctl_usage("scope request: CLIENT_ID and SCOPE are "
		    "required");
	if (!idp_scope_token_valid(d.op[1]) || strlen(d.op[1]) > 128)
		return ctl_usage("scope request: %s is not a scope", d.op[1]);
	if ((rc = ctl_connect(c, true)) != 0 ||
	    (rc = request_check(c, d.op[0], d.op[1], &row)) != 0)
		return rc;
	if (d.as != NULL && (rc = ctl_as(c, d.as, IDP_ACT_CLIENT_MANAGE,
	    row->owner_org)) != 0)
		return rc;
	e = idp_store_scope_request_create(c->conn, d.op[0], d.op[1], d.reason,
	    c->as_name ? c->as_name : ctl_actor(c), &id);
	if (e == IDP_ERR_CONFLICT)
		return ctl_err("scope request: %s has an open request for %s",
		    d.op[0], d.op[1]);
	if (e != IDP_OK)
		return ctl_err("scope request: %s", ctl_db_msg(c, e));
	if ((rc = ctl_audit(c, "scope.requested", 0, d.op[0], json_pack(
	    "{s:I, s:s, s:s?}", "request", (json_int_t)id, "scope", d.op[1],
	    "reason", d.reason))) != 0)
		return rc;
	if (c->json)
		return ctl_print_json(json_pack("{s:I, s:s}", "id",
		    (json_int_t)id, "state", "pending"));
	printf("scope request %lld: %s asks for %s (pending)\n", id, d.op[0],
	    d.op[1]);
	return CTL_OK;
}

static int
decide(struct ctl *c, int argc, char **argv, bool approve)
{
	struct decision_args d = { 0 };
	struct idp_scope_request *q = NULL;
	const char *state = approve ? "approved" : "rejected";
	int64_t id;
	enum idp_err e;
	int rc;

	if ((rc = decision_args(c, argc, argv, 1, &d)) != -1)
		return rc;
	if (d.n < 1 || idp_parse_i64(d.op[0], 1, INT64_MAX, &id) != 0)
		return ctl_usage("%s: ID must be a request number", c->cmd);
	if (!approve && (d.reason == NULL || *d.reason == '\0'))
		return ctl_usage("%s: --reason is required", c->cmd);
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_scope_request_get(c->conn, c->arena, id, &q);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("%s: no scope request %lld", c->cmd,
		    (long long)id);
	if (e != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	/* The offering service's organisation decides. */
	if (d.as != NULL && (rc = ctl_as(c, d.as, IDP_ACT_SCOPE_DECIDE,
	    q->server_org)) != 0)
		return rc;
	e = idp_store_scope_request_decide(c->conn, id, state,
	    c->as_name ? c->as_name : ctl_actor(c), d.reason);
	if (e == IDP_ERR_CONFLICT)
		return ctl_err("%s: request %lld is %s", c->cmd, (long long)id,
		    q->state);
	if (e != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	if ((rc = ctl_audit(c, approve ? "scope.approved" : "scope.rejected",
	    0, q->client_id, json_pack("{s:I, s:s, s:s, s:s?}", "request",
	    (json_int_t)id, "scope", q->scope, "before", q->state, "reason",
	    d.reason))) != 0)
		return rc;
	if (c->json)
		return ctl_print_json(json_pack("{s:I, s:s}", "id",
		    (json_int_t)id, "state", state));
	printf("scope request %lld %s: %s %s %s\n", (long long)id, state,
	    q->client_id, approve ? "may have" : "may not have", q->scope);
	return CTL_OK;
}

static int
scope_approve(struct ctl *c, int argc, char **argv)
{
	return decide(c, argc, argv, true);
}

static int
scope_reject(struct ctl *c, int argc, char **argv)
{
	return decide(c, argc, argv, false);
}

static const struct ctl_cmd scope_cmds[] = {
	{ "list", scope_list },
	{ "requests", scope_requests },
	{ "request", scope_request },
	{ "approve", scope_approve },
	{ "reject", scope_reject },
	{ NULL, NULL },
};

const struct ctl_group ctl_scope_group = {
	.name = "scope", .subs = "list|requests|request|approve|reject",
	.summary = "API scopes and requests for them",
	.usage = scope_usage, .cmds = scope_cmds,
};

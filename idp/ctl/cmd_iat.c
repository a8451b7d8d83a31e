/* idpctl iat: initial access tokens for dynamic client registration. */
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "crypto/digest.h"
#include "crypto/random.h"
#include "ctl/ctl.h"
#include "store/iat.h"
#include "util/str.h"

static void
iat_usage(void)
{
	printf("usage: idpctl iat create [--description TEXT] [--org CODE] "
	    "[--uses N] [--ttl SECONDS]\n"
	    "                         [--auto-approve]\n"
	    "       idpctl iat list\n"
	    "       idpctl iat revoke ID\n\n"
	    "An initial access token lets a service developer register clients "
	    "at\n/register (RFC 7591). It is printed once; the provider keeps "
	    "its SHA-256.\nDefaults: 1 use, valid 7 days. --uses 0 means "
	    "unlimited. Clients\nregistered with it belong to --org and wait "
	    "for an operator's approval\n(idpctl client approve) unless "
	    "--auto-approve.\n"
	    "list names each token's state: active, used_up (every use "
	    "spent), expired\nor revoked.\n");
}

static int
iat_create(struct ctl *c, int argc, char **argv)
{
	enum { OPT_DESC = 0x100 + 1, OPT_ORG, OPT_USES, OPT_TTL, OPT_AUTO };
	static const struct option opts[] = {
		{ "description", required_argument, NULL, OPT_DESC },
		{ "auto-approve", no_argument, NULL, OPT_AUTO },
		{ "org", required_argument, NULL, OPT_ORG },
		{ "uses", required_argument, NULL, OPT_USES },
		{ "ttl", required_argument, NULL, OPT_TTL },
		CTL_OPTS_COMMON
	};
	const char *desc = "", *org = NULL;
	bool auto_approve = false;
	int64_t uses = 1, ttl = 7 * 86400;
	unsigned char d[IDP_SHA256_LEN];
	char *token, **op;
	long long id = 0;
	enum idp_err e;
	int ch, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_DESC)
			desc = optarg;
		else if (ch == OPT_ORG)
			org = optarg;
		else if (ch == OPT_AUTO)
			auto_approve = true;
		else if (ch == OPT_USES) {
			if (idp_parse_i64(optarg, 0, 1000000, &uses) != 0)
				return ctl_usage("iat create: --uses must be "
				    "0-1000000");
		} else if (ch == OPT_TTL) {
			if (idp_parse_i64(optarg, 60, 31536000, &ttl) != 0)
				return ctl_usage("iat create: --ttl must be "
				    "60-31536000");
		} else
			return ctl_opt_exit(ch);
	}
	if (ctl_rest(c, argc, argv, 0, &op) < 0)
		return CTL_USAGE;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	token = idp_random_token(c->arena);
	idp_sha256_str(token, d);
	e = idp_store_iat_create(c->conn, d, desc, org, uses == 0 ? -1 :
	    (int)uses, ttl, auto_approve, &id);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("iat create: organisation %s does not exist", org);
	if (e != IDP_OK)
		return ctl_err("iat create: %s", ctl_db_msg(c, e));
	if ((rc = ctl_audit(c, "iat.created", 0, NULL, json_pack(
	    "{s:I, s:s, s:s?, s:b}", "iat", (json_int_t)id, "description",
	    desc, "owner", org, "auto_approve", auto_approve))) != 0)
		return rc;
	if (c->json)
		return ctl_print_json(json_pack("{s:I, s:s}", "id",
		    (json_int_t)id, "initial_access_token", token));
	printf("initial access token %lld: %s\n(shown once; send it as "
	    "'Authorization: Bearer ...' to /register)\n", id, token);
	return CTL_OK;
}

/* What a token is now, the first that applies: revoked by an operator,
 * past its expiry, or every use spent ("used_up"); else active. */
static const char *
iat_state(const struct idp_iat *t, int64_t now)
{
	if (t->revoked)
		return "revoked";
	if (t->expires_at <= now)
		return "expired";
	if (t->uses_left == 0)
		return "used_up";
	return "active";
}

static int
iat_list(struct ctl *c, int argc, char **argv)
{
	int64_t now = (int64_t)time(NULL);
	struct idp_iat *t = NULL;
	enum idp_err e;
	char **op;
	int n = 0, rc;

	if ((rc = ctl_operands(c, argc, argv, 0, 0, "", &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((e = idp_store_iat_list(c->conn, c->arena, &t, &n)) != IDP_OK)
		return ctl_err("iat list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_pack(
			    "{s:I, s:s, s:s, s:s?, s:i, s:I, s:b, s:b}", "id",
			    (json_int_t)t[i].id, "state", iat_state(&t[i], now),
			    "description", t[i].description,
			    "organisation", t[i].owner_org, "uses_left",
			    t[i].uses_left, "expires_at",
			    (json_int_t)t[i].expires_at, "revoked", t[i].revoked,
			    "auto_approve", t[i].auto_approve));
		return ctl_print_json(json_pack("{s:o}",
		    "initial_access_tokens", a));
	}
	printf("%-6s %-9s %-10s %-20s %s\n", "ID", "STATE", "USES LEFT",
	    "ORGANISATION", "DESCRIPTION");
	for (int i = 0; i < n; i++) {
		const char *state = iat_state(&t[i], now);
		char uses[16];

		snprintf(uses, sizeof(uses), "%d", t[i].uses_left);
		printf("%-6lld %-9s %-10s %-20s %s\n", t[i].id, state,
		    t[i].uses_left < 0 ? "unlimited" : uses,
		    t[i].owner_org ? t[i].owner_org : "-", t[i].description);
	}
	return CTL_OK;
}

static int
iat_revoke(struct ctl *c, int argc, char **argv)
{
	int64_t id;
	enum idp_err e;
	char **op;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "ID is required", &op))
	    != -1)
		return rc;
	if (idp_parse_i64(op[0], 1, INT64_MAX, &id) != 0)
		return ctl_usage("iat revoke: ID must be a number");
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_iat_revoke(c->conn, id);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("iat revoke: no initial access token %lld",
		    (long long)id);
	if (e != IDP_OK)
		return ctl_err("iat revoke: %s", ctl_db_msg(c, e));
	if ((rc = ctl_audit(c, "iat.revoked", 0, NULL, json_pack("{s:I}",
	    "iat", (json_int_t)id))) != 0)
		return rc;
	if (c->json)
		return ctl_print_json(json_pack("{s:I, s:b}", "id",
		    (json_int_t)id, "revoked", 1));
	printf("initial access token %lld revoked\n", (long long)id);
	return CTL_OK;
}

static const struct ctl_cmd iat_cmds[] = {
	{ "create", iat_create },
	{ "list", iat_list },
	{ "revoke", iat_revoke },
	{ NULL, NULL },
};

const struct ctl_group ctl_iat_group = {
	.name = "iat", .subs = "create|list|revoke",
	.summary = "initial access tokens for /register",
	.usage = iat_usage, .cmds = iat_cmds,
};

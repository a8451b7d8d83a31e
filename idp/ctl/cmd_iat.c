/* idpctl iat: initial access tokens for dynamic client registration. */
#include <stdio.h>
#include <string.h>
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
	    "       idpctl iat list\n"
	    "       idpctl iat revoke ID\n\n"
	    "An initial access token lets a service developer register clients "
	    "at\n/register (RFC 7591). It is printed once; the provider keeps "
	    "its SHA-256.\nDefaults: 1 use, valid 7 days. --uses 0 means "
	    "unlimited. Clients\nregistered with it belong to --org.\n");
}

static int
iat_create(struct ctl *c, int argc, char **argv)
{
	const char *desc = "", *org = NULL;
	int64_t uses = 1, ttl = 7 * 86400;
	unsigned char d[IDP_SHA256_LEN];
	char *token;
	long long id = 0;
	enum idp_err e;
	int rc;

	for (int i = 2; i < argc; i++) {
		const char *v;

		if ((v = ctl_opt(argc, argv, &i, "--description")) != NULL)
			desc = v;
		else if ((v = ctl_opt(argc, argv, &i, "--org")) != NULL)
			org = v;
		else if ((v = ctl_opt(argc, argv, &i, "--uses")) != NULL) {
			if (idp_parse_i64(v, 0, 1000000, &uses) != 0) {
				ctl_err("iat create: --uses must be 0-1000000");
				return CTL_USAGE;
			}
		} else if ((v = ctl_opt(argc, argv, &i, "--ttl")) != NULL) {
			if (idp_parse_i64(v, 60, 31536000, &ttl) != 0) {
				ctl_err("iat create: --ttl must be 60-31536000");
				return CTL_USAGE;
			}
		} else if (!ctl_flag(argv, i, "--json")) {
			ctl_err("iat create: unexpected argument %s", argv[i]);
			return CTL_USAGE;
		}
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	token = idp_random_token(c->arena);
	idp_sha256_str(token, d);
	e = idp_store_iat_create(c->conn, d, desc, org, uses == 0 ? -1 :
	    (int)uses, ttl, &id);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("iat create: organisation %s does not exist", org);
	if (e != IDP_OK)
		return ctl_err("iat create: %s", ctl_db_msg(c, e));
	if (c->json)
		ctl_print_json(json_pack("{s:I, s:s}", "id", (json_int_t)id,
		    "initial_access_token", token));
	else
		printf("initial access token %lld: %s\n(shown once; send it as "
		    "'Authorization: Bearer ...' to /register)\n", id, token);
	return CTL_OK;
}

static int
iat_list(struct ctl *c)
{
	struct idp_iat *t = NULL;
	enum idp_err e;
	int n = 0, rc;

	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((e = idp_store_iat_list(c->conn, c->arena, &t, &n)) != IDP_OK)
		return ctl_err("iat list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_pack(
			    "{s:I, s:s, s:s?, s:i, s:I, s:b}", "id",
			    (json_int_t)t[i].id, "description", t[i].description,
			    "organisation", t[i].owner_org, "uses_left",
			    t[i].uses_left, "expires_at",
			    (json_int_t)t[i].expires_at, "revoked", t[i].revoked));
		ctl_print_json(json_pack("{s:o}", "initial_access_tokens", a));
		return CTL_OK;
	}
	printf("%-6s %-9s %-10s %-20s %s\n", "ID", "STATE", "USES LEFT",
	    "ORGANISATION", "DESCRIPTION");
	for (int i = 0; i < n; i++) {
		const char *state = t[i].revoked ? "revoked" :
		    t[i].expires_at <= (int64_t)time(NULL) ? "expired" : "active";
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
	int rc;

	if (argc < 3 || idp_parse_i64(argv[2], 1, INT64_MAX, &id) != 0) {
		ctl_err("iat revoke: ID is required");
		return CTL_USAGE;
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_iat_revoke(c->conn, id);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("iat revoke: no initial access token %lld",
		    (long long)id);
	if (e != IDP_OK)
		return ctl_err("iat revoke: %s", ctl_db_msg(c, e));
	if (c->json)
		ctl_print_json(json_pack("{s:I, s:b}", "id", (json_int_t)id,
		    "revoked", 1));
	else
		printf("initial access token %lld revoked\n", (long long)id);
	return CTL_OK;
}

int
ctl_iat(struct ctl *c, int argc, char **argv)
{
	if (argc < 2 || ctl_wants_help(argc, argv)) {
		iat_usage();
		return argc < 2 ? CTL_USAGE : CTL_OK;
	}
	if (!strcmp(argv[1], "create"))
		return iat_create(c, argc, argv);
	if (!strcmp(argv[1], "list"))
		return iat_list(c);
	if (!strcmp(argv[1], "revoke"))
		return iat_revoke(c, argc, argv);
	ctl_err("iat: unknown subcommand %s", argv[1]);
	return CTL_USAGE;
}

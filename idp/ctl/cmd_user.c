#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/pwhash.h"
#include "ctl/ctl.h"
#include "store/bulk.h"
#include "store/directory.h"
#include "util/mem.h"
#include "util/str.h"

#define PASSWORD_MIN 8

static void
user_usage(void)
{
	printf("usage: idpctl user add USERNAME --name NAME [--org CODE] "
	    "[--email ADDR]\n"
	    "           [--email-verified] [--phone NUMBER] [--nip NIP] "
	    "[--job-title TITLE]\n"
	    "           [--given-name G] [--family-name F] [--locale id|en] "
	    "[--password-stdin]\n"
	    "       idpctl user passwd USERNAME --password-stdin\n"
	    "       idpctl user disable|enable USERNAME\n"
	    "       idpctl user list [--org CODE] [--limit N] [--offset N]\n"
	    "       idpctl user import FILE.csv\n\n"
	    "Passwords are read from standard input (one line), never from "
	    "the command\nline, and stored as argon2id hashes with the "
	    "configured cost. At least %d\ncharacters.\n"
	    "import reads CSV with the header username,password_hash,name,"
	    "email,\nphone_number,nip,job_title,org_code (hashes computed "
	    "beforehand).\n", PASSWORD_MIN);
}

/* Read and hash a password from stdin; the clear text is wiped. */
static int
read_password_hash(struct ctl *c, char out[IDP_PWHASH_STRMAX])
{
	char pw[IDP_PASSWORD_MAX + 2];
	size_t n;
	int rc = -1;

	if (ctl_read_secret(pw, sizeof(pw)) != 0) {
		ctl_err("no password on standard input (or longer than %d "
		    "bytes)", IDP_PASSWORD_MAX);
		goto out;
	}
	n = strlen(pw);
	if (n < PASSWORD_MIN) {
		ctl_err("the password must have at least %d characters",
		    PASSWORD_MIN);
		goto out;
	}
	if (!idp_utf8_valid(pw, n)) {
		ctl_err("the password is not valid UTF-8");
		goto out;
	}
	if (idp_pwhash_str(&c->cfg.argon2, pw, n, out) != 0) {
		ctl_err("cannot hash the password (argon2 parameters?)");
		goto out;
	}
	rc = 0;
out:
	idp_wipe(pw, sizeof(pw));
	return rc;
}

static int
user_add(struct ctl *c, int argc, char **argv)
{
	struct idp_user_new u = { 0 };
	char hash[IDP_PWHASH_STRMAX];
	bool pw_stdin = false;
	char *sub = NULL;
	enum idp_err e;
	int rc;

	for (int i = 2; i < argc; i++) {
		const char *v;

		if ((v = ctl_opt(argc, argv, &i, "--name")) != NULL)
			u.name = v;
		else if ((v = ctl_opt(argc, argv, &i, "--org")) != NULL)
			u.org_code = v;
		else if ((v = ctl_opt(argc, argv, &i, "--email")) != NULL)
			u.email = v;
		else if ((v = ctl_opt(argc, argv, &i, "--phone")) != NULL)
			u.phone_number = v;
		else if ((v = ctl_opt(argc, argv, &i, "--nip")) != NULL)
			u.nip = v;
		else if ((v = ctl_opt(argc, argv, &i, "--job-title")) != NULL)
			u.job_title = v;
		else if ((v = ctl_opt(argc, argv, &i, "--given-name")) != NULL)
			u.given_name = v;
		else if ((v = ctl_opt(argc, argv, &i, "--family-name")) != NULL)
			u.family_name = v;
		else if ((v = ctl_opt(argc, argv, &i, "--locale")) != NULL)
			u.locale = v;
		else if (ctl_flag(argv, i, "--email-verified"))
			u.email_verified = true;
		else if (ctl_flag(argv, i, "--password-stdin"))
			pw_stdin = true;
		else if (ctl_flag(argv, i, "--json"))
			continue;
		else if (argv[i][0] != '-' && u.username == NULL)
			u.username = argv[i];
		else if (!strcmp(argv[i], "--password") ||
		    !strncmp(argv[i], "--password=", 11)) {
			ctl_err("user add: passwords are never taken from the "
			    "command line; use --password-stdin");
			return CTL_USAGE;
		} else {
			ctl_err("user add: unexpected argument %s", argv[i]);
			return CTL_USAGE;
		}
	}
	if (u.username == NULL || u.name == NULL) {
		ctl_err("user add: USERNAME and --name are required");
		return CTL_USAGE;
	}
	if (u.locale != NULL && strcmp(u.locale, "id") && strcmp(u.locale, "en")) {
		ctl_err("user add: --locale must be id or en");
		return CTL_USAGE;
	}
	if (ctl_config(c) != 0)
		return CTL_FAIL;
	if (pw_stdin) {
		if (read_password_hash(c, hash) != 0)
			return CTL_FAIL;
		u.password_hash = hash;
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_user_insert(c->conn, c->arena, &u, &sub);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("user add: organisation %s does not exist",
		    u.org_code);
	if (e == IDP_ERR_CONFLICT)
		return ctl_err("user add: username %s or its e-mail is taken",
		    u.username);
	if (e == IDP_ERR_INVALID_REQUEST)
		return ctl_err("user add: refused: username must be letters, "
		    "digits and . _ @ - (up to 128), e-mail must look like "
		    "one");
	if (e != IDP_OK)
		return ctl_err("user add: %s", ctl_db_msg(c, e));
	if (c->json)
		ctl_print_json(json_pack("{s:s, s:s}", "username", u.username,
		    "sub", sub));
	else
		printf("user %s created, sub %s%s\n", u.username, sub,
		    pw_stdin ? "" : " (no password yet: idpctl user passwd)");
	return CTL_OK;
}

static int
user_passwd(struct ctl *c, int argc, char **argv)
{
	char hash[IDP_PWHASH_STRMAX];
	const char *username = NULL;
	bool pw_stdin = false;
	enum idp_err e;
	int rc;

	for (int i = 2; i < argc; i++) {
		if (ctl_flag(argv, i, "--password-stdin"))
			pw_stdin = true;
		else if (ctl_flag(argv, i, "--json"))
			continue;
		else if (argv[i][0] != '-' && username == NULL)
			username = argv[i];
		else {
			ctl_err("user passwd: unexpected argument %s", argv[i]);
			return CTL_USAGE;
		}
	}
	if (username == NULL || !pw_stdin) {
		ctl_err("user passwd: USERNAME and --password-stdin are "
		    "required");
		return CTL_USAGE;
	}
	if (ctl_config(c) != 0 || read_password_hash(c, hash) != 0)
		return CTL_FAIL;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_user_set_password(c->conn, username, hash);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("user passwd: no user %s", username);
	if (e != IDP_OK)
		return ctl_err("user passwd: %s", ctl_db_msg(c, e));
	if (c->json)
		ctl_print_json(json_pack("{s:s, s:b}", "username", username,
		    "password_set", 1));
	else
		printf("password of %s changed\n", username);
	return CTL_OK;
}

static int
user_disable(struct ctl *c, int argc, char **argv, bool disable)
{
	enum idp_err e;
	int rc;

	if (argc < 3 || argv[2][0] == '-') {
		ctl_err("user %s: USERNAME is required", argv[1]);
		return CTL_USAGE;
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_user_set_disabled(c->conn, argv[2], disable);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("user %s: no user %s", argv[1], argv[2]);
	if (e != IDP_OK)
		return ctl_err("user %s: %s", argv[1], ctl_db_msg(c, e));
	if (c->json)
		ctl_print_json(json_pack("{s:s, s:b}", "username", argv[2],
		    "disabled", disable));
	else
		printf("user %s %s\n", argv[2], disable ? "disabled" : "enabled");
	return CTL_OK;
}

static int
user_list(struct ctl *c, int argc, char **argv)
{
	const char *org = NULL;
	struct idp_user *u = NULL;
	int64_t limit = 100, offset = 0;
	enum idp_err e;
	int n = 0, rc;

	for (int i = 2; i < argc; i++) {
		const char *v;

		if ((v = ctl_opt(argc, argv, &i, "--org")) != NULL) {
			org = v;
		} else if ((v = ctl_opt(argc, argv, &i, "--limit")) != NULL) {
			if (idp_parse_i64(v, 1, 100000, &limit) != 0) {
				ctl_err("user list: --limit must be 1-100000");
				return CTL_USAGE;
			}
		} else if ((v = ctl_opt(argc, argv, &i, "--offset")) != NULL) {
			if (idp_parse_i64(v, 0, INT32_MAX, &offset) != 0) {
				ctl_err("user list: --offset must be >= 0");
				return CTL_USAGE;
			}
		} else if (!ctl_flag(argv, i, "--json")) {
			ctl_err("user list: unexpected argument %s", argv[i]);
			return CTL_USAGE;
		}
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_user_list(c->conn, c->arena, org, (int)limit,
	    (int)offset, &u, &n);
	if (e != IDP_OK)
		return ctl_err("user list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++) {
			json_t *r = json_pack("{s:s, s:s, s:s, s:b, s:b}",
			    "username", u[i].username, "sub", u[i].sub,
			    "name", u[i].name, "disabled", u[i].disabled,
			    "has_password", u[i].password_hash != NULL);

			json_object_set_new(r, "organisation", u[i].org.code ?
			    json_string(u[i].org.code) : json_null());
			json_object_set_new(r, "email", u[i].email ?
			    json_string(u[i].email) : json_null());
			json_array_append_new(a, r);
		}
		ctl_print_json(json_pack("{s:o}", "users", a));
		return CTL_OK;
	}
	printf("%-24s %-36s %-24s %-8s %s\n", "USERNAME", "SUB",
	    "ORGANISATION", "STATE", "NAME");
	for (int i = 0; i < n; i++)
		printf("%-24s %-36s %-24s %-8s %s\n", u[i].username, u[i].sub,
		    u[i].org.code ? u[i].org.code : "-",
		    u[i].disabled ? "disabled" : "active", u[i].name);
	return CTL_OK;
}

static int
user_import(struct ctl *c, int argc, char **argv)
{
	long long added = 0, skipped = 0;
	char why[1024];
	enum idp_err e;
	FILE *f;
	int rc;

	if (argc < 3) {
		ctl_err("user import: FILE.csv is required");
		return CTL_USAGE;
	}
	f = fopen(argv[2], "r");
	if (f == NULL)
		return ctl_err("user import: cannot open %s: %s", argv[2],
		    strerror(errno));
	if ((rc = ctl_connect(c, true)) != 0) {
		fclose(f);
		return rc;
	}
	e = idp_store_users_import(c->conn, f, &added, &skipped, why,
	    sizeof(why));
	fclose(f);
	if (e != IDP_OK)
		return ctl_err("user import: %s", why);
	if (c->json)
		ctl_print_json(json_pack("{s:I, s:I}", "added",
		    (json_int_t)added, "skipped", (json_int_t)skipped));
	else
		printf("%lld users added, %lld already present\n", added,
		    skipped);
	return CTL_OK;
}

int
ctl_user(struct ctl *c, int argc, char **argv)
{
	if (argc < 2 || ctl_wants_help(argc, argv)) {
		user_usage();
		return argc < 2 ? CTL_USAGE : CTL_OK;
	}
	if (!strcmp(argv[1], "add"))
		return user_add(c, argc, argv);
	if (!strcmp(argv[1], "passwd"))
		return user_passwd(c, argc, argv);
	if (!strcmp(argv[1], "disable"))
		return user_disable(c, argc, argv, true);
	if (!strcmp(argv[1], "enable"))
		return user_disable(c, argc, argv, false);
	if (!strcmp(argv[1], "list"))
		return user_list(c, argc, argv);
	if (!strcmp(argv[1], "import"))
		return user_import(c, argc, argv);
	ctl_err("user: unknown subcommand %s", argv[1]);
	return CTL_USAGE;
}

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/pwdict.h"
#include "core/reset.h"
#include "crypto/pwhash.h"
#include "crypto/pwimport.h"
#include "ctl/ctl.h"
#include "ctl/keycloak.h"
#include "store/bulk.h"
#include "store/credential.h"
#include "store/directory.h"
#include "util/mem.h"
#include "util/str.h"

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
	    "       idpctl user import FILE.csv\n"
	    "       idpctl user reset-code USERNAME\n"
	    "       idpctl user mfa-reset USERNAME\n"
	    "       idpctl user convert-keycloak EXPORT.json [--org CODE] "
	    "[--out FILE.csv]\n\n"
	    "Passwords are read from standard input (one line), never from "
	    "the command\nline, and stored as argon2id hashes with the "
	    "configured cost. The password\npolicy of the pages applies: at "
	    "least password_min_length characters, not\na common password, "
	    "not the username or name.\n"
	    "reset-code prints once a code the helpdesk reads to the person "
	    "over the\nphone; it is entered on /reset/code, works once, for "
	    "reset_code_ttl seconds\nand reset_code_tries wrong tries, and "
	    "replaces earlier codes.\n"
	    "mfa-reset removes every second factor of the person (authenticator "
	    "app,\npasskeys, recovery codes) and ends their sessions, for a lost "
	    "phone; audited.\n"
	    "import reads CSV whose header names its columns: username, name "
	    "and any of\npassword_hash, given_name, family_name, email, "
	    "email_verified, phone_number,\nnip, job_title, org_code, locale. "
	    "password_hash is argon2id, bcrypt ($2a$,\n$2b$, $2y$), SHA-crypt "
	    "($5$, $6$) or $pbkdf2-sha1|sha256|sha512$i=N$SALT$HASH\n(base64 "
	    "without padding); each is replaced by argon2id at the person's "
	    "next\nsign-in. Nothing is imported when a row is wrong; the "
	    "error names the rows.\n"
	    "convert-keycloak turns a Keycloak realm export into that CSV "
	    "(standard output\nunless --out); disabled users are left "
	    "out.\n");
}

/* Read a password from stdin, check it against the policy for the person
 * pc describes, and hash it; the clear text is wiped. */
static int
read_password_hash(struct ctl *c, const struct idp_pw_context *pc,
    char out[IDP_PWHASH_STRMAX])
{
	char pw[IDP_PASSWORD_MAX + 2];
	enum idp_pw_verdict v;
	char why[512];
	size_t n;
	int rc = -1;

	if (ctl_read_secret(pw, sizeof(pw)) != 0) {
		ctl_err("no password on standard input (or longer than %d "
		    "bytes)", IDP_PASSWORD_MAX);
		goto out;
	}
	n = strlen(pw);
	if (idp_pwdict_ready(c->cfg.password_dictionary, why, sizeof(why))) {
		ctl_err("%s", why);
		goto out;
	}
	if ((v = idp_password_check(c->arena, c->cfg.password_dictionary, pw,
	    n, pc)) != IDP_PW_OK) {
		ctl_err("refused: %s%s", idp_pwpolicy_reason(v),
		    v == IDP_PW_TOO_SHORT ? idp_arena_printf(c->arena, " (at "
		    "least %d characters)", pc->min_length) : "");
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

enum {
	OPT_NAME = 0x100 + 1, OPT_ORG, OPT_EMAIL, OPT_PHONE, OPT_NIP,
	OPT_JOB_TITLE, OPT_GIVEN_NAME, OPT_FAMILY_NAME, OPT_LOCALE,
	OPT_EMAIL_VERIFIED, OPT_PASSWORD_STDIN, OPT_PASSWORD, OPT_LIMIT,
	OPT_OFFSET,
};

/* The options of user add; -1 to go on, or the exit code. */
static int
user_add_args(struct ctl *c, int argc, char **argv, struct idp_user_new *u,
    bool *pw_stdin)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, OPT_NAME },
		{ "org", required_argument, NULL, OPT_ORG },
		{ "email", required_argument, NULL, OPT_EMAIL },
		{ "phone", required_argument, NULL, OPT_PHONE },
		{ "nip", required_argument, NULL, OPT_NIP },
		{ "job-title", required_argument, NULL, OPT_JOB_TITLE },
		{ "given-name", required_argument, NULL, OPT_GIVEN_NAME },
		{ "family-name", required_argument, NULL, OPT_FAMILY_NAME },
		{ "locale", required_argument, NULL, OPT_LOCALE },
		{ "email-verified", no_argument, NULL, OPT_EMAIL_VERIFIED },
		{ "password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN },
		/* Known, so that it is refused with the reason. */
		{ "password", optional_argument, NULL, OPT_PASSWORD },
		CTL_OPTS_COMMON
	};
	char **op;
	int ch, n;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_NAME: u->name = optarg; break;
		case OPT_ORG: u->org_code = optarg; break;
		case OPT_EMAIL: u->email = optarg; break;
		case OPT_PHONE: u->phone_number = optarg; break;
		case OPT_NIP: u->nip = optarg; break;
		case OPT_JOB_TITLE: u->job_title = optarg; break;
		case OPT_GIVEN_NAME: u->given_name = optarg; break;
		case OPT_FAMILY_NAME: u->family_name = optarg; break;
		case OPT_LOCALE: u->locale = optarg; break;
		case OPT_EMAIL_VERIFIED: u->email_verified = true; break;
		case OPT_PASSWORD_STDIN: *pw_stdin = true; break;
		case OPT_PASSWORD:
			return ctl_usage("user add: passwords are never taken "
			    "from the command line; use --password-stdin");
		default:
			return ctl_opt_exit(ch);
		}
	}
	if ((n = ctl_rest(c, argc, argv, 1, &op)) < 0)
		return CTL_USAGE;
	u->username = n == 1 ? op[0] : NULL;
	if (u->username == NULL || u->name == NULL)
		return ctl_usage("user add: USERNAME and --name are required");
	return -1;
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

	if ((rc = user_add_args(c, argc, argv, &u, &pw_stdin)) != -1)
		return rc;
	if (u.locale != NULL && strcmp(u.locale, "id") &&
	    strcmp(u.locale, "en"))
		return ctl_usage("user add: --locale must be id or en");
	if (ctl_config(c) != 0)
		return CTL_FAIL;
	if (pw_stdin) {
		struct idp_pw_context pc = { u.username, u.name, u.email, u.nip,
			c->cfg.provider_name, c->cfg.password_min_length };

		if (read_password_hash(c, &pc, hash) != 0)
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
		return ctl_err("user add: username %s, its NIP or its e-mail "
		    "is taken (by another person's username, NIP or e-mail)",
		    u.username);
	if (e == IDP_ERR_INVALID_REQUEST)
		return ctl_err("user add: refused: username must be letters, "
		    "digits and . _ @ - (up to 128), NIP 18 digits, e-mail "
		    "must look like one");
	if (e != IDP_OK)
		return ctl_err("user add: %s", ctl_db_msg(c, e));
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:s}", "username",
		    u.username, "sub", sub));
	printf("user %s created, sub %s%s\n", u.username, sub,
	    pw_stdin ? "" : " (no password yet: idpctl user passwd)");
	return CTL_OK;
}

static int
user_passwd(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN },
		CTL_OPTS_COMMON
	};
	char hash[IDP_PWHASH_STRMAX];
	struct idp_user *u = NULL;
	const char *username;
	bool pw_stdin = false;
	char **op;
	enum idp_err e;
	int ch, n, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch != OPT_PASSWORD_STDIN)
			return ctl_opt_exit(ch);
		pw_stdin = true;
	}
	if ((n = ctl_rest(c, argc, argv, 1, &op)) < 0)
		return CTL_USAGE;
	if (n == 0 || !pw_stdin)
		return ctl_usage("user passwd: USERNAME and --password-stdin "
		    "are required");
	username = op[0];
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_user_by_username(c->conn, c->arena, username, &u);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("user passwd: no user %s", username);
	if (e != IDP_OK)
		return ctl_err("user passwd: %s", ctl_db_msg(c, e));
	{
		struct idp_pw_context pc = { u->username, u->name, u->email,
			u->nip, c->cfg.provider_name,
			c->cfg.password_min_length };

		if (read_password_hash(c, &pc, hash) != 0)
			return CTL_FAIL;
	}
	e = idp_store_user_set_password(c->conn, username, hash);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("user passwd: no user %s", username);
	if (e != IDP_OK)
		return ctl_err("user passwd: %s", ctl_db_msg(c, e));
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:b}", "username",
		    username, "password_set", 1));
	printf("password of %s changed\n", username);
	return CTL_OK;
}

static int
user_set_disabled(struct ctl *c, int argc, char **argv, bool disable)
{
	enum idp_err e;
	char **op;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "USERNAME is required",
	    &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_user_set_disabled(c->conn, op[0], disable);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("%s: no user %s", c->cmd, op[0]);
	if (e != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:b}", "username",
		    op[0], "disabled", disable));
	printf("user %s %s\n", op[0], disable ? "disabled" : "enabled");
	return CTL_OK;
}

static int
user_disable(struct ctl *c, int argc, char **argv)
{
	return user_set_disabled(c, argc, argv, true);
}

static int
user_enable(struct ctl *c, int argc, char **argv)
{
	return user_set_disabled(c, argc, argv, false);
}

static int
user_list(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, OPT_ORG },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "offset", required_argument, NULL, OPT_OFFSET },
		CTL_OPTS_COMMON
	};
	const char *org = NULL;
	struct idp_user *u = NULL;
	int64_t limit = 100, offset = 0;
	enum idp_err e;
	char **op;
	int ch, n = 0, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_ORG) {
			org = optarg;
		} else if (ch == OPT_LIMIT) {
			if (idp_parse_i64(optarg, 1, 100000, &limit) != 0)
				return ctl_usage("user list: --limit must be "
				    "1-100000");
		} else if (ch == OPT_OFFSET) {
			if (idp_parse_i64(optarg, 0, INT32_MAX, &offset) != 0)
				return ctl_usage("user list: --offset must be "
				    ">= 0");
		} else {
			return ctl_opt_exit(ch);
		}
	}
	if (ctl_rest(c, argc, argv, 0, &op) < 0)
		return CTL_USAGE;
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
			    "has_password", u[i].has_password);

			json_object_set_new(r, "organisation", u[i].org.code ?
			    json_string(u[i].org.code) : json_null());
			json_object_set_new(r, "email", u[i].email ?
			    json_string(u[i].email) : json_null());
			json_array_append_new(a, r);
		}
		return ctl_print_json(json_pack("{s:o}", "users", a));
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
	char why[1024], **op;
	enum idp_err e;
	FILE *f;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "FILE.csv is required",
	    &op)) != -1)
		return rc;
	f = fopen(op[0], "r");
	if (f == NULL)
		return ctl_err("user import: cannot open %s: %s", op[0],
		    strerror(errno));
	if ((rc = ctl_connect(c, true)) != 0) {
		fclose(f);
		return rc;
	}
	e = idp_store_users_import(c->conn, f, idp_pwhash_format_ok, &added,
	    &skipped, why, sizeof(why));
	fclose(f);
	if (e != IDP_OK)
		return ctl_err("user import: %s", why);
	if (c->json)
		return ctl_print_json(json_pack("{s:I, s:I}", "added",
		    (json_int_t)added, "skipped", (json_int_t)skipped));
	printf("%lld users added, %lld already present\n", added, skipped);
	return CTL_OK;
}

enum { OPT_OUT = OPT_OFFSET + 1 };

/* A whole file, NUL-terminated, at most max bytes; NULL otherwise. */
static char *
read_all(FILE *f, size_t max, size_t *len)
{
	size_t cap = 65536, n = 0, got;
	char *buf = idp_xmalloc(cap + 1);

	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap >= max) {
				free(buf);
				return NULL;
			}
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (buf == NULL)
				idp_oom();
		}
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
write_keycloak(struct ctl *c, const char *json, size_t len, const char *org,
    const char *outpath)
{
	FILE *out = outpath ? fopen(outpath, "w") : stdout;
	struct kc_result res;
	char why[512];
	int rc;

	if (out == NULL)
		return ctl_err("user convert-keycloak: cannot write %s: %s",
		    outpath, strerror(errno));
	rc = kc_convert_realm(json, len, org, out, &res, why, sizeof(why));
	if (outpath != NULL && fclose(out) != 0 && rc == 0) {
		snprintf(why, sizeof(why), "cannot write %s", outpath);
		rc = -1;
	}
	if (rc != 0) {
		if (outpath != NULL)
			unlink(outpath);
		return ctl_err("user convert-keycloak: %s", why);
	}
	if (c->json && outpath != NULL)
		return ctl_print_json(json_pack("{s:i, s:i, s:i}", "users",
		    res.users, "disabled_left_out", res.disabled,
		    "without_password", res.no_password));
	fprintf(stderr, "%d users converted, %d disabled left out, %d "
	    "without a password\n", res.users, res.disabled, res.no_password);
	return CTL_OK;
}

static int
user_convert_keycloak(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, OPT_ORG },
		{ "out", required_argument, NULL, OPT_OUT },
		CTL_OPTS_COMMON
	};
	const char *org = NULL, *outpath = NULL;
	char **op, *json;
	size_t len = 0;
	FILE *f;
	int ch, n, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_ORG)
			org = optarg;
		else if (ch == OPT_OUT)
			outpath = optarg;
		else
			return ctl_opt_exit(ch);
	}
	if ((n = ctl_rest(c, argc, argv, 1, &op)) < 0)
		return CTL_USAGE;
	if (n == 0)
		return ctl_usage("user convert-keycloak: EXPORT.json is "
		    "required");
	if ((f = fopen(op[0], "r")) == NULL)
		return ctl_err("user convert-keycloak: cannot open %s: %s",
		    op[0], strerror(errno));
	json = read_all(f, (size_t)256 << 20, &len);
	fclose(f);
	if (json == NULL)
		return ctl_err("user convert-keycloak: cannot read %s (more "
		    "than 256 MiB?)", op[0]);
	rc = write_keycloak(c, json, len, org, outpath);
	idp_wipe(json, len);
	free(json);
	return rc;
}

static int
user_reset_code(struct ctl *c, int argc, char **argv)
{
	char shown[IDP_RESET_CODE_SHOWN + 1];
	struct idp_user *u = NULL;
	const char *by;
	enum idp_err e;
	char **op;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "USERNAME is required",
	    &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_user_by_username(c->conn, c->arena, op[0], &u);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("user reset-code: no user %s", op[0]);
	if (e != IDP_OK)
		return ctl_err("user reset-code: %s", ctl_db_msg(c, e));
	if (u->disabled)
		return ctl_err("user reset-code: %s is disabled (idpctl user "
		    "enable first)", op[0]);
	by = ctl_actor(c);
	if ((e = idp_db_begin(c->conn)) != IDP_OK ||
	    (e = idp_reset_issue_code(c->conn, u->id, c->cfg.reset_code_ttl,
	    by, shown)) != IDP_OK) {
		idp_db_rollback(c->conn);
		return ctl_err("user reset-code: %s", ctl_db_msg(c, e));
	}
	if ((rc = ctl_audit(c, "password_reset.code_issued", u->id, NULL,
	    NULL)) != 0) {
		idp_db_rollback(c->conn);
		idp_wipe(shown, sizeof(shown));
		return rc;
	}
	if ((e = idp_db_commit(c->conn)) != IDP_OK) {
		idp_wipe(shown, sizeof(shown));
		return ctl_err("user reset-code: %s", ctl_db_msg(c, e));
	}
	if (c->json)
		rc = ctl_print_json(json_pack("{s:s, s:s, s:I, s:i}",
		    "username", u->username, "code", shown, "valid_seconds",
		    (json_int_t)c->cfg.reset_code_ttl, "tries",
		    c->cfg.reset_code_tries));
	else
		printf("reset code for %s: %s\n(read it to the person; it is "
		    "entered at %s/reset/code, works once, for %lld hours "
		    "and %d wrong tries)\n", u->username, shown,
		    c->cfg.issuer ? c->cfg.issuer : "", (long long)
		    (c->cfg.reset_code_ttl / 3600), c->cfg.reset_code_tries);
	idp_wipe(shown, sizeof(shown));
	return rc;
}

static const struct ctl_cmd user_cmds[] = {
	{ "add", user_add },
	{ "passwd", user_passwd },
	{ "disable", user_disable },
	{ "enable", user_enable },
	{ "list", user_list },
	{ "import", user_import },
	{ "convert-keycloak", user_convert_keycloak },
	{ "reset-code", user_reset_code },
	{ "mfa-reset", ctl_user_mfa_reset },
	{ NULL, NULL },
};

const struct ctl_group ctl_user_group = {
	.name = "user",
	.subs = "add|list|passwd|disable|enable|import|convert-keycloak|"
	    "reset-code|mfa-reset",
	.summary = "manage people who sign in",
	.usage = user_usage, .cmds = user_cmds,
};

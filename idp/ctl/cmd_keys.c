#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto/devcookie.h"
#include "crypto/key.h"
#include "ctl/ctl.h"
#include "store/keys.h"
#include "util/mem.h"

static const enum idp_alg default_algs[] = { IDP_ALG_RS256, IDP_ALG_ES256 };

static void
keys_usage(void)
{
	printf("usage: idpctl keys generate [--alg RS256|ES256|PS256]\n"
	    "       idpctl keys rotate [--alg RS256|ES256|PS256]\n"
	    "       idpctl keys list\n\n"
	    "generate  creates an active signing key for each algorithm that "
	    "has none\n          (RS256 and ES256 unless --alg), as "
	    "key_dir/<kid>.pem, mode 0600.\n          Running it again "
	    "changes nothing. It also creates key_dir/device-cookie.key, the\n"
	    "          key of the device cookies of the sign-in defence, when "
	    "absent.\n"
	    "rotate    creates a new active key; the previous one is retired "
	    "but stays\n          in the JWKS until every token it signed has "
	    "expired.\n"
	    "list      shows every key with its state.\n");
}

static int
ensure_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return ctl_err("key_dir: %s is not a directory", dir);
		return 0;
	}
	if (mkdir(dir, 0700) != 0)
		return ctl_err("key_dir: cannot create %s: %s", dir,
		    strerror(errno));
	return 0;
}

/* A key is retired but published until every token it signed expired:
 * the longest token lifetime, the JWKS cache time and a minute of skew. */
static int64_t
publish_seconds(const struct idp_config *cfg)
{
	int64_t t = cfg->id_token_ttl > cfg->access_token_ttl ?
	    cfg->id_token_ttl : cfg->access_token_ttl;

	return t + 300 + 60;
}

static int
new_key(struct ctl *c, enum idp_alg alg, json_t *out)
{
	struct idp_key *k = NULL;
	char path[4096], why[512];
	enum idp_err e;

	if (idp_key_generate(alg, c->cfg.rsa_bits, &k) != 0)
		return ctl_err("keys: cannot generate a %s key",
		    idp_alg_name(alg));
	snprintf(path, sizeof(path), "%s/%s.pem", c->cfg.key_dir,
	    idp_key_kid(k));
	if (idp_key_write_file(k, path, why, sizeof(why)) != 0) {
		idp_key_free(k);
		return ctl_err("keys: %s", why);
	}
	e = idp_store_key_activate(c->conn, idp_key_kid(k), idp_alg_name(alg),
	    publish_seconds(&c->cfg));
	if (e != IDP_OK) {
		unlink(path);
		idp_key_free(k);
		return ctl_err("keys: cannot record the key: %s",
		    ctl_db_msg(c, e));
	}
	if (out != NULL)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "kid",
		    idp_key_kid(k), "alg", idp_alg_name(alg), "path", path));
	else
		printf("%s key %s written to %s\n", idp_alg_name(alg),
		    idp_key_kid(k), path);
	idp_key_free(k);
	return 0;
}

/* [--alg ALG]: -1 to go on, or the exit code. */
static int
parse_alg(struct ctl *c, int argc, char **argv, enum idp_alg *alg)
{
	enum { OPT_ALG = 0x100 + 1 };
	static const struct option opts[] = {
		{ "alg", required_argument, NULL, OPT_ALG },
		CTL_OPTS_COMMON
	};
	char **ops;
	int ch;

	*alg = IDP_ALG_NONE;
	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch != OPT_ALG)
			return ctl_opt_exit(ch);
		if ((*alg = idp_alg_parse(optarg)) == IDP_ALG_NONE)
			return ctl_usage("%s: --alg must be RS256, ES256 or "
			    "PS256", c->cmd);
	}
	return ctl_rest(c, argc, argv, 0, &ops) < 0 ? CTL_USAGE : -1;
}

static bool
has_active(const struct idp_key_meta *m, int n, enum idp_alg alg)
{
	for (int i = 0; i < n; i++)
		if (m[i].active && idp_alg_parse(m[i].alg) == alg)
			return true;
	return false;
}

static int
keys_make(struct ctl *c, int argc, char **argv, bool rotate)
{
	struct idp_key_meta *m = NULL;
	unsigned char dev[IDP_DEVICE_KEY_LEN];
	char why[512];
	json_t *out;
	enum idp_alg alg;
	enum idp_err e;
	int n = 0, made = 0, rc;

	if ((rc = parse_alg(c, argc, argv, &alg)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if (ensure_dir(c->cfg.key_dir) != 0)
		return CTL_FAIL;
	if (idp_device_key_load(c->cfg.key_dir, 1, dev, why, sizeof(why)) != 0)
		return ctl_err("keys: %s", why);
	idp_wipe(dev, sizeof(dev));
	if ((e = idp_store_keys_all(c->conn, c->arena, &m, &n)) != IDP_OK)
		return ctl_err("keys: %s", ctl_db_msg(c, e));
	out = c->json ? json_array() : NULL;
	for (size_t i = 0; i < 2 || alg != IDP_ALG_NONE; i++) {
		enum idp_alg a = alg != IDP_ALG_NONE ? alg : default_algs[i];

		if (rotate || !has_active(m, n, a)) {
			if (new_key(c, a, out) != 0) {
				json_decref(out);
				return CTL_FAIL;
			}
			made++;
		} else if (!c->json) {
			printf("%s: an active key exists, nothing to do\n",
			    idp_alg_name(a));
		}
		if (alg != IDP_ALG_NONE)
			break;
	}
	if (c->json)
		return ctl_print_json(json_pack("{s:o}", "created", out));
	if (made > 0)
		printf("running idp instances pick the new keys up within "
		    "key_reload_interval (%d s) or on SIGHUP\n",
		    c->cfg.key_reload_interval);
	return CTL_OK;
}

static int
keys_generate(struct ctl *c, int argc, char **argv)
{
	return keys_make(c, argc, argv, false);
}

static int
keys_rotate(struct ctl *c, int argc, char **argv)
{
	return keys_make(c, argc, argv, true);
}

static const char *
fmt_time(struct ctl *c, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[32];

	if (t == 0)
		return "-";
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return idp_arena_strdup(c->arena, buf);
}

static int
keys_list(struct ctl *c, int argc, char **argv)
{
	struct idp_key_meta *m = NULL;
	enum idp_err e;
	char **ops;
	int n = 0, rc;

	if ((rc = ctl_operands(c, argc, argv, 0, 0, "", &ops)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((e = idp_store_keys_all(c->conn, c->arena, &m, &n)) != IDP_OK)
		return ctl_err("keys: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++)
			json_array_append_new(a, json_pack(
			    "{s:s, s:s, s:s, s:s, s:s}", "kid", m[i].kid,
			    "alg", m[i].alg, "state",
			    m[i].active ? "active" : "retired", "created_at",
			    fmt_time(c, m[i].created_at), "publish_until",
			    fmt_time(c, m[i].publish_until)));
		return ctl_print_json(json_pack("{s:o}", "keys", a));
	}
	printf("%-44s %-6s %-8s %-21s %s\n", "KID", "ALG", "STATE", "CREATED",
	    "PUBLISHED UNTIL");
	for (int i = 0; i < n; i++)
		printf("%-44s %-6s %-8s %-21s %s\n", m[i].kid, m[i].alg,
		    m[i].active ? "active" : "retired",
		    fmt_time(c, m[i].created_at),
		    m[i].active ? "-" : fmt_time(c, m[i].publish_until));
	return CTL_OK;
}

static const struct ctl_cmd keys_cmds[] = {
	{ "generate", keys_generate },
	{ "rotate", keys_rotate },
	{ "list", keys_list },
	{ NULL, NULL },
};

const struct ctl_group ctl_keys_group = {
	.name = "keys", .subs = "generate|list|rotate",
	.summary = "manage signing keys",
	.usage = keys_usage, .cmds = keys_cmds,
};

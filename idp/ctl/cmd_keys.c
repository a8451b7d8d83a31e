#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto/devcookie.h"
#include "crypto/key.h"
#include "core/keyrotate.h"
#include "ctl/keys.h"
#include "store/keys.h"
#include "util/mem.h"

static void
keys_usage(void)
{
	printf("usage: idpctl keys generate [--alg ALG]\n"
	    "       idpctl keys rotate [--alg ALG] [--now]\n"
	    "       idpctl keys retire [--now] [--] KID\n"
	    "       idpctl keys list\n"
	    "       idpctl keys import [--from DIR]\n"
	    "       idpctl keys export DIR\n\n"
	    "ALG is RS256, ES256, PS256 or EdDSA (Ed25519).\n"
	    "With a key-encryption key (key_encryption_key_file, or the "
	    "idp-kek\nsystemd credential) private keys are sealed into the "
	    "database, which\nevery node reads; without one they are files "
	    "key_dir/<kid>.pem (0600).\n\n"
	    "generate  creates an active key for each algorithm of "
	    "signing_algs that\n          has none (or for ALG). Running it "
	    "again changes nothing. It also\n          creates the key of the "
	    "device cookies when absent (sealed in\n          the database, "
	    "or key_dir/device-cookie.key).\n"
	    "rotate    publishes a new key for each algorithm with an active "
	    "key (or\n          ALG); it signs after key_prepublish seconds, "
	    "when the old key is\n          retired. --now: it signs at "
	    "once (relying parties that cached\n          the JWKS fetch it "
	    "again when they meet the new kid).\n"
	    "retire    stops KID signing (an active key is replaced by a new "
	    "one at\n          once); it stays published until every token "
	    "it signed has\n          expired. --now withdraws it from the "
	    "JWKS at once: tokens it\n          signed stop verifying (a "
	    "key that leaked). A kid is base64url and may begin with\n"
	    "          '-': put it after -- (idpctl keys retire --now -- -x...).\n"
	    "list      shows every key: state, when it signs from, until "
	    "when it is\n          published, where it is kept.\n"
	    "import    seals the keys that are still files (from key_dir, or "
	    "DIR) into\n          the database under the key-encryption key, "
	    "the device-cookie\n          key too; keys sealed under another "
	    "key-encryption key are\n          sealed again.\n"
	    "export    writes every published key as DIR/<kid>.pem (0600), "
	    "to move\n          them to another key-encryption key or "
	    "provider.\n");
}

int
ctl_kek_open(struct ctl *c, struct ctl_kek *k)
{
	char why[512];

	if (idp_kek_open(&c->cfg, &k->kek, &k->have, k->path,
	    sizeof(k->path), why, sizeof(why)) != 0)
		return ctl_err("%s: key_encryption_key_file: %s", c->cmd, why);
	return 0;
}

int
ctl_key_audit(struct ctl *c, const char *event, const char *kid,
    const char *alg, const struct ctl_kek *k)
{
	json_t *d = json_pack("{s:s, s:s}", "kid", kid, "alg", alg);

	json_object_set_new(d, "storage", json_string(k->have ? "database" :
	    "file"));
	if (k->have)
		json_object_set_new(d, "kek_id", json_string(k->kek.id));
	return ctl_audit(c, event, 0, NULL, d) != 0 ? CTL_FAIL : 0;
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

/* The result of idp_signkey_add as idpctl shows it. */
static void
show_made(const struct ctl_kek *kk, const struct idp_key_made *k,
    json_t *out)
{
	if (out != NULL)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}",
		    "kid", k->kid, "alg", k->alg, "state", k->now ? "active" :
		    "next", "storage", k->kept));
	else
		printf("%s key %s %s, kept %s%s\n", k->alg, k->kid, k->now ?
		    "signs now" : "published, signs after key_prepublish",
		    kk->have ? "in the database, sealed under "
		    "key-encryption key " : "in ", kk->have ? kk->kek.id :
		    k->kept);
}

/* One new key of alg: active at once (now), or published as the next. */
static int
new_key(struct ctl *c, const struct ctl_kek *kk, enum idp_alg alg, bool now,
    json_t *out)
{
	struct idp_operator op;
	struct idp_key_made k;
	char why[512];

	ctl_operator(c, &op);
	if (idp_signkey_add(&c->cfg, kk->have ? &kk->kek : NULL, c->conn,
	    c->arena, alg, now, &op, &k, why, sizeof(why)) != IDP_OK)
		return ctl_err("keys: %s%s", why, strstr(why, "next key") ?
		    " (see idpctl keys list)" : "");
	show_made(kk, &k, out);
	return CTL_OK;
}

enum { OPT_ALG = 0x100 + 1, OPT_NOW };
#define OPTION_ALG { "alg", required_argument, NULL, OPT_ALG }
#define OPTION_NOW { "now", no_argument, NULL, OPT_NOW }
static const struct option generate_opts[] = { OPTION_ALG, CTL_OPTS_COMMON };
static const struct option rotate_opts[] = { OPTION_ALG, OPTION_NOW,
	CTL_OPTS_COMMON };
static const struct option retire_opts[] = { OPTION_NOW, CTL_OPTS_COMMON };

/* The options of opts and exactly want operands: -1 to go on, or the exit
 * code. */
static int
parse(struct ctl *c, int argc, char **argv, const struct option *opts,
    enum idp_alg *alg, bool *now, int want, char ***ops)
{
	int ch, n;

	*alg = IDP_ALG_NONE;
	*now = false;
	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_NOW) {
			*now = true;
		} else if (ch == OPT_ALG) {
			if ((*alg = idp_alg_parse(optarg)) == IDP_ALG_NONE)
				return ctl_usage("%s: --alg must be RS256, "
				    "ES256, PS256 or EdDSA", c->cmd);
		} else {
			return ctl_opt_exit(ch);
		}
	}
	if ((n = ctl_rest(c, argc, argv, want, ops)) < 0)
		return CTL_USAGE;
	if (n < want)
		return ctl_usage("%s: missing KID", c->cmd);
	return -1;
}

static const struct idp_key_meta *
find(const struct idp_key_meta *m, int n, const char *state, enum idp_alg alg)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(m[i].state, state) && idp_alg_parse(m[i].alg) == alg)
			return &m[i];
	return NULL;
}

/* Connect, read the KEK and the keys. */
static int
begin(struct ctl *c, struct ctl_kek *kk, struct idp_key_meta **m, int *n)
{
	enum idp_err e;
	int rc;

	if ((rc = ctl_connect(c, true)) != 0 || (rc = ctl_kek_open(c, kk)))
		return rc;
	if ((e = idp_store_keys_all(c->conn, c->arena, m, n)) != IDP_OK)
		return ctl_err("keys: %s", ctl_db_msg(c, e));
	return 0;
}

static int
finish(struct ctl *c, json_t *out, int made)
{
	if (c->json)
		return ctl_print_json(json_pack("{s:o}", "created", out));
	if (made > 0)
		printf("running idp instances pick the keys up within "
		    "key_reload_interval (%d s) or on SIGHUP\n",
		    c->cfg.key_reload_interval);
	return CTL_OK;
}

static int
keys_generate(struct ctl *c, int argc, char **argv)
{
	struct idp_key_meta *m = NULL;
	unsigned char dev[IDP_DEVICE_KEY_LEN];
	struct ctl_kek kk;
	char why[512], **ops;
	json_t *out;
	enum idp_alg only;
	bool now;
	int n = 0, made = 0, rc;

	if ((rc = parse(c, argc, argv, generate_opts, &only, &now, 0, &ops))
	    != -1)
		return rc;
	if ((rc = begin(c, &kk, &m, &n)) != 0)
		return rc;
	if (ensure_dir(c->cfg.key_dir) != 0)
		return CTL_FAIL;
	if (idp_device_key_obtain(&c->cfg, kk.have ? &kk.kek : NULL, c->conn,
	    dev, why, sizeof(why)) != 0)
		return ctl_err("keys: device-cookie key: %s", why);
	idp_wipe(dev, sizeof(dev));
	out = c->json ? json_array() : NULL;
	for (size_t i = 0; i < IDP_ALG_COUNT; i++) {
		enum idp_alg a = idp_algs_all[i];

		if (only != IDP_ALG_NONE ? a != only :
		    !(c->cfg.signing_algs & (1u << a)))
			continue;
		if (find(m, n, "active", a) != NULL) {
			if (!c->json)
				printf("%s: an active key exists, nothing to "
				    "do\n", idp_alg_name(a));
			continue;
		}
		if (new_key(c, &kk, a, true, out) != CTL_OK) {
			json_decref(out);
			return CTL_FAIL;
		}
		made++;
	}
	idp_kek_wipe(&kk.kek);
	return finish(c, out, made);
}

static int
keys_rotate(struct ctl *c, int argc, char **argv)
{
	struct idp_key_made made[IDP_ALG_COUNT];
	struct idp_key_meta *m = NULL;
	struct idp_operator op;
	struct ctl_kek kk;
	char **ops, why[512];
	json_t *out;
	enum idp_alg only;
	bool now;
	int n = 0, rc;

	if ((rc = parse(c, argc, argv, rotate_opts, &only, &now, 0, &ops))
	    != -1)
		return rc;
	if ((rc = begin(c, &kk, &m, &n)) != 0)
		return rc;
	ctl_operator(c, &op);
	if (idp_signkeys_rotate(&c->cfg, kk.have ? &kk.kek : NULL, c->conn,
	    c->arena, only, now, &op, made, &n, why, sizeof(why)) != IDP_OK) {
		idp_kek_wipe(&kk.kek);
		return ctl_err("keys: %s%s", why, strstr(why, "next key") ?
		    " (see idpctl keys list)" : "");
	}
	idp_kek_wipe(&kk.kek);
	out = c->json ? json_array() : NULL;
	for (int i = 0; i < n; i++)
		show_made(&kk, &made[i], out);
	return finish(c, out, n);
}

static int
keys_retire(struct ctl *c, int argc, char **argv)
{
	struct idp_key_meta *m = NULL;
	const struct idp_key_meta *k = NULL;
	struct ctl_kek kk;
	char **ops;
	json_t *made;
	enum idp_alg alg;
	enum idp_err e;
	bool now;
	int n = 0, rc;

	if ((rc = parse(c, argc, argv, retire_opts, &alg, &now, 1, &ops))
	    != -1)
		return rc;
	if ((rc = begin(c, &kk, &m, &n)) != 0)
		return rc;
	for (int i = 0; i < n && k == NULL; i++)
		if (!strcmp(m[i].kid, ops[0]))
			k = &m[i];
	if (k == NULL)
		return ctl_err("keys retire: no key %s", ops[0]);
	alg = idp_alg_parse(k->alg);
	made = c->json ? json_array() : NULL;
	/* An active key hands over to a new one first: never a moment
	 * without a key that signs. */
	if (k->active && new_key(c, &kk, alg, true, made) != CTL_OK) {
		json_decref(made);
		return CTL_FAIL;
	}
	e = idp_store_key_retire(c->conn, k->kid, now ? 0 :
	    idp_signkey_publish_seconds(&c->cfg));
	if (e == IDP_OK && ctl_key_audit(c, now ? "key.withdrawn" :
	    "key.retired", k->kid, k->alg, &kk) != 0)
		e = IDP_ERR_INTERNAL;
	idp_kek_wipe(&kk.kek);
	if (e != IDP_OK) {
		json_decref(made);
		return ctl_err("keys retire: %s", ctl_db_msg(c, e));
	}
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:b, s:o}", "retired",
		    k->kid, "published", !now, "created", made));
	printf("%s retired; %s\n", k->kid, now ? "withdrawn from the JWKS: "
	    "tokens it signed no longer verify" : "published until every "
	    "token it signed has expired");
	return CTL_OK;
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

static const char *
storage(struct ctl *c, const struct idp_key_meta *m)
{
	if (m->kek_id != NULL)
		return idp_arena_printf(c->arena, "db:%s", m->kek_id);
	/* A retired key past its publication has no private key left. */
	if (m->publish_until != 0 && m->publish_until <= (int64_t)time(NULL))
		return "destroyed";
	return "file";
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
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, "
			    "s:s, s:s, s:s, s:s}", "kid", m[i].kid, "alg",
			    m[i].alg, "state", m[i].state, "created_at",
			    fmt_time(c, m[i].created_at), "activate_at",
			    fmt_time(c, m[i].activate_at), "publish_until",
			    fmt_time(c, m[i].publish_until), "storage",
			    storage(c, &m[i])));
		return ctl_print_json(json_pack("{s:o}", "keys", a));
	}
	printf("%-44s %-6s %-8s %-21s %-21s %s\n", "KID", "ALG", "STATE",
	    "SIGNS FROM", "PUBLISHED UNTIL", "KEPT");
	for (int i = 0; i < n; i++)
		printf("%-44s %-6s %-8s %-21s %-21s %s\n", m[i].kid, m[i].alg,
		    m[i].state, fmt_time(c, m[i].activate_at),
		    fmt_time(c, m[i].publish_until), storage(c, &m[i]));
	return CTL_OK;
}

static const struct ctl_cmd keys_cmds[] = {
	{ "generate", keys_generate },
	{ "rotate", keys_rotate },
	{ "retire", keys_retire },
	{ "list", keys_list },
	{ "import", ctl_keys_import },
	{ "export", ctl_keys_export },
	{ NULL, NULL },
};

const struct ctl_group ctl_keys_group = {
	.name = "keys", .subs = "export|generate|import|list|retire|rotate",
	.summary = "manage signing keys",
	.usage = keys_usage, .cmds = keys_cmds,
};

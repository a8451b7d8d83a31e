/* idpctl keys import|export: moving private keys between files and the
 * database, where they are sealed under the key-encryption key. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/totpkey.h"
#include "crypto/key.h"
#include "ctl/keys.h"
#include "store/keys.h"
#include "util/mem.h"

#define TOTP_FILE "totp-keys"	/* in DIR, beside the PEM files */

/* Still worth moving: not retired past its publication. */
static bool
alive(const struct idp_key_meta *m)
{
	return m->publish_until == 0 || m->publish_until > (int64_t)time(NULL);
}

static int
import_one(struct ctl *c, const struct ctl_kek *kk, const char *dir,
    const struct idp_key_meta *m)
{
	struct idp_key *k = NULL;
	unsigned char *sealed = NULL;
	char path[4096], why[512];
	size_t n = 0;
	enum idp_err e;
	int rc = CTL_FAIL;

	snprintf(path, sizeof(path), "%s/%s.pem", dir, m->kid);
	if (idp_key_load_file(path, idp_alg_parse(m->alg), &k, why,
	    sizeof(why)) != 0)
		return ctl_err("keys import: %s: %s", m->kid, why);
	if (strcmp(idp_key_kid(k), m->kid) != 0) {
		ctl_err("keys import: %s holds another key (kid %s)", path,
		    idp_key_kid(k));
		goto out;
	}
	if (idp_key_seal(&kk->kek, k, &sealed, &n) != 0) {
		ctl_err("keys import: %s: cannot seal the key", m->kid);
		goto out;
	}
	e = idp_store_key_set_sealed(c->conn, m->kid, sealed, n, kk->kek.id);
	if (e != IDP_OK) {
		ctl_err("keys import: %s: %s", m->kid, ctl_db_msg(c, e));
		goto out;
	}
	if (ctl_key_audit(c, "key.imported", m->kid, m->alg, kk) != 0)
		goto out;
	if (!c->json)
		printf("%s (%s) sealed under key-encryption key %s\n", m->kid,
		    m->alg, kk->kek.id);
	rc = CTL_OK;
out:
	free(sealed);
	idp_key_free(k);
	return rc;
}

/* DIR/totp-keys, when the export wrote one: each TOTP key sealed under
 * this KEK where its row is as it was then. */
static int
import_totp(struct ctl *c, const struct ctl_kek *kk, const char *dir,
    long long *sealed, long long *skipped)
{
	char path[4096], why[512] = "";
	enum idp_err e;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, TOTP_FILE);
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return CTL_OK;
		return ctl_err("keys import: %s: %s", path, strerror(errno));
	}
	e = idp_totp_keys_import(&kk->kek, c->conn, f, sealed, skipped, why,
	    sizeof(why));
	fclose(f);
	if (e != IDP_OK)
		return ctl_err("keys import: %s: %s", path, why[0] ? why :
		    ctl_db_msg(c, e));
	if (ctl_audit(c, "totp.resealed", 0, NULL, json_pack("{s:I, s:I, s:s}",
	    "sealed", (json_int_t)*sealed, "skipped", (json_int_t)*skipped,
	    "kek_id", kk->kek.id)) != 0)
		return CTL_FAIL;
	return CTL_OK;
}

int
ctl_keys_import(struct ctl *c, int argc, char **argv)
{
	enum { OPT_FROM = 0x100 + 1 };
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		CTL_OPTS_COMMON
	};
	struct idp_key_meta *m = NULL;
	const char *dir = NULL;
	struct ctl_kek kk;
	json_t *done;
	char **ops, why[512];
	enum idp_err e;
	long long totp_sealed = 0, totp_skipped = 0;
	int n = 0, ch, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch != OPT_FROM)
			return ctl_opt_exit(ch);
		dir = optarg;
	}
	if (ctl_rest(c, argc, argv, 0, &ops) < 0)
		return CTL_USAGE;
	if ((rc = ctl_connect(c, true)) != 0 || (rc = ctl_kek_open(c, &kk)))
		return rc;
	if (!kk.have)
		return ctl_err("keys import: no key-encryption key: set "
		    "key_encryption_key_file (or the %s credential)",
		    IDP_KEK_CREDENTIAL);
	if ((e = idp_store_keys_all(c->conn, c->arena, &m, &n)) != IDP_OK)
		return ctl_err("keys: %s", ctl_db_msg(c, e));
	done = json_array();
	for (int i = 0; i < n; i++) {
		if (!alive(&m[i]) || (m[i].kek_id != NULL &&
		    !strcmp(m[i].kek_id, kk.kek.id)))
			continue;
		if (import_one(c, &kk, dir ? dir : c->cfg.key_dir, &m[i])
		    != CTL_OK) {
			json_decref(done);
			idp_kek_wipe(&kk.kek);
			return CTL_FAIL;
		}
		json_array_append_new(done, json_string(m[i].kid));
	}
	/* The device-cookie key: the file's, unless one is sealed already. */
	rc = idp_device_key_import(&c->cfg, &kk.kek, c->conn,
	    dir ? dir : c->cfg.key_dir, why, sizeof(why));
	if (rc != 0) {
		idp_kek_wipe(&kk.kek);
		json_decref(done);
		return ctl_err("keys import: device-cookie key: %s", why);
	}
	rc = import_totp(c, &kk, dir ? dir : c->cfg.key_dir, &totp_sealed,
	    &totp_skipped);
	idp_kek_wipe(&kk.kek);
	if (rc != CTL_OK) {
		json_decref(done);
		return rc;
	}
	if (c->json)
		return ctl_print_json(json_pack("{s:o, s:I, s:I}", "imported",
		    done, "totp_sealed", (json_int_t)totp_sealed,
		    "totp_skipped", (json_int_t)totp_skipped));
	printf("%zu keys sealed into the database. Restart or SIGHUP every "
	    "node with the key-encryption key; then the files can go.\n",
	    json_array_size(done));
	if (totp_sealed + totp_skipped > 0)
		printf("%lld TOTP keys sealed again; %lld left as they are "
		    "(set up again since the export, or sealed already).\n",
		    totp_sealed, totp_skipped);
	json_decref(done);
	return CTL_OK;
}

/* DIR/totp-keys, 0600, never over an existing file: every TOTP key. */
static int
export_totp(struct ctl *c, const struct ctl_kek *kk, const char *dir,
    long long *count, char *why, size_t whylen)
{
	char path[4096];
	enum idp_err e;
	FILE *f = NULL;
	int fd, rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, TOTP_FILE);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(why, whylen, "cannot create %.512s: %s", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	why[0] = '\0';
	e = idp_totp_keys_export(kk->have ? &kk->kek : NULL, c->conn, f, count,
	    why, whylen);
	if (e == IDP_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		snprintf(why, whylen, "cannot write %.512s", path);
	else if (e == IDP_OK)
		rc = 0;
	if (fclose(f) != 0 && rc == 0) {
		snprintf(why, whylen, "cannot write %.512s", path);
		rc = -1;
	}
	if (rc != 0)
		unlink(path);	/* half a file would look like all of it */
	return rc;
}

/* DIR/device-cookie.key, 0600, never over an existing file. */
static int
export_device_key(struct ctl *c, const struct ctl_kek *kk, const char *dir,
    char *why, size_t whylen)
{
	unsigned char key[IDP_DEVICE_KEY_LEN];
	char path[4096];
	int fd, rc = -1;

	if (idp_device_key_obtain(&c->cfg, kk->have ? &kk->kek : NULL, c->conn,
	    key, why, whylen) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, IDP_DEVICE_KEY_FILE);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		snprintf(why, whylen, "cannot create %.512s: %s", path,
		    strerror(errno));
	else if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) ||
	    fsync(fd) != 0)
		snprintf(why, whylen, "cannot write %.512s", path);
	else
		rc = 0;
	if (fd >= 0)
		close(fd);
	idp_wipe(key, sizeof(key));
	return rc;
}

int
ctl_keys_export(struct ctl *c, int argc, char **argv)
{
	struct idp_key_meta *m = NULL;
	struct ctl_kek kk;
	json_t *done;
	char **ops, path[4096], why[1024];
	enum idp_err e;
	long long totp = 0;
	int n = 0, rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "DIR", &ops)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0 || (rc = ctl_kek_open(c, &kk)))
		return rc;
	if ((e = idp_store_keys_published(c->conn, c->arena, &m, &n)) != IDP_OK)
		return ctl_err("keys: %s", ctl_db_msg(c, e));
	done = json_array();
	for (int i = 0; i < n && rc == 0; i++) {
		struct idp_key *k = NULL;

		snprintf(path, sizeof(path), "%s/%s.pem", ops[0], m[i].kid);
		if (idp_signkey_open(&c->cfg, kk.have ? &kk.kek : NULL, &m[i],
		    &k, why, sizeof(why)) != 0 ||
		    idp_key_write_file(k, path, why, sizeof(why)) != 0)
			rc = ctl_err("keys export: %s", why);
		else if ((rc = ctl_key_audit(c, "key.exported", m[i].kid,
		    m[i].alg, &kk)) == 0)
			json_array_append_new(done, json_pack("{s:s, s:s}",
			    "kid", m[i].kid, "path", path));
		idp_key_free(k);
	}
	if (rc == 0 && (rc = export_device_key(c, &kk, ops[0], why,
	    sizeof(why))) != 0)
		ctl_err("keys export: device-cookie key: %s", why);
	if (rc == 0 && (rc = export_totp(c, &kk, ops[0], &totp, why,
	    sizeof(why))) != 0)
		ctl_err("keys export: TOTP keys: %s", why);
	if (rc == 0 && ctl_audit(c, "totp.exported", 0, NULL,
	    json_pack("{s:I}", "count", (json_int_t)totp)) != 0)
		rc = CTL_FAIL;
	idp_kek_wipe(&kk.kek);
	if (rc != 0 || c->json) {
		if (rc == 0)
			return ctl_print_json(json_pack("{s:o, s:I}",
			    "exported", done, "totp_keys", (json_int_t)totp));
		json_decref(done);
		return CTL_FAIL;
	}
	printf("%zu private keys and %lld TOTP keys written to %s (mode "
	    "0600): keep them as secret as the key-encryption key\n",
	    json_array_size(done), totp, ops[0]);
	json_decref(done);
	return CTL_OK;
}

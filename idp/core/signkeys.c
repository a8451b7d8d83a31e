#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/signkeys.h"
#include "crypto/random.h"
#include "store/audit.h"
#include "util/log.h"
#include "util/mem.h"

int
idp_kek_open(const struct idp_config *cfg, struct idp_kek *kek, bool *have,
    char *path, size_t pathlen, char *why, size_t whylen)
{
	const char *creds = getenv("CREDENTIALS_DIRECTORY");
	bool configured = cfg->kek_file != NULL && cfg->kek_file[0] != '\0';

	*have = false;
	path[0] = '\0';
	if (configured)
		snprintf(path, pathlen, "%s", cfg->kek_file);
	else if (creds != NULL && creds[0] == '/')
		snprintf(path, pathlen, "%s/%s", creds, IDP_KEK_CREDENTIAL);
	if (path[0] == '\0')
		return 0;
	/* A credentials directory without our credential: keys are files. */
	if (!configured && access(path, F_OK) != 0) {
		path[0] = '\0';
		return 0;
	}
	if (idp_kek_load(path, configured, kek, why, whylen) != 0)
		return -1;
	*have = true;
	return 0;
}

static int
open_sealed(const struct idp_kek *kek, const struct idp_key_meta *m,
    enum idp_alg alg, struct idp_key **out, char *why, size_t whylen)
{
	if (kek == NULL) {
		snprintf(why, whylen, "signing key %s (%s) is sealed under "
		    "key-encryption key %s, and this node has none: set "
		    "key_encryption_key_file or provide the %s credential",
		    m->kid, m->alg, m->kek_id, IDP_KEK_CREDENTIAL);
		return -1;
	}
	if (strcmp(kek->id, m->kek_id) != 0) {
		snprintf(why, whylen, "signing key %s (%s) is sealed under "
		    "key-encryption key %s, but this node has %s",
		    m->kid, m->alg, m->kek_id, kek->id);
		return -1;
	}
	if (idp_key_unseal(kek, m->kid, alg, m->sealed, m->sealed_len, out)
	    != 0) {
		snprintf(why, whylen, "signing key %s (%s) does not open with "
		    "key-encryption key %s: its sealed form was changed",
		    m->kid, m->alg, kek->id);
		return -1;
	}
	return 0;
}

int
idp_signkey_open(const struct idp_config *cfg, const struct idp_kek *kek,
    const struct idp_key_meta *m, struct idp_key **out, char *why,
    size_t whylen)
{
	enum idp_alg alg = idp_alg_parse(m->alg);
	char path[4096], sub[512];

	if (m->sealed != NULL)
		return open_sealed(kek, m, alg, out, why, whylen);
	snprintf(path, sizeof(path), "%s/%s.pem", cfg->key_dir, m->kid);
	if (idp_key_load_file(path, alg, out, sub, sizeof(sub)) != 0) {
		snprintf(why, whylen, "signing key %s (%s): %s", m->kid, m->alg,
		    sub);
		return -1;
	}
	if (strcmp(idp_key_kid(*out), m->kid) != 0) {
		snprintf(why, whylen, "%s holds a different key (kid %s)",
		    path, idp_key_kid(*out));
		idp_key_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int64_t
idp_signkey_publish_seconds(const struct idp_config *cfg)
{
	int64_t t = cfg->id_token_ttl > cfg->access_token_ttl ?
	    cfg->id_token_ttl : cfg->access_token_ttl;

	return t + 300 + cfg->key_reload_interval + 60;
}

int
idp_signkey_new(const struct idp_config *cfg, const struct idp_kek *kek,
    enum idp_alg alg, struct idp_key **key, unsigned char **sealed,
    size_t *sealed_len)
{
	if (idp_key_generate(alg, cfg->rsa_bits, key) != 0)
		return -1;
	if (idp_key_seal(kek, *key, sealed, sealed_len) != 0) {
		idp_key_free(*key);
		*key = NULL;
		return -1;
	}
	return 0;
}

static void
audit(struct idp_dbconn *c, const char *event, const char *actor,
    const char *kid, const char *alg)
{
	json_t *d = json_pack("{s:s}", "kid", kid);
	char *js;

	if (alg != NULL)
		json_object_set_new(d, "alg", json_string(alg));
	js = json_dumps(d, JSON_COMPACT);
	if (idp_store_audit(c, &(struct idp_audit){ .event = event,
	    .details_json = js, .actor = actor }) != IDP_OK)
		IDP_WARN("keys.audit", " event=%s kid=%s", event, kid);
	free(js);
	json_decref(d);
}

static const struct idp_key_meta *
find(const struct idp_key_meta *m, int n, const char *state, enum idp_alg alg)
{
	for (int i = 0; i < n; i++)
		if (strcmp(m[i].state, state) == 0 &&
		    idp_alg_parse(m[i].alg) == alg)
			return &m[i];
	return NULL;
}

/* A next key for alg when its active key is due for replacement. */
static enum idp_err
prepublish(const struct idp_config *cfg, const struct idp_kek *kek,
    struct idp_dbconn *c, enum idp_alg alg, const char *actor, int *changed)
{
	struct idp_key *k = NULL;
	unsigned char *sealed = NULL;
	size_t n = 0;
	bool inserted = false;
	enum idp_err rc;

	if (idp_signkey_new(cfg, kek, alg, &k, &sealed, &n) != 0)
		return IDP_ERR_INTERNAL;
	rc = idp_store_key_prepublish(c, &(struct idp_key_new){ idp_key_kid(k),
	    idp_alg_name(alg), sealed, n, kek->id }, cfg->key_prepublish,
	    &inserted);
	if (rc == IDP_OK && inserted) {
		IDP_INFO("keys.prepublished", " kid=%s alg=%s activate_in=%lld",
		    idp_key_kid(k), idp_alg_name(alg),
		    (long long)cfg->key_prepublish);
		audit(c, "key.prepublished", actor, idp_key_kid(k),
		    idp_alg_name(alg));
		(*changed)++;
	}
	free(sealed);
	idp_key_free(k);
	return rc;
}

static enum idp_err
plan(const struct idp_config *cfg, const struct idp_kek *kek,
    struct idp_dbconn *c, const char *actor, int *changed)
{
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_key_meta *m = NULL;
	int64_t now = (int64_t)time(NULL);
	enum idp_err rc;
	int n = 0;

	if ((rc = idp_store_keys_published(c, a, &m, &n)) != IDP_OK)
		goto out;
	for (int i = 0; i < n; i++) {
		if (m[i].kek_id != NULL && strcmp(m[i].kek_id, kek->id) != 0) {
			IDP_WARN("keys.rotation", " msg=\"key %s is sealed "
			    "under another key-encryption key (%s, this node "
			    "has %s): no new keys\"", m[i].kid, m[i].kek_id,
			    kek->id);
			goto out;
		}
	}
	for (size_t i = 0; i < IDP_ALG_COUNT && rc == IDP_OK; i++) {
		enum idp_alg alg = idp_algs_all[i];
		const struct idp_key_meta *act = find(m, n, "active", alg);

		if ((cfg->signing_algs & (1u << alg)) == 0 ||
		    find(m, n, "next", alg) != NULL)
			continue;
		if (act != NULL && (cfg->key_rotation_interval == 0 ||
		    act->activate_at + cfg->key_rotation_interval -
		    cfg->key_prepublish > now))
			continue;
		rc = prepublish(cfg, kek, c, alg, actor, changed);
	}
out:
	idp_arena_free(a);
	return rc;
}

enum idp_err
idp_signkeys_maintain(const struct idp_config *cfg, const struct idp_kek *kek,
    struct idp_dbconn *c, const char *actor, int *changed, char *why,
    size_t whylen)
{
	struct idp_arena *a = idp_arena_new(1024);
	char **kids = NULL;
	enum idp_err rc;

	*changed = 0;
	rc = idp_store_keys_promote(c, a, idp_signkey_publish_seconds(cfg),
	    &kids);
	for (size_t i = 0; rc == IDP_OK && kids[i] != NULL; i++) {
		IDP_INFO("keys.activated", " kid=%s", kids[i]);
		audit(c, "key.activated", actor, kids[i], NULL);
		(*changed)++;
	}
	if (rc == IDP_OK)
		rc = idp_store_keys_expire(c, a, &kids);
	for (size_t i = 0; rc == IDP_OK && kids[i] != NULL; i++) {
		IDP_INFO("keys.expired", " kid=%s", kids[i]);
		audit(c, "key.expired", actor, kids[i], NULL);
		(*changed)++;
	}
	if (rc == IDP_OK && kek != NULL)
		rc = plan(cfg, kek, c, actor, changed);
	if (rc != IDP_OK)
		snprintf(why, whylen, "key rotation: %s",
		    idp_db_last_error(c));
	idp_arena_free(a);
	return rc;
}

#define DEVICE_SECRET "device-cookie"

static int
device_key_open(const struct idp_kek *kek, const unsigned char *sealed,
    size_t n, const char *kek_id, unsigned char key[IDP_DEVICE_KEY_LEN],
    char *why, size_t whylen)
{
	unsigned char *pt = NULL;
	size_t ptn = 0;
	int rc = -1;

	if (strcmp(kek_id, kek->id) != 0) {
		snprintf(why, whylen, "the device-cookie key is sealed under "
		    "key-encryption key %s, but this node has %s", kek_id,
		    kek->id);
		return -1;
	}
	if (idp_unseal(kek, DEVICE_SECRET, sealed, n, &pt, &ptn) != 0 ||
	    ptn != IDP_DEVICE_KEY_LEN) {
		snprintf(why, whylen, "the device-cookie key does not open "
		    "with key-encryption key %s", kek->id);
	} else {
		memcpy(key, pt, IDP_DEVICE_KEY_LEN);
		rc = 0;
	}
	idp_unseal_free(pt, ptn);
	return rc;
}

/* Seal key under kek and store it (in place of another with replace). */
static enum idp_err
device_key_put(const struct idp_kek *kek, struct idp_dbconn *c,
    const unsigned char key[IDP_DEVICE_KEY_LEN], bool replace)
{
	unsigned char *sealed = NULL;
	size_t n = 0;
	enum idp_err rc = IDP_ERR_INTERNAL;

	if (idp_seal(kek, DEVICE_SECRET, key, IDP_DEVICE_KEY_LEN, &sealed, &n)
	    == 0)
		rc = idp_store_secret_put(c, DEVICE_SECRET, sealed, n, kek->id,
		    replace);
	free(sealed);
	return rc;
}

/* The first node to get here stores the key; the others read it. */
static enum idp_err
device_key_store(const struct idp_config *cfg, const struct idp_kek *kek,
    struct idp_dbconn *c)
{
	unsigned char key[IDP_DEVICE_KEY_LEN];
	char why[512];
	enum idp_err rc = IDP_ERR_INTERNAL;

	if (idp_device_key_load(cfg->key_dir, 0, key, why, sizeof(why)) == 0 ||
	    idp_random_bytes(key, sizeof(key)) == 0)
		rc = device_key_put(kek, c, key, false);
	idp_wipe(key, sizeof(key));
	return rc;
}

int
idp_device_key_import(const struct idp_config *cfg, const struct idp_kek *kek,
    struct idp_dbconn *c, const char *dir, char *why, size_t whylen)
{
	struct idp_arena *a = idp_arena_new(1024);
	unsigned char key[IDP_DEVICE_KEY_LEN], *sealed = NULL;
	char *kek_id = NULL, path[4096];
	size_t n = 0;
	enum idp_err e;
	int rc = -1;

	e = idp_store_secret_get(c, a, DEVICE_SECRET, &sealed, &n, &kek_id);
	snprintf(path, sizeof(path), "%s/%s", dir, IDP_DEVICE_KEY_FILE);
	if (e == IDP_OK && strcmp(kek_id, kek->id) == 0) {
		rc = 0;
	} else if (e != IDP_OK && e != IDP_ERR_NOT_FOUND) {
		snprintf(why, whylen, "%s", idp_db_last_error(c));
	} else if (access(path, F_OK) != 0) {
		if (e == IDP_ERR_NOT_FOUND)
			rc = idp_device_key_obtain(cfg, kek, c, key, why,
			    whylen);
		else
			snprintf(why, whylen, "it is sealed under "
			    "key-encryption key %s and %s is missing: export "
			    "it with that key first", kek_id, path);
	} else if (idp_device_key_load(dir, 0, key, why, whylen) == 0) {
		if (device_key_put(kek, c, key, true) == IDP_OK)
			rc = 0;
		else
			snprintf(why, whylen, "%s", idp_db_last_error(c));
	}
	idp_wipe(key, sizeof(key));
	idp_arena_free(a);
	return rc;
}

int
idp_device_key_obtain(const struct idp_config *cfg, const struct idp_kek *kek,
    struct idp_dbconn *c, unsigned char key[IDP_DEVICE_KEY_LEN], char *why,
    size_t whylen)
{
	struct idp_arena *a;
	unsigned char *sealed = NULL;
	char *kek_id = NULL;
	size_t n = 0;
	enum idp_err e;
	int rc = -1;

	if (kek == NULL)
		return idp_device_key_load(cfg->key_dir, 1, key, why, whylen);
	a = idp_arena_new(1024);
	e = idp_store_secret_get(c, a, DEVICE_SECRET, &sealed, &n, &kek_id);
	if (e == IDP_ERR_NOT_FOUND) {
		e = device_key_store(cfg, kek, c);
		if (e == IDP_OK)
			e = idp_store_secret_get(c, a, DEVICE_SECRET, &sealed,
			    &n, &kek_id);
	}
	if (e != IDP_OK)
		snprintf(why, whylen, "cannot read the device-cookie key: %s",
		    idp_db_last_error(c));
	else
		rc = device_key_open(kek, sealed, n, kek_id, key, why, whylen);
	idp_arena_free(a);
	return rc;
}

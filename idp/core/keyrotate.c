#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/keyrotate.h"
#include "core/signkeys.h"
#include "store/audit.h"
#include "store/keys.h"
#include "util/log.h"

/* The new key as its row: sealed, or written to its file (path). */
static int
key_row(const struct idp_config *cfg, const struct idp_kek *kek,
    struct idp_arena *a, enum idp_alg alg, struct idp_key **k,
    struct idp_key_new *row, char *path, size_t pathlen, char *why,
    size_t whylen)
{
	unsigned char *sealed = NULL;
	size_t n = 0;

	*path = '\0';
	if (kek != NULL) {
		if (idp_signkey_new(cfg, kek, alg, k, &sealed, &n) != 0) {
			snprintf(why, whylen, "cannot make a %s key",
			    idp_alg_name(alg));
			return -1;
		}
		*row = (struct idp_key_new){ idp_key_kid(*k), idp_alg_name(alg),
			idp_arena_memdup(a, sealed, n), n, kek->id };
		free(sealed);
		return 0;
	}
	if (idp_key_generate(alg, cfg->rsa_bits, k) != 0) {
		snprintf(why, whylen, "cannot generate a %s key",
		    idp_alg_name(alg));
		return -1;
	}
	snprintf(path, pathlen, "%s/%s.pem", cfg->key_dir, idp_key_kid(*k));
	if (idp_key_write_file(*k, path, why, whylen) != 0) {
		idp_key_free(*k);
		*k = NULL;
		return -1;
	}
	*row = (struct idp_key_new){ idp_key_kid(*k), idp_alg_name(alg),
		NULL, 0, NULL };
	return 0;
}

static enum idp_err
audit(struct idp_dbconn *c, const struct idp_operator *op, const char *event,
    const struct idp_key_new *row, const struct idp_kek *kek)
{
	json_t *d = json_pack("{s:s, s:s, s:s}", "kid", row->kid, "alg",
	    row->alg, "storage", kek != NULL ? "database" : "file");

	if (kek != NULL)
		json_object_set_new(d, "kek_id", json_string(kek->id));
	return idp_operator_audit(c, op, event, 0, d);
}

enum idp_err
idp_signkey_add(const struct idp_config *cfg, const struct idp_kek *kek,
    struct idp_dbconn *c, struct idp_arena *a, enum idp_alg alg, bool now,
    const struct idp_operator *op, struct idp_key_made *out, char *why,
    size_t whylen)
{
	struct idp_key *k = NULL;
	struct idp_key_new row;
	char path[4096];
	bool inserted = true;
	enum idp_err rc;

	if (key_row(cfg, kek, a, alg, &k, &row, path, sizeof(path), why,
	    whylen) != 0)
		return IDP_ERR_INTERNAL;
	rc = now ? idp_store_key_activate(c, &row,
	    idp_signkey_publish_seconds(cfg)) :
	    idp_store_key_prepublish(c, &row, cfg->key_prepublish, &inserted);
	if (rc == IDP_OK && !inserted) {
		rc = IDP_ERR_CONFLICT;
		snprintf(why, whylen, "%s: a next key is already published",
		    row.alg);
	} else if (rc != IDP_OK) {
		snprintf(why, whylen, "cannot record the key: %s",
		    idp_db_last_error(c));
	} else if ((rc = audit(c, op, now ? "key.activated" :
	    "key.prepublished", &row, kek)) != IDP_OK) {
		snprintf(why, whylen, "cannot record the audit event: %s",
		    idp_db_last_error(c));
	}
	if (rc != IDP_OK) {
		if (*path)
			unlink(path);
		goto out;
	}
	IDP_INFO(now ? "keys.activated" : "keys.prepublished",
	    " kid=%s alg=%s actor=%s", row.kid, row.alg, idp_logq(a, op->actor));
	*out = (struct idp_key_made){ idp_arena_strdup(a, row.kid),
		idp_arena_strdup(a, row.alg), now, kek != NULL ? "database" :
		idp_arena_strdup(a, path) };
out:
	idp_key_free(k);
	return rc;
}

static bool
has_active(const struct idp_key_meta *m, int n, enum idp_alg alg)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(m[i].state, "active") &&
		    idp_alg_parse(m[i].alg) == alg)
			return true;
	return false;
}

enum idp_err
idp_signkeys_rotate(const struct idp_config *cfg, const struct idp_kek *kek,
    struct idp_dbconn *c, struct idp_arena *a, enum idp_alg only, bool now,
    const struct idp_operator *op, struct idp_key_made *made, int *n,
    char *why, size_t whylen)
{
	struct idp_key_meta *m = NULL;
	enum idp_err rc;
	int nm = 0;

	*n = 0;
	if ((rc = idp_store_keys_all(c, a, &m, &nm)) != IDP_OK) {
		snprintf(why, whylen, "cannot read the keys: %s",
		    idp_db_last_error(c));
		return rc;
	}
	for (size_t i = 0; i < IDP_ALG_COUNT && rc == IDP_OK; i++) {
		enum idp_alg alg = idp_algs_all[i];

		if (only != IDP_ALG_NONE ? alg != only :
		    !has_active(m, nm, alg))
			continue;
		rc = idp_signkey_add(cfg, kek, c, a, alg, now, op,
		    &made[*n], why, whylen);
		if (rc == IDP_OK)
			(*n)++;
	}
	return rc;
}

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/signkeys.h"
#include "core/totpkey.h"
#include "util/log.h"
#include "util/mem.h"

#define SWEEP_BATCH 500

static bool
is_plain(const struct idp_credential *cr)
{
	return cr->kind == IDP_CRED_TOTP && cr->totp_kek_id == NULL &&
	    cr->totp_secret.data != NULL;
}

enum idp_err
idp_totp_key_put(const struct idp_kek *kek, struct idp_arena *a,
    const unsigned char *key, size_t n, struct idp_credential *cr)
{
	unsigned char *blob = NULL;
	size_t bn = 0;

	cr->totp_secret = (struct idp_cred_bytes){ NULL, 0 };
	cr->totp_sealed = (struct idp_cred_bytes){ NULL, 0 };
	cr->totp_kek_id = NULL;
	if (kek == NULL) {
		IDP_WARN("totp.unsealed", " user_id=%lld msg=\"no "
		    "key-encryption key: the TOTP key is stored in plaintext "
		    "until a node with one starts\"", cr->user_id);
		cr->totp_secret.data = idp_arena_memdup(a, key, n);
		cr->totp_secret.len = n;
		return IDP_OK;
	}
	if (idp_totp_key_seal(kek, cr->user_id, key, n, &blob, &bn) != 0)
		return IDP_ERR_INTERNAL;
	cr->totp_sealed.data = idp_arena_memdup(a, blob, bn);
	cr->totp_sealed.len = bn;
	cr->totp_kek_id = idp_arena_strdup(a, kek->id);
	free(blob);
	return IDP_OK;
}

enum idp_err
idp_totp_key_open(const struct idp_kek *kek, struct idp_arena *a,
    struct idp_credential *cr)
{
	unsigned char *pt = NULL;
	size_t n = 0;

	if (cr->kind != IDP_CRED_TOTP || cr->totp_kek_id == NULL)
		return IDP_OK;
	if (kek == NULL || strcmp(kek->id, cr->totp_kek_id) != 0) {
		IDP_ERROR("totp.kek_missing", " credential=%lld kek=%s have=%s "
		    "msg=\"the TOTP key is sealed under a key-encryption key "
		    "this node does not have: set key_encryption_key_file or "
		    "provide the %s credential\"", cr->id, cr->totp_kek_id,
		    kek != NULL ? kek->id : "none", IDP_KEK_CREDENTIAL);
		return IDP_ERR_UNAVAILABLE;
	}
	cr->totp_secret = (struct idp_cred_bytes){ NULL, 0 };
	if (idp_totp_key_unseal(kek, cr->user_id, cr->totp_sealed.data,
	    cr->totp_sealed.len, &pt, &n) != 0) {
		IDP_ERROR("totp.unseal_failed", " credential=%lld user_id=%lld "
		    "msg=\"the sealed TOTP key does not open for this person: "
		    "it was changed or copied from another row\"", cr->id,
		    cr->user_id);
		return IDP_OK;
	}
	cr->totp_secret.data = idp_arena_memdup(a, pt, n);
	cr->totp_secret.len = n;
	idp_unseal_free(pt, n);
	return IDP_OK;
}

enum idp_err
idp_cred_list_open(const struct idp_kek *kek, struct idp_dbconn *c,
    struct idp_arena *a, long long user_id, enum idp_cred_kind kind,
    struct idp_credential **out, int *n)
{
	enum idp_err rc;

	if ((rc = idp_store_cred_list(c, a, user_id, kind, out, n)) != IDP_OK)
		return rc;
	for (int i = 0; i < *n; i++) {
		if ((rc = idp_totp_key_open(kek, a, &(*out)[i])) != IDP_OK)
			return rc;
	}
	return IDP_OK;
}

/* Seal one plain key in place; IDP_ERR_NOT_FOUND when the row changed. */
static enum idp_err
seal_row(const struct idp_kek *kek, struct idp_dbconn *c, long long id,
    long long user_id, const struct idp_cred_bytes *plain)
{
	unsigned char *blob = NULL;
	size_t bn = 0;
	enum idp_err rc;

	if (idp_totp_key_seal(kek, user_id, plain->data, plain->len, &blob,
	    &bn) != 0)
		return IDP_ERR_INTERNAL;
	rc = idp_store_totp_seal(c, id, plain, blob, bn, kek->id);
	free(blob);
	return rc;
}

void
idp_totp_key_seal_used(const struct idp_kek *kek, struct idp_dbconn *c,
    const struct idp_credential *cr)
{
	enum idp_err rc;

	if (kek == NULL || !is_plain(cr))
		return;
	rc = seal_row(kek, c, cr->id, cr->user_id, &cr->totp_secret);
	if (rc == IDP_OK)
		IDP_INFO("totp.sealed", " credential=%lld kek=%s", cr->id,
		    kek->id);
	else if (rc != IDP_ERR_NOT_FOUND)
		IDP_WARN("totp.seal_failed", " credential=%lld err=%s", cr->id,
		    idp_err_str(rc));
}

/* One batch of plain keys after *after, sealed in one statement (one WAL
 * flush and one round trip for the batch, not one per person). */
static enum idp_err
sweep_batch(const struct idp_kek *kek, struct idp_dbconn *c,
    long long *after, int *n, long long *sealed, long long *plain)
{
	struct idp_arena *a = idp_arena_new(65536);
	struct idp_totp_plain *rows = NULL;
	struct idp_cred_bytes *blobs;
	long long done = 0;
	enum idp_err rc;

	rc = idp_store_totp_plain(c, a, *after, SWEEP_BATCH, &rows, n);
	if (rc != IDP_OK || *n == 0)
		goto out;
	*after = rows[*n - 1].id;
	if (kek == NULL) {
		*plain += *n;
		goto out;
	}
	blobs = idp_arena_zalloc(a, sizeof(*blobs) * (size_t)*n);
	for (int i = 0; i < *n && rc == IDP_OK; i++) {
		unsigned char *b = NULL;
		size_t bn = 0;

		if (idp_totp_key_seal(kek, rows[i].user_id, rows[i].secret.data,
		    rows[i].secret.len, &b, &bn) != 0) {
			rc = IDP_ERR_INTERNAL;
			break;
		}
		blobs[i].data = idp_arena_memdup(a, b, bn);
		blobs[i].len = bn;
		free(b);
	}
	if (rc == IDP_OK)
		rc = idp_store_totp_seal_many(c, a, rows, blobs, *n, kek->id,
		    &done);
	/* Rows enrolled anew meanwhile are not counted, nor sealed. */
	*sealed += done;
out:
	idp_arena_free(a);	/* wipes the plain keys */
	return rc;
}

enum idp_err
idp_totp_keys_sweep(const struct idp_kek *kek, struct idp_dbconn *c,
    long long *sealed, long long *plain)
{
	long long after = 0;
	enum idp_err rc;
	int n = 0;

	*sealed = *plain = 0;
	do {
		rc = sweep_batch(kek, c, &after, &n, sealed, plain);
	} while (rc == IDP_OK && n == SWEEP_BATCH);
	return rc;
}

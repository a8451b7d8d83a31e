#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/signkeys.h"
#include "core/totpkey.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

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

/* --- Moving the keys to another KEK (idpctl keys export, import) --- */

#define MOVE_BATCH 500

static void
put_hex(FILE *f, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* One row, opened, as a line of f. */
static enum idp_err
export_row(const struct idp_kek *kek, FILE *f, const struct idp_totp_row *t,
    char *why, size_t whylen)
{
	unsigned char *pt = NULL;
	size_t n = 0;

	if (t->kek_id == NULL) {
		pt = t->plain.data;
		n = t->plain.len;
	} else if (kek == NULL || strcmp(kek->id, t->kek_id) != 0) {
		snprintf(why, whylen, "the TOTP key of credential %lld is "
		    "sealed under key-encryption key %s, but this node has %s",
		    t->id, t->kek_id, kek != NULL ? kek->id : "none");
		return IDP_ERR_UNAVAILABLE;
	} else if (idp_totp_key_unseal(kek, t->user_id, t->sealed.data,
	    t->sealed.len, &pt, &n) != 0) {
		snprintf(why, whylen, "the TOTP key of credential %lld does "
		    "not open for its person: it was changed or copied from "
		    "another row", t->id);
		return IDP_ERR_UNAVAILABLE;
	}
	fprintf(f, "%lld %lld ", t->id, t->user_id);
	put_hex(f, pt, n);
	fprintf(f, " %s\n", t->digest);
	if (t->kek_id != NULL)
		idp_unseal_free(pt, n);
	return IDP_OK;
}

enum idp_err
idp_totp_keys_export(const struct idp_kek *kek, struct idp_dbconn *c, FILE *f,
    long long *count, char *why, size_t whylen)
{
	long long after = 0;
	enum idp_err rc;
	int n;

	*count = 0;
	fprintf(f, "# TOTP keys in plaintext (idpctl keys export): as secret "
	    "as the key-encryption key; shred -u after the import\n");
	do {
		struct idp_arena *a = idp_arena_new(65536);
		struct idp_totp_row *t = NULL;

		n = 0;
		rc = idp_store_totp_export(c, a, after, MOVE_BATCH, &t, &n);
		for (int i = 0; rc == IDP_OK && i < n; i++) {
			rc = export_row(kek, f, &t[i], why, whylen);
			after = t[i].id;
			*count += rc == IDP_OK;
		}
		if (rc != IDP_OK && why[0] == '\0')
			snprintf(why, whylen, "the TOTP keys could not be read");
		idp_arena_free(a);	/* wipes the plain keys read */
	} while (rc == IDP_OK && n == MOVE_BATCH);
	return rc;
}

static bool
parse_ll(const char **p, long long *out)
{
	long long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (LLONG_MAX - (*s - '0')) / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	*p = s;
	*out = v;
	return true;
}

int
idp_totp_line_parse(const char *line, struct idp_totp_line *out)
{
	const char *p = line;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (*p == '#' || *p == '\0' || *p == '\n')
		return 0;
	if (!parse_ll(&p, &out->id) || *p++ != ' ' ||
	    !parse_ll(&p, &out->user_id) || *p++ != ' ')
		return -1;
	while (idp_hexval(p[0]) >= 0 && idp_hexval(p[1]) >= 0) {
		if (n == sizeof(out->key))
			return -1;
		out->key[n++] = (unsigned char)(idp_hexval(p[0]) << 4 |
		    idp_hexval(p[1]));
		p += 2;
	}
	out->key_len = n;
	if (n == 0 || *p++ != ' ')
		return -1;
	for (n = 0; n < 64; n++) {
		if (idp_hexval(p[n]) < 0 || (p[n] >= 'A' && p[n] <= 'F'))
			return -1;
		out->digest[n] = p[n];
	}
	out->digest[64] = '\0';
	p += 64;
	if (*p == '\n')
		p++;
	return *p == '\0' && out->id > 0 && out->user_id > 0 ? 1 : -1;
}

enum idp_err
idp_totp_keys_import(const struct idp_kek *kek, struct idp_dbconn *c, FILE *f,
    long long *sealed, long long *skipped, char *why, size_t whylen)
{
	char line[512];
	long long no = 0;
	enum idp_err rc = IDP_OK;

	*sealed = *skipped = 0;
	while (rc == IDP_OK && fgets(line, sizeof(line), f) != NULL) {
		struct idp_totp_line t;
		unsigned char *blob = NULL;
		size_t bn = 0;
		int k;

		no++;
		if ((k = idp_totp_line_parse(line, &t)) <= 0) {
			if (k < 0) {
				snprintf(why, whylen, "line %lld is not a TOTP "
				    "key as idpctl keys export writes it", no);
				rc = IDP_ERR_BAD_REQUEST;
			}
			continue;
		}
		if (idp_totp_key_seal(kek, t.user_id, t.key, t.key_len, &blob,
		    &bn) != 0) {
			snprintf(why, whylen, "the key of line %lld could not be "
			    "sealed", no);
			rc = IDP_ERR_INTERNAL;
		} else {
			rc = idp_store_totp_reseal(c, t.id, t.user_id,
			    t.digest, blob, bn, kek->id);
			if (rc == IDP_ERR_NOT_FOUND) {	/* changed since */
				++*skipped;
				rc = IDP_OK;
			} else if (rc == IDP_OK) {
				++*sealed;
			} else {
				snprintf(why, whylen, "the key of line %lld "
				    "could not be stored", no);
			}
		}
		free(blob);
		idp_wipe(&t, sizeof(t));
	}
	idp_wipe(line, sizeof(line));
	return rc;
}

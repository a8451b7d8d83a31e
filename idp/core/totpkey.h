/* A person's TOTP key at rest: sealed under the key-encryption key with
 * the person's id as additional data (crypto/keyseal.h), plain only on a
 * node without a KEK. Every reader of TOTP rows opens them here, and the
 * keys stored plain (older rows, a node without a KEK) are sealed once a
 * node with a KEK starts or sees them used. */
#ifndef IDP_CORE_TOTPKEY_H
#define IDP_CORE_TOTPKEY_H

#include <stddef.h>
#include <stdio.h>

#include "crypto/keyseal.h"
#include "store/credential.h"
#include "util/arena.h"
#include "util/err.h"

/* Put key into cr (a new TOTP factor of cr->user_id): sealed under kek
 * into arena memory, or plain when kek is NULL (warned). */
enum idp_err idp_totp_key_put(const struct idp_kek *kek, struct idp_arena *a,
    const unsigned char *key, size_t n, struct idp_credential *cr);

/* Open the key of one TOTP row into cr->totp_secret (nothing to do for a
 * plain one); the errors and logs of idp_cred_list_open. */
enum idp_err idp_totp_key_open(const struct idp_kek *kek, struct idp_arena *a,
    struct idp_credential *cr);

/* A person's factors of one kind, as idp_store_cred_list gives them, with
 * every TOTP key opened into totp_secret (arena memory, wiped with the
 * arena; callers wipe it sooner once used). A row sealed under a KEK this
 * node lacks is IDP_ERR_UNAVAILABLE (logged: the node is misconfigured).
 * A row that does not open (changed, or copied from another person) keeps
 * an empty key, so that no code matches it, and is logged as an error. */
enum idp_err idp_cred_list_open(const struct idp_kek *kek,
    struct idp_dbconn *c, struct idp_arena *a, long long user_id,
    enum idp_cred_kind kind, struct idp_credential **out, int *n);

/* After a use of cr: a key still stored plain is sealed now when this
 * node has a KEK. Failures are logged; the use stands. */
void idp_totp_key_seal_used(const struct idp_kek *kek, struct idp_dbconn *c,
    const struct idp_credential *cr);

/* At start: seal every key stored plain (kek given), or count them
 * (kek NULL) and warn. *plain is how many are (still) plain. */
enum idp_err idp_totp_keys_sweep(const struct idp_kek *kek,
    struct idp_dbconn *c, long long *sealed, long long *plain);

/* Moving the keys to another KEK, for idpctl keys export and import. The
 * file has one line per key: credential id, person id, the key in hex, and
 * the hex SHA-256 of the row's stored form when it was written, separated
 * by one space; lines starting with # are comments. */

/* Every TOTP key opened with kek (NULL: a node without one, plain keys
 * only) as lines of f; *count keys written. A key sealed under another
 * KEK, or one that does not open, stops it with why filled in. */
enum idp_err idp_totp_keys_export(const struct idp_kek *kek,
    struct idp_dbconn *c, FILE *f, long long *count, char *why,
    size_t whylen);

/* Seal each key of f under kek where its row is still as it was exported
 * and not under kek already (*sealed); the others are left (*skipped: the
 * person set up a new app meanwhile, or it was done before). A line that
 * does not parse stops it: IDP_ERR_BAD_REQUEST, why naming the line. */
enum idp_err idp_totp_keys_import(const struct idp_kek *kek,
    struct idp_dbconn *c, FILE *f, long long *sealed, long long *skipped,
    char *why, size_t whylen);

/* One line of that file: 1 a key, 0 a comment or an empty line, -1 not
 * a line the export writes. */
struct idp_totp_line {
	long long id, user_id;
	unsigned char key[64];
	size_t key_len;
	char digest[65];
};
int idp_totp_line_parse(const char *line, struct idp_totp_line *out);

#endif

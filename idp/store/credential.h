/* Credentials beside the person (sql/010_credentials.sql): every factor a
 * person signs in with is one row of `credentials`, of one kind, with the
 * secret material of that kind. The same few calls serve every kind: list
 * a person's factors, add one (confirmed at once, or pending until the
 * person proves it works), confirm it, record a use, remove it. The
 * password has its own calls on top (the hash string of a person, setting
 * and upgrading it), since every sign-in and idpctl needs them. */
#ifndef IDP_STORE_CREDENTIAL_H
#define IDP_STORE_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

enum idp_cred_kind {
	IDP_CRED_PASSWORD,
	IDP_CRED_TOTP,
	IDP_CRED_WEBAUTHN,
	IDP_CRED_RECOVERY_CODE,
	IDP_CRED_ANY,			/* for idp_store_cred_list */
};

/* "password", "totp", "webauthn", "recovery_code"; NULL for ANY. */
const char *idp_cred_kind_name(enum idp_cred_kind k);

struct idp_cred_bytes {
	unsigned char *data;		/* NULL when absent */
	size_t len;
};

struct idp_credential {
	long long id;
	long long user_id;
	enum idp_cred_kind kind;
	char *label;			/* NULL when none */
	int64_t created_at;
	int64_t confirmed_at;		/* 0 while enrolment is pending */
	int64_t last_used_at;		/* 0 when never used */
	/* kind == IDP_CRED_PASSWORD */
	char *password_hash;
	/* kind == IDP_CRED_TOTP: the RFC 6238 key, either sealed under the
	 * KEK named by totp_kek_id (opened into totp_secret by
	 * core/totpkey.h) or, from a node without a KEK, plain in
	 * totp_secret; the last time step accepted, -1 before the first */
	struct idp_cred_bytes totp_secret;
	struct idp_cred_bytes totp_sealed;
	char *totp_kek_id;
	int64_t totp_last_step;
	/* kind == IDP_CRED_WEBAUTHN */
	struct idp_cred_bytes webauthn_id;
	struct idp_cred_bytes webauthn_public_key;	/* COSE_Key */
	int64_t webauthn_sign_count;
	char *webauthn_transports;	/* space-separated, may be NULL */
	char *webauthn_aaguid;		/* UUID text, may be NULL */
	/* kind == IDP_CRED_RECOVERY_CODE: SHA-256 of the code */
	struct idp_cred_bytes recovery_digest;
	int64_t used_at;		/* 0 while unused */
};

/* A person's factors of one kind (or IDP_CRED_ANY), oldest first,
 * pending ones included (confirmed_at 0). */
enum idp_err idp_store_cred_list(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, enum idp_cred_kind kind, struct idp_credential **out,
    int *n);

/* Add the factor described by cr (kind, user_id, label and the material
 * of its kind; id and the times are ignored). confirmed: counts at once;
 * otherwise it waits for idp_store_cred_confirm. A second password is
 * IDP_ERR_CONFLICT (use idp_store_user_set_password), as is a passkey
 * whose credential id is registered already. */
enum idp_err idp_store_cred_add(struct idp_dbconn *c,
    const struct idp_credential *cr, bool confirmed, long long *id);

/* A pending factor of the person becomes one that counts.
 * IDP_ERR_NOT_FOUND when the person has no such pending factor. */
enum idp_err idp_store_cred_confirm(struct idp_dbconn *c, long long user_id,
    long long id);

/* Record a successful use, in one statement so that two requests cannot
 * both use the same thing: last_used_at becomes now. counter: for TOTP the
 * time step just accepted, which must be above the last one (a replayed
 * code is IDP_ERR_CONFLICT); for a passkey the authenticator's signature
 * counter, which must grow unless both are 0 (a regression, the sign of a
 * cloned authenticator, is IDP_ERR_CONFLICT); ignored for the other kinds.
 * A recovery code is used once: the second time is IDP_ERR_CONFLICT.
 * IDP_ERR_NOT_FOUND when the person has no such confirmed factor. */
enum idp_err idp_store_cred_mark_used(struct idp_dbconn *c,
    long long user_id, long long id, int64_t counter);

/* Remove a factor of the person (and, with kind given and id 0, every
 * factor of that kind: all recovery codes before new ones are made).
 * IDP_ERR_NOT_FOUND when nothing was removed. */
enum idp_err idp_store_cred_remove(struct idp_dbconn *c, long long user_id,
    enum idp_cred_kind kind, long long id);

/* TOTP keys stored plain, to be sealed (core/totpkey.c). */
struct idp_totp_plain {
	long long id;
	long long user_id;
	struct idp_cred_bytes secret;
};
/* Up to max plain TOTP keys with an id above after, by id. */
enum idp_err idp_store_totp_plain(struct idp_dbconn *c, struct idp_arena *a,
    long long after, int max, struct idp_totp_plain **out, int *n);
/* Replace the plain key of credential id by its sealed form, only if the
 * row still holds that plain key (a new enrolment meanwhile wins).
 * IDP_ERR_NOT_FOUND when it did not. */
enum idp_err idp_store_totp_seal(struct idp_dbconn *c, long long id,
    const struct idp_cred_bytes *plain, const unsigned char *sealed,
    size_t sealed_len, const char *kek_id);
/* The same for n rows in one statement: rows[i].secret is the plain key
 * the row held, sealed[i] its sealed form. *done counts the rows sealed. */
enum idp_err idp_store_totp_seal_many(struct idp_dbconn *c,
    struct idp_arena *a, const struct idp_totp_plain *rows,
    const struct idp_cred_bytes *sealed, int n, const char *kek_id,
    long long *done);

/* Every TOTP row as stored, to move the keys under another KEK (idpctl
 * keys export/import): plain or sealed (kek_id), and the hex SHA-256 of
 * the stored form. Up to max rows with an id above after, by id. */
struct idp_totp_row {
	long long id;
	long long user_id;
	struct idp_cred_bytes plain;
	struct idp_cred_bytes sealed;
	char *kek_id;
	char *digest;
};
enum idp_err idp_store_totp_export(struct idp_dbconn *c, struct idp_arena *a,
    long long after, int max, struct idp_totp_row **out, int *n);
/* Seal credential id (of user_id) under kek_id, only if its stored form
 * still has that digest and is not under kek_id already;
 * IDP_ERR_NOT_FOUND when it is not. */
enum idp_err idp_store_totp_reseal(struct idp_dbconn *c, long long id,
    long long user_id, const char *digest, const unsigned char *sealed,
    size_t sealed_len, const char *kek_id);

/* The password. */

/* The person's password hash string and its credential id;
 * IDP_ERR_NOT_FOUND when the person has no password. */
enum idp_err idp_store_password_get(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, char **hash, long long *cred_id);
/* Set (or replace) the password of the person with this username
 * (case-insensitive) to hash, a string idp_pwhash_format_ok accepts;
 * users.password_changed_at becomes now. IDP_ERR_NOT_FOUND when there is
 * no such user. */
enum idp_err idp_store_user_set_password(struct idp_dbconn *c,
    const char *username, const char *hash);
/* Upgrade the hash at a sign-in, only if it is still the one that was
 * checked (a password set meanwhile wins); marks the password used.
 * IDP_ERR_NOT_FOUND when it was not the same any more. */
enum idp_err idp_store_password_rehash(struct idp_dbconn *c,
    long long user_id, const char *old_hash, const char *new_hash);

#endif

/* Signing keys: metadata, and the private key sealed under the KEK
 * (crypto/keyseal.h); rows without one name a file in key_dir. */
#ifndef IDP_STORE_KEYS_H
#define IDP_STORE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct idp_key_meta {
	char *kid;
	char *alg;
	char *state;		/* "next", "active" or "retired" */
	bool active;
	int64_t created_at;
	int64_t activate_at;	/* when it began (or begins) to sign */
	int64_t retired_at;	/* 0 unless retired */
	int64_t publish_until;	/* 0 unless retired */
	unsigned char *sealed;	/* NULL: the key is key_dir/<kid>.pem */
	size_t sealed_len;
	char *kek_id;		/* NULL with sealed */
};

/* Keys to publish: next and active ones, retired ones within
 * publish_until. */
enum idp_err idp_store_keys_published(struct idp_dbconn *c,
    struct idp_arena *a, struct idp_key_meta **out, int *n);
enum idp_err idp_store_keys_all(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_key_meta **out, int *n);

/* A new key, sealed (sealed NULL: a file key). */
struct idp_key_new {
	const char *kid;
	const char *alg;
	const unsigned char *sealed;
	size_t sealed_len;
	const char *kek_id;
};

/* Make k the active key of its algorithm at once, retiring the previous
 * one, which stays published for publish_seconds. One transaction. */
enum idp_err idp_store_key_activate(struct idp_dbconn *c,
    const struct idp_key_new *k, int64_t publish_seconds);
/* Publish k now as the next key of its algorithm, to sign from
 * activate_in seconds on. *inserted is false when the algorithm already has
 * a next key (another node was first). */
enum idp_err idp_store_key_prepublish(struct idp_dbconn *c,
    const struct idp_key_new *k, int64_t activate_in, bool *inserted);
/* Every next key whose time has come becomes active; the key it replaces
 * is retired, published for publish_seconds more. The kids activated are
 * returned (NULL-terminated) for the audit. One transaction; rows another
 * node is promoting are skipped. */
enum idp_err idp_store_keys_promote(struct idp_dbconn *c, struct idp_arena *a,
    int64_t publish_seconds, char ***kids);
/* Retired keys past publish_until lose their sealed private key; the
 * kids are returned (NULL-terminated). */
enum idp_err idp_store_keys_expire(struct idp_dbconn *c, struct idp_arena *a,
    char ***kids);
/* Retire kid now (a next or active key), or shorten the publication of a
 * retired one: published for publish_seconds more (0: gone at once).
 * IDP_ERR_NOT_FOUND for an unknown kid. */
enum idp_err idp_store_key_retire(struct idp_dbconn *c, const char *kid,
    int64_t publish_seconds);
/* Seal a file key into its row (idpctl keys import). */
enum idp_err idp_store_key_set_sealed(struct idp_dbconn *c, const char *kid,
    const unsigned char *sealed, size_t n, const char *kek_id);

/* A shared secret sealed under the KEK (sealed_secrets): NOT_FOUND when
 * none is stored. put stores it unless one is there already, or in its
 * place with replace. */
enum idp_err idp_store_secret_get(struct idp_dbconn *c, struct idp_arena *a,
    const char *name, unsigned char **sealed, size_t *n, char **kek_id);
enum idp_err idp_store_secret_put(struct idp_dbconn *c, const char *name,
    const unsigned char *sealed, size_t n, const char *kek_id, bool replace);

#endif

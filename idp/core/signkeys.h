/* The provider's signing keys as the daemon and idpctl both handle them:
 * where the key-encryption key (KEK) comes from, opening a key row (sealed
 * in the database, or a file of key_dir from before), making new keys, and
 * the scheduled rotation every node runs (prepublish, activate, expire). */
#ifndef IDP_CORE_SIGNKEYS_H
#define IDP_CORE_SIGNKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "crypto/devcookie.h"
#include "crypto/key.h"
#include "crypto/keyseal.h"
#include "store/keys.h"

/* The systemd credential name (LoadCredential=idp-kek:/etc/idp/kek). */
#define IDP_KEK_CREDENTIAL "idp-kek"

/* Find and read the KEK: key_encryption_key_file, else the idp-kek
 * credential in $CREDENTIALS_DIRECTORY. *have is false when neither is
 * configured (keys stay files). path gets where it was read from. -1 with
 * why when a configured KEK cannot be read. */
int idp_kek_open(const struct idp_config *cfg, struct idp_kek *kek,
    bool *have, char *path, size_t pathlen, char *why, size_t whylen)
	__attribute__((warn_unused_result));

/* Open the key of row m: sealed under kek (may be NULL when there is
 * none), or the file key_dir/<kid>.pem. why names the key and, for a
 * sealed one, the KEK it needs. */
int idp_signkey_open(const struct idp_config *cfg, const struct idp_kek *kek,
    const struct idp_key_meta *m, struct idp_key **out, char *why,
    size_t whylen) __attribute__((warn_unused_result));

/* Seconds a replaced key stays published: the longest token lifetime, the
 * JWKS cache time, the reload interval of the nodes and a minute of skew. */
int64_t idp_signkey_publish_seconds(const struct idp_config *cfg);

/* A new key of alg sealed under kek, ready for the store: *key and
 * *sealed (malloc'd) are the caller's. */
int idp_signkey_new(const struct idp_config *cfg, const struct idp_kek *kek,
    enum idp_alg alg, struct idp_key **key, unsigned char **sealed,
    size_t *sealed_len) __attribute__((warn_unused_result));

/* The scheduled step, run by every node (it is safe to run anywhere at any
 * time): next keys whose time came become active, retired keys past their
 * publication lose their private key, and each algorithm of signing_algs
 * whose active key is due (or missing) gets a next key, published
 * key_prepublish seconds before it signs. New keys need kek (NULL: none are
 * made). Each change is audited with actor; *changed counts them. */
enum idp_err idp_signkeys_maintain(const struct idp_config *cfg,
    const struct idp_kek *kek, struct idp_dbconn *c, const char *actor,
    int *changed, char *why, size_t whylen);

/* The device-cookie key every node shares. With kek: sealed in the
 * database, made the first time (from key_dir/device-cookie.key when that
 * file exists, so cookies already given out stay good). Without: the file,
 * created when absent. why names the KEK a sealed key needs. */
int idp_device_key_obtain(const struct idp_config *cfg,
    const struct idp_kek *kek, struct idp_dbconn *c,
    unsigned char key[IDP_DEVICE_KEY_LEN], char *why, size_t whylen)
	__attribute__((warn_unused_result));
/* idpctl keys import: seal dir/device-cookie.key under kek unless the
 * stored one already is (in place of one sealed under another KEK); with
 * neither a file nor a row, make one. */
int idp_device_key_import(const struct idp_config *cfg,
    const struct idp_kek *kek, struct idp_dbconn *c, const char *dir,
    char *why, size_t whylen) __attribute__((warn_unused_result));

#endif

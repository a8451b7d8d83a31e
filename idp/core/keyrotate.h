/* Adding signing keys by hand, as idpctl keys generate|rotate|retire and
 * the console's Keys page do it: one function makes the key (sealed under
 * the key-encryption key, or a file of key_dir without one), records it
 * and audits it with the operator's identity, so the console and idpctl
 * cannot drift apart. The scheduled rotation is core/signkeys.h. */
#ifndef IDP_CORE_KEYROTATE_H
#define IDP_CORE_KEYROTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "core/helpdesk.h"
#include "crypto/key.h"
#include "crypto/keyseal.h"
#include "store/db.h"
#include "util/arena.h"

struct idp_key_made {
	const char *kid;	/* in the caller's arena */
	const char *alg;
	bool now;		/* signs at once; else the next key */
	const char *kept;	/* "database", or the file's path */
};

/* One new key of alg: active at once (now, the active key of alg then
 * retires and stays published), or published as the next key, signing
 * after key_prepublish. Audited as key.activated or key.prepublished with
 * op's identity (kid, alg, where it is kept, the KEK's id). kek NULL:
 * the key is the file key_dir/<kid>.pem (removed again if it cannot be
 * recorded). IDP_ERR_CONFLICT when alg already has a next key; why says
 * what failed. The key is recorded in a transaction of its own (the
 * store's), then audited: outside a transaction of the caller. */
enum idp_err idp_signkey_add(const struct idp_config *cfg,
    const struct idp_kek *kek, struct idp_dbconn *c, struct idp_arena *a,
    enum idp_alg alg, bool now, const struct idp_operator *op,
    struct idp_key_made *out, char *why, size_t whylen);

/* idpctl keys rotate, the console's rotate button: a new key for every
 * algorithm that has an active key (or for only, unless IDP_ALG_NONE),
 * each through idp_signkey_add. made has room for IDP_ALG_COUNT; *n
 * counts the keys made, those before an error too (they stay). */
enum idp_err idp_signkeys_rotate(const struct idp_config *cfg,
    const struct idp_kek *kek, struct idp_dbconn *c, struct idp_arena *a,
    enum idp_alg only, bool now, const struct idp_operator *op,
    struct idp_key_made *made, int *n, char *why, size_t whylen);

#endif

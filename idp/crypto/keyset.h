/* The provider's signing keys as one immutable set: the active key per
 * algorithm, retired keys still published, and the JWKS document
 * serialised once. core/published.c swaps whole sets on rotation. */
#ifndef IDP_CRYPTO_KEYSET_H
#define IDP_CRYPTO_KEYSET_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto/key.h"

struct idp_keyset;

struct idp_keyset *idp_keyset_new(void);
/* Takes ownership of k. At most one active key per algorithm. */
int idp_keyset_add(struct idp_keyset *ks, struct idp_key *k, bool active)
	__attribute__((warn_unused_result));
/* Serialise the JWKS; call once after the last add. */
int idp_keyset_seal(struct idp_keyset *ks) __attribute__((warn_unused_result));

const struct idp_key *idp_keyset_active(const struct idp_keyset *ks,
    enum idp_alg alg);
const struct idp_key *idp_keyset_find(const struct idp_keyset *ks,
    const char *kid);
const char *idp_keyset_jwks(const struct idp_keyset *ks, size_t *len);
/* Algorithms with an active key, as a space-separated list. */
bool idp_keyset_has_alg(const struct idp_keyset *ks, enum idp_alg alg);
size_t idp_keyset_count(const struct idp_keyset *ks);
/* A hash of the kids and states: changes when the set changes. */
unsigned long idp_keyset_fingerprint(const struct idp_keyset *ks);

void idp_keyset_free(struct idp_keyset *ks);	/* accepts NULL */

#endif

/* What the provider publishes: its key set, the JWKS and the discovery
 * document, serialised once per key set and swapped as one when keys
 * rotate. Requests take a reference for their whole life, so a swap never
 * pulls a key or a body out from under them. */
#ifndef IDP_CORE_PUBLISHED_H
#define IDP_CORE_PUBLISHED_H

#include <stddef.h>

#include "config.h"
#include "crypto/keyseal.h"
#include "crypto/keyset.h"
#include "store/db.h"
#include "util/arena.h"

struct idp_published {
	struct idp_keyset *keys;
	char *discovery;
	size_t discovery_len;
};

struct idp_pubring;

struct idp_pubring *idp_pubring_new(void);
void idp_pubring_free(struct idp_pubring *r);

/* Read the keys from the database (sealed ones opened with kek, which may
 * be NULL, older ones from their files), build the documents; discovery
 * advertises the endpoints in served_paths (NULL-terminated). why names
 * the key that could not be opened, or says that no RS256 key is active. */
enum idp_err idp_published_load(const struct idp_config *cfg,
    const struct idp_kek *kek, const char *const *served_paths, struct idp_dbconn *c,
    struct idp_published **out, char *why, size_t whylen);
void idp_published_free(struct idp_published *p);

/* Install p if its keys differ from the current ones (returns 1), else
 * free it (returns 0). */
int idp_pubring_offer(struct idp_pubring *r, struct idp_published *p);

/* The current documents, held until the arena is destroyed. */
const struct idp_published *idp_pubring_get(struct idp_pubring *r,
    struct idp_arena *a);

#endif

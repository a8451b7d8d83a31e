/* Subject identifiers (OIDC Core §8): public (the person's sub, a UUID,
 * the same for every client) or pairwise (§8.1: one per sector, so that
 * services of different sectors cannot join their records of a person).
 *
 *   sub = BASE64URL(SHA-256(sector_identifier || local_account_id || salt))
 *
 * sector_identifier: the host of the client's sector_identifier_uri, or
 * else of its redirect URIs (one host only); local_account_id: the
 * person's public sub; salt: 32 secret random bytes kept in PostgreSQL
 * (pairwise_salt), the same for every instance. A pairwise sub is 43
 * characters, never a UUID: it cannot equal a public sub.
 *
 * Which clients are pairwise, and the sector identifier document
 * (§8.1.1: a JSON array of URIs that must contain every redirect URI of
 * the client), are checked here too. Pure: no I/O. */
#ifndef IDP_OIDC_SUBJECT_H
#define IDP_OIDC_SUBJECT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/arena.h"
#include "util/err.h"

#define IDP_PAIRWISE_SALT_LEN 32
#define IDP_SECTOR_DOC_MAX (64 * 1024)	/* bytes the provider reads */
#define IDP_SECTOR_URIS_MAX 256

/* The pairwise sub (above), in the arena. */
char *idp_pairwise_sub(struct idp_arena *a, const char *sector,
    const char *local_id, const unsigned char *salt, size_t saltlen);

/* Flag of idp_subject_metadata_check: a self-registration (oidc/client.h
 * IDP_META_DYNAMIC), which is pairwise unless it asks otherwise. */
#define IDP_SUBJECT_DYNAMIC 1u

/* subject_type and sector_identifier_uri of registration metadata in,
 * validated into out (whose redirect_uris are validated already):
 * subject_type "public" or "pairwise", filled in when absent (pairwise for
 * a self-registration whose sector is known, public otherwise);
 * sector_identifier_uri an https URI the provider may call
 * (oidc/outbound.h); a pairwise client without one must have redirect URIs
 * on one host (§8.1), so a client without redirect URIs (a service calling
 * APIs) or a native app with a private-use scheme is public unless it
 * registers a sector_identifier_uri. IDP_ERR_INVALID_CLIENT_METADATA with
 * *why. */
enum idp_err idp_subject_metadata_check(struct idp_arena *a, json_t *in,
    json_t *out, unsigned flags, bool allow_loopback, const char **why);

/* The sector identifier of validated metadata: NULL for a public client,
 * else the lower-cased host (in the arena). */
char *idp_subject_sector(struct idp_arena *a, json_t *metadata);

/* The sector identifier document body (len bytes) lists every one of
 * redirect_uris (a JSON array of strings), compared exactly.
 * IDP_ERR_INVALID_CLIENT_METADATA with *why otherwise. */
enum idp_err idp_sector_doc_check(struct idp_arena *a, const char *body,
    size_t len, json_t *redirect_uris, const char **why);

#endif

/* Pushed authorization requests (RFC 9126), kept by the SHA-256 of the
 * random reference in their request_uri. */
#ifndef IDP_STORE_PAR_H
#define IDP_STORE_PAR_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/digest.h"
#include "store/db.h"
#include "util/arena.h"

/* params: a JSON object of the request's parameters (name to text). */
enum idp_err idp_store_par_insert(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id,
    const char *params, bool signed_object, int64_t ttl);

/* Use a pushed request once: IDP_ERR_NOT_FOUND when it is unknown,
 * expired, used, or another client's (RFC 9126 §4: bound to the client
 * that pushed it). *params in the arena. */
enum idp_err idp_store_par_consume(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], const char *client_id,
    char **params, bool *signed_object);

#endif

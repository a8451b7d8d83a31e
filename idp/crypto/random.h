/* Randomness for everything the provider generates: codes, tokens, session
 * ids, client secrets (256 bits, base64url: 43 characters). */
#ifndef IDP_CRYPTO_RANDOM_H
#define IDP_CRYPTO_RANDOM_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#define IDP_TOKEN_BYTES 32
#define IDP_TOKEN_CHARS 43

int idp_random_bytes(void *out, size_t n) __attribute__((warn_unused_result));
/* A new random token in the arena; aborts if the CSPRNG fails, since no
 * secret can be issued safely then. */
char *idp_random_token(struct idp_arena *a);
/* Writes IDP_TOKEN_CHARS + 1 bytes. */
void idp_random_token_to(char out[IDP_TOKEN_CHARS + 1]);
/* Whether s has the shape of a token made above: IDP_TOKEN_CHARS
 * characters of the base64url alphabet. */
bool idp_token_syntax_ok(const char *s);
/* A random version-4 UUID string (37 bytes with NUL). */
void idp_random_uuid(char out[37]);

#endif

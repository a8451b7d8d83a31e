/* base64url without padding (RFC 4648 §5, as JOSE and PKCE use it). */
#ifndef IDP_CRYPTO_B64URL_H
#define IDP_CRYPTO_B64URL_H

#include <stddef.h>

#include "util/arena.h"

#define IDP_B64URL_LEN(n) (((n) * 4 + 2) / 3)

/* out must hold IDP_B64URL_LEN(n) + 1 bytes; returns the length written. */
size_t idp_b64url_encode_to(char *out, const void *in, size_t n);
char *idp_b64url_encode(struct idp_arena *a, const void *in, size_t n);

/* Strict: rejects padding, whitespace, characters outside the alphabet and
 * a length that is 1 mod 4. Returns NULL on error; *outlen set on success.
 * The result is NUL-terminated for convenience. */
unsigned char *idp_b64url_decode(struct idp_arena *a, const char *in,
    size_t n, size_t *outlen);

/* Standard base64 with padding (RFC 4648 §4): MIME bodies and encoded
 * words. */
char *idp_b64_encode(struct idp_arena *a, const void *in, size_t n);

/* Standard base64 with padding (RFC 4648 §4), for HTTP Basic credentials.
 * Strict like idp_b64url_decode. */
unsigned char *idp_b64_decode(struct idp_arena *a, const char *in, size_t n,
    size_t *outlen);

/* Standard base64 without padding, as PHC hash strings write salts and
 * hashes. The encoder's out must hold IDP_B64URL_LEN(n) + 1 bytes; the
 * decoder is strict like idp_b64url_decode. */
size_t idp_b64_nopad_encode_to(char *out, const void *in, size_t n);
unsigned char *idp_b64_nopad_decode(struct idp_arena *a, const char *in,
    size_t n, size_t *outlen);

#endif

/* Device cookies (OWASP, "Slow down online guessing attacks with device
 * cookies"): after a successful sign-in the browser gets a signed token
 * naming the account, with a lifetime; a browser that shows one for the
 * account it signs in to is not slowed by guessing against that account
 * from elsewhere (core/throttle.c). One cookie holds the tokens of up to
 * IDP_DEVICE_MAX accounts (a shared village computer), newest first,
 * joined by '.'. A token is base64url of
 *   version 1 (1 byte) | user id (8) | expiry, Unix time (8) |
 *   nonce (12) | HMAC-SHA256 of the above with the device key, cut to 16.
 * The nonce names the browser for its own failure count. The key is a
 * file in key_dir shared by every instance. */
#ifndef IDP_CRYPTO_DEVCOOKIE_H
#define IDP_CRYPTO_DEVCOOKIE_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

#define IDP_DEVICE_KEY_LEN 32
#define IDP_DEVICE_NONCE_LEN 12
#define IDP_DEVICE_TOKEN_CHARS 60
#define IDP_DEVICE_MAX 4
#define IDP_DEVICE_KEY_FILE "device-cookie.key"

struct idp_device_token {
	long long user_id;
	int64_t expires;
	unsigned char nonce[IDP_DEVICE_NONCE_LEN];
};

/* The signed token t as text. */
void idp_device_token_make(const unsigned char key[IDP_DEVICE_KEY_LEN],
    const struct idp_device_token *t, char out[IDP_DEVICE_TOKEN_CHARS + 1]);

/* The genuine, unexpired tokens of a cookie value, at most
 * IDP_DEVICE_MAX, in their order; forged, expired or malformed tokens are
 * skipped, and a value that is too long or not made of tokens gives 0. */
int idp_device_cookie_parse(const unsigned char key[IDP_DEVICE_KEY_LEN],
    const char *value, int64_t now, struct idp_device_token *out);

/* The cookie value that keeps t first and then those of others[0..n)
 * that name other accounts, IDP_DEVICE_MAX in all. */
char *idp_device_cookie_value(struct idp_arena *a,
    const unsigned char key[IDP_DEVICE_KEY_LEN],
    const struct idp_device_token *t, const struct idp_device_token *others,
    int n);

/* Read key_dir/device-cookie.key (32 random bytes, mode 0600), creating it
 * when absent (create: false only reads). 0, or -1 with a reason. */
int idp_device_key_load(const char *key_dir, int create,
    unsigned char key[IDP_DEVICE_KEY_LEN], char *err, size_t errlen);

#endif

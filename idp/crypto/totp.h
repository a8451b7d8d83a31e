/* One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) as authenticator
 * apps compute them (Google Authenticator, Microsoft Authenticator,
 * FreeOTP, Aegis: SHA-1, 6 digits, 30-second steps), the base32 secret
 * they are given (RFC 4648 §6), and the strict parsing of what a person
 * types: a code, or a recovery code. */
#ifndef IDP_CRYPTO_TOTP_H
#define IDP_CRYPTO_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

#define IDP_TOTP_KEY_LEN 20		/* 160 bits, RFC 4226 §4 R6 */
#define IDP_TOTP_PERIOD 30
#define IDP_TOTP_DIGITS 6
#define IDP_TOTP_WINDOW 1		/* steps of clock skew either side */

enum idp_otp_hash { IDP_OTP_SHA1, IDP_OTP_SHA256, IDP_OTP_SHA512 };

/* RFC 4226 §5.3 (with RFC 6238's other hashes): the code for counter, of
 * digits (6 to 8) digits. -1 when the key is empty or HMAC fails. */
int idp_hotp(enum idp_otp_hash h, const unsigned char *key, size_t keylen,
    uint64_t counter, int digits, uint32_t *code)
	__attribute__((warn_unused_result));

/* RFC 6238 §4.2: the time step of unix time t (T0 = 0, X = 30). */
int64_t idp_totp_step(int64_t t);

/* The step within IDP_TOTP_WINDOW of now's whose code is code and which
 * is after last_step (-1: none yet), or -1. Every step of the window is
 * computed and compared whatever the outcome, so the time taken does not
 * tell which matched. */
int64_t idp_totp_match(const unsigned char *key, size_t keylen, int64_t now,
    uint32_t code, int64_t last_step);

/* What a person typed as a code: exactly IDP_TOTP_DIGITS ASCII digits,
 * with spaces between them allowed (apps show "123 456"). 0 and the code,
 * or -1 for anything else (letters, too few or too many digits, more than
 * 32 characters). */
int idp_totp_parse(const char *s, uint32_t *code)
	__attribute__((warn_unused_result));

/* RFC 4648 §6 base32, upper case, without padding (what otpauth:// URIs
 * carry), in the arena. */
char *idp_base32_encode(struct idp_arena *a, const void *in, size_t n);

/* Recovery codes: 10 characters of a 32-letter alphabet without 0/o,
 * 1/l/i, shown as "xxxxx-xxxxx". */
#define IDP_RECOVERY_CHARS 10
#define IDP_RECOVERY_SHOWN (IDP_RECOVERY_CHARS + 2)
/* A new random code as shown (IDP_RECOVERY_SHOWN bytes with the NUL). */
void idp_recovery_new(char out[IDP_RECOVERY_SHOWN]);
/* What a person typed, normalised to the 10 characters that are hashed:
 * case, spaces and dashes do not matter; -1 for anything else. */
int idp_recovery_parse(const char *s, char out[IDP_RECOVERY_CHARS + 1])
	__attribute__((warn_unused_result));

#endif

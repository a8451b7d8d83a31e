/* The device authorization grant (RFC 8628) as pure rules: the user code
 * a person types on a phone (§6.1), and what the token endpoint answers a
 * device that polls (§3.5). No I/O.
 *
 * User codes are 8 letters of the base-20 alphabet of §6.1, consonants
 * only (no vowels, so no words; no digits, so no 0/O or 1/I/l), shown as
 * XXXX-XXXX: 20^8 (about 2^34.6) codes, each alive for device_code_ttl
 * seconds, with guessing throttled (docs/security.md). What a person types
 * is normalised before it is compared: ASCII letters are uppercased and
 * every character outside the alphabet (dashes, spaces, dots, anything a
 * phone keyboard adds) is dropped, so "wdjb mjht", "WDJB-MJHT" and
 * "wdjbmjht" are one code. */
#ifndef IDP_OIDC_DEVICE_H
#define IDP_OIDC_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

#define IDP_USER_CODE_ALPHABET "BCDFGHJKLMNPQRSTVWXZ"
#define IDP_USER_CODE_LEN 8
/* The most a person may type into the field (spaces and dashes
 * included); longer input is refused without being read. */
#define IDP_USER_CODE_INPUT_MAX 64

#define IDP_GRANT_TYPE_DEVICE_CODE \
	"urn:ietf:params:oauth:grant-type:device_code"

/* The normalised code: IDP_USER_CODE_LEN letters and a NUL. */
struct idp_user_code {
	char c[IDP_USER_CODE_LEN + 1];
};

/* A new code from random bytes, by rejection sampling so that every
 * letter is equally likely: a byte is used only when below 240 (12 * 20).
 * Returns 0, or -1 when the bytes ran out first (ask for more). */
int idp_user_code_from_bytes(const unsigned char *rnd, size_t n,
    struct idp_user_code *out);

enum idp_user_code_input {
	IDP_USER_CODE_OK,
	IDP_USER_CODE_EMPTY,		/* nothing of the alphabet typed */
	IDP_USER_CODE_MALFORMED,	/* too many or too few letters */
};

/* What a person typed, normalised as above. NULL is EMPTY. */
enum idp_user_code_input idp_user_code_parse(const char *typed,
    struct idp_user_code *out);

/* XXXX-XXXX, for the device's screen and the page (10 bytes). */
void idp_user_code_format(const struct idp_user_code *code, char out[10]);

/* The device authorization response (§3.2), a new reference: the codes,
 * verification_uri (the issuer's /device) and verification_uri_complete
 * (the same with the user code, for a QR code or a link), expires_in and
 * interval. */
json_t *idp_device_response(const char *issuer, const char *device_code,
    const struct idp_user_code *code, long long expires_in, int interval);

/* A device authorization as the store keeps it (sql/055). */
enum idp_device_status {
	IDP_DEVICE_PENDING,
	IDP_DEVICE_APPROVED,
	IDP_DEVICE_DENIED,
	IDP_DEVICE_USED,
};

/* "pending", "approved", "denied", "used"; -1 for anything else. */
int idp_device_status_parse(const char *s);

/* The state of one poll, as the store recorded it: the status before the
 * poll, whether the codes had expired, whether the poll came sooner than
 * the interval after the previous one. */
struct idp_device_poll {
	enum idp_device_status status;
	bool expired;
	bool too_fast;
};

enum idp_device_answer {
	IDP_DEVICE_ISSUE,		/* approved: the tokens (§3.5) */
	IDP_DEVICE_REUSED,		/* tokens were issued before */
	IDP_DEVICE_ANSWER_ERROR,	/* the error of *err */
};

/* §3.5: what the token endpoint answers. A used code is a replay whatever
 * its age; then expired_token; then access_denied; then the tokens, or
 * slow_down for a poll sooner than the interval (the store has already
 * added 5 s to it), or authorization_pending. */
enum idp_device_answer idp_device_answer(const struct idp_device_poll *p,
    enum idp_err *err, const char **why);

#endif

/* String helpers: strict number parsing, UTF-8 checks, form decoding and
 * space-separated lists (OAuth scope, response_type, prompt). */
#ifndef IDP_UTIL_STR_H
#define IDP_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

/* Whole string must be a decimal integer within [min, max]. */
int idp_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
int idp_parse_bool(const char *s, bool *out);

/* Well-formed UTF-8 of exactly n bytes, no NUL and no overlongs. */
bool idp_utf8_valid(const char *s, size_t n);

/* Decode application/x-www-form-urlencoded text (+ is space). Returns NULL
 * on a bad %-escape or when the result contains NUL. */
char *idp_form_decode(struct idp_arena *a, const char *s, size_t n,
    size_t *outlen);
/* The same for other %-encoded text; '+' is a space only when plus_space
 * (forms), not in a URI path. */
char *idp_pct_decode(struct idp_arena *a, const char *s, size_t n,
    bool plus_space, size_t *outlen);

/* Split on single spaces (RFC 6749 scope syntax). Empty items are an error
 * (returns -1); *out is NULL-terminated. */
int idp_split_spaces(struct idp_arena *a, const char *s, char ***out,
    size_t *count);
bool idp_list_has(char *const *list, const char *item);
bool idp_space_list_has(const char *list, const char *item);

/* A path on this origin a browser may be sent to (the next= of a local
 * sign-in): one leading '/', never "//host" or a scheme, and only
 * printable ASCII without a backslash (browsers read "/\host" as "//host" and
 * drop tabs and newlines). At most 512 bytes. */
bool idp_local_path_ok(const char *s);

/* An address the provider writes into configuration, headers and the
 * envelope: local@domain.tld, printable ASCII without anything that needs
 * quoting anywhere (no spaces, <>"'(),;:\[]), at most 254 bytes. */
bool idp_email_addr_ok(const char *s);

/* A time an operator types: "2026-12-01" (midnight UTC),
 * "2026-12-01T08:30", "2026-12-01T08:30:00" with "Z" or "+08:00" (UTC
 * without either), or a " " for the "T". Seconds since the epoch in *out;
 * -1 for anything else, an impossible date included. */
int idp_parse_time(const char *s, int64_t *out);

bool idp_str_eq(const char *a, const char *b);	/* NULL-safe, not for secrets */
bool idp_has_prefix(const char *s, const char *prefix);
/* The value of one hex digit (either case), or -1. */
int idp_hexval(int c);

#endif

/* Unicode normalisation of passwords (NIST SP 800-63B §5.1.1.2: NFKC
 * before hashing, so the same password typed on another keyboard or
 * pasted from another program is the same password). libunistring. */
#ifndef IDP_UTIL_NFKC_H
#define IDP_UTIL_NFKC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

/* NFKC expands a code point to at most 18 (U+FDFA). */
#define IDP_NFKC_MAX 4096

/* NFKC of n bytes of UTF-8 into out (cap bytes, NUL-terminated). Returns
 * the length, or -1 when in is not UTF-8 or the result needs more than
 * cap - 1 bytes. Nothing of the text is left in memory it allocated. */
long idp_nfkc(const char *in, size_t n, char *out, size_t cap);

/* NFKC and full case folding (for comparisons: dictionaries, names), in
 * the arena; NULL when s is not UTF-8. */
char *idp_nfkc_fold(struct idp_arena *a, const char *s, size_t n,
    size_t *outlen);

/* Code points in n bytes of valid UTF-8. */
size_t idp_utf8_count(const char *s, size_t n);

#endif

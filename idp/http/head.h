/* A check of the first bytes of a request head (RFC 9112 §2-§5), as far
 * as they have arrived: lets the daemon answer garbage (NUL bytes, bare CR
 * line ends, control bytes, a request line that is not one) with 400 at
 * once instead of waiting for a line end that never comes. */
#ifndef IDP_HTTP_HEAD_H
#define IDP_HTTP_HEAD_H

#include <stdbool.h>
#include <stddef.h>

/* False when buf[0..n) cannot be the start of a well-formed request head:
 * a byte outside the grammar (NUL and other controls included), a CR not
 * followed by LF, a malformed request line or field name. True when it is
 * well-formed as far as it goes; bytes after the end of the head (a body,
 * a pipelined request) are not looked at. */
bool idp_head_plausible(const char *buf, size_t n);

#endif

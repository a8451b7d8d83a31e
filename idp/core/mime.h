/* Mail messages as the provider sends them (RFC 5322, MIME RFC 2045-2047):
 * multipart/alternative with a plain-text and a simple HTML part, both
 * UTF-8 in base64, an RFC 5322 Date in the provider's time zone, a
 * Message-ID, encoded words for non-ASCII subjects and names, and
 * Auto-Submitted (RFC 3834) so that vacation replies stay away. Pure. */
#ifndef IDP_CORE_MIME_H
#define IDP_CORE_MIME_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"

struct idp_mail {
	const char *from_name;		/* the provider's name */
	const char *from_addr;
	const char *to_name;		/* may be NULL */
	const char *to_addr;
	const char *subject;		/* UTF-8 */
	const char *text;		/* UTF-8, \n line ends */
	const char *html;		/* UTF-8 */
	const char *lang;		/* Content-Language: id or en */
	int64_t date;
	const char *message_id;		/* local@domain, without <> */
	const char *boundary;		/* [A-Za-z0-9_.=-]{1,60} */
};

/* The whole message with CRLF line ends; NULL when a field would break the
 * message (a line break or control character in a header, an address that
 * is not one, text that is not UTF-8). */
char *idp_mime_build(struct idp_arena *a, const struct idp_mail *m);

/* Header text: as it is when it is printable ASCII, else RFC 2047 encoded
 * words (UTF-8, B) of at most 75 characters, split between characters and
 * folded. NULL when s has a control character or is not UTF-8. */
char *idp_mime_words(struct idp_arena *a, const char *s);

/* "Fri, 14 Mar 2025 08:05:00 +0800" (RFC 5322 §3.3), in the process's
 * time zone; out holds 40 bytes. */
void idp_mime_date(char out[40], int64_t t);

/* An address the provider writes in a header: local@domain of printable
 * ASCII without specials. */
bool idp_mime_addr_ok(const char *s);

#endif

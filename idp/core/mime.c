#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/mime.h"
#include "crypto/b64url.h"
#include "util/buf.h"
#include "util/str.h"

#define MAIL_MAX (512 * 1024)
#define WORD_RAW 45		/* bytes in one encoded word: 60 base64 */

bool
idp_mime_addr_ok(const char *s)
{
	return idp_email_addr_ok(s);
}

static bool
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool
printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static char *
encode_words(struct idp_arena *a, const char *s)
{
	size_t n = strlen(s), i = 0;
	struct idp_buf b;

	idp_buf_init(&b, a, 8 * n + 64);
	while (i < n) {
		size_t k = n - i < WORD_RAW ? n - i : WORD_RAW;

		/* Never split a character: back up to its first byte. */
		while (i + k < n && k > 0 &&
		    ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		if (i > 0)
			idp_buf_adds(&b, "\r\n ");
		idp_buf_adds(&b, "=?UTF-8?B?");
		idp_buf_adds(&b, idp_b64_encode(a, s + i, k));
		idp_buf_adds(&b, "?=");
		i += k;
	}
	return b.overflow ? NULL : b.data;
}

char *
idp_mime_words(struct idp_arena *a, const char *s)
{
	size_t n = strlen(s);

	if (has_control(s) || !idp_utf8_valid(s, n))
		return NULL;
	/* "=?" in plain text would read as the start of a word. */
	if (printable_ascii(s) && strstr(s, "=?") == NULL && n <= 900)
		return idp_arena_strdup(a, s);
	return encode_words(a, s);
}

void
idp_mime_date(char out[40], int64_t t)
{
	static const char days[][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char months[][4] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;
	int off;

	localtime_r(&tt, &tm);
	off = (int)(tm.tm_gmtoff / 60) % 1440;
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
	    days[tm.tm_wday % 7], tm.tm_mday % 32, months[tm.tm_mon % 12],
	    (tm.tm_year + 1900) % 10000, tm.tm_hour % 24, tm.tm_min % 60,
	    tm.tm_sec % 61, off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60,
	    (off < 0 ? -off : off) % 60);
}

/* Name <addr>: the name as atoms, a quoted string or encoded words. */
static bool
add_address(struct idp_buf *b, struct idp_arena *a, const char *name,
    const char *addr)
{
	if (!idp_mime_addr_ok(addr))
		return false;
	if (name != NULL && *name != '\0') {
		if (printable_ascii(name) && strpbrk(name, "\"\\") == NULL &&
		    strstr(name, "=?") == NULL) {
			idp_buf_addf(b, "\"%s\" ", name);
		} else {
			char *w;

			if (has_control(name) ||
			    !idp_utf8_valid(name, strlen(name)) ||
			    (w = encode_words(a, name)) == NULL)
				return false;
			idp_buf_adds(b, w);
			idp_buf_addc(b, ' ');
		}
	}
	idp_buf_addf(b, "<%s>", addr);
	return true;
}

/* A text part: \n becomes CRLF, then base64 in lines of 76. */
static void
add_part(struct idp_buf *b, struct idp_arena *a, const char *type,
    const char *body)
{
	struct idp_buf crlf;
	char *enc;
	size_t n;

	idp_buf_init(&crlf, a, 2 * strlen(body) + 3);
	for (const char *p = body; *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			idp_buf_addc(&crlf, '\r');
		idp_buf_addc(&crlf, *p);
	}
	enc = idp_b64_encode(a, crlf.data, crlf.len);
	idp_buf_addf(b, "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", type);
	for (n = strlen(enc); n > 0; ) {
		size_t k = n < 76 ? n : 76;

		idp_buf_add(b, enc, k);
		idp_buf_adds(b, "\r\n");
		enc += k;
		n -= k;
	}
}

static bool
token_ok(const char *s, const char *extra, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return false;
	return true;
}

char *
idp_mime_build(struct idp_arena *a, const struct idp_mail *m)
{
	struct idp_buf b;
	char date[40], *subject;

	if (m->text == NULL || m->html == NULL || m->subject == NULL ||
	    !idp_utf8_valid(m->text, strlen(m->text)) ||
	    !idp_utf8_valid(m->html, strlen(m->html)) ||
	    !token_ok(m->boundary, "_.=-", 60) ||
	    !token_ok(m->message_id, "_.=-@", 200) ||
	    !token_ok(m->lang, "-", 16) ||
	    (subject = idp_mime_words(a, m->subject)) == NULL)
		return NULL;
	idp_buf_init(&b, a, MAIL_MAX);
	idp_mime_date(date, m->date);
	idp_buf_addf(&b, "Date: %s\r\nFrom: ", date);
	if (!add_address(&b, a, m->from_name, m->from_addr))
		return NULL;
	idp_buf_adds(&b, "\r\nTo: ");
	if (!add_address(&b, a, m->to_name, m->to_addr))
		return NULL;
	idp_buf_addf(&b, "\r\nSubject: %s\r\nMessage-ID: <%s>\r\n"
	    "MIME-Version: 1.0\r\nContent-Language: %s\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
	    "--%s\r\n", subject, m->message_id, m->lang, m->boundary,
	    m->boundary);
	add_part(&b, a, "text/plain", m->text);
	idp_buf_addf(&b, "--%s\r\n", m->boundary);
	add_part(&b, a, "text/html", m->html);
	idp_buf_addf(&b, "--%s--\r\n", m->boundary);
	return b.overflow ? NULL : b.data;
}

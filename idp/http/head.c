#include <string.h>

#include "http/head.h"

/* Where the scan is: in the request line (method, target, version), at
 * the start of a field line, in a field name or value, or after a CR. */
enum head_state {
	H_LEAD,			/* empty lines before the request line */
	H_METHOD,
	H_TARGET,
	H_VERSION,
	H_LINE_START,
	H_NAME,
	H_VALUE,
	H_CR,			/* a CR that must be followed by LF */
	H_DONE,			/* the empty line was seen */
	H_BAD,
};

/* RFC 9110 §5.6.2 tchar. */
static bool
tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Field value bytes: VCHAR, obs-text, SP, HTAB. */
static bool
value_char(unsigned char c)
{
	return c == ' ' || c == '\t' || (c >= 0x21 && c != 0x7f);
}

/* "HTTP/" DIGIT "." DIGIT, checked one byte at a time. */
static bool
version_char(size_t at, unsigned char c)
{
	static const char tmpl[] = "HTTP/0.0";

	if (at >= sizeof(tmpl) - 1)
		return false;
	if (tmpl[at] == '0')
		return c >= '0' && c <= '9';
	return c == (unsigned char)tmpl[at];
}

/* A line ends (LF, or CRLF) in state st. */
static enum head_state
line_end(enum head_state st, size_t tok)
{
	switch (st) {
	case H_LEAD:
		return H_LEAD;
	case H_VERSION:
		return tok == 8 ? H_LINE_START : H_BAD;
	case H_LINE_START:
		return H_DONE;		/* the empty line: the head ends */
	case H_VALUE:
		return H_LINE_START;
	default:
		return H_BAD;
	}
}

/* One byte other than CR and LF in state st; *tok counts the bytes of
 * the current token. */
static enum head_state
step(enum head_state st, size_t *tok, unsigned char c)
{
	switch (st) {
	case H_LEAD:
	case H_METHOD:
		if (c == ' ' && st == H_METHOD && *tok > 0) {
			*tok = 0;
			return H_TARGET;
		}
		if (!tchar(c))
			return H_BAD;
		(*tok)++;
		return H_METHOD;
	case H_TARGET:
		if (c == ' ' && *tok > 0) {
			*tok = 0;
			return H_VERSION;
		}
		if (c <= 0x20 || c == 0x7f)
			return H_BAD;
		(*tok)++;
		return H_TARGET;
	case H_VERSION:
		if (!version_char(*tok, c))
			return H_BAD;
		(*tok)++;
		return H_VERSION;
	case H_LINE_START:
		if (c == ' ' || c == '\t')	/* obs-fold */
			return H_VALUE;
		return tchar(c) ? H_NAME : H_BAD;
	case H_NAME:
		if (c == ':')
			return H_VALUE;
		return tchar(c) ? H_NAME : H_BAD;
	case H_VALUE:
		return value_char(c) ? H_VALUE : H_BAD;
	default:
		return H_BAD;
	}
}

bool
idp_head_plausible(const char *buf, size_t n)
{
	enum head_state st = H_LEAD, after_cr = H_LEAD;
	size_t tok = 0;		/* bytes in the current token */

	for (size_t i = 0; i < n && st != H_DONE; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (st == H_CR) {
			st = c == '\n' ? line_end(after_cr, tok) : H_BAD;
		} else if (c == '\r') {
			after_cr = st;
			st = H_CR;
		} else if (c == '\n') {
			st = line_end(st, tok);
		} else {
			st = step(st, &tok, c);
		}
		if (st == H_BAD)
			return false;
	}
	return true;
}

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

bool
idp_head_plausible(const char *buf, size_t n)
{
	enum head_state st = H_LEAD, after_cr = H_LEAD;
	size_t tok = 0;		/* bytes in the current token */

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (st == H_CR) {
			if (c != '\n')
				return false;
			st = after_cr;
			c = '\n';
		} else if (c == '\r') {
			after_cr = st;
			st = H_CR;
			continue;
		}
		if (c == '\n') {
			switch (st) {
			case H_LEAD:
				continue;
			case H_VERSION:
				if (tok != 8)
					return false;
				st = H_LINE_START;
				continue;
			case H_LINE_START:
				return true;	/* the empty line: head ends */
			case H_VALUE:
				st = H_LINE_START;
				continue;
			default:
				return false;
			}
		}
		switch (st) {
		case H_LEAD:
		case H_METHOD:
			if (c == ' ' && st == H_METHOD && tok > 0) {
				st = H_TARGET;
				tok = 0;
			} else if (tchar(c)) {
				st = H_METHOD;
				tok++;
			} else {
				return false;
			}
			break;
		case H_TARGET:
			if (c == ' ' && tok > 0) {
				st = H_VERSION;
				tok = 0;
			} else if (c > 0x20 && c != 0x7f) {
				tok++;
			} else {
				return false;
			}
			break;
		case H_VERSION:
			if (!version_char(tok, c))
				return false;
			tok++;
			break;
		case H_LINE_START:
			if (c == ' ' || c == '\t') {	/* obs-fold */
				st = H_VALUE;
			} else if (tchar(c)) {
				st = H_NAME;
			} else {
				return false;
			}
			break;
		case H_NAME:
			if (c == ':')
				st = H_VALUE;
			else if (!tchar(c))
				return false;
			break;
		case H_VALUE:
			if (!value_char(c))
				return false;
			break;
		case H_CR:
			return false;
		}
	}
	return true;
}

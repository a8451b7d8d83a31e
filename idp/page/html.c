#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "page/html.h"

bool
idp_html_href_ok(const char *url)
{
	if (url == NULL || *url == '\0')
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '\\')
			return false;
	if (url[0] == '/')
		return url[1] != '/';
	return !strncasecmp(url, "https://", 8) ||
	    !strncasecmp(url, "http://", 7) ||
	    (!strncasecmp(url, "mailto:", 7) && url[7] != '\0') ||
	    (!strncasecmp(url, "tel:", 4) && url[4] != '\0');
}

bool
idp_html_href(struct idp_buf *b, const char *url)
{
	if (!idp_html_href_ok(url))
		return false;
	idp_buf_adds(b, " href=\"");
	idp_buf_add_html(b, url);
	idp_buf_addc(b, '"');
	return true;
}

void
idp_html_msg(struct idp_buf *b, const char *fmt, const char *const *args,
    size_t nargs)
{
	size_t used = 0;
	const char *p = fmt, *q;

	while ((q = strstr(p, "%s")) != NULL) {
		idp_buf_add_html(b, idp_arena_strndup(b->arena, p,
		    (size_t)(q - p)));
		if (used < nargs)
			idp_buf_add_html(b, args[used]);
		used++;
		p = q + 2;
	}
	idp_buf_add_html(b, p);
}

const char *
idp_html_tel(struct idp_arena *a, const char *phone)
{
	size_t n = phone != NULL ? strlen(phone) : 0, o = 4;
	char *t = idp_arena_alloc(a, n + 5);

	memcpy(t, "tel:", 4);
	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)phone[i]) ||
		    (phone[i] == '+' && o == 4))
			t[o++] = phone[i];
	t[o] = '\0';
	return o > 4 ? t : NULL;
}

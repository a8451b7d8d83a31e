/* Where values a client or person chose go back out: into HTML pages
 * (util/buf.c idp_buf_add_html), into redirect URLs such as the echoed
 * state (idp_buf_add_urlenc) and into log lines (util/log.c idp_logq).
 * Whatever the value: HTML output holds no markup characters, URL output
 * only unreserved characters and escapes and decodes back to the value,
 * and a log value is one token without control characters or bare
 * quotes. Input: the value. */
#include <string.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"

#include "fuzz.h"

static void
check_html(struct idp_arena *a, const char *s)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 64 * 1024);
	idp_buf_add_html(&b, s);
	FUZZ_ASSERT(!b.overflow);
	FUZZ_ASSERT(strpbrk(b.data, "<>\"'") == NULL);
	for (const char *p = strchr(b.data, '&'); p; p = strchr(p + 1, '&'))
		FUZZ_ASSERT(!strncmp(p, "&amp;", 5) || !strncmp(p, "&lt;", 4) ||
		    !strncmp(p, "&gt;", 4) || !strncmp(p, "&quot;", 6) ||
		    !strncmp(p, "&#39;", 5));
}

static void
check_urlenc(struct idp_arena *a, const char *s)
{
	struct idp_buf b;
	char *back;
	size_t n;

	idp_buf_init(&b, a, 64 * 1024);
	idp_buf_add_urlenc(&b, s);
	FUZZ_ASSERT(!b.overflow);
	FUZZ_ASSERT(strspn(b.data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	    "opqrstuvwxyz0123456789-._~%") == b.len);
	back = idp_form_decode(a, b.data, b.len, &n);
	FUZZ_ASSERT(back != NULL && n == strlen(s) && !strcmp(back, s));
}

static void
check_logq(struct idp_arena *a, const char *s)
{
	const char *q = idp_logq(a, s);
	size_t n = strlen(q);

	FUZZ_ASSERT(n > 0);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT((unsigned char)q[i] >= 0x20 && q[i] != 0x7f);
	if (q[0] != '"') {
		/* Plain: no space, quote, '=' or backslash to split on. */
		FUZZ_ASSERT(q == s || !strcmp(q, "-"));
		FUZZ_ASSERT(strpbrk(q, " \"=\\") == NULL);
		return;
	}
	FUZZ_ASSERT(n >= 2 && q[n - 1] == '"');
	for (size_t i = 1; i < n - 1; i++) {
		if (q[i] == '\\') {
			FUZZ_ASSERT(q[i + 1] == '"' || q[i + 1] == '\\' ||
			    q[i + 1] == 'x');
			FUZZ_ASSERT(i + 1 < n - 1);
			i++;
		} else {
			FUZZ_ASSERT(q[i] != '"');
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(4096);
	char *s = fuzz_cstr(data, size);

	check_html(a, s);
	check_urlenc(a, s);
	check_logq(a, s);
	free(s);
	idp_arena_free(a);
	return 0;
}

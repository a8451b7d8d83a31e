/* The fold key of client names (oidc/client_name.c), the registrable
 * domain of URI hosts (oidc/site.c): registration hands both whatever a
 * developer sent. Input: a name on the first line, a URI on the second,
 * a redirect URI on the third. A key is NULL (bad UTF-8, too long) or
 * UTF-8 without ASCII spaces or punctuation, and ASCII case never
 * matters; a host is lower case and its site a suffix of it. */
#include <ctype.h>
#include <string.h>

#include "oidc/client_name.h"
#include "oidc/site.h"
#include "util/str.h"

#include "fuzz.h"

static void
check_key(struct idp_arena *a, const char *name)
{
	char *k, *upper, *ku;

	/* ICU is opened at run time: without it every key is NULL. */
	FUZZ_ASSERT(idp_client_name_ready());
	k = idp_client_name_key(a, name);
	if (k == NULL)
		return;
	FUZZ_ASSERT(idp_utf8_valid(k, strlen(k)));
	for (const char *p = k; *p; p++)
		FUZZ_ASSERT((unsigned char)*p >= 0x80 ||
		    isalnum((unsigned char)*p));
	upper = idp_arena_strdup(a, name);
	for (char *p = upper; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	ku = idp_client_name_key(a, upper);
	FUZZ_ASSERT(ku != NULL && !strcmp(k, ku));
}

static void
check_site(struct idp_arena *a, const char *uri, const char *redirect)
{
	char *h = idp_uri_host(a, uri), *site;
	char *redirects[2] = { (char *)(uintptr_t)redirect, NULL };

	(void)idp_site_uri_shown(a, uri, redirects);
	if (h == NULL)
		return;
	for (const char *p = h; *p; p++)
		FUZZ_ASSERT(!isupper((unsigned char)*p) && *p != '/');
	site = idp_site_of(a, h);
	FUZZ_ASSERT(site != NULL && strlen(site) <= strlen(h) &&
	    !strcmp(h + strlen(h) - strlen(site), site));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(1024);
	char *s = fuzz_cstr(data, size), *line[3];

	fuzz_lines(s, line, 3);
	if (line[0] != NULL)
		check_key(a, line[0]);
	if (line[1] != NULL)
		check_site(a, line[1], line[2]);
	idp_arena_free(a);
	free(s);
	return 0;
}

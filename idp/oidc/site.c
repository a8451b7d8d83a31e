#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include <libpsl.h>

#include "oidc/site.h"
#include "util/str.h"

char *
idp_uri_host(struct idp_arena *a, const char *uri)
{
	const char *p, *end;
	char *h;

	if (uri == NULL)
		return NULL;
	if (idp_has_prefix(uri, "https://"))
		p = uri + 8;
	else if (idp_has_prefix(uri, "http://"))
		p = uri + 7;
	else
		return NULL;
	end = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(end - p)) != NULL)
		p = (const char *)memchr(p, '@', (size_t)(end - p)) + 1;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));

		if (rb == NULL)
			return NULL;
		end = rb + 1;
	} else if (memchr(p, ':', (size_t)(end - p)) != NULL) {
		end = memchr(p, ':', (size_t)(end - p));
	}
	if (end == p)
		return NULL;
	h = idp_arena_strndup(a, p, (size_t)(end - p));
	for (char *q = h; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return h;
}

static bool
is_ip(const char *host)
{
	unsigned char buf[16];

	return *host == '[' || inet_pton(AF_INET, host, buf) == 1;
}

char *
idp_site_of(struct idp_arena *a, const char *host)
{
	const char *d;

	if (host == NULL)
		return NULL;
	if (is_ip(host))
		return idp_arena_strdup(a, host);
	/* The built-in list is immutable and needs no I/O. */
	d = psl_registrable_domain(psl_builtin(), host);
	return idp_arena_strdup(a, d != NULL ? d : host);
}

bool
idp_site_uri_shown(struct idp_arena *a, const char *uri,
    char *const *redirect_uris)
{
	char *site;

	if (uri == NULL || !idp_has_prefix(uri, "https://"))
		return false;
	site = idp_site_of(a, idp_uri_host(a, uri));
	if (site == NULL)
		return false;
	for (; redirect_uris != NULL && *redirect_uris != NULL;
	    redirect_uris++) {
		char *r = idp_site_of(a, idp_uri_host(a, *redirect_uris));

		if (r != NULL && !strcmp(r, site))
			return true;
	}
	return false;
}

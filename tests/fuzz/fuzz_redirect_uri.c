/* Redirect URI rules (oidc/client.c idp_uri_check) for registration, and
 * the exact match at the authorization endpoint. An accepted URI is
 * absolute, printable ASCII without fragment, wildcard or user
 * information; http only for loopback hosts; private-use schemes only for
 * native clients. A registered URI matches itself and nothing else.
 * Input: the URI. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "oidc/client.h"

#include "fuzz.h"

static bool
http_loopback(const char *uri)
{
	const char *h = uri + 7;

	return (!strncmp(h, "127.0.0.1", 9) && strchr(":/?", h[9])) ||
	    (!strncmp(h, "[::1]", 5) && strchr(":/?", h[5])) ||
	    (!strncasecmp(h, "localhost", 9) && strchr(":/?", h[9]));
}

/* After the host: nothing, or a port of digits. */
static void
check_port(const char *auth, const char *end)
{
	const char *p = *auth == '[' ? memchr(auth, ']', (size_t)(end - auth)) :
	    memchr(auth, ':', (size_t)(end - auth));

	if (p == NULL)
		return;
	if (*p == ']')
		p++;
	if (p == end)
		return;
	FUZZ_ASSERT(*p == ':' && end - p >= 2);
	for (p++; p < end; p++)
		FUZZ_ASSERT(*p >= '0' && *p <= '9');
}

static void
check_accepted(const char *uri, bool native)
{
	const char *colon = strchr(uri, ':'), *auth, *end;

	FUZZ_ASSERT(*uri != '\0' && strlen(uri) <= IDP_URI_MAX);
	for (const char *p = uri; *p; p++)
		FUZZ_ASSERT(*p > 0x20 && *p < 0x7f && *p != '#' &&
		    *p != '*' && *p != '\\' && *p != '"' && *p != '<' &&
		    *p != '>');
	FUZZ_ASSERT(colon != NULL && colon > uri);
	if (!strncmp(uri, "https://", 8) || !strncmp(uri, "http://", 7)) {
		auth = strstr(uri, "//") + 2;
		end = auth + strcspn(auth, "/?");
		FUZZ_ASSERT(end > auth);
		FUZZ_ASSERT(memchr(auth, '@', (size_t)(end - auth)) == NULL);
		check_port(auth, end);
		FUZZ_ASSERT(uri[4] == 's' || http_loopback(uri));
		return;
	}
	FUZZ_ASSERT(native);
	FUZZ_ASSERT(memchr(uri, '.', (size_t)(colon - uri)) != NULL);
	for (const char *p = uri; p < colon; p++)
		FUZZ_ASSERT(isalnum((unsigned char)*p) || strchr("+-.", *p));
}

static void
check_match(const char *uri)
{
	char other[] = "https://rp.example.go.id/cb";
	char *list[] = { other, (char *)(uintptr_t)uri, NULL };
	struct idp_client c;

	memset(&c, 0, sizeof(c));
	c.redirect_uris = list;
	FUZZ_ASSERT(idp_client_redirect_registered(&c, uri));
	list[1] = NULL;
	FUZZ_ASSERT(idp_client_redirect_registered(&c, uri) ==
	    (strcmp(uri, other) == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *uri = fuzz_cstr(data, size);

	for (int native = 0; native <= 1; native++) {
		const char *why = NULL;

		if (idp_uri_check(uri, native, &why) == 0)
			check_accepted(uri, native);
		else
			FUZZ_ASSERT(why != NULL && *why != '\0');
	}
	check_match(uri);
	free(uri);
	return 0;
}

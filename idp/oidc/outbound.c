#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "oidc/client.h"
#include "oidc/outbound.h"
#include "util/str.h"

bool
idp_outbound_addr_ok(enum idp_addr_class c, bool https, bool allow_loopback)
{
	if (c == IDP_ADDR_LOOPBACK)
		return allow_loopback;
	return https && c == IDP_ADDR_PUBLIC;
}

/* Letters, digits, '-', '_' and dots: no %-escapes, which resolvers and
 * URL parsers decode differently. */
static bool
name_ok(const char *h, size_t n)
{
	if (n == 0 || n > IDP_HOST_MAX || h[0] == '.' || h[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' &&
		    h[i] != '.' && h[i] != '_')
			return false;
	return true;
}

static int
split_authority(const char *uri, struct idp_outbound_target *t,
    const char **why)
{
	const char *auth = uri + (t->https ? 8 : 7);
	const char *end = auth + strcspn(auth, "/?"), *host_end;
	int64_t port;

	host_end = *auth == '[' ? memchr(auth, ']', (size_t)(end - auth)) :
	    memchr(auth, ':', (size_t)(end - auth));
	if (*auth == '[')
		host_end = host_end ? host_end + 1 : end;
	else if (host_end == NULL)
		host_end = end;
	if ((size_t)(host_end - auth) > IDP_HOST_MAX + 2) {
		*why = "the URI's host is too long";
		return -1;
	}
	memcpy(t->host, auth, (size_t)(host_end - auth));
	t->host[host_end - auth] = '\0';
	if (host_end < end) {
		char digits[8];
		size_t n = (size_t)(end - host_end - 1);

		if (*host_end != ':' || n == 0 || n >= sizeof(digits))
			goto bad_port;
		memcpy(digits, host_end + 1, n);
		digits[n] = '\0';
		if (idp_parse_i64(digits, 1, 65535, &port) != 0)
			goto bad_port;
		t->port = (int)port;
	}
	return 0;
bad_port:
	*why = "the URI's port must be a number from 1 to 65535";
	return -1;
}

int
idp_outbound_uri_check(const char *uri, bool allow_loopback,
    struct idp_outbound_target *t, const char **why)
{
	struct idp_outbound_target local;
	size_t n;

	if (t == NULL)
		t = &local;
	memset(t, 0, sizeof(*t));
	t->https = idp_has_prefix(uri, "https://");
	if (!t->https && !idp_has_prefix(uri, "http://")) {
		*why = "the URI must use https";
		return -1;
	}
	/* The host first, so that a refusal can name it. */
	if (split_authority(uri, t, why) != 0)
		return -1;
	n = strlen(t->host);
	t->literal = idp_netaddr_parse(t->host, n, &t->addr) == 0;
	if (!t->https && !allow_loopback) {
		*why = "the URI must use https";
		return -1;
	}
	if (idp_uri_check(uri, false, why) != 0)
		return -1;
	if (!t->literal && (t->host[0] == '[' || !name_ok(t->host, n))) {
		*why = "the URI's host must be a name or an IP address";
		return -1;
	}
	if (t->literal && !idp_outbound_addr_ok(idp_netaddr_class(&t->addr),
	    true, allow_loopback)) {
		*why = "the URI must not name a loopback, private, link-local "
		    "or other internal address";
		return -1;
	}
	/* Plain http stays on this machine, and only when allowed. */
	if (!t->https && !(allow_loopback && ((t->literal &&
	    idp_netaddr_class(&t->addr) == IDP_ADDR_LOOPBACK) ||
	    !strcasecmp(t->host, "localhost")))) {
		*why = "the URI must use https";
		return -1;
	}
	return 0;
}

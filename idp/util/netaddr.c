#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "util/netaddr.h"

struct range {
	unsigned char net[16];
	int bits;
	enum idp_addr_class cls;
};

/* First match wins: single addresses before the ranges holding them. */
static const struct range v4[] = {
	{ { 169, 254, 169, 254 }, 32, IDP_ADDR_METADATA },	/* clouds */
	{ { 169, 254, 170, 2 }, 32, IDP_ADDR_METADATA },	/* AWS ECS */
	{ { 100, 100, 100, 200 }, 32, IDP_ADDR_METADATA },	/* Alibaba */
	{ { 168, 63, 129, 16 }, 32, IDP_ADDR_METADATA },	/* Azure */
	{ { 255, 255, 255, 255 }, 32, IDP_ADDR_BROADCAST },
	{ { 0 }, 8, IDP_ADDR_UNSPECIFIED },
	{ { 10 }, 8, IDP_ADDR_PRIVATE },
	{ { 100, 64 }, 10, IDP_ADDR_SHARED },
	{ { 127 }, 8, IDP_ADDR_LOOPBACK },
	{ { 169, 254 }, 16, IDP_ADDR_LINK_LOCAL },
	{ { 172, 16 }, 12, IDP_ADDR_PRIVATE },
	{ { 192, 0, 0 }, 24, IDP_ADDR_RESERVED },	/* IETF protocols */
	{ { 192, 0, 2 }, 24, IDP_ADDR_DOCUMENTATION },
	{ { 192, 88, 99 }, 24, IDP_ADDR_RESERVED },	/* 6to4 relays */
	{ { 192, 168 }, 16, IDP_ADDR_PRIVATE },
	{ { 198, 18 }, 15, IDP_ADDR_BENCHMARK },
	{ { 198, 51, 100 }, 24, IDP_ADDR_DOCUMENTATION },
	{ { 203, 0, 113 }, 24, IDP_ADDR_DOCUMENTATION },
	{ { 224 }, 4, IDP_ADDR_MULTICAST },
	{ { 240 }, 4, IDP_ADDR_RESERVED },
};

static const struct range v6[] = {
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128,
	  IDP_ADDR_LOOPBACK },
	{ { 0 }, 128, IDP_ADDR_UNSPECIFIED },
	{ { 0 }, 8, IDP_ADDR_RESERVED },	/* IPv4-compatible, ... */
	{ { 0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	    0x54 }, 128, IDP_ADDR_METADATA },	/* AWS */
	{ { 0xfe, 0x80 }, 10, IDP_ADDR_LINK_LOCAL },
	{ { 0xfe, 0xc0 }, 10, IDP_ADDR_PRIVATE },	/* old site-local */
	{ { 0xfc }, 7, IDP_ADDR_PRIVATE },		/* RFC 4193 */
	{ { 0xff }, 8, IDP_ADDR_MULTICAST },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, IDP_ADDR_DOCUMENTATION },
	{ { 0x3f, 0xff }, 20, IDP_ADDR_DOCUMENTATION },
	{ { 0x20, 0x01, 0x00, 0x02, 0x00, 0x00 }, 48, IDP_ADDR_BENCHMARK },
	/* IETF protocol assignments: Teredo, ORCHID, AMT, ... */
	{ { 0x20, 0x01 }, 23, IDP_ADDR_RESERVED },
	{ { 0x20 }, 3, IDP_ADDR_PUBLIC },		/* global unicast */
};

/* IPv6 forms that carry an IPv4 address, and where it starts. */
static const struct {
	unsigned char net[16];
	int bits;
	int at;
} embedded[] = {
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff }, 96, 12 }, /* mapped */
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0 }, 96, 12 }, /* SIIT */
	{ { 0, 0x64, 0xff, 0x9b }, 96, 12 },		/* NAT64 */
	{ { 0x20, 0x02 }, 16, 2 },			/* 6to4 */
};

static bool
in_prefix(const unsigned char *a, const unsigned char *net, int bits)
{
	int full = bits / 8, rest = bits % 8;
	unsigned char mask;

	if (memcmp(a, net, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a[full] & mask) == (net[full] & mask);
}

static enum idp_addr_class
lookup(const unsigned char *a, const struct range *r, size_t n,
    enum idp_addr_class otherwise)
{
	for (size_t i = 0; i < n; i++)
		if (in_prefix(a, r[i].net, r[i].bits))
			return r[i].cls;
	return otherwise;
}

static enum idp_addr_class
class4(const unsigned char *a)
{
	return lookup(a, v4, sizeof(v4) / sizeof(v4[0]), IDP_ADDR_PUBLIC);
}

enum idp_addr_class
idp_netaddr_class(const struct idp_netaddr *a)
{
	if (a->family == AF_INET)
		return class4(a->b);
	if (a->family != AF_INET6)
		return IDP_ADDR_RESERVED;
	for (size_t i = 0; i < sizeof(embedded) / sizeof(embedded[0]); i++)
		if (in_prefix(a->b, embedded[i].net, embedded[i].bits))
			return class4(a->b + embedded[i].at);
	/* Only 2000::/3 is global unicast; the rest is not for us. */
	return lookup(a->b, v6, sizeof(v6) / sizeof(v6[0]), IDP_ADDR_RESERVED);
}

const char *
idp_addr_class_name(enum idp_addr_class c)
{
	switch (c) {
	case IDP_ADDR_PUBLIC: return "public";
	case IDP_ADDR_LOOPBACK: return "loopback";
	case IDP_ADDR_PRIVATE: return "private";
	case IDP_ADDR_LINK_LOCAL: return "link_local";
	case IDP_ADDR_SHARED: return "shared";
	case IDP_ADDR_UNSPECIFIED: return "unspecified";
	case IDP_ADDR_MULTICAST: return "multicast";
	case IDP_ADDR_BROADCAST: return "broadcast";
	case IDP_ADDR_DOCUMENTATION: return "documentation";
	case IDP_ADDR_BENCHMARK: return "benchmark";
	case IDP_ADDR_METADATA: return "metadata";
	case IDP_ADDR_RESERVED: return "reserved";
	}
	return "reserved";
}

/* RFC 6874: a zone is unreserved characters; in a URI it follows "%25". */
static bool
zone_ok(const char *z)
{
	if (!strncmp(z, "25", 2) && z[2] != '\0')
		z += 2;
	if (*z == '\0')
		return false;
	for (; *z; z++)
		if (!isalnum((unsigned char)*z) && !strchr("-._~", *z))
			return false;
	return true;
}

static int
parse_v6(char *s, struct idp_netaddr *out)
{
	char *pct = strchr(s, '%');

	if (pct != NULL) {
		if (!zone_ok(pct + 1))
			return -1;
		*pct = '\0';
	}
	if (inet_pton(AF_INET6, s, out->b) != 1)
		return -1;
	out->family = AF_INET6;
	return 0;
}

/* inet_aton(3) forms only: it also accepts "1.2.3.4 anything", which a
 * resolver does not, so nothing but digits, dots and hex is let through. */
static int
parse_v4(char *s, size_t n, struct idp_netaddr *out)
{
	struct in_addr in;

	if (n > 1 && s[n - 1] == '.')
		s[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != 'x' && s[i] != 'X')
			return -1;
	if (inet_aton(s, &in) == 0)
		return -1;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	memcpy(out->b, &in.s_addr, 4);
	return 0;
}

int
idp_netaddr_parse(const char *s, size_t n, struct idp_netaddr *out)
{
	char buf[80];
	bool bracketed = n >= 2 && s[0] == '[' && s[n - 1] == ']';

	if (bracketed) {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf) || memchr(s, '\0', n) != NULL)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(out, 0, sizeof(*out));
	if (memchr(buf, ':', n) != NULL)
		return parse_v6(buf, out);
	if (bracketed)
		return -1;
	return parse_v4(buf, n, out);
}

int
idp_netaddr_from_sockaddr(const struct sockaddr *sa, size_t len,
    struct idp_netaddr *out)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	memset(out, 0, sizeof(*out));
	if (sa == NULL || len < sizeof(sa->sa_family))
		return -1;
	if (sa->sa_family == AF_INET && len >= sizeof(sin)) {
		memcpy(&sin, sa, sizeof(sin));
		out->family = AF_INET;
		memcpy(out->b, &sin.sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(sin6)) {
		memcpy(&sin6, sa, sizeof(sin6));
		out->family = AF_INET6;
		memcpy(out->b, &sin6.sin6_addr, 16);
		return 0;
	}
	return -1;
}

void
idp_netaddr_format(const struct idp_netaddr *a, char buf[IDP_NETADDR_STRLEN])
{
	if (inet_ntop(a->family, a->b, buf, IDP_NETADDR_STRLEN) == NULL)
		snprintf(buf, IDP_NETADDR_STRLEN, "?");
}

/* IP addresses and the ranges that are not the public Internet (RFC 6890
 * and the IANA special-purpose address registries, plus the addresses
 * where clouds serve instance metadata). The outbound fetcher asks this
 * about every address it is about to connect to. Pure: no I/O and no name
 * resolution. */
#ifndef IDP_UTIL_NETADDR_H
#define IDP_UTIL_NETADDR_H

#include <stdbool.h>
#include <stddef.h>

struct sockaddr;

#define IDP_NETADDR_STRLEN 46	/* INET6_ADDRSTRLEN */

struct idp_netaddr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char b[16];	/* network order; AF_INET uses b[0..3] */
};

/* What an address is. An IPv4 address written in IPv6 (mapped,
 * translated, NAT64 or 6to4) has the class of the IPv4 address inside. */
enum idp_addr_class {
	IDP_ADDR_PUBLIC = 0,	/* global unicast */
	IDP_ADDR_LOOPBACK,	/* 127/8, ::1 */
	IDP_ADDR_PRIVATE,	/* 10/8, 172.16/12, 192.168/16, fc00::/7,
				 * fec0::/10 */
	IDP_ADDR_LINK_LOCAL,	/* 169.254/16, fe80::/10 */
	IDP_ADDR_SHARED,	/* 100.64/10, carrier-grade NAT */
	IDP_ADDR_UNSPECIFIED,	/* 0/8 ("this network"), :: */
	IDP_ADDR_MULTICAST,	/* 224/4, ff00::/8 */
	IDP_ADDR_BROADCAST,	/* 255.255.255.255 */
	IDP_ADDR_DOCUMENTATION,	/* 192.0.2/24, 198.51.100/24, 203.0.113/24,
				 * 2001:db8::/32, 3fff::/20 */
	IDP_ADDR_BENCHMARK,	/* 198.18/15, 2001:2::/48 */
	IDP_ADDR_METADATA,	/* 169.254.169.254, 169.254.170.2,
				 * 100.100.100.200, 168.63.129.16,
				 * fd00:ec2::254 */
	IDP_ADDR_RESERVED,	/* every other special range, and IPv6
				 * outside 2000::/3 */
};

enum idp_addr_class idp_netaddr_class(const struct idp_netaddr *a);
/* A short name for logs and audit rows: "loopback", "private", ... */
const char *idp_addr_class_name(enum idp_addr_class c);

/* An IP address literal as a resolver reads one: IPv4 in every form
 * inet_aton(3) accepts (127.1, 0x7f.1, 0177.0.0.1, 2130706433; one
 * trailing dot allowed), IPv6 with or without brackets and with an
 * optional zone ("fe80::1%eth0", or "%25eth0" as in a URI). Exactly n
 * bytes of s. Returns 0, or -1 when s is not an address (a host name). */
int idp_netaddr_parse(const char *s, size_t n, struct idp_netaddr *out);
/* 0, or -1 for a family other than AF_INET/AF_INET6 or a short length. */
int idp_netaddr_from_sockaddr(const struct sockaddr *sa, size_t len,
    struct idp_netaddr *out);
/* The usual text form into buf (IDP_NETADDR_STRLEN bytes). */
void idp_netaddr_format(const struct idp_netaddr *a,
    char buf[IDP_NETADDR_STRLEN]);

#endif

/* The rule for every URI the provider itself calls: a client's jwks_uri
 * and backchannel_logout_uri now, sector identifiers later. https, a plain
 * host name or a public address, no user information. Registration checks
 * it, and core/fetch.c checks it again before each call, then checks every
 * address the name resolves to with idp_outbound_addr_ok() right before it
 * connects. allow_loopback is the development setting
 * outbound_allow_loopback: loopback addresses become reachable, over plain
 * http too (and plain http reaches nothing else). Pure: no I/O. */
#ifndef IDP_OIDC_OUTBOUND_H
#define IDP_OIDC_OUTBOUND_H

#include <stdbool.h>

#include "util/netaddr.h"

#define IDP_HOST_MAX 253

struct idp_outbound_target {
	bool https;
	char host[IDP_HOST_MAX + 3];	/* as written, brackets kept */
	int port;			/* 0 when the URI names none */
	bool literal;			/* host is an IP address ... */
	struct idp_netaddr addr;	/* ... this one */
};

/* 0 when the provider may call uri; otherwise -1 and *why, a sentence for
 * error_description. t may be NULL; on failure it holds what was parsed. */
int idp_outbound_uri_check(const char *uri, bool allow_loopback,
    struct idp_outbound_target *t, const char **why);

/* May a call (https or plain http) connect to an address of class c? */
bool idp_outbound_addr_ok(enum idp_addr_class c, bool https,
    bool allow_loopback);

#endif

/* Counts per client address (IPv4 or IPv6 bytes), for the connection
 * guard's fairness: how many of the waiting connections one address
 * holds. Open addressing; not thread-safe (the guard's mutex covers it). */
#ifndef IDP_DAEMON_ADDRCOUNT_H
#define IDP_DAEMON_ADDRCOUNT_H

#include <stddef.h>

struct idp_addrcount;

/* Room for at least max distinct addresses at once. */
struct idp_addrcount *idp_addrcount_new(size_t max);
void idp_addrcount_free(struct idp_addrcount *t);	/* accepts NULL */

/* Add delta (+1 or -1) to the count of addr; a count of 0 is forgotten.
 * An empty address (len 0) is never counted. */
void idp_addrcount_add(struct idp_addrcount *t, const unsigned char *addr,
    size_t len, int delta);
size_t idp_addrcount_get(const struct idp_addrcount *t,
    const unsigned char *addr, size_t len);

#endif

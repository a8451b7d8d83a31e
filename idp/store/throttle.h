/* The counters of the sign-in defence (sql/011_throttle.sql; the rules
 * are core/throttle.h's). Each call is one statement. */
#ifndef IDP_STORE_THROTTLE_H
#define IDP_STORE_THROTTLE_H

#include <stdbool.h>

#include "store/db.h"

#define IDP_THROTTLE_KEYS_MAX 3

struct idp_throttle_key {
	char hex[65];		/* SHA-256 of "scope|kind|value", hex */
	int free;		/* failures before waits begin */
	bool reserve;		/* counted before the check (see the SQL) */
};

struct idp_throttle_limits {
	int base_delay, max_delay, window;	/* seconds */
};

/* Decide and count one attempt: allowed, or the seconds to wait; level:
 * the failures now counted on the busiest key. */
enum idp_err idp_store_throttle_begin(struct idp_dbconn *c,
    const struct idp_throttle_key *keys, int n,
    const struct idp_throttle_limits *l, bool *allowed, int *wait,
    double *level);
/* After a failed check: count it on the keys that were not reserved. */
enum idp_err idp_store_throttle_failed(struct idp_dbconn *c,
    const struct idp_throttle_key *keys, int n,
    const struct idp_throttle_limits *l);
/* After a successful check: give back what the reserved keys counted. */
enum idp_err idp_store_throttle_succeeded(struct idp_dbconn *c,
    const struct idp_throttle_key *keys, int n,
    const struct idp_throttle_limits *l);

#endif

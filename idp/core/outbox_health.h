/* Which services a lane may call now: when two calls in a row to a target
 * (a backchannel_logout_uri) get no answer or a 5xx, the target is down
 * for a backoff of its own (outbox_retry_base doubling up to outbox_retry_max,
 * with jitter), and its rows are neither claimed nor signed meanwhile.
 * When that wait ends, one of its rows is claimed alone and sent as a
 * probe. A probe that gets an answer brings the target back: the caller
 * then makes its waiting rows due at once, so a service that returns gets
 * its backlog within a poll, not after each row's own backoff. Without
 * it, a service down for minutes cost one signature, one connection
 * attempt and two updates per row per retry.
 *
 * One table per lane, used by its thread only. In memory: another
 * instance learns on its own, and a restart forgets (the rows' own
 * backoff still holds). */
#ifndef IDP_CORE_OUTBOX_HEALTH_H
#define IDP_CORE_OUTBOX_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"

#define IDP_HEALTH_TARGETS 32	/* targets tracked; beyond, no pacing */
/* Failures in a row before a target is down: one stray timeout of a
 * service that answers the rest does not hold back its other tokens. */
#define IDP_HEALTH_OPEN_AFTER 2

enum idp_health_verdict {
	IDP_HEALTH_CALL,	/* up, or not known to be down */
	IDP_HEALTH_WAIT,	/* down: only its probe is sent */
};

struct idp_health_target {
	char *target;		/* malloc'd; NULL: the slot is free */
	int64_t down_until_ms;	/* monotonic */
	int fails;		/* calls in a row without an answer; down
				 * from IDP_HEALTH_OPEN_AFTER on */
	bool probing;
};

struct idp_health {
	int base_s, max_s;	/* the backoff of a target */
	struct idp_health_target t[IDP_HEALTH_TARGETS];
};

void idp_health_init(struct idp_health *h, int base_s, int max_s);
void idp_health_free(struct idp_health *h);

/* May a row for target (not its probe) be sent at now_ms? *wait_s: with
 * IDP_HEALTH_WAIT, the seconds until the target may be tried again (at
 * least 1). */
enum idp_health_verdict idp_health_check(struct idp_health *h,
    const char *target, int64_t now_ms, int64_t *wait_s);

/* A down target whose wait is over and whose probe is not yet out, now
 * marked as probing; NULL when none. */
const char *idp_health_next_probe(struct idp_health *h, int64_t now_ms);

/* A probe found nothing to send: the target is no longer tracked. */
void idp_health_forget(struct idp_health *h, const char *target);

/* A call to target ended: answered (any status below 500) or not. true
 * when that brought a down target back, so its waiting rows may go. rnd
 * spreads the next wait. */
bool idp_health_report(struct idp_health *h, const char *target,
    bool answered, int64_t now_ms, uint32_t rnd);

/* The targets a claim skips (every one known to be down: their rows go
 * one probe at a time), as a PostgreSQL text[] literal in a: "{}" when
 * none. */
const char *idp_health_excluded(const struct idp_health *h,
    struct idp_arena *a);

#endif

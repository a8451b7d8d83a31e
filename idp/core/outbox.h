/* The outbox: everything the provider sends after the request that caused
 * it (mail, back-channel logout tokens) goes through one table and one
 * delivery worker.
 *
 *   Enqueue: in the transaction of the event, idp_store_outbox_put() a row
 *   (kind, label, target, payload, give-up time); commit; then
 *   idp_outbox_wake() so this process delivers at once. Rows other
 *   instances wrote are found by polling (outbox_poll_interval).
 *
 *   A kind: a name and a deliver() function (or call() and judge(), for
 *   one outbound call), added before the start:
 *
 *	static const struct idp_outbox_kind mail_kind = {
 *		.name = "mail", .deliver = send_mail, .arg = ctx,
 *		.timeout = 30,
 *	};
 *	idp_outbox_add_kind(ob, &mail_kind);
 *
 * outbox_workers threads each claim one due row at a time (FOR UPDATE
 * SKIP LOCKED, a lease of the kind's timeout plus a margin), deliver it
 * without holding a database connection, and record the outcome. A kind
 * that is one outbound call (back-channel logout) has a thread of its own
 * instead, which claims as many due rows of its kind as it has free call
 * slots and keeps their calls in flight together (idp_fetch_multi), so a
 * slow service holds one slot and no thread. The outcome is:
 * delivered; retry after an exponential backoff with jitter
 * (outbox_retry_base doubling up to outbox_retry_max) until the row's
 * give-up time; or failed. Delivery is at least once: a message is sent
 * twice only when its outcome could not be recorded after it was sent (the
 * process was killed, or the database went away, between the relay's
 * answer and the update) and its lease then ran out, or when a delivery
 * outlived its lease (a process stopped with SIGSTOP longer than the
 * lease). */
#ifndef IDP_CORE_OUTBOX_H
#define IDP_CORE_OUTBOX_H

#include <stdint.h>

#include "core/ctx.h"
#include "core/fetch.h"
#include "store/outbox.h"
#include "util/arena.h"

/* What a delivery reports: the outcome, a status (HTTP or SMTP reply code,
 * 0 without one) and what went wrong (logs and idpctl, never a secret). */
struct idp_outbox_result {
	enum idp_outbox_state outcome;
	long status;
	const char *error;
};

struct idp_outbox_kind {
	const char *name;	/* the kind column */
	/* Runs on an outbox thread, no database connection held; memory from
	 * a, which lives until the outcome is recorded. */
	void (*deliver)(void *arg, struct idp_arena *a,
	    const struct idp_outbox_msg *m, struct idp_outbox_result *r);
	void *arg;
	int timeout;		/* seconds one delivery may take at most */
	/* Or, for a kind whose delivery is one call through the outbound
	 * fetcher (deliver NULL): a thread of its own keeps up to
	 * concurrency of these calls in flight (libcurl multi). call()
	 * fills the call and its caller and returns true, or fills r and
	 * returns false (nothing to send); judge() says what the answer
	 * (res, and the call as idp_fetch left it) means. Both run on that
	 * thread, with memory from a. */
	bool (*call)(void *arg, struct idp_arena *a,
	    const struct idp_outbox_msg *m, struct idp_fetch *call,
	    struct idp_fetch_caller *who, struct idp_outbox_result *r);
	void (*judge)(void *arg, struct idp_arena *a,
	    const struct idp_outbox_msg *m, enum idp_fetch_result res,
	    const struct idp_fetch *call, struct idp_outbox_result *r);
	int concurrency;
};

struct idp_outbox;

struct idp_outbox *idp_outbox_new(struct idp_ctx *ctx);
/* Before idp_outbox_start; kind must outlive the outbox. */
void idp_outbox_add_kind(struct idp_outbox *ob, const struct idp_outbox_kind *k);
void idp_outbox_start(struct idp_outbox *ob);
/* After the commit of a transaction that put rows: deliver them now. */
void idp_outbox_wake(struct idp_outbox *ob);
/* Stop the threads (a delivery in flight finishes) and free. */
void idp_outbox_free(struct idp_outbox *ob);

/* The wait before try attempts + 1: base * 2^(attempts - 1), at most max,
 * half of it fixed and half random (rnd). Pure, for tests. */
int64_t idp_outbox_backoff(int attempts, int base, int max, uint32_t rnd);

#endif

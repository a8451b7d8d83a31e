/* The outbox table (sql/015_outbox.sql): rows written in the transaction
 * of the event that causes them, claimed by delivery workers with FOR
 * UPDATE SKIP LOCKED and a lease, their outcome recorded, purged after
 * the retention period. core/outbox.c is the worker; idpctl outbox status
 * reads the counts. */
#ifndef IDP_STORE_OUTBOX_H
#define IDP_STORE_OUTBOX_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct idp_outbox_new {
	const char *kind;	/* "mail", later "logout" */
	const char *label;	/* grouping within the kind */
	const char *target;	/* mail address, URI */
	const char *payload;	/* what is sent */
	long long user_id;	/* whom it concerns, 0 for none */
	int64_t give_up;	/* seconds from now: retried until then */
};
/* In the caller's transaction: the row commits with the event that
 * caused it. */
enum idp_err idp_store_outbox_put(struct idp_dbconn *c,
    const struct idp_outbox_new *m);

struct idp_outbox_msg {
	long long id;
	char *kind;
	char *label;
	char *target;
	char *payload;
	int attempts;		/* this one included */
	int64_t give_up_at;
	long long user_id;
};
/* Claim up to limit due rows of the given kinds ("{mail,logout}", a text
 * array literal) for lease seconds, for owner; none whose target is in
 * skip (a text array literal, NULL for none). */
enum idp_err idp_store_outbox_claim(struct idp_dbconn *c, struct idp_arena *a,
    const char *kinds, const char *skip, int limit, int lease,
    const char *owner, struct idp_outbox_msg **out, int *n);
/* The same, only rows whose target is target. */
enum idp_err idp_store_outbox_claim_target(struct idp_dbconn *c,
    struct idp_arena *a, const char *kinds, const char *target, int limit,
    int lease, const char *owner, struct idp_outbox_msg **out, int *n);
/* The pending rows of kind for target, not leased, due now. */
enum idp_err idp_store_outbox_revive(struct idp_dbconn *c, const char *kind,
    const char *target);

enum idp_outbox_state { IDP_OUTBOX_DELIVERED, IDP_OUTBOX_RETRY,
	IDP_OUTBOX_FAILED };
/* Record an outcome. IDP_OUTBOX_RETRY: due again after delay seconds, or
 * failed when give_up_at has passed (*final tells which). The payload is
 * dropped with a final state. */
enum idp_err idp_store_outbox_record(struct idp_dbconn *c, long long id,
    enum idp_outbox_state st, int64_t delay, long status, const char *error,
    enum idp_outbox_state *final);

/* Delivered and failed rows done more than retention seconds ago, at most
 * batch per statement, up to max_rounds statements. */
enum idp_err idp_store_outbox_purge(struct idp_dbconn *c, int64_t retention,
    int batch, int max_rounds, long long *deleted);

struct idp_outbox_stat {
	char *kind;
	char *label;
	long long pending, delivered, failed;
	long long oldest_pending;	/* seconds, 0 when none */
	char *last_error;		/* NULL when none */
	int64_t last_error_at;
	long last_status;
};
/* Counts per kind and label; kind NULL for every kind. */
enum idp_err idp_store_outbox_status(struct idp_dbconn *c, struct idp_arena *a,
    const char *kind, struct idp_outbox_stat **out, int *n);

#endif

/* The database as the rest of the provider sees it: a pool of PostgreSQL
 * connections behind opaque handles. Callers borrow a connection for one
 * request (one or two round trips), call store/ functions with it, and
 * give it back. Nothing here names libpq: PGresult, the statement helpers
 * and the raw connection stay in store/ (store/sql.h); tests/lint.sh
 * checks that no file outside store/ reaches <libpq-fe.h>.
 *
 * When PostgreSQL goes away or stops answering, calls fail with
 * IDP_ERR_UNAVAILABLE (the HTTP layer answers 503 with Retry-After). A
 * borrow of the daemon has a deadline (idp_db_set_deadline): waiting for
 * a free connection, connecting and every answer count against it, and a
 * connection that did not answer in time is dropped. After a failure the
 * pool refuses borrows at once for a second, then lets one at a time
 * test the database until it answers, so a dead or frozen database costs
 * most requests microseconds and holds at most one worker. */
#ifndef IDP_STORE_DB_H
#define IDP_STORE_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "util/err.h"

struct idp_db;
struct idp_dbconn;

/* prepare=false gives bare connections (idpctl migrate runs before the
 * tables the statements name exist). */
struct idp_db *idp_db_new(const char *conninfo, int size, int connect_timeout,
    bool prepare);
void idp_db_free(struct idp_db *db);

/* How long one borrow may take, in milliseconds, from the acquire to the
 * release (0, the default: no bound, for idpctl's migrations and COPY).
 * Statements also carry it as their statement_timeout. Call before the
 * first acquire. */
void idp_db_set_deadline(struct idp_db *db, int ms);

/* Wait up to wait_seconds for the database to answer (start-up). */
enum idp_err idp_db_wait_ready(struct idp_db *db, int wait_seconds,
    char *why, size_t whylen);

enum idp_err idp_db_acquire(struct idp_db *db, struct idp_dbconn **out)
	__attribute__((warn_unused_result));
/* For work outside requests (housekeeping): each statement gets three
 * request deadlines, so a slow one fails by the server's statement_timeout
 * and a long series of quick ones is not cut short. */
enum idp_err idp_db_acquire_background(struct idp_db *db,
    struct idp_dbconn **out) __attribute__((warn_unused_result));
void idp_db_release(struct idp_db *db, struct idp_dbconn *c);

/* The pool's numbers for /metrics, kept under the mutex every borrow
 * takes anyway. */
struct idp_db_stats {
	int size, in_use;
	uint64_t waits;		/* borrows that found every connection busy */
	uint64_t wait_us;	/* time those spent waiting */
	uint64_t timeouts;	/* borrows that got no connection */
	uint64_t errors;	/* the circuit opened (no answer) */
};
void idp_db_stats(struct idp_db *db, struct idp_db_stats *out);

/* The message of the last failure on this connection (for logs only). */
const char *idp_db_last_error(const struct idp_dbconn *c);

/* One round trip that proves the database answers (readiness). */
enum idp_err idp_db_ping(struct idp_dbconn *c);

/* Every commit waits for its WAL flush, so a code, token, session or audit
 * row a client was told about survives a crash of PostgreSQL: idp leaves
 * synchronous_commit to the cluster (on by default; a stricter replication
 * setting is kept). A cluster set to off gets a warning (db.async_commit)
 * from this, called once at start. */
void idp_db_warn_if_async(struct idp_db *db);

/* A transaction around several store/ calls: one commit, one WAL flush.
 * idp_db_commit fails (IDP_ERR_INTERNAL, rolled back) when a statement of
 * the transaction failed. */
enum idp_err idp_db_begin(struct idp_dbconn *c);
enum idp_err idp_db_commit(struct idp_dbconn *c);
void idp_db_rollback(struct idp_dbconn *c);

#endif

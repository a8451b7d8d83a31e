/* The only place that talks to PostgreSQL. A fixed pool of connections,
 * each with every statement of store/ prepared once when it connects.
 * Callers borrow a connection for one request (one or two round trips),
 * run named statements with parameters, and give it back. A PGresult never
 * leaves store/: modules copy rows into the caller's arena.
 *
 * When PostgreSQL goes away, statements fail with IDP_ERR_UNAVAILABLE (the
 * HTTP layer answers 503); the pool reconnects by itself, at most once a
 * second, so a dead database costs a request microseconds, not a timeout. */
#ifndef IDP_STORE_DB_H
#define IDP_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "util/err.h"

struct idp_db;
struct idp_dbconn;

struct idp_stmt {
	const char *name;
	const char *sql;
	int nparams;
};

/* prepare=false gives bare connections (idpctl migrate runs before the
 * tables the statements name exist). */
struct idp_db *idp_db_new(const char *conninfo, int size, int connect_timeout,
    bool prepare);
void idp_db_free(struct idp_db *db);

/* The daemon's connections commit asynchronously (synchronous_commit =
 * off): a token, code or session lost in the last instant before a
 * PostgreSQL crash is no worse than one that expired, and every request
 * saves a WAL flush. Revocations use idp_db_exec_durable. Call before the
 * first acquire. idpctl keeps synchronous commits. */
void idp_db_set_async_commit(struct idp_db *db, bool on);

/* Wait up to wait_seconds for the database to answer (start-up). */
enum idp_err idp_db_wait_ready(struct idp_db *db, int wait_seconds,
    char *why, size_t whylen);

enum idp_err idp_db_acquire(struct idp_db *db, struct idp_dbconn **out)
	__attribute__((warn_unused_result));
void idp_db_release(struct idp_db *db, struct idp_dbconn *c);

/* The message of the last failure on this connection (for logs only). */
const char *idp_db_last_error(const struct idp_dbconn *c);

/* Statement parameters: text, or binary when len > 0 (digests). */
struct idp_param {
	const char *v;		/* NULL is SQL NULL */
	int len;		/* 0 = text */
};
#define P_TXT(s) ((struct idp_param){ (s), 0 })
#define P_BIN(p, n) ((struct idp_param){ (const char *)(p), (n) })
#define P_NULL ((struct idp_param){ NULL, 0 })

/* Run a prepared statement. On success *res holds the result (tuples or
 * command OK) and must be PQclear'ed by the caller in store/. Errors:
 * IDP_ERR_UNAVAILABLE (connection lost), IDP_ERR_CONFLICT (unique key),
 * IDP_ERR_INVALID_REQUEST (other constraint), IDP_ERR_INTERNAL. */
enum idp_err idp_db_exec(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n, PGresult **res)
	__attribute__((warn_unused_result));
/* The same, committed durably even on an asynchronous connection: for
 * revocations, which must survive a crash of PostgreSQL. */
enum idp_err idp_db_exec_durable(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n, PGresult **res)
	__attribute__((warn_unused_result));
/* The same, when exactly one row must come back: IDP_ERR_NOT_FOUND (and
 * no result to clear) otherwise. */
enum idp_err idp_db_exec_row(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n, PGresult **res)
	__attribute__((warn_unused_result));
/* A statement that must change exactly one row; IDP_ERR_NOT_FOUND when it
 * changed none. */
enum idp_err idp_db_run_one(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n);
/* The same, for statements whose rows do not matter. */
enum idp_err idp_db_run(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n);

enum idp_err idp_db_begin(struct idp_dbconn *c);
enum idp_err idp_db_commit(struct idp_dbconn *c);
void idp_db_rollback(struct idp_dbconn *c);

/* For idpctl: the raw connection (migrations run whole SQL files, COPY). */
PGconn *idp_db_pgconn(struct idp_dbconn *c);

/* Result helpers (store/ only). */
const char *idp_db_val(const PGresult *r, int row, int col);	/* NULL if null */
bool idp_db_bool(const PGresult *r, int row, int col);
long long idp_db_ll(const PGresult *r, int row, int col);
/* A digest the query returned as encode(x, 'hex'); -1 when NULL or bad. */
int idp_db_hex32(const char *hex, unsigned char out[32]);

#endif

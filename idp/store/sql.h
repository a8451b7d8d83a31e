/* For store/ only: statements, parameters, results. The one header of the
 * provider that includes libpq besides store/'s own .c files; every other
 * folder works with the opaque handles of store/db.h (tests/lint.sh
 * checks that nothing outside store/ reaches <libpq-fe.h>). A PGresult
 * never leaves store/: modules copy rows into the caller's arena. */
#ifndef IDP_STORE_SQL_H
#define IDP_STORE_SQL_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "store/db.h"

struct idp_stmt {
	const char *name;
	const char *sql;
	int nparams;
};

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
 * IDP_ERR_UNAVAILABLE (connection lost, or no answer in time),
 * IDP_ERR_CONFLICT (unique key), IDP_ERR_INVALID_REQUEST (other
 * constraint), IDP_ERR_INTERNAL. */
enum idp_err idp_db_exec(struct idp_dbconn *c, const char *stmt,
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

/* The raw connection, for what named statements cannot do: migrations
 * (whole SQL files) and COPY (store/migrate.c, store/bulk.c, which idpctl
 * calls). Blocking libpq calls on it have no deadline: idpctl only. */
PGconn *idp_db_pgconn(struct idp_dbconn *c);

/* Result helpers. */
const char *idp_db_val(const PGresult *r, int row, int col);	/* NULL if null */
bool idp_db_bool(const PGresult *r, int row, int col);
long long idp_db_ll(const PGresult *r, int row, int col);
/* A digest the query returned as encode(x, 'hex'); -1 when NULL or bad. */
int idp_db_hex32(const char *hex, unsigned char out[32]);

#endif

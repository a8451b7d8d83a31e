/* For store/db.c only: the life of one pooled connection. Connecting,
 * preparing the statements and waiting for answers all poll the socket
 * against a deadline, because a blocking libpq call waits for ever on a
 * server that accepts bytes and never answers (a frozen PostgreSQL, on a
 * unix socket or over TCP alike). */
#ifndef IDP_STORE_CONN_H
#define IDP_STORE_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "store/sql.h"

struct idp_dbconn {
	PGconn *pg;		/* NULL once closed */
	bool busy;		/* lent to a caller */
	bool broken;		/* reconnect before the next use */
	bool probe;		/* this borrow tests a database that failed */
	unsigned gen;		/* the pool generation it connected in */
	uint64_t deadline;	/* of the current borrow, idp_mono_ns(); 0 none */
	int stmt_ms;		/* > 0: each statement's own deadline instead */
	struct idp_db *db;
	char err[256];
};

/* What connections are opened with. */
struct idp_conn_opts {
	const char *conninfo;
	int connect_timeout;	/* seconds for one attempt */
	int deadline_ms;	/* per borrow; 0: idpctl, blocking, no bound */
	bool prepare;
};

enum idp_wait {
	IDP_WAIT_OK,		/* a result can be read without blocking */
	IDP_WAIT_LOST,		/* the connection failed (c->err says how) */
	IDP_WAIT_TIMEOUT,	/* no answer before the deadline */
};

uint64_t idp_mono_ns(void);

/* Connect with the session settings and, if asked, every statement of
 * store/ prepared, all before deadline. 0 when done; on failure c->err
 * says why and c->pg is NULL: -1 when there is no connection or no answer
 * in time, 1 when the server answered but refused a statement. */
int idp_conn_open(struct idp_dbconn *c, const struct idp_conn_opts *o,
    uint64_t deadline);
/* Drop the connection without waiting for the server. */
void idp_conn_close(struct idp_dbconn *c);
/* Send what is queued and wait until the next result is in. */
enum idp_wait idp_conn_await(struct idp_dbconn *c, uint64_t deadline);
/* Keep msg as the connection's last error, on one line. */
void idp_conn_set_err(struct idp_dbconn *c, const char *msg);

#endif

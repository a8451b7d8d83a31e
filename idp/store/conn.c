#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/conn.h"
#include "store/statements.h"
#include "util/log.h"

uint64_t
idp_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void
idp_conn_set_err(struct idp_dbconn *c, const char *msg)
{
	size_t n;

	snprintf(c->err, sizeof(c->err), "%s", msg && *msg ? msg :
	    "unknown error");
	n = strlen(c->err);
	while (n > 0 && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
		c->err[--n] = '\0';
	/* libpq messages span lines; a log line must not. */
	for (char *p = c->err; *p; p++) {
		if ((unsigned char)*p < 0x20)
			*p = ' ';
		else if (*p == '"')
			*p = '\'';
	}
}

/* 1 when the socket is ready, 0 at the deadline (0: none), -1 on error. */
static int
wait_socket(PGconn *pg, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = PQsocket(pg), .events = events };

	if (p.fd < 0)
		return -1;
	for (;;) {
		int ms = -1, n;

		if (deadline != 0) {
			uint64_t now = idp_mono_ns();

			if (now >= deadline)
				return 0;
			ms = (int)((deadline - now + 999999) / 1000000);
		}
		n = poll(&p, 1, ms);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

enum idp_wait
idp_conn_await(struct idp_dbconn *c, uint64_t deadline)
{
	for (;;) {
		int f = PQflush(c->pg), w;

		if (f < 0)
			break;
		if (f == 0 && !PQisBusy(c->pg))
			return IDP_WAIT_OK;
		w = wait_socket(c->pg, POLLIN | (f == 1 ? POLLOUT : 0),
		    deadline);
		if (w == 0)
			return IDP_WAIT_TIMEOUT;
		if (w < 0 || !PQconsumeInput(c->pg))
			break;
	}
	idp_conn_set_err(c, PQerrorMessage(c->pg));
	return IDP_WAIT_LOST;
}

void
idp_conn_close(struct idp_dbconn *c)
{
	if (c->pg == NULL)
		return;
	/* PQfinish sends a Terminate message; on a nonblocking connection
	 * that never waits for a server that stopped reading. */
	(void)PQsetnonblocking(c->pg, 1);
	PQfinish(c->pg);
	c->pg = NULL;
}

/* The next result of what was sent (NULL at the end of one statement's
 * results); -1 with c->err set when none came in time. */
static int
next_result(struct idp_dbconn *c, uint64_t deadline, PGresult **r)
{
	switch (idp_conn_await(c, deadline)) {
	case IDP_WAIT_OK:
		*r = PQgetResult(c->pg);
		return 0;
	case IDP_WAIT_TIMEOUT:
		idp_conn_set_err(c, "no answer from the database in time");
		return -1;
	default:
		return -1;
	}
}

/* libpq's own message for a failed call, -1 for the caller to return. */
static int
pq_err(struct idp_dbconn *c)
{
	idp_conn_set_err(c, PQerrorMessage(c->pg));
	return -1;
}

static void
prepare_failed(struct idp_dbconn *c, const PGresult *r,
    const struct idp_stmt *s)
{
	const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	idp_conn_set_err(c, PQresultErrorMessage(r));
	if (st != NULL && (!strcmp(st, "42P01") || !strcmp(st, "42703"))) {
		snprintf(c->err, sizeof(c->err), "the database schema is "
		    "missing or old: run 'idpctl migrate' (%s)", s->name);
		IDP_ERROR("db.prepare", " stmt=%s msg=\"%s\"", s->name,
		    c->err);
	} else {
		/* A lock held on a table: the next borrow tries again. */
		IDP_WARN("db.prepare", " stmt=%s msg=\"%s\"", s->name, c->err);
	}
}

/* Every statement of store/ in one pipeline: one round trip, however
 * many statements there are, so a reconnect costs little. 1 when the
 * server refused a statement (it answered: a lock held on a table, an old
 * schema), -1 when it did not answer or the connection failed. */
static int
prepare_all(struct idp_dbconn *c, uint64_t deadline)
{
	const struct idp_stmt *const *t;
	const struct idp_stmt *s;
	PGresult *r;
	int ok;

	if (!PQenterPipelineMode(c->pg))
		goto pq_failed;
	for (t = idp_stmt_tables; *t != NULL; t++)
		for (s = *t; s->name; s++)
			if (!PQsendPrepare(c->pg, s->name, s->sql, s->nparams,
			    NULL))
				goto pq_failed;
	if (!PQpipelineSync(c->pg))
		goto pq_failed;
	for (t = idp_stmt_tables; *t != NULL; t++) {
		for (s = *t; s->name; s++) {
			if (next_result(c, deadline, &r) != 0)
				return -1;
			ok = PQresultStatus(r) == PGRES_COMMAND_OK;
			if (!ok)
				prepare_failed(c, r, s);
			PQclear(r);
			if (!ok)
				return 1;
			if (next_result(c, deadline, &r) != 0)
				return -1;
			PQclear(r);	/* NULL: the end of this statement */
		}
	}
	if (next_result(c, deadline, &r) != 0)
		return -1;
	ok = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
	PQclear(r);
	if (ok && PQexitPipelineMode(c->pg))
		return 0;
pq_failed:
	return pq_err(c);
}

/* Settings every connection runs with, sent with the start-up packet (no
 * extra round trip). The server bounds its own work too: a statement
 * cannot outlive the deadline of the request it serves, a transaction
 * left idle (a connection idp abandoned) ends after 10 s, and a backend
 * notices within 1 s that its client went away. The operator's own
 * options from database_url come last and win. */
static int
session_options(const struct idp_conn_opts *o, char *out, size_t len)
{
	PQconninfoOption *info = PQconninfoParse(o->conninfo, NULL);
	const char *theirs = NULL;
	/* Without a request deadline (idpctl, an operator at a prompt) a
	 * statement may take longer on a busy server, still bounded. */
	int stmt_ms = o->deadline_ms ? o->deadline_ms : 30000;
	int lock_ms = o->deadline_ms ? o->deadline_ms / 2 : 10000;
	int n;

	for (PQconninfoOption *i = info; i && i->keyword; i++)
		if (!strcmp(i->keyword, "options") && i->val && *i->val)
			theirs = i->val;
	n = snprintf(out, len, "-c statement_timeout=%d -c lock_timeout=%d "
	    "-c idle_in_transaction_session_timeout=10000 "
	    "-c client_connection_check_interval=1000 -c TimeZone=UTC "
	    "-c client_min_messages=warning%s%s%s", stmt_ms, lock_ms,
	    o->async_commit ? " -c synchronous_commit=off" : "",
	    theirs ? " " : "", theirs ? theirs : "");
	PQconninfoFree(info);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Start connecting. TCP keepalives and tcp_user_timeout notice a peer that
 * vanished (libpq ignores them on unix sockets); database_url may
 * override them, as they come before it. */
static PGconn *
connect_start(const struct idp_conn_opts *o, const char *options)
{
	const char *keys[] = { "application_name", "keepalives",
		"keepalives_idle", "keepalives_interval", "keepalives_count",
		"tcp_user_timeout", "dbname", "options", NULL };
	const char *vals[sizeof(keys) / sizeof(keys[0])];
	char user_timeout[16];

	snprintf(user_timeout, sizeof(user_timeout), "%d", o->deadline_ms);
	vals[0] = "idp";
	vals[1] = "1";
	vals[2] = "10";
	vals[3] = "3";
	vals[4] = "3";
	vals[5] = user_timeout;
	vals[6] = o->conninfo;
	vals[7] = options;
	vals[8] = NULL;
	return PQconnectStartParams(keys, vals, 1);
}

/* Drive libpq's connection state machine until deadline. */
static int
poll_connect(struct idp_dbconn *c, uint64_t deadline)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;

	while (st != PGRES_POLLING_OK) {
		int w;

		if (st == PGRES_POLLING_FAILED ||
		    PQstatus(c->pg) == CONNECTION_BAD)
			break;
		w = wait_socket(c->pg, st == PGRES_POLLING_READING ? POLLIN :
		    POLLOUT, deadline);
		if (w == 0) {
			idp_conn_set_err(c, "connecting: no answer from the "
			    "database in time");
			return -1;
		}
		if (w < 0)
			break;
		st = PQconnectPoll(c->pg);
	}
	if (st == PGRES_POLLING_OK)
		return 0;
	idp_conn_set_err(c, PQerrorMessage(c->pg));
	return -1;
}

int
idp_conn_open(struct idp_dbconn *c, const struct idp_conn_opts *o,
    uint64_t deadline)
{
	uint64_t limit = idp_mono_ns() +
	    (uint64_t)o->connect_timeout * 1000000000u;
	char options[1024];
	int rc = -1;

	idp_conn_close(c);
	if (deadline == 0 || limit < deadline)
		deadline = limit;
	if (session_options(o, options, sizeof(options)) != 0) {
		idp_conn_set_err(c, "database_url: options too long");
		return -1;
	}
	c->pg = connect_start(o, options);
	if (c->pg == NULL) {
		idp_conn_set_err(c, "out of memory");
		return -1;
	}
	if (poll_connect(c, deadline) != 0)
		goto out;
	if (PQsetnonblocking(c->pg, 1) != 0) {
		rc = pq_err(c);
		goto out;
	}
	if (o->prepare && (rc = prepare_all(c, deadline)) != 0)
		goto out;
	/* idpctl's migrations and COPY use blocking libpq calls. */
	if (o->deadline_ms == 0 && PQsetnonblocking(c->pg, 0) != 0) {
		rc = pq_err(c);
		goto out;
	}
	return 0;
out:
	idp_conn_close(c);
	return rc;
}

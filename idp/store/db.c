#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/statements.h"
#include "util/log.h"
#include "util/mem.h"

struct idp_dbconn {
	PGconn *pg;
	bool busy;
	bool broken;
	char err[256];
};

struct idp_db {
	char *conninfo;
	int connect_timeout;
	int size;
	bool prepare;
	bool async_commit;
	struct idp_dbconn *conns;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	time_t down_until;	/* no reconnect attempts before this */
};

static void
set_err(struct idp_dbconn *c, const char *msg)
{
	size_t n;

	snprintf(c->err, sizeof(c->err), "%s", msg ? msg : "unknown error");
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

static int
prepare_all(struct idp_dbconn *c)
{
	for (size_t t = 0; idp_stmt_tables[t] != NULL; t++) {
		for (const struct idp_stmt *s = idp_stmt_tables[t]; s->name;
		    s++) {
			PGresult *r = PQprepare(c->pg, s->name, s->sql,
			    s->nparams, NULL);
			int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

			if (!ok) {
				const char *st = PQresultErrorField(r,
				    PG_DIAG_SQLSTATE);

				set_err(c, PQerrorMessage(c->pg));
				if (st != NULL && (!strcmp(st, "42P01") ||
				    !strcmp(st, "42703")))
					snprintf(c->err, sizeof(c->err),
					    "the database schema is missing or "
					    "old: run 'idpctl migrate' (%s)",
					    s->name);
				IDP_ERROR("db.prepare", " stmt=%s msg=\"%s\"",
				    s->name, c->err);
			}
			PQclear(r);
			if (!ok)
				return -1;
		}
	}
	return 0;
}

/* Settings every pooled connection runs with. A statement that takes
 * longer than 5 s is a bug or an overload; either way the request should
 * fail rather than hold a worker. */
static const char session_setup[] =
	"SET statement_timeout = '5s'; "
	"SET lock_timeout = '2s'; "
	"SET idle_in_transaction_session_timeout = '10s'; "
	"SET TIME ZONE 'UTC'; "
	"SET client_min_messages = warning";

static int
connect_one(struct idp_db *db, struct idp_dbconn *c)
{
	const char *keys[] = { "dbname", "connect_timeout", "application_name",
		NULL };
	char timeout[16];
	const char *vals[4];
	PGresult *r;

	snprintf(timeout, sizeof(timeout), "%d", db->connect_timeout);
	vals[0] = db->conninfo;
	vals[1] = timeout;
	vals[2] = "idp";
	vals[3] = NULL;
	if (c->pg != NULL)
		PQfinish(c->pg);
	c->pg = PQconnectdbParams(keys, vals, 1);
	if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
		set_err(c, c->pg ? PQerrorMessage(c->pg) : "out of memory");
		return -1;
	}
	r = PQexec(c->pg, session_setup);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		set_err(c, PQerrorMessage(c->pg));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	if (db->async_commit) {
		r = PQexec(c->pg, "SET synchronous_commit = off");
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			set_err(c, PQerrorMessage(c->pg));
			PQclear(r);
			return -1;
		}
		PQclear(r);
	}
	if (db->prepare && prepare_all(c) != 0)
		return -1;
	c->broken = false;
	return 0;
}

struct idp_db *
idp_db_new(const char *conninfo, int size, int connect_timeout, bool prepare)
{
	struct idp_db *db = idp_xcalloc(1, sizeof(*db));

	db->prepare = prepare;
	db->conninfo = idp_xstrdup(conninfo);
	db->size = size < 1 ? 1 : size;
	db->connect_timeout = connect_timeout < 1 ? 1 : connect_timeout;
	db->conns = idp_xcalloc((size_t)db->size, sizeof(*db->conns));
	for (int i = 0; i < db->size; i++)
		db->conns[i].broken = true;	/* connect lazily */
	pthread_mutex_init(&db->mu, NULL);
	pthread_cond_init(&db->cv, NULL);
	return db;
}

void
idp_db_set_async_commit(struct idp_db *db, bool on)
{
	db->async_commit = on;
}

void
idp_db_free(struct idp_db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < db->size; i++)
		if (db->conns[i].pg != NULL)
			PQfinish(db->conns[i].pg);
	free(db->conns);
	idp_wipe(db->conninfo, strlen(db->conninfo));
	free(db->conninfo);
	pthread_mutex_destroy(&db->mu);
	pthread_cond_destroy(&db->cv);
	free(db);
}

enum idp_err
idp_db_wait_ready(struct idp_db *db, int wait_seconds, char *why,
    size_t whylen)
{
	time_t deadline = time(NULL) + wait_seconds;
	struct idp_dbconn *c = &db->conns[0];
	bool told = false;

	for (;;) {
		if (connect_one(db, c) == 0)
			return IDP_OK;
		snprintf(why, whylen, "%s", c->err);
		c->broken = true;
		if (time(NULL) >= deadline)
			return IDP_ERR_UNAVAILABLE;
		if (!told) {
			IDP_WARN("db.wait", " msg=\"database not reachable, "
			    "retrying for up to %d s\" detail=\"%s\"",
			    wait_seconds, c->err);
			told = true;
		}
		sleep(1);
	}
}

enum idp_err
idp_db_acquire(struct idp_db *db, struct idp_dbconn **out)
{
	struct timespec until;
	struct idp_dbconn *c = NULL;
	bool reconnect;
	time_t now;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&db->mu);
	for (;;) {
		/* Prefer a healthy idle connection. */
		for (int i = 0; i < db->size && c == NULL; i++)
			if (!db->conns[i].busy && !db->conns[i].broken)
				c = &db->conns[i];
		for (int i = 0; i < db->size && c == NULL; i++)
			if (!db->conns[i].busy)
				c = &db->conns[i];
		if (c != NULL)
			break;
		if (pthread_cond_timedwait(&db->cv, &db->mu, &until) != 0) {
			pthread_mutex_unlock(&db->mu);
			IDP_WARN("db.pool", " msg=\"no free connection in 5 s\"");
			return IDP_ERR_UNAVAILABLE;
		}
	}
	now = time(NULL);
	reconnect = c->broken;
	if (reconnect && now < db->down_until) {
		pthread_mutex_unlock(&db->mu);
		return IDP_ERR_UNAVAILABLE;
	}
	c->busy = true;
	pthread_mutex_unlock(&db->mu);

	if (reconnect && connect_one(db, c) != 0) {
		IDP_WARN("db.connect", " msg=\"%s\"", c->err);
		c->broken = true;
		pthread_mutex_lock(&db->mu);
		db->down_until = time(NULL) + 1;
		c->busy = false;
		pthread_cond_signal(&db->cv);
		pthread_mutex_unlock(&db->mu);
		return IDP_ERR_UNAVAILABLE;
	}
	if (reconnect)
		IDP_INFO("db.connect", " msg=connected");
	*out = c;
	return IDP_OK;
}

void
idp_db_release(struct idp_db *db, struct idp_dbconn *c)
{
	if (c == NULL)
		return;
	/* A connection left inside a transaction (a bug or an error path
	 * that forgot to roll back) must not leak it into the next request. */
	if (!c->broken && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
		PGresult *r = PQexec(c->pg, "ROLLBACK");

		PQclear(r);
		if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
			c->broken = true;
	}
	pthread_mutex_lock(&db->mu);
	c->busy = false;
	pthread_cond_signal(&db->cv);
	pthread_mutex_unlock(&db->mu);
}

const char *
idp_db_last_error(const struct idp_dbconn *c)
{
	return c->err;
}

static enum idp_err
classify(struct idp_dbconn *c, PGresult *r, const char *stmt)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	set_err(c, r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) :
	    PQerrorMessage(c->pg));
	if (PQstatus(c->pg) != CONNECTION_OK || state == NULL ||
	    !strncmp(state, "08", 2) || !strncmp(state, "57P", 3)) {
		c->broken = true;
		IDP_WARN("db.lost", " stmt=%s msg=\"%s\"", stmt, c->err);
		return IDP_ERR_UNAVAILABLE;
	}
	if (!strcmp(state, "23505"))
		return IDP_ERR_CONFLICT;
	if (!strncmp(state, "23", 2) || !strncmp(state, "22", 2))
		return IDP_ERR_INVALID_REQUEST;
	if (!strcmp(state, "57014") || !strcmp(state, "55P03") ||
	    !strcmp(state, "40001") || !strcmp(state, "40P01"))
		return IDP_ERR_UNAVAILABLE;	/* timeout, lock, serialization */
	IDP_ERROR("db.error", " stmt=%s sqlstate=%s msg=\"%s\"", stmt, state,
	    c->err);
	return IDP_ERR_INTERNAL;
}

enum idp_err
idp_db_exec(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n, PGresult **res)
{
	const char *vals[32];
	int lens[32], fmts[32];
	PGresult *r;
	ExecStatusType st;
	enum idp_err rc;

	*res = NULL;
	if (c->broken)
		return IDP_ERR_UNAVAILABLE;
	if (n > 32)
		return IDP_ERR_INTERNAL;
	for (int i = 0; i < n; i++) {
		vals[i] = params[i].v;
		lens[i] = params[i].len;
		fmts[i] = params[i].len > 0 ? 1 : 0;
	}
	r = PQexecPrepared(c->pg, stmt, n, vals, lens, fmts, 0);
	st = PQresultStatus(r);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		*res = r;
		return IDP_OK;
	}
	rc = classify(c, r, stmt);
	PQclear(r);
	return rc;
}

enum idp_err
idp_db_exec_row(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n, PGresult **res)
{
	enum idp_err rc = idp_db_exec(c, stmt, params, n, res);

	if (rc == IDP_OK && PQntuples(*res) != 1) {
		PQclear(*res);
		*res = NULL;
		rc = IDP_ERR_NOT_FOUND;
	}
	return rc;
}

enum idp_err
idp_db_run_one(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, stmt, params, n, &r);

	if (rc == IDP_OK && strcmp(PQcmdTuples(r), "1") != 0)
		rc = IDP_ERR_NOT_FOUND;
	PQclear(r);
	return rc;
}

static enum idp_err simple(struct idp_dbconn *c, const char *sql);

enum idp_err
idp_db_exec_durable(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n, PGresult **res)
{
	enum idp_err rc;

	*res = NULL;
	if ((rc = simple(c, "BEGIN")) != IDP_OK)
		return rc;
	if ((rc = simple(c, "SET LOCAL synchronous_commit = on")) != IDP_OK ||
	    (rc = idp_db_exec(c, stmt, params, n, res)) != IDP_OK ||
	    (rc = simple(c, "COMMIT")) != IDP_OK) {
		PQclear(*res);
		*res = NULL;
		idp_db_rollback(c);
	}
	return rc;
}

enum idp_err
idp_db_run(struct idp_dbconn *c, const char *stmt,
    const struct idp_param *params, int n)
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec(c, stmt, params, n, &r);

	PQclear(r);
	return rc;
}

static enum idp_err
simple(struct idp_dbconn *c, const char *sql)
{
	PGresult *r;
	enum idp_err rc = IDP_OK;

	if (c->broken)
		return IDP_ERR_UNAVAILABLE;
	r = PQexec(c->pg, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = classify(c, r, sql);
	PQclear(r);
	return rc;
}

enum idp_err
idp_db_ping(struct idp_dbconn *c)
{
	return idp_db_run(c, "health_ping", NULL, 0);
}

enum idp_err
idp_db_begin(struct idp_dbconn *c)
{
	return simple(c, "BEGIN");
}

enum idp_err
idp_db_commit(struct idp_dbconn *c)
{
	return simple(c, "COMMIT");
}

void
idp_db_rollback(struct idp_dbconn *c)
{
	if (!c->broken && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		(void)simple(c, "ROLLBACK");
}

PGconn *
idp_db_pgconn(struct idp_dbconn *c)
{
	return c->pg;
}

const char *
idp_db_val(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return PQgetvalue(r, row, col);
}

bool
idp_db_bool(const PGresult *r, int row, int col)
{
	const char *v = idp_db_val(r, row, col);

	return v != NULL && v[0] == 't';
}

long long
idp_db_ll(const PGresult *r, int row, int col)
{
	const char *v = idp_db_val(r, row, col);

	return v ? strtoll(v, NULL, 10) : 0;
}

int
idp_db_hex32(const char *s, unsigned char out[32])
{
	if (s == NULL || strlen(s) != 64)
		return -1;
	for (int i = 0; i < 32; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/conn.h"
#include "store/statements.h"
#include "util/log.h"
#include "util/mem.h"

/* After a failed connection attempt or a statement that got no answer,
 * nothing is borrowed for this long; then one borrow at a time tests the
 * database until it answers. */
#define HOLD_NS 1000000000u

struct idp_db {
	struct idp_conn_opts opts;
	char *conninfo;
	int size;
	struct idp_dbconn *conns;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* The circuit: "suspect" once the database failed to answer; while
	 * suspect only the probe borrow talks to it, the others fail at
	 * once, so a frozen database holds one worker, not all of them.
	 * Any answer from the server closes the circuit again. */
	atomic_bool suspect;
	bool probing;
	uint64_t hold_until;	/* no borrow before this (idp_mono_ns) */
	/* Bumped when the server may have gone away: connections made
	 * before reconnect when next borrowed instead of failing once each. */
	unsigned gen;
	struct idp_db_stats st;	/* under mu */
};

struct idp_db *
idp_db_new(const char *conninfo, int size, int connect_timeout, bool prepare)
{
	struct idp_db *db = idp_xcalloc(1, sizeof(*db));
	pthread_condattr_t ca;

	db->conninfo = idp_xstrdup(conninfo);
	db->opts.conninfo = db->conninfo;
	db->opts.connect_timeout = connect_timeout < 1 ? 1 : connect_timeout;
	db->opts.prepare = prepare;
	db->size = size < 1 ? 1 : size;
	db->conns = idp_xcalloc((size_t)db->size, sizeof(*db->conns));
	for (int i = 0; i < db->size; i++) {
		db->conns[i].broken = true;	/* connect lazily */
		db->conns[i].db = db;
	}
	atomic_init(&db->suspect, false);
	pthread_mutex_init(&db->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&db->cv, &ca);
	pthread_condattr_destroy(&ca);
	return db;
}

void
idp_db_set_deadline(struct idp_db *db, int ms)
{
	db->opts.deadline_ms = ms < 0 ? 0 : ms;
}

void
idp_db_free(struct idp_db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < db->size; i++)
		idp_conn_close(&db->conns[i]);
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
		if (idp_conn_open(c, &db->opts, 0) == 0) {
			c->broken = false;
			c->gen = db->gen;
			return IDP_OK;
		}
		snprintf(why, whylen, "%s", c->err);
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

/* The server answered: whatever failed before is over. */
static void
answered(struct idp_db *db)
{
	if (!atomic_load(&db->suspect))
		return;
	pthread_mutex_lock(&db->mu);
	if (atomic_exchange(&db->suspect, false))
		IDP_INFO("db.up", " msg=\"the database answers again\"");
	pthread_mutex_unlock(&db->mu);
}

/* The server did not answer (no connection, or no answer in time). Call
 * with the mutex held. */
static void
trip_locked(struct idp_db *db)
{
	if (!atomic_exchange(&db->suspect, true))
		IDP_WARN("db.down", " msg=\"the database does not answer; "
		    "requests get 503 while one at a time tests it\"");
	db->gen++;
	db->st.errors++;
	db->hold_until = idp_mono_ns() + HOLD_NS;
}

/* An idle connection, healthy ones first; NULL when all are lent. */
static struct idp_dbconn *
pick_locked(struct idp_db *db)
{
	for (int i = 0; i < db->size; i++) {
		struct idp_dbconn *c = &db->conns[i];

		if (!c->busy && !c->broken && c->gen == db->gen)
			return c;
	}
	for (int i = 0; i < db->size; i++)
		if (!db->conns[i].busy)
			return &db->conns[i];
	return NULL;
}

/* Take a connection before deadline (0: within 5 s), or fail at once
 * while the circuit says the database does not answer. */
static struct idp_dbconn *
take(struct idp_db *db, uint64_t deadline)
{
	uint64_t until = deadline ? deadline : idp_mono_ns() + 5 * HOLD_NS;
	struct timespec ts = { (time_t)(until / 1000000000u),
		(long)(until % 1000000000u) };
	struct idp_dbconn *c = NULL;
	uint64_t waited = 0;

	pthread_mutex_lock(&db->mu);
	for (;;) {
		if (idp_mono_ns() < db->hold_until ||
		    (atomic_load(&db->suspect) && db->probing))
			break;
		if ((c = pick_locked(db)) != NULL) {
			c->busy = true;
			c->probe = atomic_load(&db->suspect);
			db->probing = db->probing || c->probe;
			db->st.in_use++;
			break;
		}
		if (waited == 0) {
			waited = idp_mono_ns();
			db->st.waits++;
		}
		if (pthread_cond_timedwait(&db->cv, &db->mu, &ts) != 0) {
			IDP_WARN("db.pool", " msg=\"no free connection in "
			    "time\"");
			break;
		}
	}
	if (waited != 0)
		db->st.wait_us += (idp_mono_ns() - waited) / 1000;
	if (c == NULL)
		db->st.timeouts++;
	pthread_mutex_unlock(&db->mu);
	return c;
}

void
idp_db_stats(struct idp_db *db, struct idp_db_stats *out)
{
	pthread_mutex_lock(&db->mu);
	*out = db->st;
	out->size = db->size;
	pthread_mutex_unlock(&db->mu);
}

/* Give c back; fail=true when it could not connect. */
static void
put(struct idp_db *db, struct idp_dbconn *c, bool fail)
{
	pthread_mutex_lock(&db->mu);
	if (fail)
		trip_locked(db);
	if (c->probe)
		db->probing = false;
	c->probe = false;
	c->busy = false;
	db->st.in_use--;
	pthread_cond_signal(&db->cv);
	pthread_mutex_unlock(&db->mu);
}

/* A deadline ms from now; 0 (none) when ms is 0. */
static uint64_t
after_ms(int ms)
{
	return ms ? idp_mono_ns() + (uint64_t)ms * 1000000u : 0;
}

static enum idp_err
acquire(struct idp_db *db, uint64_t deadline, int stmt_ms,
    struct idp_dbconn **out)
{
	struct idp_dbconn *c = take(db, deadline);
	unsigned gen;

	if (c == NULL)
		return IDP_ERR_UNAVAILABLE;
	c->deadline = deadline;
	c->stmt_ms = stmt_ms;
	pthread_mutex_lock(&db->mu);
	gen = db->gen;
	pthread_mutex_unlock(&db->mu);
	if (c->broken || c->gen != gen) {
		int o = idp_conn_open(c, &db->opts, deadline);

		if (o != 0) {
			IDP_WARN("db.connect", " msg=\"%s\"", c->err);
			c->broken = true;
			if (o > 0)
				answered(db);	/* alive, only busy */
			put(db, c, o < 0);
			return IDP_ERR_UNAVAILABLE;
		}
		c->broken = false;
		c->gen = gen;
		answered(db);
		IDP_INFO("db.connect", " msg=connected");
	}
	*out = c;
	return IDP_OK;
}

enum idp_err
idp_db_acquire(struct idp_db *db, struct idp_dbconn **out)
{
	return acquire(db, after_ms(db->opts.deadline_ms), 0, out);
}

/* Background borrows give each statement three request deadlines: longer
 * than the server's statement_timeout, so a slow statement ends in the
 * server's own error rather than in a dropped connection and an open
 * circuit, and a long series of quick ones (a purge) is not cut. */
enum idp_err
idp_db_acquire_background(struct idp_db *db, struct idp_dbconn **out)
{
	int ms = 3 * db->opts.deadline_ms;

	return acquire(db, after_ms(ms), ms, out);
}

static enum idp_err simple(struct idp_dbconn *c, const char *sql);

void
idp_db_release(struct idp_db *db, struct idp_dbconn *c)
{
	if (c == NULL)
		return;
	/* A connection left inside a transaction (a bug or an error path
	 * that forgot to roll back) must not leak it into the next request. */
	if (!c->broken && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
		c->deadline = after_ms(db->opts.deadline_ms);
		c->stmt_ms = 0;
		(void)simple(c, "ROLLBACK");
		if (!c->broken && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
			c->broken = true;
			idp_conn_close(c);
		}
	}
	put(db, c, false);
}

const char *
idp_db_last_error(const struct idp_dbconn *c)
{
	return c->err;
}

/* The connection failed under a statement: drop it. Its siblings may be
 * dead too (a restarted server), so they reconnect when next borrowed
 * rather than fail one request each. */
static enum idp_err
lost(struct idp_dbconn *c, const char *what)
{
	struct idp_db *db = c->db;

	IDP_WARN("db.lost", " stmt=%s msg=\"%s\"", what, c->err);
	c->broken = true;
	idp_conn_close(c);
	pthread_mutex_lock(&db->mu);
	if (c->gen == db->gen)
		db->gen++;
	pthread_mutex_unlock(&db->mu);
	return IDP_ERR_UNAVAILABLE;
}

/* No answer by the deadline: abandon the connection, and open the circuit
 * when the statement itself waited long enough to say the server does not
 * answer (a quarter of a request's deadline; a healthy server answers in
 * a millisecond), not merely that the borrow's time was nearly spent.
 * No PQcancel: in libpq 15 it waits for the very server that does not
 * answer. The server ends the statement by itself (statement_timeout) or
 * when it notices that idp left (client_connection_check_interval). */
static enum idp_err
timed_out(struct idp_dbconn *c, const char *what, uint64_t sent)
{
	struct idp_db *db = c->db;
	uint64_t waited = idp_mono_ns() - sent;

	idp_conn_set_err(c, "no answer from the database in time");
	IDP_WARN("db.timeout", " stmt=%s ms=%llu msg=\"no answer within the "
	    "borrow's deadline; connection dropped\"", what,
	    (unsigned long long)(waited / 1000000u));
	c->broken = true;
	idp_conn_close(c);
	pthread_mutex_lock(&db->mu);
	if (waited >= (uint64_t)db->opts.deadline_ms * 250000u)
		trip_locked(db);
	pthread_mutex_unlock(&db->mu);
	return IDP_ERR_UNAVAILABLE;
}

/* Before a send: the connection is usable and the borrow has time left.
 * A borrow that spent its time elsewhere fails without touching the
 * connection, which stays good. Sets *sent. */
static enum idp_err
may_send(struct idp_dbconn *c, uint64_t *sent)
{
	if (c->broken)
		return IDP_ERR_UNAVAILABLE;
	*sent = idp_mono_ns();
	if (c->stmt_ms > 0)
		c->deadline = *sent + (uint64_t)c->stmt_ms * 1000000u;
	if (c->deadline != 0 && *sent >= c->deadline) {
		idp_conn_set_err(c, "the borrow's database time ran out");
		return IDP_ERR_UNAVAILABLE;
	}
	return IDP_OK;
}

static bool
result_ok(const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);

	return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

/* Wait, until the borrow's deadline, for the answer to what was sent at
 * sent: its first failed result, else its last one. */
static enum idp_err
collect(struct idp_dbconn *c, const char *what, uint64_t sent,
    PGresult **out)
{
	PGresult *keep = NULL, *r;
	enum idp_wait w;

	*out = NULL;
	for (;;) {
		if ((w = idp_conn_await(c, c->deadline)) != IDP_WAIT_OK) {
			PQclear(keep);
			return w == IDP_WAIT_TIMEOUT ?
			    timed_out(c, what, sent) : lost(c, what);
		}
		if ((r = PQgetResult(c->pg)) == NULL)
			break;
		if (keep == NULL || result_ok(keep)) {
			PQclear(keep);
			keep = r;
		} else {
			PQclear(r);
		}
	}
	answered(c->db);
	*out = keep;
	return IDP_OK;
}

static enum idp_err
classify(struct idp_dbconn *c, PGresult *r, const char *stmt)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	idp_conn_set_err(c, r && PQresultErrorMessage(r)[0] ?
	    PQresultErrorMessage(r) : PQerrorMessage(c->pg));
	/* 25006: a write reached a standby (a failover in progress, or a
	 * proxy that has not yet noticed): the server is not the primary any
	 * more, so this connection is dropped like a lost one and the next
	 * borrow connects again, to the new primary. */
	if (PQstatus(c->pg) != CONNECTION_OK || state == NULL ||
	    !strncmp(state, "08", 2) || !strncmp(state, "57P", 3) ||
	    !strcmp(state, "25006"))
		return lost(c, stmt);
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
	uint64_t sent;
	enum idp_err rc;

	*res = NULL;
	if (n > 32)
		return IDP_ERR_INTERNAL;
	if ((rc = may_send(c, &sent)) != IDP_OK)
		return rc;
	for (int i = 0; i < n; i++) {
		vals[i] = params[i].v;
		lens[i] = params[i].len;
		fmts[i] = params[i].len > 0 ? 1 : 0;
	}
	if (!PQsendQueryPrepared(c->pg, stmt, n, vals, lens, fmts, 0)) {
		idp_conn_set_err(c, PQerrorMessage(c->pg));
		return lost(c, stmt);
	}
	if ((rc = collect(c, stmt, sent, &r)) != IDP_OK)
		return rc;
	if (r != NULL && result_ok(r)) {
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
	uint64_t sent;
	enum idp_err rc;

	if ((rc = may_send(c, &sent)) != IDP_OK)
		return rc;
	if (!PQsendQuery(c->pg, sql)) {
		idp_conn_set_err(c, PQerrorMessage(c->pg));
		return lost(c, sql);
	}
	if ((rc = collect(c, sql, sent, &r)) != IDP_OK)
		return rc;
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = classify(c, r, sql);
	PQclear(r);
	return rc;
}

enum idp_err
idp_db_ping(struct idp_dbconn *c)
{
	return idp_db_run(c, "health_ping", NULL, 0);
}

void
idp_db_warn_if_async(struct idp_db *db)
{
	struct idp_dbconn *c;
	PGresult *r = NULL;

	if (idp_db_acquire(db, &c) != IDP_OK)
		return;
	if (idp_db_exec_row(c, "sync_commit_off", NULL, 0, &r) == IDP_OK &&
	    idp_db_bool(r, 0, 0))
		IDP_WARN("db.async_commit", " msg=\"synchronous_commit is off: "
		    "what idp answered in the last moments before a crash of "
		    "PostgreSQL can be lost\"");
	PQclear(r);
	idp_db_release(db, c);
}

enum idp_err
idp_db_begin(struct idp_dbconn *c)
{
	return simple(c, "BEGIN");
}

enum idp_err
idp_db_commit(struct idp_dbconn *c)
{
	/* A statement of the transaction failed: COMMIT would roll back
	 * and report success. */
	if (!c->broken && PQtransactionStatus(c->pg) == PQTRANS_INERROR) {
		idp_db_rollback(c);
		return IDP_ERR_INTERNAL;
	}
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

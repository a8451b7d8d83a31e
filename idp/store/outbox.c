#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/outbox.h"
#include "store/statements.h"

#define EPOCH(x) "floor(extract(epoch from " x "))::bigint"
/* Up to $1 due rows of the kinds $4 that also match which, leased for $2
 * seconds to $3. Two statements of it, so that each has a plan of its own. */
#define CLAIM(which)							\
	"UPDATE outbox o SET attempts = o.attempts + 1, leased_by = $3, "	\
	"leased_until = now() + make_interval(secs => $2), "		\
	"next_attempt_at = now() + make_interval(secs => $2) "		\
	"FROM (SELECT id FROM outbox WHERE state = 'pending' "		\
	"AND next_attempt_at <= now() AND kind = ANY ($4::text[]) "	\
	which								\
	"ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) d "	\
	"WHERE o.id = d.id RETURNING o.id, o.kind, o.label, o.target, "	\
	"o.payload, o.attempts, " EPOCH("o.give_up_at") ", "		\
	"coalesce(o.user_id, 0)"

const struct idp_stmt idp_outbox_stmts[] = {
	{ "outbox_put",
	  "INSERT INTO outbox (kind, label, target, payload, user_id, "
	  "give_up_at) VALUES ($1, $2, $3, $4, $5, "
	  "now() + make_interval(secs => $6))", 6 },
	/* A claim moves next_attempt_at past the lease: if this instance
	 * dies, the row comes due again when the lease ends. */
	{ "outbox_claim", CLAIM("AND NOT (target = ANY ($5::text[])) "), 5 },
	/* The probe of a service that was down: one of its due rows. */
	{ "outbox_claim_target", CLAIM("AND target = $5 "), 5 },
	/* A service back after it was down: its rows waiting for their own
	 * backoff are due now. Leased rows are in flight somewhere. */
	{ "outbox_revive",
	  "UPDATE outbox SET next_attempt_at = now() WHERE state = 'pending' "
	  "AND kind = $1 AND target = $2 AND next_attempt_at > now() "
	  "AND leased_until IS NULL", 2 },
	{ "outbox_done",
	  "UPDATE outbox SET state = $2, done_at = now(), payload = NULL, "
	  "last_status = $3, last_error = $4, leased_by = NULL, "
	  "leased_until = NULL WHERE id = $1 AND state = 'pending' "
	  "RETURNING state", 4 },
	/* Retried until give_up_at (the last try at the latest then). */
	{ "outbox_retry",
	  "UPDATE outbox SET last_status = $3, last_error = $4, "
	  "leased_by = NULL, leased_until = NULL, "
	  "next_attempt_at = least(now() + make_interval(secs => $2), "
	  "give_up_at), "
	  "state = CASE WHEN now() >= give_up_at THEN 'failed' "
	  "ELSE 'pending' END, "
	  "done_at = CASE WHEN now() >= give_up_at THEN now() END, "
	  "payload = CASE WHEN now() >= give_up_at THEN NULL ELSE payload END "
	  "WHERE id = $1 AND state = 'pending' RETURNING state", 4 },
	{ "outbox_purge",
	  "DELETE FROM outbox WHERE ctid = ANY (ARRAY(SELECT ctid FROM outbox "
	  "WHERE state <> 'pending' AND done_at < now() - "
	  "make_interval(secs => $1) LIMIT $2))", 2 },
	{ "outbox_status",
	  "SELECT kind, label, count(*) FILTER (WHERE state = 'pending'), "
	  "count(*) FILTER (WHERE state = 'delivered'), "
	  "count(*) FILTER (WHERE state = 'failed'), "
	  "coalesce(" EPOCH("now() - min(created_at) FILTER "
	  "(WHERE state = 'pending')") ", 0), "
	  "(array_agg(last_error ORDER BY coalesce(done_at, next_attempt_at) "
	  "DESC) FILTER (WHERE last_error IS NOT NULL))[1], "
	  "coalesce(" EPOCH("max(coalesce(done_at, next_attempt_at)) FILTER "
	  "(WHERE last_error IS NOT NULL)") ", 0), "
	  "(array_agg(last_status ORDER BY coalesce(done_at, next_attempt_at) "
	  "DESC) FILTER (WHERE last_error IS NOT NULL))[1] "
	  "FROM outbox WHERE $1::text IS NULL OR kind = $1 "
	  "GROUP BY kind, label ORDER BY kind, label", 1 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_outbox_put(struct idp_dbconn *c, const struct idp_outbox_new *m)
{
	char uid[24], gu[24];
	struct idp_param p[6] = { P_TXT(m->kind), P_TXT(m->label),
		P_TXT(m->target), P_TXT(m->payload), P_TXT(uid), P_TXT(gu) };

	snprintf(uid, sizeof(uid), "%lld", m->user_id);
	snprintf(gu, sizeof(gu), "%lld", (long long)m->give_up);
	if (m->user_id == 0)
		p[4] = P_NULL;
	return idp_db_run(c, "outbox_put", p, 6);
}

static char *
dup(struct idp_arena *a, const PGresult *r, int row, int col)
{
	return idp_arena_strdup(a, idp_db_val(r, row, col));
}

static enum idp_err
claim(struct idp_dbconn *c, struct idp_arena *a, const char *stmt,
    const char *kinds, const char *last, int limit, int lease,
    const char *owner, struct idp_outbox_msg **out, int *n)
{
	char lim[16], ls[16];
	struct idp_param p[5] = { P_TXT(lim), P_TXT(ls), P_TXT(owner),
		P_TXT(kinds), P_TXT(last) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(lim, sizeof(lim), "%d", limit);
	snprintf(ls, sizeof(ls), "%d", lease);
	*n = 0;
	if ((rc = idp_db_exec(c, stmt, p, 5, &r)) != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_outbox_msg *m = &(*out)[i];

		m->id = idp_db_ll(r, i, 0);
		m->kind = dup(a, r, i, 1);
		m->label = dup(a, r, i, 2);
		m->target = dup(a, r, i, 3);
		m->payload = dup(a, r, i, 4);
		m->attempts = (int)idp_db_ll(r, i, 5);
		m->give_up_at = idp_db_ll(r, i, 6);
		m->user_id = idp_db_ll(r, i, 7);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_outbox_claim(struct idp_dbconn *c, struct idp_arena *a,
    const char *kinds, const char *skip, int limit, int lease,
    const char *owner, struct idp_outbox_msg **out, int *n)
{
	return claim(c, a, "outbox_claim", kinds, skip != NULL ? skip : "{}",
	    limit, lease, owner, out, n);
}

enum idp_err
idp_store_outbox_claim_target(struct idp_dbconn *c, struct idp_arena *a,
    const char *kinds, const char *target, int limit, int lease,
    const char *owner, struct idp_outbox_msg **out, int *n)
{
	return claim(c, a, "outbox_claim_target", kinds, target, limit, lease,
	    owner, out, n);
}

enum idp_err
idp_store_outbox_revive(struct idp_dbconn *c, const char *kind,
    const char *target)
{
	struct idp_param p[2] = { P_TXT(kind), P_TXT(target) };

	return idp_db_run(c, "outbox_revive", p, 2);
}

enum idp_err
idp_store_outbox_record(struct idp_dbconn *c, long long id,
    enum idp_outbox_state st, int64_t delay, long status, const char *error,
    enum idp_outbox_state *final)
{
	char ib[24], db[24], sb[24];
	const char *state = st == IDP_OUTBOX_DELIVERED ? "delivered" : "failed";
	struct idp_param p[4] = { P_TXT(ib), P_TXT(state), P_TXT(sb),
		P_TXT(error) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(ib, sizeof(ib), "%lld", id);
	snprintf(db, sizeof(db), "%lld", (long long)delay);
	snprintf(sb, sizeof(sb), "%ld", status);
	if (status == 0)
		p[2] = P_NULL;
	if (st == IDP_OUTBOX_RETRY)
		p[1] = P_TXT(db);
	rc = idp_db_exec_row(c, st == IDP_OUTBOX_RETRY ? "outbox_retry" :
	    "outbox_done", p, 4, &r);
	if (rc != IDP_OK)
		return rc;
	{
		const char *v = idp_db_val(r, 0, 0);

		*final = !strcmp(v, "delivered") ? IDP_OUTBOX_DELIVERED :
		    !strcmp(v, "failed") ? IDP_OUTBOX_FAILED :
		    IDP_OUTBOX_RETRY;
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_outbox_purge(struct idp_dbconn *c, int64_t retention, int batch,
    int max_rounds, long long *deleted)
{
	char rb[24], bb[16];
	struct idp_param p[2] = { P_TXT(rb), P_TXT(bb) };

	snprintf(rb, sizeof(rb), "%lld", (long long)retention);
	snprintf(bb, sizeof(bb), "%d", batch);
	*deleted = 0;
	for (int round = 0; round < max_rounds; round++) {
		PGresult *r = NULL;
		enum idp_err rc = idp_db_exec(c, "outbox_purge", p, 2, &r);
		long long k;

		if (rc != IDP_OK)
			return rc;
		k = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
		*deleted += k;
		if (k < batch)
			break;
	}
	return IDP_OK;
}

enum idp_err
idp_store_outbox_status(struct idp_dbconn *c, struct idp_arena *a,
    const char *kind, struct idp_outbox_stat **out, int *n)
{
	struct idp_param p[1] = { P_TXT(kind) };
	PGresult *r = NULL;
	enum idp_err rc;

	*n = 0;
	if ((rc = idp_db_exec(c, "outbox_status", p, 1, &r)) != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_outbox_stat *s = &(*out)[i];

		s->kind = dup(a, r, i, 0);
		s->label = dup(a, r, i, 1);
		s->pending = idp_db_ll(r, i, 2);
		s->delivered = idp_db_ll(r, i, 3);
		s->failed = idp_db_ll(r, i, 4);
		s->oldest_pending = idp_db_ll(r, i, 5);
		s->last_error = dup(a, r, i, 6);
		s->last_error_at = idp_db_ll(r, i, 7);
		s->last_status = (long)idp_db_ll(r, i, 8);
	}
	PQclear(r);
	return IDP_OK;
}

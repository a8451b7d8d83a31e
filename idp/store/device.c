#include <stdio.h>
#include <string.h>

#include "store/device.h"
#include "store/statements.h"

#define SECS(n) "make_interval(secs => $" #n ")"
#define EPOCH(x) "floor(extract(epoch from " x "))::bigint"

const struct idp_stmt idp_device_stmts[] = {
	{ "device_insert",
	  "INSERT INTO device_authorizations (device_code_digest, "
	  "user_code_digest, client_id, scope, expires_at, interval_s, ip) "
	  "VALUES ($1, $2, $3, $4, now() + " SECS(5) ", $6, $7::inet)", 7 },
	/* One poll: the row is locked, its state read (o), and the poll
	 * recorded: the time, the interval 5 s longer when it came sooner
	 * than the interval allowed, and an approved authorization marked
	 * used, so that only one poll ever issues its tokens. */
	{ "device_poll",
	  "WITH o AS (SELECT id, status, expires_at <= now() AS expired, "
	  "status = 'pending' AND last_poll_at IS NOT NULL AND now() < "
	  "last_poll_at + make_interval(secs => interval_s) AS fast "
	  "FROM device_authorizations WHERE device_code_digest = $1 "
	  "AND client_id = $2 FOR UPDATE) "
	  "UPDATE device_authorizations d SET last_poll_at = now(), "
	  "interval_s = least(3600, d.interval_s + CASE WHEN o.fast AND NOT "
	  "o.expired THEN 5 ELSE 0 END), "
	  "status = CASE WHEN o.status = 'approved' AND NOT o.expired "
	  "THEN 'used' ELSE d.status END, "
	  "used_at = CASE WHEN o.status = 'approved' AND NOT o.expired "
	  "THEN now() ELSE d.used_at END "
	  "FROM o WHERE d.id = o.id "
	  "RETURNING o.status, o.expired, o.fast, d.id, coalesce(d.user_id, 0), "
	  "coalesce(d.session_id, 0), "
	  "(SELECT sid FROM sessions WHERE id = d.session_id), d.scope, "
	  "coalesce(" EPOCH("d.auth_time") ", 0), d.acr, "
	  "array_to_string(d.amr, ' '), d.grant_id::text", 2 },
	{ "device_link",
	  "UPDATE device_authorizations SET grant_id = $2::uuid "
	  "WHERE id = $1", 2 },
	{ "device_claim",
	  "UPDATE device_authorizations d SET user_id = CASE WHEN "
	  "d.user_id IS NULL AND d.status = 'pending' AND d.expires_at > now() "
	  "THEN $2 ELSE d.user_id END "
	  "WHERE user_code_digest = $1 "
	  "RETURNING d.client_id, d.scope, d.status, d.expires_at <= now(), "
	  "coalesce(d.user_id = $2, false), " EPOCH("d.created_at") ", "
	  EPOCH("d.expires_at"), 2 },
	{ "device_decide",
	  "UPDATE device_authorizations SET status = CASE WHEN $3 THEN "
	  "'approved' ELSE 'denied' END, session_id = nullif($4, 0), "
	  "auth_time = to_timestamp($5), acr = $6, "
	  "amr = string_to_array($7, ' '), decided_at = now() "
	  "WHERE user_code_digest = $1 AND user_id = $2 AND status = 'pending' "
	  "AND expires_at > now() RETURNING client_id, scope", 7 },
	{ NULL, NULL, 0 },
};

static char *
dup(struct idp_arena *a, const PGresult *r, int c)
{
	return idp_arena_strdup(a, idp_db_val(r, 0, c));
}

static void
ll(char buf[24], long long v)
{
	snprintf(buf, 24, "%lld", v);
}

enum idp_err
idp_store_device_insert(struct idp_dbconn *c, const struct idp_device_new *n)
{
	char ttl[24], iv[24];
	struct idp_param p[7] = { P_BIN(n->device_digest, IDP_SHA256_LEN),
		P_BIN(n->user_digest, IDP_SHA256_LEN), P_TXT(n->client_id),
		P_TXT(n->scope), P_TXT(ttl), P_TXT(iv), P_TXT(n->ip) };

	ll(ttl, n->ttl);
	ll(iv, n->interval);
	return idp_db_run(c, "device_insert", p, 7);
}

enum idp_err
idp_store_device_poll(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char device_digest[IDP_SHA256_LEN], const char *client_id,
    struct idp_device_polled **out)
{
	struct idp_param p[2] = { P_BIN(device_digest, IDP_SHA256_LEN),
		P_TXT(client_id) };
	PGresult *r = NULL;
	struct idp_device_polled *d;
	enum idp_err rc = idp_db_exec_row(c, "device_poll", p, 2, &r);

	if (rc != IDP_OK)
		return rc;
	d = idp_arena_zalloc(a, sizeof(*d));
	d->status = dup(a, r, 0);
	d->expired = idp_db_bool(r, 0, 1);
	d->too_fast = idp_db_bool(r, 0, 2);
	d->id = idp_db_ll(r, 0, 3);
	d->user_id = idp_db_ll(r, 0, 4);
	d->session_id = idp_db_ll(r, 0, 5);
	d->sid = dup(a, r, 6);
	d->scope = dup(a, r, 7);
	d->auth_time = idp_db_ll(r, 0, 8);
	d->acr = dup(a, r, 9);
	d->amr = dup(a, r, 10);
	d->grant_id = dup(a, r, 11);
	PQclear(r);
	*out = d;
	return IDP_OK;
}

enum idp_err
idp_store_device_link(struct idp_dbconn *c, long long id, const char *grant_id)
{
	char i[24];
	struct idp_param p[2] = { P_TXT(i), P_TXT(grant_id) };

	ll(i, id);
	return idp_db_run_one(c, "device_link", p, 2);
}

enum idp_err
idp_store_device_claim(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char user_digest[IDP_SHA256_LEN], long long user_id,
    struct idp_device_seen **out)
{
	char uid[24];
	struct idp_param p[2] = { P_BIN(user_digest, IDP_SHA256_LEN),
		P_TXT(uid) };
	PGresult *r = NULL;
	struct idp_device_seen *s;
	enum idp_err rc;

	ll(uid, user_id);
	if ((rc = idp_db_exec_row(c, "device_claim", p, 2, &r)) != IDP_OK)
		return rc;
	s = idp_arena_zalloc(a, sizeof(*s));
	s->client_id = dup(a, r, 0);
	s->scope = dup(a, r, 1);
	s->status = dup(a, r, 2);
	s->expired = idp_db_bool(r, 0, 3);
	s->mine = idp_db_bool(r, 0, 4);
	s->created_at = idp_db_ll(r, 0, 5);
	s->expires_at = idp_db_ll(r, 0, 6);
	PQclear(r);
	*out = s;
	return IDP_OK;
}

enum idp_err
idp_store_device_decide(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_device_decision *d, char **client_id, char **scope)
{
	char uid[24], sid[24], at[24];
	struct idp_param p[7] = { P_BIN(d->user_digest, IDP_SHA256_LEN),
		P_TXT(uid), P_TXT(d->approve ? "true" : "false"), P_TXT(sid),
		P_TXT(at), P_TXT(d->acr), P_TXT(d->amr) };
	PGresult *r = NULL;
	enum idp_err rc;

	ll(uid, d->user_id);
	ll(sid, d->session_id);
	ll(at, d->auth_time);
	if ((rc = idp_db_exec_row(c, "device_decide", p, 7, &r)) != IDP_OK)
		return rc;
	*client_id = dup(a, r, 0);
	*scope = dup(a, r, 1);
	PQclear(r);
	return IDP_OK;
}

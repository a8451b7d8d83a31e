#include <stdio.h>

#include "store/statements.h"
#include "store/usersession.h"

const struct idp_stmt idp_usersession_stmts[] = {
	{ "sessions_of",
	  "SELECT s.id, s.sid, floor(extract(epoch from s.created_at))::bigint, "
	  "floor(extract(epoch from s.last_seen_at))::bigint, host(s.ip), "
	  "s.user_agent, (SELECT count(*) FROM session_clients sc "
	  "WHERE sc.session_id = s.id) FROM sessions s WHERE s.user_id = $1 "
	  "AND s.ended_at IS NULL AND s.expires_at > now() "
	  "AND s.idle_expires_at > now() ORDER BY s.last_seen_at DESC, s.id "
	  "DESC LIMIT 100", 1 },
	/* Ending sessions, revoking the grants asked for and every access
	 * and refresh token under them: one statement, one commit. */
	{ "sessions_end",
	  "WITH s AS (UPDATE sessions SET ended_at = now() WHERE user_id = $1 "
	  "AND ended_at IS NULL AND ($2::bigint IS NULL OR id = $2) "
	  "AND ($3::bigint IS NULL OR id <> $3) RETURNING id), "
	  "g AS (UPDATE grants SET revoked_at = now(), revoked_reason = $5 "
	  "WHERE user_id = $1 AND revoked_at IS NULL AND ($4 = 'all' OR "
	  "($4 = 'sessions' AND session_id IN (SELECT id FROM s))) "
	  "RETURNING id), "
	  "a AS (UPDATE access_tokens SET revoked_at = now() WHERE grant_id IN "
	  "(SELECT id FROM g) AND revoked_at IS NULL RETURNING 1), "
	  "r AS (UPDATE refresh_tokens SET revoked_at = now() WHERE grant_id IN "
	  "(SELECT id FROM g) AND revoked_at IS NULL RETURNING 1) "
	  "SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM g), "
	  "(SELECT count(*) FROM a) + (SELECT count(*) FROM r)", 5 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_sessions_of(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, struct idp_session_row **out, int *n)
{
	char uid[24];
	struct idp_param p[1] = { P_TXT(uid) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	*n = 0;
	if ((rc = idp_db_exec(c, "sessions_of", p, 1, &r)) != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_session_row *s = &(*out)[i];

		s->id = idp_db_ll(r, i, 0);
		s->sid = idp_arena_strdup(a, idp_db_val(r, i, 1));
		s->started = idp_db_ll(r, i, 2);
		s->last_used = idp_db_ll(r, i, 3);
		s->ip = idp_arena_strdup(a, idp_db_val(r, i, 4));
		s->user_agent = idp_arena_strdup(a, idp_db_val(r, i, 5));
		s->clients = (int)idp_db_ll(r, i, 6);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_sessions_end(struct idp_dbconn *c, long long user_id,
    long long only, long long keep, const char *grants, const char *reason,
    int *sessions, int *revoked)
{
	char uid[24], ob[24], kb[24];
	struct idp_param p[5] = { P_TXT(uid), P_TXT(ob), P_TXT(kb),
		P_TXT(grants), P_TXT(reason) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(ob, sizeof(ob), "%lld", only);
	snprintf(kb, sizeof(kb), "%lld", keep);
	if (only == 0)
		p[1] = P_NULL;
	if (keep == 0)
		p[2] = P_NULL;
	if ((rc = idp_db_exec_row(c, "sessions_end", p, 5, &r)) != IDP_OK)
		return rc;
	*sessions = (int)idp_db_ll(r, 0, 0);
	*revoked = (int)idp_db_ll(r, 0, 1);
	PQclear(r);
	return IDP_OK;
}

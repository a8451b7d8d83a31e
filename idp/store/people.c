#include <stdio.h>
#include <string.h>

#include "store/people.h"
#include "store/statements.h"

/* The expression of users_search_trgm_idx, written the same way so the
 * planner uses the index. */
#define SEARCH_TEXT "(lower(u.name) || ' ' || lower(u.username) || ' ' || " \
	"coalesce(lower(u.email), ''))"
#define HIT_COLS "u.id, u.username, u.name, u.nip, u.email, o.code, " \
	"o.name, u.disabled FROM users u " \
	"LEFT JOIN organisations o ON o.id = u.organisation_id "
#define LIVE "u.deleted_at IS NULL "
#define TEXT_MATCH SEARCH_TEXT " LIKE lower($1) "
#define IDENT_MATCH "(lower(u.username) LIKE lower($1) OR (u.email IS NOT NULL " \
	"AND lower(u.email) LIKE lower($1))) "
/* '9' < ':' in every collation PostgreSQL ships: a range on the NIP index. */
#define NIP_MATCH "u.nip >= $1 AND u.nip < $1 || ':' "

/* One statement per kind of query, so each has its own plan (a generic
 * "$1 IS NULL OR ..." plan could use no index). */
const struct idp_stmt idp_people_stmts[] = {
	/* The page's ids first, from users_name_order_idx alone (an
	 * index-only scan once vacuumed), then those 25 rows: a deep page
	 * neither sorts nor reads 33,000 rows. */
	{ "people_all",
	  "WITH p AS (SELECT u.id FROM users u WHERE " LIVE
	  "ORDER BY lower(u.name), u.id LIMIT $1 OFFSET $2) "
	  "SELECT " HIT_COLS "JOIN p ON p.id = u.id "
	  "ORDER BY lower(u.name), u.id", 2 },
	{ "people_all_count",
	  "SELECT count(*) FROM users u WHERE " LIVE, 0 },
	{ "people_text",
	  "SELECT " HIT_COLS "WHERE " LIVE "AND " TEXT_MATCH
	  "ORDER BY lower(u.name), u.id LIMIT $2 OFFSET $3", 3 },
	{ "people_text_count",
	  "SELECT count(*) FROM users u WHERE " LIVE "AND " TEXT_MATCH, 1 },
	{ "people_ident",
	  "SELECT " HIT_COLS "WHERE " LIVE "AND " IDENT_MATCH
	  "ORDER BY lower(u.name), u.id LIMIT $2 OFFSET $3", 3 },
	{ "people_ident_count",
	  "SELECT count(*) FROM users u WHERE " LIVE "AND " IDENT_MATCH, 1 },
	{ "people_nip",
	  "SELECT " HIT_COLS "WHERE " LIVE "AND " NIP_MATCH
	  "ORDER BY lower(u.name), u.id LIMIT $2 OFFSET $3", 3 },
	{ "people_nip_count",
	  "SELECT count(*) FROM users u WHERE " LIVE "AND " NIP_MATCH, 1 },
	/* What identifies the person goes; the row and its sub stay. */
	{ "user_erase",
	  "WITH k AS (DELETE FROM credentials WHERE user_id = $1), "
	  "c AS (DELETE FROM consents WHERE user_id = $1), "
	  "m AS (DELETE FROM memberships WHERE user_id = $1), "
	  "r AS (DELETE FROM password_resets WHERE user_id = $1), "
	  "x AS (DELETE FROM outbox WHERE user_id = $1 AND state = 'pending'), "
	  "a AS (UPDATE audit_log SET details = details - 'username' "
	  "WHERE user_id = $1 AND details ? 'username') "
	  "UPDATE users SET username = 'deleted.' || id, name = '-', "
	  "given_name = NULL, family_name = NULL, email = NULL, "
	  "email_verified = false, phone_number = NULL, "
	  "phone_number_verified = false, nip = NULL, job_title = NULL, "
	  "organisation_id = NULL, disabled = true, deleted_at = now() "
	  "WHERE id = $1 AND deleted_at IS NULL", 1 },
	{ "user_set_disabled_id",
	  "UPDATE users SET disabled = $2 WHERE id = $1 AND deleted_at IS NULL",
	  2 },
	{ NULL, NULL, 0 },
};

/* A LIKE pattern matching q anywhere (or, prefix, at the start): its own
 * % _ and \ escaped. */
static char *
like_pattern(struct idp_arena *a, const char *q, bool prefix)
{
	size_t n = strlen(q);
	char *p = idp_arena_alloc(a, n * 2 + 3), *o = p;

	if (!prefix)
		*o++ = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*o++ = '\\';
		*o++ = *q;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

/* What people type to find one account, not a name: the characters of
 * usernames and addresses only, with a dot, @ or _ among them. */
static bool
looks_like_identifier(const char *s)
{
	size_t n = strlen(s);

	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._@-") == n && strpbrk(s, "._@") != NULL;
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void
read_hits(struct idp_arena *a, const PGresult *r, struct idp_person_hit *h,
    int n)
{
	for (int i = 0; i < n; i++) {
		h[i].id = idp_db_ll(r, i, 0);
		h[i].username = idp_arena_strdup(a, idp_db_val(r, i, 1));
		h[i].name = idp_arena_strdup(a, idp_db_val(r, i, 2));
		h[i].nip = idp_arena_strdup(a, idp_db_val(r, i, 3));
		h[i].email = idp_arena_strdup(a, idp_db_val(r, i, 4));
		h[i].org_code = idp_arena_strdup(a, idp_db_val(r, i, 5));
		h[i].org_name = idp_arena_strdup(a, idp_db_val(r, i, 6));
		h[i].disabled = idp_db_bool(r, i, 7);
	}
}

enum idp_err
idp_store_people_search(struct idp_dbconn *c, struct idp_arena *a,
    const char *q, int limit, int offset, struct idp_person_hit **out,
    int *n, long long *total)
{
	char lb[16], ob[16];
	const char *kind = "people_all", *arg = NULL;
	char count[32];
	struct idp_param p[3];
	PGresult *r = NULL;
	enum idp_err rc;
	int np = 0;

	snprintf(lb, sizeof(lb), "%d", limit);
	snprintf(ob, sizeof(ob), "%d", offset);
	if (q != NULL && *q != '\0') {
		if (all_digits(q)) {
			kind = "people_nip";
			arg = q;
		} else if (looks_like_identifier(q)) {
			kind = "people_ident";
			arg = like_pattern(a, q, true);
		} else {
			kind = "people_text";
			arg = like_pattern(a, q, false);
		}
		p[np++] = P_TXT(arg);
	}
	snprintf(count, sizeof(count), "%s_count", kind);
	if ((rc = idp_db_exec_row(c, count, p, np, &r)) != IDP_OK)
		return rc;
	*total = idp_db_ll(r, 0, 0);
	PQclear(r);
	p[np++] = P_TXT(lb);
	p[np++] = P_TXT(ob);
	if ((rc = idp_db_exec(c, kind, p, np, &r)) != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	read_hits(a, r, *out, *n);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_user_erase(struct idp_dbconn *c, long long user_id)
{
	char b[24];
	struct idp_param p[1] = { P_TXT(b) };

	snprintf(b, sizeof(b), "%lld", user_id);
	return idp_db_run_one(c, "user_erase", p, 1);
}

enum idp_err
idp_store_user_set_disabled_id(struct idp_dbconn *c, long long user_id,
    bool disabled)
{
	char b[24];
	struct idp_param p[2] = { P_TXT(b), P_TXT(disabled ? "true" :
	    "false") };

	snprintf(b, sizeof(b), "%lld", user_id);
	return idp_db_run_one(c, "user_set_disabled_id", p, 2);
}

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
/* Keyset pagination: the page after (or before) the person named by the
 * cursor parameter, in name order, through the (lower(name), id) of
 * users_name_order_idx, so a deep page reads 25 index entries and not
 * every one before it. A cursor that names nobody (erased, made up)
 * gives an empty page. */
#define CURSOR(op, c) "AND (lower(u.name), u.id) " op " (SELECT " \
	"lower(c.name), c.id FROM users c WHERE c.id = " c ") "
#define ASC(l) "ORDER BY lower(u.name), u.id LIMIT " l
#define DESC(l) "ORDER BY lower(u.name) DESC, u.id DESC LIMIT " l
/* The count stops at IDP_PEOPLE_COUNT_CAP + 1 (201): a broad word
 * ("Wayan") does not visit its thousands of matches for a number nobody
 * pages through. */
#define CAPPED(where) "SELECT count(*) FROM (SELECT 1 FROM users u WHERE " \
	LIVE where "LIMIT 201) m"

/* One statement per kind of query and direction, so each has its own
 * plan (a generic "$1 IS NULL OR ..." plan could use no index). The
 * m parameters of the match come first, then the rows wanted (l) and
 * the cursor (c). */
#define PEOPLE_STMTS(kind, where, m, l, c) \
	{ kind "_first", "SELECT " HIT_COLS "WHERE " LIVE where ASC(l), \
	  (m) + 1 }, \
	{ kind "_after", "SELECT " HIT_COLS "WHERE " LIVE where \
	  CURSOR(">", c) ASC(l), (m) + 2 }, \
	{ kind "_before", "SELECT " HIT_COLS "WHERE " LIVE where \
	  CURSOR("<", c) DESC(l), (m) + 2 }, \
	{ kind "_count", CAPPED(where), (m) }
#define TEXT_MATCH "AND " SEARCH_TEXT " LIKE lower($1) "
/* The same match written so that no index serves it: the list in name
 * order, filtered, stopping at the page's rows. For what is too short
 * for a trigram ("I", "Ni") the trigram index would be read whole and
 * nearly every row sorted; walking the name index finds 26 at once. (A
 * long word is not sent here: "Wayan" follows "I", so half the index
 * would be walked before the first.) */
#define BROAD_MATCH "AND (" SEARCH_TEXT " || '') LIKE lower($1) "
/* A prefix as a byte range [$1, $2) through the text_pattern_ops
 * indexes: unlike LIKE $1, a range keeps the index in a generic plan. */
#define IDENT_MATCH "AND ((lower(u.username) ~>=~ $1 AND " \
	"lower(u.username) ~<~ $2) OR (u.email IS NOT NULL AND " \
	"lower(u.email) ~>=~ $1 AND lower(u.email) ~<~ $2)) "
/* '9' < ':' in every collation PostgreSQL ships: a range on the NIP index. */
#define NIP_MATCH "AND u.nip >= $1 AND u.nip < $1 || ':' "

const struct idp_stmt idp_people_stmts[] = {
	PEOPLE_STMTS("people_all", "", 0, "$1", "$2"),
	PEOPLE_STMTS("people_text", TEXT_MATCH, 1, "$2", "$3"),
	PEOPLE_STMTS("people_broad", BROAD_MATCH, 1, "$2", "$3"),
	PEOPLE_STMTS("people_ident", IDENT_MATCH, 2, "$3", "$4"),
	PEOPLE_STMTS("people_nip", NIP_MATCH, 1, "$2", "$3"),
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

/* A LIKE pattern matching q anywhere: its own % _ and \ escaped. */
static char *
like_pattern(struct idp_arena *a, const char *q)
{
	size_t n = strlen(q);
	char *p = idp_arena_alloc(a, n * 2 + 3), *o = p;

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

/* Whether pg_trgm finds a trigram in q: a run of three letters or
 * digits (it splits words at anything else). */
static bool
has_trigram(const char *q)
{
	int run = 0;

	for (; *q && run < 3; q++)
		run = ((unsigned char)*q >= 0x80 || (*q >= '0' && *q <= '9') ||
		    ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z')) ? run + 1 : 0;
	return run >= 3;
}

/* Row i of r into h. */
static void
read_hit(struct idp_arena *a, const PGresult *r, int i,
    struct idp_person_hit *h)
{
	h->id = idp_db_ll(r, i, 0);
	h->username = idp_arena_strdup(a, idp_db_val(r, i, 1));
	h->name = idp_arena_strdup(a, idp_db_val(r, i, 2));
	h->nip = idp_arena_strdup(a, idp_db_val(r, i, 3));
	h->email = idp_arena_strdup(a, idp_db_val(r, i, 4));
	h->org_code = idp_arena_strdup(a, idp_db_val(r, i, 5));
	h->org_name = idp_arena_strdup(a, idp_db_val(r, i, 6));
	h->disabled = idp_db_bool(r, i, 7);
}

/* The statement's kind and its match parameters for q (*nargs of them). */
static const char *
search_kind(struct idp_arena *a, const char *q, const char *arg[2],
    int *nargs)
{
	char *lo, *hi;
	size_t n;

	*nargs = 1;
	if (q == NULL || *q == '\0') {
		*nargs = 0;
		return "people_all";
	}
	if (all_digits(q)) {
		arg[0] = q;
		return "people_nip";
	}
	if (!looks_like_identifier(q)) {
		arg[0] = like_pattern(a, q);
		return has_trigram(q) ? "people_text" : "people_broad";
	}
	/* ASCII only: lower case, and the end of the range is the prefix
	 * with its last byte one up ('z' + 1 is '{', never a wrap). */
	n = strlen(q);
	lo = idp_arena_strdup(a, q);
	for (size_t i = 0; i < n; i++)
		if (lo[i] >= 'A' && lo[i] <= 'Z')
			lo[i] = (char)(lo[i] - 'A' + 'a');
	hi = idp_arena_strdup(a, lo);
	hi[n - 1]++;
	arg[0] = lo;
	arg[1] = hi;
	*nargs = 2;
	return "people_ident";
}

/* One row more than the page is asked for: whether there is another page
 * in the direction of travel. */
static enum idp_err
page_rows(struct idp_dbconn *c, struct idp_arena *a, const char *kind,
    const char *const arg[2], int nargs, const struct idp_people_query *pq,
    struct idp_people_page *out)
{
	char lb[16], cb[24], stmt[32];
	bool back = pq->before > 0;
	struct idp_param p[4];
	PGresult *r = NULL;
	enum idp_err rc;
	int np = 0, got, shown;

	snprintf(lb, sizeof(lb), "%d", pq->limit + 1);
	snprintf(cb, sizeof(cb), "%lld", back ? pq->before : pq->after);
	snprintf(stmt, sizeof(stmt), "%s_%s", kind, back ? "before" :
	    pq->after > 0 ? "after" : "first");
	for (int i = 0; i < nargs; i++)
		p[np++] = P_TXT(arg[i]);
	p[np++] = P_TXT(lb);
	if (back || pq->after > 0)
		p[np++] = P_TXT(cb);
	if ((rc = idp_db_exec(c, stmt, p, np, &r)) != IDP_OK)
		return rc;
	got = PQntuples(r);
	shown = got > pq->limit ? pq->limit : got;
	out->hits = idp_arena_zalloc(a, sizeof(*out->hits) *
	    (size_t)(shown ? shown : 1));
	/* Backwards the rows come last first. */
	for (int i = 0; i < shown; i++)
		read_hit(a, r, i, &out->hits[back ? shown - 1 - i : i]);
	PQclear(r);
	out->n = shown;
	out->has_prev = back ? got > pq->limit : pq->after > 0;
	out->has_next = back ? true : got > pq->limit;
	return IDP_OK;
}

enum idp_err
idp_store_people_search(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_people_query *pq, struct idp_people_page *out)
{
	const char *arg[2] = { NULL, NULL }, *kind;
	struct idp_param p[2];
	char count[32];
	PGresult *r = NULL;
	enum idp_err rc;
	int nargs;

	memset(out, 0, sizeof(*out));
	kind = search_kind(a, pq->q, arg, &nargs);
	for (int i = 0; i < nargs; i++)
		p[i] = P_TXT(arg[i]);
	snprintf(count, sizeof(count), "%s_count", kind);
	if ((rc = idp_db_exec_row(c, count, p, nargs, &r)) != IDP_OK)
		return rc;
	out->total = idp_db_ll(r, 0, 0);
	PQclear(r);
	return page_rows(c, a, kind, arg, nargs, pq, out);
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

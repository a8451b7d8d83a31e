#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/bulk.h"
#include "store/sql.h"

static int
run(PGconn *pg, const char *sql, long long *rows, char *why, size_t whylen)
{
	PGresult *r = PQexec(pg, sql);
	ExecStatusType st = PQresultStatus(r);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok)
		snprintf(why, whylen, "%s", PQresultErrorMessage(r));
	else if (rows != NULL)
		*rows = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return ok ? 0 : -1;
}

static int
scalar(PGconn *pg, const char *sql, long long *v, char *why, size_t whylen)
{
	PGresult *r = PQexec(pg, sql);
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;

	if (!ok)
		snprintf(why, whylen, "%s", PQresultErrorMessage(r));
	else
		*v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return ok ? 0 : -1;
}

static int
copy_in(PGconn *pg, const char *sql, FILE *csv, char *why, size_t whylen)
{
	char buf[65536];
	PGresult *r = PQexec(pg, sql);
	size_t n;
	int ok;

	if (PQresultStatus(r) != PGRES_COPY_IN) {
		snprintf(why, whylen, "%s", PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	while ((n = fread(buf, 1, sizeof(buf), csv)) > 0)
		if (PQputCopyData(pg, buf, (int)n) != 1)
			break;
	if (PQputCopyEnd(pg, ferror(csv) ? "read error" : NULL) != 1) {
		snprintf(why, whylen, "%s", PQerrorMessage(pg));
		return -1;
	}
	r = PQgetResult(pg);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		snprintf(why, whylen, "%s", PQresultErrorMessage(r));
	PQclear(r);
	while ((r = PQgetResult(pg)) != NULL)
		PQclear(r);
	return ok ? 0 : -1;
}

static enum idp_err
finish(PGconn *pg, int failed)
{
	long long ignore;
	char why[8];

	if (failed) {
		(void)run(pg, "ROLLBACK", &ignore, why, sizeof(why));
		return PQstatus(pg) == CONNECTION_OK ? IDP_ERR_INVALID_REQUEST :
		    IDP_ERR_UNAVAILABLE;
	}
	return IDP_OK;
}

enum idp_err
idp_store_orgs_import(struct idp_dbconn *c, FILE *csv, long long *rows,
    char *why, size_t whylen)
{
	PGconn *pg = idp_db_pgconn(c);
	long long ignore;
	int failed =
	    run(pg, "BEGIN", &ignore, why, whylen) ||
	    run(pg, "CREATE TEMP TABLE import_orgs (code text, name text, "
	    "kind text, parent_code text) ON COMMIT DROP", &ignore, why,
	    whylen) ||
	    copy_in(pg, "COPY import_orgs FROM STDIN WITH (FORMAT csv, "
	    "HEADER true)", csv, why, whylen) ||
	    run(pg, "INSERT INTO organisations (code, name, kind) "
	    "SELECT code, name, kind FROM import_orgs "
	    "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, "
	    "kind = EXCLUDED.kind", rows, why, whylen) ||
	    run(pg, "UPDATE organisations o SET parent_id = p.id "
	    "FROM import_orgs i JOIN organisations p ON p.code = i.parent_code "
	    "WHERE o.code = i.code", &ignore, why, whylen) ||
	    run(pg, "SELECT 1 / (count(*) = 0)::int FROM import_orgs i "
	    "WHERE i.parent_code IS NOT NULL AND NOT EXISTS "
	    "(SELECT 1 FROM organisations p WHERE p.code = i.parent_code)",
	    &ignore, why, whylen) ||
	    run(pg, "COMMIT", &ignore, why, whylen);

	if (failed && strstr(why, "division by zero") != NULL)
		snprintf(why, whylen, "a parent_code names no organisation");
	return finish(pg, failed);
}

/* The columns a user CSV may have, in any order; username and name are
 * required. */
static const char *const user_cols[] = { "username", "password_hash",
	"name", "given_name", "family_name", "email", "email_verified",
	"phone_number", "nip", "job_title", "org_code", "locale", NULL };

/* The index of a column name, or -1. */
static int
col_index(const char *name, size_t n)
{
	for (int i = 0; user_cols[i]; i++)
		if (strlen(user_cols[i]) == n && !strncmp(user_cols[i], name, n))
			return i;
	return -1;
}

/* The header line into the column list of the COPY ("username,name,..."),
 * checked: known names, none twice, username and name present. */
static int
header_cols(FILE *csv, char *cols, size_t colslen, char *why, size_t whylen)
{
	char line[1024];
	bool seen[sizeof(user_cols) / sizeof(*user_cols)] = { false };
	const char *s = line;
	size_t o = 0;

	if (fgets(line, sizeof(line), csv) == NULL) {
		snprintf(why, whylen, "the file is empty (a header line comes "
		    "first)");
		return -1;
	}
	line[strcspn(line, "\r\n")] = '\0';
	for (;;) {
		size_t n = strcspn(s, ",");
		const char *name = s;
		int k;

		if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
			name = s + 1;
			n -= 2;
		}
		if ((k = col_index(name, n)) < 0) {
			snprintf(why, whylen, "header: unknown column \"%.*s\" "
			    "(known: username, password_hash, name, given_name, "
			    "family_name, email, email_verified, phone_number, "
			    "nip, job_title, org_code, locale)",
			    (int)(n > 40 ? 40 : n), name);
			return -1;
		}
		if (seen[k]) {
			snprintf(why, whylen, "header: column %s twice",
			    user_cols[k]);
			return -1;
		}
		seen[k] = true;
		o += (size_t)snprintf(cols + o, colslen - o, "%s%s",
		    o ? "," : "", user_cols[k]);
		s += strcspn(s, ",");
		if (*s++ != ',')
			break;
	}
	if (!seen[0] || !seen[2]) {
		snprintf(why, whylen, "header: the columns username and name "
		    "are required");
		return -1;
	}
	return 0;
}

/* Rows of import_users that cannot go in, with the reason, the first ten
 * by row. Row 1 is the first line after the header. */
static const char problems_sql[] =
    "WITH i AS (SELECT * FROM import_users "
    "  WHERE NOT EXISTS (SELECT 1 FROM users u "
    "  WHERE lower(u.username) = lower(import_users.username))), "
    "ids AS (SELECT rn, lower(username) AS v, 'username' AS k FROM i "
    "  UNION ALL SELECT rn, nip, 'nip' FROM i WHERE nip IS NOT NULL "
    "  UNION ALL SELECT rn, lower(email), 'email' FROM i "
    "  WHERE email IS NOT NULL AND verified), "
    "p AS ("
    "  SELECT rn, format('username %s must be letters, digits and . _ @ - "
    "(up to 128)', username) AS why FROM i "
    "  WHERE username IS NULL OR username !~ "
    "'^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$' "
    "  UNION ALL SELECT rn, 'name must have 1 to 200 characters' FROM i "
    "  WHERE name IS NULL OR length(name) NOT BETWEEN 1 AND 200 "
    "  UNION ALL SELECT rn, format('nip %s is not 18 digits', nip) FROM i "
    "  WHERE nip IS NOT NULL AND nip !~ '^[0-9]{18}$' "
    "  UNION ALL SELECT rn, format('email %s is not an address', email) "
    "  FROM i WHERE email IS NOT NULL AND email !~ '^[^@\\s]+@[^@\\s]+$' "
    "  UNION ALL SELECT rn, format('email_verified %s is not true or false',"
    "  email_verified) FROM i WHERE email_verified IS NOT NULL "
    "  AND lower(email_verified) NOT IN ('true', 'false', 't', 'f') "
    "  UNION ALL SELECT rn, format('locale %s is not id or en', locale) "
    "  FROM i WHERE locale IS NOT NULL AND locale NOT IN ('id', 'en') "
    "  UNION ALL SELECT rn, format('org_code %s names no organisation', "
    "  org_code) FROM i WHERE org_code IS NOT NULL AND NOT EXISTS "
    "  (SELECT 1 FROM organisations o WHERE o.code = i.org_code) "
    "  UNION ALL SELECT a.rn, format('%s %s is also in row %s (as %s)', "
    "  a.k, a.v, b.rn, b.k) FROM ids a JOIN ids b ON a.v = b.v "
    "  AND a.rn > b.rn "
    "  UNION ALL SELECT ids.rn, format('%s %s is already another person''s "
    "%s', ids.k, ids.v, l.kind) FROM ids "
    "  JOIN login_identifiers l ON l.identifier = ids.v "
    "  UNION ALL SELECT a.rn, format('email %s is also in row %s', "
    "  a.email, b.rn) FROM i a JOIN i b ON lower(a.email) = lower(b.email) "
    "  AND a.rn > b.rn AND NOT (a.verified AND b.verified) "
    "  UNION ALL SELECT i.rn, format('email %s is already another "
    "person''s', i.email) FROM i JOIN users u "
    "  ON lower(u.email) = lower(i.email) "
    "  UNION ALL SELECT rn, 'password_hash is not a format idp knows "
    "(argon2id, bcrypt $2a$/$2b$/$2y$, SHA-crypt $5$/$6$, "
    "$pbkdf2-sha1/sha256/sha512$)' FROM i WHERE password_hash IS NOT NULL "
    "  AND NOT hash_ok) "
    "SELECT p.rn, coalesce(i.username, ''), p.why FROM p "
    "JOIN import_users i USING (rn) ORDER BY p.rn LIMIT 10";

static int
report(PGconn *pg, char *why, size_t whylen)
{
	PGresult *r = PQexec(pg, problems_sql);
	size_t o = 0;
	int n;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(why, whylen, "%s", PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	n = PQntuples(r);
	for (int i = 0; i < n && o < whylen; i++)
		o += (size_t)snprintf(why + o, whylen - o, "%srow %s (%s): %s",
		    i ? "; " : "", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
		    PQgetvalue(r, i, 2));
	if (n == 10 && o < whylen)
		snprintf(why + o, whylen - o, "; ...");
	PQclear(r);
	return n > 0 ? -1 : 0;
}

/* Mark each row whose password_hash hash_ok refuses. */
static int
check_hashes(PGconn *pg, bool (*hash_ok)(const char *), char *why,
    size_t whylen)
{
	PGresult *r = PQexec(pg, "SELECT rn, password_hash FROM import_users "
	    "WHERE password_hash IS NOT NULL");
	int rc = 0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(why, whylen, "%s", PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
		const char *params[1] = { PQgetvalue(r, i, 0) };
		PGresult *u;

		if (hash_ok(PQgetvalue(r, i, 1)))
			continue;
		u = PQexecParams(pg, "UPDATE import_users SET hash_ok = false "
		    "WHERE rn = $1::bigint", 1, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(u) != PGRES_COMMAND_OK) {
			snprintf(why, whylen, "%s", PQresultErrorMessage(u));
			rc = -1;
		}
		PQclear(u);
	}
	PQclear(r);
	return rc;
}

static int
users_copy(PGconn *pg, FILE *csv, char *why, size_t whylen)
{
	char cols[256], sql[512];
	long long ignore;

	if (header_cols(csv, cols, sizeof(cols), why, whylen) != 0)
		return -1;
	snprintf(sql, sizeof(sql), "COPY import_users (%s) FROM STDIN WITH "
	    "(FORMAT csv)", cols);
	return run(pg, "CREATE TEMP TABLE import_users (rn bigint GENERATED "
	    "ALWAYS AS IDENTITY, username text, password_hash text, name text, "
	    "given_name text, family_name text, email text, "
	    "email_verified text, phone_number text, nip text, job_title text, "
	    "org_code text, locale text, hash_ok boolean NOT NULL DEFAULT true, "
	    "verified boolean) ON COMMIT DROP", &ignore, why, whylen) ||
	    copy_in(pg, sql, csv, why, whylen) ||
	    /* "" in a quoted field counts as absent, like an empty one.
	     * Without an email_verified column, a directory's addresses are
	     * taken as verified. */
	    run(pg, "UPDATE import_users SET "
	    "password_hash = nullif(password_hash, ''), "
	    "given_name = nullif(given_name, ''), "
	    "family_name = nullif(family_name, ''), email = nullif(email, ''), "
	    "email_verified = nullif(email_verified, ''), "
	    "phone_number = nullif(phone_number, ''), nip = nullif(nip, ''), "
	    "job_title = nullif(job_title, ''), org_code = nullif(org_code, ''), "
	    "locale = nullif(locale, ''), "
	    "verified = nullif(email, '') IS NOT NULL AND "
	    "coalesce(lower(nullif(email_verified, '')) IN ('true', 't'), true)",
	    &ignore, why, whylen) ||
	    /* Statistics, or the checks below plan nested loops over
	     * thousands of rows. */
	    run(pg, "ANALYZE import_users", &ignore, why, whylen);
}

enum idp_err
idp_store_users_import(struct idp_dbconn *c, FILE *csv,
    bool (*hash_ok)(const char *), long long *added, long long *skipped,
    char *why, size_t whylen)
{
	PGconn *pg = idp_db_pgconn(c);
	long long total = 0, ignore;
	int failed =
	    run(pg, "BEGIN", &ignore, why, whylen) ||
	    /* A directory of tens of thousands is checked and loaded in a
	     * few statements that may take longer than a request's deadline,
	     * the connection's statement_timeout. */
	    run(pg, "SET LOCAL statement_timeout = '15min'", &ignore, why,
	    whylen) ||
	    users_copy(pg, csv, why, whylen) ||
	    check_hashes(pg, hash_ok, why, whylen) ||
	    report(pg, why, whylen) ||
	    scalar(pg, "SELECT count(*) FROM import_users", &total, why,
	    whylen) ||
	    scalar(pg, "WITH u AS (INSERT INTO users (username, name, given_name, "
	    "family_name, email, email_verified, phone_number, nip, job_title, "
	    "organisation_id, locale, password_changed_at) "
	    "SELECT i.username, i.name, i.given_name, i.family_name, i.email, "
	    "i.verified, i.phone_number, i.nip, i.job_title, o.id, "
	    "coalesce(i.locale, 'id'), "
	    "CASE WHEN i.password_hash IS NOT NULL THEN now() END "
	    "FROM import_users i "
	    "LEFT JOIN organisations o ON o.code = i.org_code "
	    "WHERE NOT EXISTS (SELECT 1 FROM users x "
	    "WHERE lower(x.username) = lower(i.username)) ORDER BY i.rn "
	    "RETURNING id, username), "
	    "k AS (INSERT INTO credentials (user_id, kind, password_hash, "
	    "confirmed_at) SELECT u.id, 'password', i.password_hash, now() "
	    "FROM u JOIN import_users i ON i.username = u.username "
	    "WHERE i.password_hash IS NOT NULL) "
	    "SELECT count(*) FROM u", added, why, whylen) ||
	    run(pg, "COMMIT", &ignore, why, whylen);

	*skipped = failed ? 0 : total - *added;
	return finish(pg, failed);
}

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

enum idp_err
idp_store_users_import(struct idp_dbconn *c, FILE *csv, long long *added,
    long long *skipped, char *why, size_t whylen)
{
	PGconn *pg = idp_db_pgconn(c);
	long long total = 0, ignore;
	int failed =
	    run(pg, "BEGIN", &ignore, why, whylen) ||
	    run(pg, "CREATE TEMP TABLE import_users (username text, "
	    "password_hash text, name text, email text, phone_number text, "
	    "nip text, job_title text, org_code text) ON COMMIT DROP",
	    &ignore, why, whylen) ||
	    copy_in(pg, "COPY import_users FROM STDIN WITH (FORMAT csv, "
	    "HEADER true)", csv, why, whylen) ||
	    run(pg, "SELECT 1 / (count(*) = 0)::int FROM import_users i "
	    "WHERE i.org_code IS NOT NULL AND NOT EXISTS "
	    "(SELECT 1 FROM organisations o WHERE o.code = i.org_code)",
	    &ignore, why, whylen) ||
	    scalar(pg, "SELECT count(*) FROM import_users", &total, why,
	    whylen) ||
	    run(pg, "INSERT INTO users (username, password_hash, name, email, "
	    "email_verified, phone_number, nip, job_title, organisation_id, "
	    "password_changed_at) "
	    "SELECT i.username, i.password_hash, i.name, i.email, "
	    "i.email IS NOT NULL, i.phone_number, i.nip, i.job_title, o.id, "
	    "now() FROM import_users i "
	    "LEFT JOIN organisations o ON o.code = i.org_code "
	    "ON CONFLICT DO NOTHING", added, why, whylen) ||
	    run(pg, "COMMIT", &ignore, why, whylen);

	if (failed && strstr(why, "division by zero") != NULL)
		snprintf(why, whylen, "an org_code names no organisation");
	*skipped = failed ? 0 : total - *added;
	return finish(pg, failed);
}

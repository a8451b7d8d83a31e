#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/digest.h"
#include "store/migrate.h"
#include "store/sql.h"

int
idp_migration_version(const char *name)
{
	size_t n = strlen(name);
	int v;

	if (n < 9 || !isdigit((unsigned char)name[0]) ||
	    !isdigit((unsigned char)name[1]) ||
	    !isdigit((unsigned char)name[2]) || name[3] != '_' ||
	    strcmp(name + n - 4, ".sql") != 0)
		return -1;
	for (size_t i = 4; i < n - 4; i++)
		if (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '_')
			return -1;
	v = (name[0] - '0') * 100 + (name[1] - '0') * 10 + (name[2] - '0');
	return v >= 1 ? v : -1;
}

static int
by_version(const void *a, const void *b)
{
	const struct idp_migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

int
idp_migrations_sort(struct idp_migration *m, size_t n, char *why,
    size_t whylen)
{
	qsort(m, n, sizeof(*m), by_version);
	for (size_t i = 1; i < n; i++) {
		if (m[i].version == m[i - 1].version) {
			snprintf(why, whylen, "two migrations have version "
			    "%03d: %s and %s", m[i].version, m[i - 1].name,
			    m[i].name);
			return -1;
		}
	}
	return 0;
}

int
idp_migrations_scan(struct idp_arena *a, const char *dir,
    struct idp_migration **out, size_t *n, char *why, size_t whylen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 16;

	if (d == NULL) {
		snprintf(why, whylen, "cannot read migrations in %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	*n = 0;
	*out = idp_arena_alloc(a, cap * sizeof(**out));
	while ((e = readdir(d)) != NULL) {
		int v = idp_migration_version(e->d_name);

		if (v < 0)
			continue;
		if (*n == cap) {
			struct idp_migration *m = idp_arena_alloc(a,
			    2 * cap * sizeof(*m));

			memcpy(m, *out, cap * sizeof(*m));
			*out = m;
			cap *= 2;
		}
		(*out)[*n].version = v;
		(*out)[*n].name = idp_arena_strdup(a, e->d_name);
		(*out)[*n].path = idp_arena_printf(a, "%s/%s", dir, e->d_name);
		(*n)++;
	}
	closedir(d);
	return idp_migrations_sort(*out, *n, why, whylen);
}

static char *
read_file(struct idp_arena *a, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long sz;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 &&
	    sz < 16 * 1024 * 1024 && fseek(f, 0, SEEK_SET) == 0) {
		buf = idp_arena_alloc(a, (size_t)sz + 1);
		if (fread(buf, 1, (size_t)sz, f) != (size_t)sz)
			buf = NULL;
		else
			buf[sz] = '\0';
		*len = (size_t)sz;
	}
	fclose(f);
	return buf;
}

static int
simple(PGconn *pg, const char *sql, char *why, size_t whylen)
{
	PGresult *r = PQexec(pg, sql);
	ExecStatusType st = PQresultStatus(r);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok)
		snprintf(why, whylen, "%s", PQerrorMessage(pg));
	PQclear(r);
	return ok ? 0 : -1;
}

static const char bootstrap[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version integer PRIMARY KEY,"
	" name text NOT NULL,"
	" sha256 text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";

/* sha256 of the applied version, or NULL when not applied. */
static char *
applied_sha(struct idp_arena *a, PGconn *pg, int version)
{
	char v[16];
	const char *vals[1] = { v };
	PGresult *r;
	char *out = NULL;

	snprintf(v, sizeof(v), "%d", version);
	r = PQexecParams(pg, "SELECT sha256 FROM schema_migrations "
	    "WHERE version = $1", 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		out = idp_arena_strdup(a, PQgetvalue(r, 0, 0));
	PQclear(r);
	return out;
}

static char *
hex_sha(struct idp_arena *a, const char *sql, size_t len)
{
	unsigned char d[IDP_SHA256_LEN];
	char *h = idp_arena_alloc(a, 2 * IDP_SHA256_LEN + 1);

	idp_sha256(sql, len, d);
	for (int i = 0; i < IDP_SHA256_LEN; i++)
		snprintf(h + 2 * i, 3, "%02x", d[i]);
	return h;
}

static int
apply_one(PGconn *pg, const struct idp_migration *m, const char *sql,
    const char *sha, char *why, size_t whylen)
{
	char v[16];
	const char *vals[3] = { v, m->name, sha };
	PGresult *r;
	int ok;

	snprintf(v, sizeof(v), "%d", m->version);
	if (simple(pg, "BEGIN", why, whylen) != 0)
		return -1;
	if (simple(pg, sql, why, whylen) != 0)
		goto fail;
	r = PQexecParams(pg, "INSERT INTO schema_migrations (version, name, "
	    "sha256) VALUES ($1, $2, $3)", 3, NULL, vals, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		snprintf(why, whylen, "%s", PQerrorMessage(pg));
	PQclear(r);
	if (!ok || simple(pg, "COMMIT", why, whylen) != 0)
		goto fail;
	return 0;
fail:
	{
		char ignore[8];

		(void)simple(pg, "ROLLBACK", ignore, sizeof(ignore));
	}
	return -1;
}

enum idp_err
idp_migrate(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_migration *m, size_t n, int *applied,
    void (*report)(const char *line), char *why, size_t whylen)
{
	PGconn *pg = idp_db_pgconn(c);
	enum idp_err rc = IDP_ERR_INTERNAL;
	char sub[512];

	*applied = 0;
	/* Two operators running migrate at once take turns. */
	if (simple(pg, "SELECT pg_advisory_lock(7368001)", sub,
	    sizeof(sub)) != 0 || simple(pg, bootstrap, sub, sizeof(sub)) != 0) {
		snprintf(why, whylen, "%s", sub);
		return IDP_ERR_UNAVAILABLE;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		char *sql = read_file(a, m[i].path, &len);
		char *sha, *have;

		if (sql == NULL) {
			snprintf(why, whylen, "cannot read %s", m[i].path);
			goto out;
		}
		sha = hex_sha(a, sql, len);
		have = applied_sha(a, pg, m[i].version);
		if (have != NULL) {
			if (strcmp(have, sha) != 0 && report != NULL)
				report(idp_arena_printf(a, "warning: %s was "
				    "edited after it was applied; migrations "
				    "are forward-only, add a new one",
				    m[i].name));
			continue;
		}
		if (apply_one(pg, &m[i], sql, sha, sub, sizeof(sub)) != 0) {
			snprintf(why, whylen, "%s: %s", m[i].name, sub);
			goto out;
		}
		(*applied)++;
		if (report != NULL)
			report(idp_arena_printf(a, "applied %s", m[i].name));
	}
	rc = IDP_OK;
out:
	(void)simple(pg, "SELECT pg_advisory_unlock(7368001)", sub, sizeof(sub));
	return rc;
}

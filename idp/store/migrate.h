/* Numbered, forward-only schema migrations: sql/NNN_name.sql, each applied
 * in a transaction of its own and recorded with its SHA-256, so running
 * migrate twice changes nothing and an edited applied file is noticed. */
#ifndef IDP_STORE_MIGRATE_H
#define IDP_STORE_MIGRATE_H

#include <stddef.h>

#include "store/db.h"
#include "util/arena.h"

struct idp_migration {
	int version;
	char *name;	/* file name */
	char *path;
};

/* 1..999 from "NNN_name.sql" (lowercase letters, digits, '_'); -1 if the
 * name is not a migration file name. */
int idp_migration_version(const char *filename);
/* The migration files of dir in version order. Fails (with why) on a
 * duplicate version or an unreadable dir; other files are ignored. */
int idp_migrations_scan(struct idp_arena *a, const char *dir,
    struct idp_migration **out, size_t *n, char *why, size_t whylen);
/* Sort in place by version; -1 (why names both) on a duplicate. */
int idp_migrations_sort(struct idp_migration *m, size_t n, char *why,
    size_t whylen);

/* Apply the missing ones. *applied counts them. Messages about each step
 * go to report (may be NULL). */
enum idp_err idp_migrate(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_migration *m, size_t n, int *applied,
    void (*report)(const char *line), char *why, size_t whylen);

#endif

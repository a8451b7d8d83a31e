/* store/migrate without a database: migration file names, ordering,
 * duplicate versions, and scanning a directory. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store/migrate.h"
#include "unit.h"

static struct idp_arena *a;
static char dir[256];
static char why[512];

static void
setup(void)
{
	a = idp_arena_new(1024);
	unit_tmpdir(dir, sizeof(dir));
	why[0] = '\0';
}

static void
teardown(void)
{
	idp_arena_free(a);
	a = NULL;
	unit_rmtree(dir);
}

static void
touch(const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unit_write_file(p, "SELECT 1;\n", 0644);
}

START_TEST(version_of_good_names)
{
	ck_assert_int_eq(idp_migration_version("001_init.sql"), 1);
	ck_assert_int_eq(idp_migration_version("001_a.sql"), 1);
	ck_assert_int_eq(idp_migration_version("002_clients.sql"), 2);
	ck_assert_int_eq(idp_migration_version("010_x.sql"), 10);
	ck_assert_int_eq(idp_migration_version("042_add_col2.sql"), 42);
	ck_assert_int_eq(idp_migration_version("100_a.sql"), 100);
	ck_assert_int_eq(idp_migration_version("999_last_one.sql"), 999);
	ck_assert_int_eq(idp_migration_version("003_9.sql"), 3);
	ck_assert_int_eq(idp_migration_version("004___.sql"), 4);
}
END_TEST

START_TEST(version_of_bad_names)
{
	static const char *const bad[] = {
		"1_a.sql",		/* three digits required */
		"01_a.sql",
		"0001_a.sql",
		"1000_a.sql",
		"001-a.sql",		/* underscore after the number */
		"001a.sql",
		"001_A.sql",		/* lowercase only */
		"001_initClients.sql",
		"001_a.txt",
		"001_a.SQL",
		"001_a.sql~",
		"001_a.sql.bak",
		"001_a.sq",
		"001_a",
		"000_a.sql",		/* versions start at 1 */
		"001_.sql",		/* a name is required */
		"001_a-b.sql",
		"001_a.b.sql",
		"001_a b.sql",
		"001_\xc3\xa9.sql",
		"abc_a.sql",
		"-01_a.sql",
		".sql",
		"",
		".",
		"..",
		"README",
		NULL,
	};

	for (size_t i = 0; bad[i] != NULL; i++)
		ck_assert_msg(idp_migration_version(bad[i]) == -1,
		    "\"%s\" accepted", bad[i]);
}
END_TEST

/* A migration entry with a modifiable copy of its name. */
#define MIG(v, name) { (v), (char[]){ name }, NULL }

START_TEST(sort_orders_by_version)
{
	struct idp_migration m[5] = { MIG(10, "010_j.sql"), MIG(2, "002_b.sql"),
	    MIG(100, "100_z.sql"), MIG(1, "001_a.sql"), MIG(9, "009_i.sql") };
	static const int want[5] = { 1, 2, 9, 10, 100 };

	ck_assert_int_eq(idp_migrations_sort(m, 5, why, sizeof(why)), 0);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(m[i].version, want[i]);
	/* names travel with their versions */
	ck_assert_str_eq(m[0].name, "001_a.sql");
	ck_assert_str_eq(m[3].name, "010_j.sql");
	ck_assert_str_eq(m[4].name, "100_z.sql");
}
END_TEST

START_TEST(sort_empty_and_single)
{
	struct idp_migration m[1] = { MIG(7, "007_x.sql") };

	ck_assert_int_eq(idp_migrations_sort(m, 0, why, sizeof(why)), 0);
	ck_assert_int_eq(idp_migrations_sort(m, 1, why, sizeof(why)), 0);
	ck_assert_int_eq(m[0].version, 7);
}
END_TEST

START_TEST(sort_refuses_duplicates)
{
	struct idp_migration m[4] = { MIG(3, "003_c.sql"), MIG(1, "001_a.sql"),
	    MIG(2, "002_b.sql"), MIG(1, "001_again.sql") };

	ck_assert_int_eq(idp_migrations_sort(m, 4, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "001_a.sql") != NULL &&
	    strstr(why, "001_again.sql") != NULL, "why: %s", why);
}
END_TEST

START_TEST(sort_refuses_adjacent_and_last_duplicates)
{
	struct idp_migration m[3] = { MIG(5, "005_a.sql"), MIG(6, "006_a.sql"),
	    MIG(6, "006_b.sql") };

	ck_assert_int_eq(idp_migrations_sort(m, 3, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "006_a.sql"));
	ck_assert_ptr_nonnull(strstr(why, "006_b.sql"));
}
END_TEST

START_TEST(scan_sorts_and_ignores_other_files)
{
	struct idp_migration *m = NULL;
	size_t n = 99;
	char sub[512], want[600];

	touch("010_tokens.sql");
	touch("002_clients.sql");
	touch("README.md");
	touch("001_init.sql");
	touch("003_sessions.sql.bak");
	touch("004_Upper.sql");
	touch(".005_hidden.sql");
	touch("006_notes.txt");
	touch("7_short.sql");
	touch("003_sessions.sql");
	snprintf(sub, sizeof(sub), "%s/old", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);

	ck_assert_msg(idp_migrations_scan(a, dir, &m, &n, why,
	    sizeof(why)) == 0, "%s", why);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(m[0].version, 1);
	ck_assert_str_eq(m[0].name, "001_init.sql");
	ck_assert_int_eq(m[1].version, 2);
	ck_assert_str_eq(m[1].name, "002_clients.sql");
	ck_assert_int_eq(m[2].version, 3);
	ck_assert_str_eq(m[2].name, "003_sessions.sql");
	ck_assert_int_eq(m[3].version, 10);
	ck_assert_str_eq(m[3].name, "010_tokens.sql");
	snprintf(want, sizeof(want), "%s/010_tokens.sql", dir);
	ck_assert_str_eq(m[3].path, want);
}
END_TEST

START_TEST(scan_empty_dir)
{
	struct idp_migration *m = NULL;
	size_t n = 99;

	ck_assert_int_eq(idp_migrations_scan(a, dir, &m, &n, why, sizeof(why)),
	    0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(scan_many_files)
{
	struct idp_migration *m = NULL;
	size_t n = 0;

	/* More than the first allocation holds, created in reverse. */
	for (int v = 40; v >= 1; v--) {
		char name[64];

		snprintf(name, sizeof(name), "%03d_step%d.sql", v, v);
		touch(name);
	}
	ck_assert_msg(idp_migrations_scan(a, dir, &m, &n, why,
	    sizeof(why)) == 0, "%s", why);
	ck_assert_uint_eq(n, 40);
	for (int i = 0; i < 40; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%03d_step%d.sql", i + 1, i + 1);
		ck_assert_int_eq(m[i].version, i + 1);
		ck_assert_str_eq(m[i].name, name);
	}
}
END_TEST

START_TEST(scan_refuses_duplicate_versions)
{
	struct idp_migration *m = NULL;
	size_t n = 0;

	touch("001_init.sql");
	touch("002_a.sql");
	touch("002_b.sql");
	ck_assert_int_eq(idp_migrations_scan(a, dir, &m, &n, why, sizeof(why)),
	    -1);
	ck_assert_msg(strstr(why, "002_a.sql") != NULL &&
	    strstr(why, "002_b.sql") != NULL, "why: %s", why);
}
END_TEST

START_TEST(scan_missing_dir)
{
	struct idp_migration *m = NULL;
	size_t n = 0;
	char missing[512];

	snprintf(missing, sizeof(missing), "%s/nope", dir);
	ck_assert_int_eq(idp_migrations_scan(a, missing, &m, &n, why,
	    sizeof(why)), -1);
	ck_assert_msg(strstr(why, missing) != NULL, "why: %s", why);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("store_migrate");
	TCase *tc;

	tc = unit_tcase(s, "names");
	tcase_add_test(tc, version_of_good_names);
	tcase_add_test(tc, version_of_bad_names);

	tc = unit_tcase(s, "sort");
	tcase_add_test(tc, sort_orders_by_version);
	tcase_add_test(tc, sort_empty_and_single);
	tcase_add_test(tc, sort_refuses_duplicates);
	tcase_add_test(tc, sort_refuses_adjacent_and_last_duplicates);

	tc = unit_tcase(s, "scan");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scan_sorts_and_ignores_other_files);
	tcase_add_test(tc, scan_empty_dir);
	tcase_add_test(tc, scan_many_files);
	tcase_add_test(tc, scan_refuses_duplicate_versions);
	tcase_add_test(tc, scan_missing_dir);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

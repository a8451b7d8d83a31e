/* oidc/client_name: names that people would take for one another fold to
 * one key (case, spaces, punctuation, accents, TR 39 confusables), names
 * that differ do not. */
#include <string.h>

#include "oidc/client_name.h"
#include "unit.h"

static struct idp_arena *a;

static void
setup(void)
{
	a = idp_arena_new(1024);
}

static void
teardown(void)
{
	idp_arena_free(a);
}

static void
same(const char *x, const char *y)
{
	char *kx = idp_client_name_key(a, x), *ky = idp_client_name_key(a, y);

	ck_assert_ptr_nonnull(kx);
	ck_assert_ptr_nonnull(ky);
	ck_assert_msg(!strcmp(kx, ky), "\"%s\" (%s) and \"%s\" (%s) differ",
	    x, kx, y, ky);
}

static void
differ(const char *x, const char *y)
{
	char *kx = idp_client_name_key(a, x), *ky = idp_client_name_key(a, y);

	ck_assert_ptr_nonnull(kx);
	ck_assert_ptr_nonnull(ky);
	ck_assert_msg(strcmp(kx, ky) != 0, "\"%s\" and \"%s\" fold alike (%s)",
	    x, y, kx);
}

START_TEST(case_spaces_punctuation)
{
	same("SIMPEG Provinsi Bali", "simpeg provinsi bali");
	same("SIMPEG Provinsi Bali", "S.I.M.P.E.G  Provinsi-Bali");
	same("SIMPEG Provinsi Bali", "  SIMPEG\tProvinsi Bali!");
	same("e-Kinerja", "eKinerja");
	same("LAPOR! Provinsi Bali", "Lapor Provinsi Bali");
}
END_TEST

START_TEST(confusables)
{
	/* digits and letters that look alike */
	same("SIMPEG Provinsi Bali", "SIMPEG Prov1nsi Ba1i");
	same("SIMPEG Provinsi Bali", "SIMPEG Provinsi BaIi");
	same("SIMPEG 0", "simpeg o");
	same("modern", "rnodern");
	/* Cyrillic І, М, Р, Е and a Cyrillic small р */
	same("SIMPEG Provinsi Bali", "S\xd0\x86\xd0\x9c\xd0\xa0\xd0\x95G "
	    "Provinsi Bali");
	same("simpeg provinsi bali", "sim\xd1\x80""eg provinsi bali");
	/* full-width letters (NFKC) and accents */
	same("SIMPEG Provinsi Bali", "\xef\xbd\x93\xef\xbd\x89\xef\xbd\x8d"
	    "\xef\xbd\x90\xef\xbd\x85\xef\xbd\x87 Provinsi Bali");
	same("Layanan U", "Layanan \xc3\x9c");
	same("Dinas Pariwisata", "D\xc3\xadnas Pariwisata");
}
END_TEST

START_TEST(different_names)
{
	differ("SIMPEG Provinsi Bali", "SIMPEG Kabupaten Badung");
	differ("Satu Data Bali", "Satu Data Badung");
	differ("e-Office", "e-Office Buleleng");
	differ("PPDB Bali", "PPID Bali");
}
END_TEST

START_TEST(bad_names)
{
	char long_name[IDP_CLIENT_NAME_MAX * 4 + 2];

	ck_assert_str_eq(idp_client_name_key(a, "!!! ..."), "");
	ck_assert_str_eq(idp_client_name_key(a, ""), "");
	ck_assert_ptr_null(idp_client_name_key(a, NULL));
	ck_assert_ptr_null(idp_client_name_key(a, "bad \xff utf-8"));
	ck_assert_ptr_null(idp_client_name_key(a, "\xc3"));
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ck_assert_ptr_null(idp_client_name_key(a, long_name));
	/* 200 characters of 4-byte letters still fold */
	ck_assert_ptr_nonnull(idp_client_name_key(a,
	    "\xf0\x9d\x90\x80\xf0\x9d\x90\x81\xf0\x9d\x90\x82"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_client_name");
	TCase *tc = unit_tcase(s, "client_name");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, case_spaces_punctuation);
	tcase_add_test(tc, confusables);
	tcase_add_test(tc, different_names);
	tcase_add_test(tc, bad_names);
	return unit_run(s);
}

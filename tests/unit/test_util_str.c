/* util/str: number and boolean parsing, UTF-8 validation, form decoding and
 * space-separated lists. */
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "util/str.h"

static struct idp_arena *a;

static void
setup(void)
{
	a = idp_arena_new(256);
}

static void
teardown(void)
{
	idp_arena_free(a);
	a = NULL;
}

/* ---- idp_parse_i64 ---- */

static void
i64_ok(const char *s, int64_t min, int64_t max, int64_t want)
{
	int64_t v = 12345;

	ck_assert_msg(idp_parse_i64(s, min, max, &v) == 0,
	    "\"%s\" in [%lld, %lld] refused", s, (long long)min,
	    (long long)max);
	ck_assert_msg(v == want, "\"%s\" gave %lld", s, (long long)v);
}

static void
i64_bad(const char *s, int64_t min, int64_t max)
{
	int64_t v = 12345;

	ck_assert_msg(idp_parse_i64(s, min, max, &v) == -1,
	    "\"%s\" in [%lld, %lld] accepted", s ? s : "(null)",
	    (long long)min, (long long)max);
	ck_assert_msg(v == 12345, "out written on failure for \"%s\"",
	    s ? s : "(null)");
}

START_TEST(i64_in_range)
{
	i64_ok("0", 0, 100, 0);
	i64_ok("42", 0, 100, 42);
	i64_ok("100", 0, 100, 100);	/* max inclusive */
	i64_ok("5", 5, 10, 5);		/* min inclusive */
	i64_ok("-5", -10, 10, -5);
	i64_ok("-0", -1, 1, 0);
	i64_ok("007", 0, 10, 7);	/* decimal, never octal */
	i64_ok("010", 0, 100, 10);
}
END_TEST

START_TEST(i64_out_of_range)
{
	i64_bad("101", 0, 100);
	i64_bad("4", 5, 10);
	i64_bad("-1", 0, 100);
	i64_bad("-11", -10, 10);
	i64_bad("86401", 60, 86400);
}
END_TEST

START_TEST(i64_limits)
{
	i64_ok("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);
	i64_ok("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
	i64_bad("9223372036854775808", INT64_MIN, INT64_MAX);
	i64_bad("-9223372036854775809", INT64_MIN, INT64_MAX);
	i64_bad("99999999999999999999999", INT64_MIN, INT64_MAX);
}
END_TEST

START_TEST(i64_garbage)
{
	static const char *const bad[] = { "", " 1", "1 ", "+1", "1a", "a1",
	    "0x10", "1.5", "1e3", "-", "--1", "- 1", "1,000", "\t1", "1\n",
	    "\xd9\xa1" /* ARABIC-INDIC DIGIT ONE */, "abc", NULL };

	for (size_t i = 0; bad[i] != NULL; i++)
		i64_bad(bad[i], INT64_MIN, INT64_MAX);
	i64_bad(NULL, 0, 10);
}
END_TEST

/* ---- idp_parse_bool ---- */

START_TEST(bool_words)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };
	bool v;

	for (size_t i = 0; yes[i]; i++) {
		v = false;
		ck_assert_int_eq(idp_parse_bool(yes[i], &v), 0);
		ck_assert_msg(v, "%s is not true", yes[i]);
	}
	for (size_t i = 0; no[i]; i++) {
		v = true;
		ck_assert_int_eq(idp_parse_bool(no[i], &v), 0);
		ck_assert_msg(!v, "%s is not false", no[i]);
	}
}
END_TEST

START_TEST(bool_rejects_others)
{
	static const char *const bad[] = { "", "TRUE", "True", "Yes", "y",
	    "n", "2", "-1", " true", "true ", "maybe", "enable", "truex",
	    NULL };
	bool v = true;

	for (size_t i = 0; bad[i]; i++) {
		ck_assert_msg(idp_parse_bool(bad[i], &v) == -1,
		    "\"%s\" accepted", bad[i]);
		ck_assert(v);	/* untouched */
	}
	ck_assert_int_eq(idp_parse_bool(NULL, &v), -1);
}
END_TEST

/* ---- idp_utf8_valid ---- */

static bool
u8(const char *s)
{
	return idp_utf8_valid(s, strlen(s));
}

START_TEST(utf8_accepts_well_formed)
{
	ck_assert(idp_utf8_valid("", 0));
	ck_assert(u8("plain ASCII ~!"));
	ck_assert(u8("\xc2\x80"));		/* U+0080, smallest 2-byte */
	ck_assert(u8("\xc3\xa9"));		/* é */
	ck_assert(u8("\xdf\xbf"));		/* U+07FF */
	ck_assert(u8("\xe0\xa0\x80"));		/* U+0800, smallest 3-byte */
	ck_assert(u8("\xe2\x82\xac"));		/* € */
	ck_assert(u8("\xed\x9f\xbf"));		/* U+D7FF, below surrogates */
	ck_assert(u8("\xee\x80\x80"));		/* U+E000, above surrogates */
	ck_assert(u8("\xef\xbf\xbf"));		/* U+FFFF */
	ck_assert(u8("\xf0\x90\x80\x80"));	/* U+10000, smallest 4-byte */
	ck_assert(u8("\xf0\x9f\x98\x80"));	/* emoji */
	ck_assert(u8("\xf4\x8f\xbf\xbf"));	/* U+10FFFF, the last */
	ck_assert(u8("Bali \xe1\xac\xa7\xe1\xac\xb8 ok"));	/* Balinese */
}
END_TEST

START_TEST(utf8_rejects_overlongs)
{
	ck_assert(!u8("\xc0\x80"));		/* NUL as two bytes */
	ck_assert(!u8("\xc0\xaf"));		/* '/' */
	ck_assert(!u8("\xc1\xbf"));
	ck_assert(!u8("\xe0\x80\x80"));
	ck_assert(!u8("\xe0\x80\xaf"));		/* '/' as three bytes */
	ck_assert(!u8("\xe0\x9f\xbf"));		/* U+07FF as three bytes */
	ck_assert(!u8("\xf0\x80\x80\x80"));
	ck_assert(!u8("\xf0\x8f\xbf\xbf"));	/* U+FFFF as four bytes */
}
END_TEST

START_TEST(utf8_rejects_surrogates)
{
	ck_assert(!u8("\xed\xa0\x80"));		/* U+D800 */
	ck_assert(!u8("\xed\xad\xbf"));		/* U+DB7F */
	ck_assert(!u8("\xed\xb0\x80"));		/* U+DC00 */
	ck_assert(!u8("\xed\xbf\xbf"));		/* U+DFFF */
	ck_assert(!u8("\xed\xa0\xbd\xed\xb8\x80"));	/* CESU-8 pair */
}
END_TEST

START_TEST(utf8_rejects_out_of_range_and_bad_leads)
{
	ck_assert(!u8("\xf4\x90\x80\x80"));	/* U+110000 */
	ck_assert(!u8("\xf5\x80\x80\x80"));
	ck_assert(!u8("\xf7\xbf\xbf\xbf"));
	ck_assert(!u8("\xf8\x88\x80\x80\x80"));	/* 5-byte form */
	ck_assert(!u8("\xfc\x84\x80\x80\x80\x80"));
	ck_assert(!u8("\xfe"));
	ck_assert(!u8("\xff"));
	ck_assert(!u8("\x80"));			/* lone continuation */
	ck_assert(!u8("a\xbf" "b"));
}
END_TEST

START_TEST(utf8_rejects_truncated)
{
	ck_assert(!u8("\xc3"));
	ck_assert(!u8("\xe2\x82"));
	ck_assert(!u8("\xf0\x9f\x98"));
	ck_assert(!u8("abc\xe2"));
	/* A lead byte followed by something that is not a continuation. */
	ck_assert(!u8("\xc3" "A"));
	ck_assert(!u8("\xe2\x82" "A"));
	ck_assert(!u8("\xf0\x9f\x98" "A"));
	ck_assert(!u8("\xe2\xc3\xa9"));
	/* n cuts a valid sequence short. */
	ck_assert(!idp_utf8_valid("\xc3\xa9", 1));
	ck_assert(!idp_utf8_valid("\xf0\x9f\x98\x80", 3));
}
END_TEST

START_TEST(utf8_rejects_nul_and_honours_n)
{
	ck_assert(!idp_utf8_valid("a\0b", 3));
	ck_assert(!idp_utf8_valid("\0", 1));
	ck_assert(idp_utf8_valid("abc", 2));
	ck_assert(idp_utf8_valid("ab\xff", 2));	/* bad byte beyond n */
}
END_TEST

/* ---- idp_form_decode ---- */

static void
form_ok(const char *in, const char *want)
{
	size_t len = 999;
	char *out = idp_form_decode(a, in, strlen(in), &len);

	ck_assert_msg(out != NULL, "\"%s\" refused", in);
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(len, strlen(want));
}

static void
form_bad(const char *in, size_t n)
{
	ck_assert_msg(idp_form_decode(a, in, n, NULL) == NULL,
	    "\"%s\" (%zu bytes) accepted", in, n);
}

START_TEST(form_decodes)
{
	form_ok("", "");
	form_ok("abc", "abc");
	form_ok("a+b", "a b");
	form_ok("+++", "   ");
	form_ok("%41%62c", "Abc");
	form_ok("%2B", "+");		/* an encoded plus stays a plus */
	form_ok("%25", "%");
	form_ok("%2525", "%25");	/* decoded once only */
	form_ok("%c3%A9", "\xc3\xa9");	/* either hex case */
	form_ok("https%3A%2F%2Frp.example%2Fcb%3Fa%3D1%26b%3D2",
	    "https://rp.example/cb?a=1&b=2");
	form_ok("a=b", "a=b");
}
END_TEST

START_TEST(form_rejects_bad_escapes)
{
	static const char *const bad[] = { "%", "%4", "%G1", "%1G", "abc%",
	    "abc%4", "%%41", "% 41", "%+1", "%-1", "%0x", NULL };

	for (size_t i = 0; bad[i] != NULL; i++)
		form_bad(bad[i], strlen(bad[i]));
	/* The escape must be complete within n. */
	form_bad("%41", 2);
}
END_TEST

START_TEST(form_rejects_nul)
{
	form_bad("%00", 3);
	form_bad("a%00b", 5);
	form_bad("a\0b", 3);	/* a raw NUL within n */
}
END_TEST

START_TEST(form_honours_n)
{
	size_t len = 0;
	char *out = idp_form_decode(a, "abcdef", 3, &len);

	ck_assert_str_eq(out, "abc");
	ck_assert_uint_eq(len, 3);
	/* outlen may be NULL. */
	ck_assert_str_eq(idp_form_decode(a, "x+y", 3, NULL), "x y");
}
END_TEST

/* ---- idp_split_spaces ---- */

START_TEST(split_items)
{
	char **v = NULL;
	size_t n = 0;

	ck_assert_int_eq(idp_split_spaces(a, "openid profile email", &v, &n),
	    0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0], "openid");
	ck_assert_str_eq(v[1], "profile");
	ck_assert_str_eq(v[2], "email");
	ck_assert_ptr_null(v[3]);

	ck_assert_int_eq(idp_split_spaces(a, "one", &v, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0], "one");
	ck_assert_ptr_null(v[1]);

	/* Only the space separates; a tab is part of an item. */
	ck_assert_int_eq(idp_split_spaces(a, "a\tb c", &v, NULL), 0);
	ck_assert_str_eq(v[0], "a\tb");
	ck_assert_str_eq(v[1], "c");
	ck_assert_ptr_null(v[2]);
}
END_TEST

START_TEST(split_rejects_empty_items)
{
	static const char *const bad[] = { "", " ", "  ", " a", "a ", "a  b",
	    "a b ", " a b", NULL };

	for (size_t i = 0; bad[i] != NULL; i++) {
		char **v = NULL;
		size_t n = 77;

		ck_assert_msg(idp_split_spaces(a, bad[i], &v, &n) == -1,
		    "\"%s\" accepted", bad[i]);
		ck_assert_ptr_null(v);
	}
}
END_TEST

/* ---- lists ---- */

START_TEST(list_has)
{
	char *l[] = { (char[]){ "openid" }, (char[]){ "profile" }, NULL };

	ck_assert(idp_list_has(l, "openid"));
	ck_assert(idp_list_has(l, "profile"));
	ck_assert(!idp_list_has(l, "open"));
	ck_assert(!idp_list_has(l, "openidx"));
	ck_assert(!idp_list_has(l, "OPENID"));
	ck_assert(!idp_list_has(l, ""));
	ck_assert(!idp_list_has(NULL, "openid"));
}
END_TEST

START_TEST(space_list_has)
{
	ck_assert(idp_space_list_has("openid profile", "openid"));
	ck_assert(idp_space_list_has("openid profile", "profile"));
	ck_assert(idp_space_list_has("code", "code"));
	/* A partial match earlier in the list must not hide a full one. */
	ck_assert(idp_space_list_has("xprofile profile", "profile"));
	ck_assert(idp_space_list_has("profilex profile", "profile"));
	ck_assert(!idp_space_list_has("openid profile", "open"));
	ck_assert(!idp_space_list_has("openid profile", "file"));
	ck_assert(!idp_space_list_has("openid profile", "id pro"));
	ck_assert(!idp_space_list_has("profilex", "profile"));
	ck_assert(!idp_space_list_has("xprofile", "profile"));
	ck_assert(!idp_space_list_has("openid", "OPENID"));
	ck_assert(!idp_space_list_has("openid profile", ""));
	ck_assert(!idp_space_list_has("", "openid"));
	ck_assert(!idp_space_list_has(NULL, "openid"));
}
END_TEST

START_TEST(str_eq_and_prefix)
{
	ck_assert(idp_str_eq("a", "a"));
	ck_assert(!idp_str_eq("a", "b"));
	ck_assert(!idp_str_eq("a", "ab"));
	ck_assert(!idp_str_eq("a", NULL));
	ck_assert(!idp_str_eq(NULL, "a"));
	ck_assert(idp_str_eq(NULL, NULL));
	ck_assert(idp_has_prefix("https://x", "https://"));
	ck_assert(idp_has_prefix("abc", ""));
	ck_assert(!idp_has_prefix("http://x", "https://"));
	ck_assert(!idp_has_prefix("ab", "abc"));
	ck_assert(!idp_has_prefix(NULL, "a"));
}
END_TEST

/* The next= of a local sign-in: a path on this origin, nothing a browser
 * could read as another host. */
START_TEST(local_paths)
{
	static const char *const ok[] = { "/", "/account",
		"/account?tab=izin&x=%2F%2F", "/developer/clients/abc#top",
		"/a/./b", NULL };
	static const char *const bad[] = { "", "account", "//evil.example",
		"///evil.example", "/\\evil.example", "\\\\evil.example",
		"https://evil.example/", "javascript:alert(1)", "/\t/evil.example",
		"/\n/x", "/ x", "/\x7f", "/ak\xc3\xbcn", NULL };
	char big[600];

	for (const char *const *p = ok; *p; p++)
		ck_assert_msg(idp_local_path_ok(*p), "refused %s", *p);
	for (const char *const *p = bad; *p; p++)
		ck_assert_msg(!idp_local_path_ok(*p), "accepted %s", *p);
	ck_assert(!idp_local_path_ok(NULL));
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[512] = '\0';
	ck_assert(idp_local_path_ok(big));
	big[512] = 'a';
	big[513] = '\0';
	ck_assert(!idp_local_path_ok(big));
}
END_TEST

/* Times operators type: checked against date(1) -u -d ... +%s. */
START_TEST(parse_time)
{
	int64_t t;

	ck_assert_int_eq(idp_parse_time("1970-01-01", &t), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(idp_parse_time("2026-12-01", &t), 0);
	ck_assert_int_eq(t, 1796083200);
	ck_assert_int_eq(idp_parse_time("2026-12-01T08:30:15Z", &t), 0);
	ck_assert_int_eq(t, 1796083200 + 8 * 3600 + 30 * 60 + 15);
	ck_assert_int_eq(idp_parse_time("2026-12-01 08:30", &t), 0);
	ck_assert_int_eq(t, 1796083200 + 8 * 3600 + 30 * 60);
	ck_assert_int_eq(idp_parse_time("2026-12-01T08:00+08:00", &t), 0);
	ck_assert_int_eq(t, 1796083200);
	ck_assert_int_eq(idp_parse_time("2024-02-29", &t), 0);
	ck_assert_int_eq(t, 1709164800);
	ck_assert_int_eq(idp_parse_time("2000-03-01T00:00:00-01:30", &t), 0);
	ck_assert_int_eq(t, 951868800 + 5400);
}
END_TEST

START_TEST(parse_time_refuses)
{
	static const char *const bad[] = { "", "2026", "2026-13-01",
		"2026-00-10", "2026-02-29", "1900-02-29", "2026-04-31",
		"2026-12-01T24:00", "2026-12-01T08:60", "2026-12-01T08:00:60",
		"2026-12-01T08", "2026-12-01X", "2026-12-01T08:00+8", "1969-12-31",
		"2026-12-01T08:00Zjunk", "2026-1a-01", "yesterday",
		"2026-12-01T08:00+15:00", NULL };
	int64_t t;

	for (int i = 0; bad[i] != NULL; i++)
		ck_assert_msg(idp_parse_time(bad[i], &t) == -1, "%s", bad[i]);
	ck_assert_int_eq(idp_parse_time(NULL, &t), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("util_str");
	TCase *tc;

	tc = unit_tcase(s, "numbers");
	tcase_add_test(tc, i64_in_range);
	tcase_add_test(tc, i64_out_of_range);
	tcase_add_test(tc, i64_limits);
	tcase_add_test(tc, i64_garbage);
	tcase_add_test(tc, bool_words);
	tcase_add_test(tc, bool_rejects_others);

	tc = unit_tcase(s, "utf8");
	tcase_add_test(tc, utf8_accepts_well_formed);
	tcase_add_test(tc, utf8_rejects_overlongs);
	tcase_add_test(tc, utf8_rejects_surrogates);
	tcase_add_test(tc, utf8_rejects_out_of_range_and_bad_leads);
	tcase_add_test(tc, utf8_rejects_truncated);
	tcase_add_test(tc, utf8_rejects_nul_and_honours_n);

	tc = unit_tcase(s, "form");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, form_decodes);
	tcase_add_test(tc, form_rejects_bad_escapes);
	tcase_add_test(tc, form_rejects_nul);
	tcase_add_test(tc, form_honours_n);

	tc = unit_tcase(s, "lists");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, split_items);
	tcase_add_test(tc, split_rejects_empty_items);
	tcase_add_test(tc, list_has);
	tcase_add_test(tc, space_list_has);
	tcase_add_test(tc, str_eq_and_prefix);
	tcase_add_test(tc, local_paths);
	tcase_add_test(tc, parse_time);
	tcase_add_test(tc, parse_time_refuses);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

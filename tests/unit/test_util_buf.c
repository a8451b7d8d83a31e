/* util/buf: appending, growth, the overflow flag, HTML and URL escaping. */
#include <string.h>

#include "unit.h"
#include "util/buf.h"

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

START_TEST(starts_empty)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 100);
	ck_assert_str_eq(b.data, "");
	ck_assert_uint_eq(b.len, 0);
	ck_assert(!b.overflow);
}
END_TEST

START_TEST(appends_in_order)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 100);
	idp_buf_adds(&b, "ab");
	idp_buf_addc(&b, 'c');
	idp_buf_add(&b, "dexyz", 2);
	idp_buf_addf(&b, "-%d-%s", 12, "f");
	ck_assert_str_eq(b.data, "abcde-12-f");
	ck_assert_uint_eq(b.len, 10);
	ck_assert(!b.overflow);
}
END_TEST

START_TEST(binary_data_keeps_length)
{
	struct idp_buf b;
	const char bin[3] = { 'a', '\0', 'b' };

	idp_buf_init(&b, a, 100);
	idp_buf_add(&b, bin, 3);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_mem_eq(b.data, bin, 3);
	ck_assert_int_eq(b.data[3], '\0');
}
END_TEST

START_TEST(grows_past_initial_capacity)
{
	struct idp_buf b;
	char expect[5001];

	idp_buf_init(&b, a, 10000);
	for (int i = 0; i < 5000; i++) {
		char c = (char)('a' + i % 26);

		idp_buf_addc(&b, c);
		expect[i] = c;
	}
	expect[5000] = '\0';
	ck_assert(!b.overflow);
	ck_assert_uint_eq(b.len, 5000);
	ck_assert_str_eq(b.data, expect);
}
END_TEST

START_TEST(exactly_max_is_fine)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 10);
	idp_buf_adds(&b, "0123456789");
	ck_assert(!b.overflow);
	ck_assert_str_eq(b.data, "0123456789");
	idp_buf_add(&b, "", 0);	/* nothing more is still fine */
	ck_assert(!b.overflow);
}
END_TEST

START_TEST(overflow_keeps_buffer_as_it_was)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 10);
	idp_buf_adds(&b, "01234567");
	idp_buf_adds(&b, "abc");	/* 11 > 10 */
	ck_assert(b.overflow);
	ck_assert_str_eq(b.data, "01234567");
	ck_assert_uint_eq(b.len, 8);
	/* Sticky: later appends are ignored even when they would fit. */
	idp_buf_addc(&b, 'x');
	idp_buf_addf(&b, "%d", 1);
	ck_assert(b.overflow);
	ck_assert_str_eq(b.data, "01234567");
}
END_TEST

START_TEST(overflow_one_past_max)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 10);
	idp_buf_adds(&b, "0123456789");
	idp_buf_addc(&b, 'x');
	ck_assert(b.overflow);
	ck_assert_str_eq(b.data, "0123456789");
}
END_TEST

START_TEST(overflow_large_max)
{
	struct idp_buf b;

	/* Growth is capped at max, and the overflow is still detected after
	 * several reallocations. */
	idp_buf_init(&b, a, 1000);
	for (int i = 0; i < 1000; i++)
		idp_buf_addc(&b, 'q');
	ck_assert(!b.overflow);
	ck_assert_uint_eq(b.len, 1000);
	idp_buf_addc(&b, 'q');
	ck_assert(b.overflow);
	ck_assert_uint_eq(b.len, 1000);
	ck_assert_uint_eq(strlen(b.data), 1000);
}
END_TEST

START_TEST(zero_max)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 0);
	ck_assert_str_eq(b.data, "");
	idp_buf_addc(&b, 'x');
	ck_assert(b.overflow);
	ck_assert_str_eq(b.data, "");
}
END_TEST

START_TEST(html_escapes_markup)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 1000);
	idp_buf_add_html(&b, "<a href=\"x\" title='t'>A&B</a>");
	ck_assert_str_eq(b.data, "&lt;a href=&quot;x&quot; title=&#39;t&#39;"
	    "&gt;A&amp;B&lt;/a&gt;");
}
END_TEST

START_TEST(html_keeps_plain_and_utf8)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 1000);
	idp_buf_add_html(&b, "Dinas Kesehatan \xc3\xa9 / 100%");
	ck_assert_str_eq(b.data, "Dinas Kesehatan \xc3\xa9 / 100%");
}
END_TEST

START_TEST(html_null_adds_nothing)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 1000);
	idp_buf_adds(&b, "x");
	idp_buf_add_html(&b, NULL);
	idp_buf_add_html(&b, "");
	ck_assert_str_eq(b.data, "x");
}
END_TEST

START_TEST(html_overflow_mid_escape)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 6);
	idp_buf_add_html(&b, "<<");
	ck_assert(b.overflow);
	/* The buffer never holds a cut entity. */
	ck_assert_str_eq(b.data, "&lt;");
}
END_TEST

START_TEST(urlenc_keeps_unreserved)
{
	struct idp_buf b;
	const char *unres = "ABCXYZabcxyz0189-._~";

	idp_buf_init(&b, a, 1000);
	idp_buf_add_urlenc(&b, unres);
	ck_assert_str_eq(b.data, unres);
}
END_TEST

START_TEST(urlenc_escapes_everything_else)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 1000);
	idp_buf_add_urlenc(&b, "a b&c=d/e?f#g+h%i:\xc3\xa9\x7f\x01");
	ck_assert_str_eq(b.data, "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i%3A%C3%A9"
	    "%7F%01");
}
END_TEST

START_TEST(urlenc_redirect_uri)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 1000);
	idp_buf_adds(&b, "https://rp.example/cb?code=");
	idp_buf_add_urlenc(&b, "x/y+z");
	idp_buf_adds(&b, "&state=");
	idp_buf_add_urlenc(&b, NULL);
	ck_assert_str_eq(b.data, "https://rp.example/cb?code=x%2Fy%2Bz&state=");
}
END_TEST

START_TEST(urlenc_overflow_mid_escape)
{
	struct idp_buf b;

	idp_buf_init(&b, a, 4);
	idp_buf_add_urlenc(&b, "a  ");
	ck_assert(b.overflow);
	ck_assert_str_eq(b.data, "a%20");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("util_buf");
	TCase *tc = unit_tcase(s, "buf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, starts_empty);
	tcase_add_test(tc, appends_in_order);
	tcase_add_test(tc, binary_data_keeps_length);
	tcase_add_test(tc, grows_past_initial_capacity);
	tcase_add_test(tc, exactly_max_is_fine);
	tcase_add_test(tc, overflow_keeps_buffer_as_it_was);
	tcase_add_test(tc, overflow_one_past_max);
	tcase_add_test(tc, overflow_large_max);
	tcase_add_test(tc, zero_max);
	tcase_add_test(tc, html_escapes_markup);
	tcase_add_test(tc, html_keeps_plain_and_utf8);
	tcase_add_test(tc, html_null_adds_nothing);
	tcase_add_test(tc, html_overflow_mid_escape);
	tcase_add_test(tc, urlenc_keeps_unreserved);
	tcase_add_test(tc, urlenc_escapes_everything_else);
	tcase_add_test(tc, urlenc_redirect_uri);
	tcase_add_test(tc, urlenc_overflow_mid_escape);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

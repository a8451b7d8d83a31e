/* page/lang: which language a page speaks (the order of the sources,
 * Accept-Language q-values, ui_locales lists), whether a client wants
 * HTML, and that every message catalogue has both languages. */
#include <string.h>

#include "endpoint/pages.h"
#include "endpoint/pages_password.h"
#include "endpoint/pages_device.h"
#include "endpoint/pages_factor.h"
#include "endpoint/respond.h"
#include "page/lang.h"
#include "page/page.h"
#include "page/pager.h"
#include "page/trouble.h"
#include "unit.h"

static const char *
choose(const char *param, const char *ui, const char *cookie,
    const char *accept, const char *fallback, enum idp_lang_source *src)
{
	struct idp_lang_in in = { param, ui, cookie, accept, fallback };

	return idp_lang_choose(&in, src);
}

START_TEST(order_of_sources)
{
	enum idp_lang_source src;

	ck_assert_str_eq(choose("en", "id", "id", "id", "id", &src), "en");
	ck_assert_int_eq(src, IDP_LANG_FROM_PARAM);
	ck_assert_str_eq(choose(NULL, "en", "id", "id", "id", &src), "en");
	ck_assert_int_eq(src, IDP_LANG_FROM_UI_LOCALES);
	ck_assert_str_eq(choose(NULL, NULL, "en", "id", "id", &src), "en");
	ck_assert_int_eq(src, IDP_LANG_FROM_COOKIE);
	ck_assert_str_eq(choose(NULL, NULL, NULL, "en-GB", "id", &src), "en");
	ck_assert_int_eq(src, IDP_LANG_FROM_ACCEPT);
	ck_assert_str_eq(choose(NULL, NULL, NULL, NULL, "en", &src), "en");
	ck_assert_int_eq(src, IDP_LANG_FROM_DEFAULT);
	ck_assert_str_eq(choose(NULL, NULL, NULL, NULL, "id", NULL), "id");
}
END_TEST

/* A source that names no language of ours is passed over, never taken
 * as one: the next source decides. */
START_TEST(unknown_values_fall_through)
{
	enum idp_lang_source src;

	ck_assert_str_eq(choose("fr", "de ja", "EN", "fr-FR", "en", &src), "en");
	ck_assert_int_eq(src, IDP_LANG_FROM_DEFAULT);
	ck_assert_str_eq(choose("en-US", NULL, "en ", NULL, "id", &src), "id");
	ck_assert_str_eq(choose("", "", "", "", "xx", &src), "id");
	ck_assert_str_eq(choose("<script>", "\"", "'", ";q=1", NULL, NULL),
	    "id");
}
END_TEST

START_TEST(ui_locales_first_of_ours)
{
	ck_assert_str_eq(idp_lang_from_list("en-US id"), "en");
	ck_assert_str_eq(idp_lang_from_list("fr de id-ID"), "id");
	ck_assert_str_eq(idp_lang_from_list("  in-ID  en"), "id");
	ck_assert_ptr_null(idp_lang_from_list("ind english e"));
	ck_assert_ptr_null(idp_lang_from_list(""));
	ck_assert_ptr_null(idp_lang_from_list(NULL));
}
END_TEST

START_TEST(accept_language_weights)
{
	ck_assert_str_eq(idp_lang_from_accept("id-ID,id;q=0.9,en;q=0.8"), "id");
	ck_assert_str_eq(idp_lang_from_accept("en-GB,en;q=0.9"), "en");
	/* q decides, not order */
	ck_assert_str_eq(idp_lang_from_accept("en;q=0.1, id;q=0.7"), "id");
	ck_assert_str_eq(idp_lang_from_accept("fr, en;q=0.5, id;q=0.5"), "en");
	/* q=0 means "not this one" */
	ck_assert_str_eq(idp_lang_from_accept("id;q=0, en;q=0.2"), "en");
	ck_assert_ptr_null(idp_lang_from_accept("id;q=0"));
	/* Android's old code for Indonesian */
	ck_assert_str_eq(idp_lang_from_accept("in-ID, en-US;q=0.8"), "id");
	ck_assert_str_eq(idp_lang_from_accept("EN-us"), "en");
	ck_assert_str_eq(idp_lang_from_accept(" id ; q=1.000 "), "id");
	/* malformed weights are skipped, not read as 1 */
	ck_assert_str_eq(idp_lang_from_accept("en;q=2, id;q=0.3"), "id");
	ck_assert_str_eq(idp_lang_from_accept("en;q=abc, id;q=0.3"), "id");
	ck_assert_str_eq(idp_lang_from_accept("en;q=0.12345, id;q=0.01"), "id");
	ck_assert_ptr_null(idp_lang_from_accept("*, fr;q=0.9"));
	ck_assert_ptr_null(idp_lang_from_accept("ind, eng"));
	ck_assert_ptr_null(idp_lang_from_accept(",,;;,"));
	ck_assert_ptr_null(idp_lang_from_accept(""));
	ck_assert_ptr_null(idp_lang_from_accept(NULL));
}
END_TEST

START_TEST(exact_values_only)
{
	ck_assert_str_eq(idp_lang_exact("id"), "id");
	ck_assert_str_eq(idp_lang_exact("en"), "en");
	ck_assert_ptr_null(idp_lang_exact("EN"));
	ck_assert_ptr_null(idp_lang_exact("en-US"));
	ck_assert_ptr_null(idp_lang_exact("id "));
	ck_assert_ptr_null(idp_lang_exact(""));
	ck_assert_ptr_null(idp_lang_exact(NULL));
}
END_TEST

START_TEST(browsers_want_html)
{
	/* Chromium, Firefox */
	ck_assert(idp_accept_wants_html("text/html,application/xhtml+xml,"
	    "application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"));
	ck_assert(idp_accept_wants_html("text/html, application/json"));
	ck_assert(idp_accept_wants_html("TEXT/HTML;q=0.5, application/json;"
	    "q=0.5"));
	/* curl, fetch(), API clients */
	ck_assert(!idp_accept_wants_html("*/*"));
	ck_assert(!idp_accept_wants_html("application/json"));
	ck_assert(!idp_accept_wants_html("application/json, text/html;q=0.5"));
	ck_assert(!idp_accept_wants_html("text/html;q=0"));
	ck_assert(!idp_accept_wants_html("text/htmlx"));
	ck_assert(!idp_accept_wants_html(""));
	ck_assert(!idp_accept_wants_html(NULL));
}
END_TEST

static void
check_catalogue(const char *name, const struct idp_msg *m, size_t n)
{
	size_t bad = idp_msgs_check(m, n);

	ck_assert_msg(n > 0, "%s is empty", name);
	ck_assert_msg(bad == n, "%s: message %zu lacks a language or its "
	    "arguments differ", name, bad);
}

START_TEST(every_catalogue_speaks_both)
{
	check_catalogue("page", idp_page_msgs, idp_page_nmsgs);
	check_catalogue("trouble", idp_trouble_msgs, idp_trouble_nmsgs);
	check_catalogue("pager", idp_pager_msgs, idp_pager_nmsgs);
	check_catalogue("signin", idp_signin_msgs, idp_signin_nmsgs);
	check_catalogue("account", idp_account_msgs, idp_account_nmsgs);
	check_catalogue("password", idp_password_msgs, idp_password_nmsgs);
	check_catalogue("sessions", idp_sessions_msgs, idp_sessions_nmsgs);
	check_catalogue("device", idp_device_msgs, idp_device_nmsgs);
	check_catalogue("factor", idp_factor_msgs, idp_factor_nmsgs);
	check_catalogue("response", idp_response_msgs, idp_response_nmsgs);
}
END_TEST

START_TEST(catalogue_check_finds_gaps)
{
	const struct idp_msg m[] = { { "a %s", "b %s" }, { "x", NULL },
		{ "%s %s", "%s" }, { "", "e" } };

	ck_assert_uint_eq(idp_msgs_check(m, 1), 1);
	ck_assert_uint_eq(idp_msgs_check(m, 4), 1);
	ck_assert_uint_eq(idp_msgs_check(m + 2, 2), 0);
	ck_assert_uint_eq(idp_msgs_check(m + 3, 1), 0);
	ck_assert_str_eq(idp_msg_get(&m[0], "en"), "b %s");
	ck_assert_str_eq(idp_msg_get(&m[0], "id"), "a %s");
	ck_assert_str_eq(idp_msg_get(&m[0], NULL), "a %s");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("page_lang");
	TCase *tc = unit_tcase(s, "choose");

	tcase_add_test(tc, order_of_sources);
	tcase_add_test(tc, unknown_values_fall_through);
	tcase_add_test(tc, ui_locales_first_of_ours);
	tcase_add_test(tc, accept_language_weights);
	tcase_add_test(tc, exact_values_only);
	tc = unit_tcase(s, "negotiate");
	tcase_add_test(tc, browsers_want_html);
	tc = unit_tcase(s, "catalogues");
	tcase_add_test(tc, every_catalogue_speaks_both);
	tcase_add_test(tc, catalogue_check_finds_gaps);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

/* The form_post response page (OAuth 2.0 Form Post Response Mode §2,
 * endpoint/pages_response.c): a form posting the response to the redirect
 * URI, every value escaped, a visible button for browsers without
 * JavaScript, and a CSP that lets exactly the auto-submit script run and
 * the form go to the service's origin only. */
#include <string.h>

#include "endpoint/respond.h"
#include "page_req.h"
#include "unit.h"

static struct page_req p;

static void
setup(void)
{
	page_req_init(&p, IDP_GET, "/authorize");
}

static void
teardown(void)
{
	page_req_free(&p);
}

static const char *
body(void)
{
	ck_assert_ptr_nonnull(p.rs.body);
	return p.rs.body;
}

#define HAS(s) ck_assert_msg(strstr(body(), (s)) != NULL, "missing: %s", (s))
#define LACKS(s) ck_assert_msg(strstr(body(), (s)) == NULL, "present: %s", (s))

static void
render(const char *action, const struct idp_response *r, bool error)
{
	struct idp_form_post_page page = { action, NULL, r, error };

	ck_assert_int_eq(idp_page_form_post(&p.rq, &p.rs, &page), IDP_OK);
	ck_assert_int_eq(p.rs.status, 200);
}

START_TEST(the_hash_is_the_scripts)
{
	/* printf %s SCRIPT | openssl dgst -sha256 -binary | base64 */
	ck_assert_str_eq(idp_form_post_script,
	    "document.getElementById(\"response\").submit();");
	ck_assert_str_eq(idp_form_post_script_hash(p.arena),
	    "mQ2oGECEQvP+Nu+by0UKX2wmZ+b33NETq1RQ2wOEDw0=");
}
END_TEST

START_TEST(success_response)
{
	struct idp_response r = { 0 };
	const char *csp;

	idp_response_add(&r, "code", "c0de");
	idp_response_add(&r, "state", "s\"<x>&");
	idp_response_add(&r, "iss", "https://sso.baliprov.go.id");
	idp_response_add(&r, "absent", NULL);
	render("https://layanan.badungkab.go.id/cb?x=1&y=2", &r, false);
	HAS("<form id=\"response\" method=\"post\" "
	    "action=\"https://layanan.badungkab.go.id/cb?x=1&amp;y=2\">");
	HAS("<input type=\"hidden\" name=\"code\" value=\"c0de\">");
	HAS("<input type=\"hidden\" name=\"state\" "
	    "value=\"s&quot;&lt;x&gt;&amp;\">");
	HAS("name=\"iss\" value=\"https://sso.baliprov.go.id\"");
	LACKS("absent");
	LACKS("csrf_token");
	/* the button, in the page's language, for browsers without JS */
	HAS("<button type=\"submit\"");
	HAS("Lanjutkan");
	HAS("<script>document.getElementById(\"response\").submit();"
	    "</script>");
	HAS("<html lang=\"id\"");
	csp = page_resp_header(&p.rs, "Content-Security-Policy");
	ck_assert_ptr_nonnull(csp);
	ck_assert_ptr_nonnull(strstr(csp, "script-src 'sha256-mQ2oGECEQvP+Nu+"
	    "by0UKX2wmZ+b33NETq1RQ2wOEDw0='"));
	ck_assert_ptr_nonnull(strstr(csp, "form-action 'self' "
	    "https://layanan.badungkab.go.id"));
	ck_assert_ptr_null(strstr(csp, "unsafe-inline"));
	ck_assert_str_eq(page_resp_header(&p.rs, "Cache-Control"), "no-store");
}
END_TEST

START_TEST(error_response)
{
	struct idp_response r = { 0 };

	idp_response_add(&r, "error", "access_denied");
	idp_response_add(&r, "error_description", "The user denied <it>.");
	idp_response_add(&r, "iss", "https://sso.baliprov.go.id");
	render("https://layanan.badungkab.go.id/cb", &r, true);
	HAS("name=\"error\" value=\"access_denied\"");
	HAS("value=\"The user denied &lt;it&gt;.\"");
	HAS("Kembali ke layanan dengan pesan galat");
}
END_TEST

START_TEST(no_language_switch)
{
	struct idp_response r = { 0 };

	idp_response_add(&r, "code", "c0de");
	render("https://layanan.badungkab.go.id/cb", &r, false);
	/* following a switch link would run the authorization again */
	LACKS("lang=en");
}
END_TEST

START_TEST(a_private_scheme_is_a_form_action_of_its_own)
{
	struct idp_response r = { 0 };
	const char *csp;

	idp_response_add(&r, "code", "c0de");
	render("id.go.baliprov.app:/cb", &r, false);
	csp = page_resp_header(&p.rs, "Content-Security-Policy");
	ck_assert_ptr_nonnull(strstr(csp, "form-action 'self' "
	    "id.go.baliprov.app:"));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("page_form_post");
	TCase *tc = unit_tcase(s, "form_post");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, the_hash_is_the_scripts);
	tcase_add_test(tc, success_response);
	tcase_add_test(tc, error_response);
	tcase_add_test(tc, no_language_switch);
	tcase_add_test(tc, a_private_scheme_is_a_form_action_of_its_own);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

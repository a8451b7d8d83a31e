/* page/html, page/page, page/form: escaping of text, attributes and URLs
 * in whole rendered pages (a hostile service name, username, login id and
 * query), which links a page may carry, message arguments, forms with
 * per-field errors, the language switch and cookie, flash messages, and
 * the headers every page is sent with. */
#include <string.h>

#include "endpoint/pages.h"
#include "page/form.h"
#include "page/html.h"
#include "page/page.h"
#include "page_req.h"
#include "unit.h"

static struct page_req p;

static void
setup(void)
{
	page_req_init(&p, IDP_GET, "/login");
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

START_TEST(href_rules)
{
	static const char *const ok[] = { "https://simpeg.baliprov.go.id/",
		"http://127.0.0.1:8080/x", "/account", "/login?next=%2Faccount",
		"mailto:helpdesk@baliprov.go.id", "tel:+62361222333",
		"HTTPS://A.EXAMPLE", NULL };
	static const char *const bad[] = { "javascript:alert(1)",
		"JavaScript:alert(1)", "data:text/html,x", "vbscript:x",
		"//evil.example/", "/\\evil.example", "/\t/evil.example",
		"https://a.example/ x", "https://a\nb", "mailto:", "tel:", "",
		"relative/path", "#frag", "\x7f/x", NULL };

	for (const char *const *u = ok; *u; u++)
		ck_assert_msg(idp_html_href_ok(*u), "refused %s", *u);
	for (const char *const *u = bad; *u; u++)
		ck_assert_msg(!idp_html_href_ok(*u), "allowed %s", *u);
	ck_assert(!idp_html_href_ok(NULL));
}
END_TEST

START_TEST(messages_escape_text_and_arguments)
{
	struct idp_buf b;
	const char *args[] = { "<b>\"Dinas\" & 'Badan'</b>", NULL };

	idp_buf_init(&b, p.arena, 1024);
	idp_html_msg(&b, "Masuk ke %s & %s; <%s>", args, 2);
	ck_assert_str_eq(b.data, "Masuk ke &lt;b&gt;&quot;Dinas&quot; &amp; "
	    "&#39;Badan&#39;&lt;/b&gt; &amp; ; &lt;&gt;");
	idp_buf_init(&b, p.arena, 1024);
	idp_html_msg(&b, "no arguments %", NULL, 0);
	ck_assert_str_eq(b.data, "no arguments %");
	idp_buf_init(&b, p.arena, 1024);
	ck_assert(!idp_html_href(&b, "javascript:alert(1)"));
	ck_assert_str_eq(b.data, "");
	ck_assert(idp_html_href(&b, "/a?b=1&c=\"2\""));
	ck_assert_str_eq(b.data, " href=\"/a?b=1&amp;c=&quot;2&quot;\"");
}
END_TEST

START_TEST(telephone_links)
{
	ck_assert_str_eq(idp_html_tel(p.arena, "(0361) 222-333"),
	    "tel:0361222333");
	ck_assert_str_eq(idp_html_tel(p.arena, "+62 361 222 333"),
	    "tel:+62361222333");
	ck_assert_str_eq(idp_html_tel(p.arena, "0361+1"), "tel:03611");
	ck_assert_ptr_null(idp_html_tel(p.arena, "()"));
	ck_assert_ptr_null(idp_html_tel(p.arena, NULL));
}
END_TEST

/* Everything a service or a person chose is escaped wherever it lands:
 * element text, attribute values, the title and the switch link. */
START_TEST(login_page_escapes_what_others_chose)
{
	struct idp_client c = { 0 };
	struct idp_login_page lp = { 0 };

	c.name = "<script>alert(1)</script>";
	c.logo_uri = "javascript:alert(2)";
	c.client_id = "x";
	lp.client = &c;
	lp.redirect_uri = "https://rp.example.go.id/cb";
	lp.login_id = "id\"><img src=x onerror=alert(3)>";
	lp.csrf_token = "t'\"<>";
	lp.username = "\"><svg onload=alert(4)>";
	lp.note = IDP_LOGIN_BAD_CREDENTIALS;
	ck_assert_int_eq(idp_page_login(&p.rq, &p.rs, &lp), IDP_OK);
	LACKS("<script>");
	LACKS("<img src=x");
	LACKS("<svg");
	LACKS("javascript:");
	HAS("<title>Masuk ke &lt;script&gt;alert(1)&lt;/script&gt; \xc2\xb7 "
	    "SSO Provinsi Bali</title>");
	HAS("<h1>Masuk ke &lt;script&gt;alert(1)&lt;/script&gt;</h1>");
	HAS("name=\"login\" value=\"id&quot;&gt;&lt;img src=x "
	    "onerror=alert(3)&gt;\"");
	HAS("name=\"csrf_token\" value=\"t&#39;&quot;&lt;&gt;\"");
	HAS("value=\"&quot;&gt;&lt;svg onload=alert(4)&gt;\"");
	/* the switch link is this page by GET, its id percent-encoded */
	HAS("<a class=\"lang\" href=\"/login?login=id%22%3E%3Cimg%20src%3Dx%20"
	    "onerror%3Dalert%283%29%3E&amp;lang=en\" lang=\"en\" "
	    "hreflang=\"en\">English</a>");
	HAS("<p class=\"error\" role=\"alert\" id=\"login-error\">");
	HAS("aria-describedby=\"login-error\"");
}
END_TEST

START_TEST(page_speaks_one_language)
{
	struct idp_login_page lp = { 0 };

	lp.login_id = "L";
	lp.csrf_token = "T";
	page_req_kv(p.rq.headers, &p.rq.nheaders, "Accept-Language",
	    "en-US,en;q=0.9");
	ck_assert_int_eq(idp_page_login(&p.rq, &p.rs, &lp), IDP_OK);
	HAS("<html lang=\"en\">");
	HAS("<h1>Sign in to SSO Provinsi Bali</h1>");
	HAS("Need help? Contact Helpdesk SSO: <a href=\"tel:0361222333\">"
	    "(0361) 222-333</a>");
	HAS("lang=id\" lang=\"id\" hreflang=\"id\">Bahasa Indonesia</a>");
	HAS("name=\"lang\" value=\"en\"");
	LACKS("Masuk");
	LACKS("Kata sandi");
	ck_assert_ptr_null(page_resp_header(&p.rs, "Set-Cookie"));
}
END_TEST

/* A followed switch link is remembered in a cookie; a form field is not. */
START_TEST(switch_link_sets_cookie)
{
	struct idp_login_page lp = { 0 };
	const char *cookie;

	lp.login_id = "L";
	lp.csrf_token = "T";
	page_req_kv(p.rq.query, &p.rq.nquery, "login", "L");
	page_req_kv(p.rq.query, &p.rq.nquery, "lang", "en");
	ck_assert_int_eq(idp_page_login(&p.rq, &p.rs, &lp), IDP_OK);
	HAS("<html lang=\"en\">");
	cookie = page_resp_header(&p.rs, "Set-Cookie");
	ck_assert_ptr_nonnull(cookie);
	ck_assert_str_eq(cookie, "idp_lang=en; Max-Age=31536000; Path=/; "
	    "HttpOnly; SameSite=Lax");
	/* the switch back drops the lang= it came with */
	HAS("href=\"/login?login=L&amp;lang=id\"");
}
END_TEST

/* The switch link of any GET page is its own URL again: the query
 * re-encoded, lang= replaced. */
START_TEST(switch_link_keeps_the_query)
{
	static const struct idp_msg title = { "Daftar", "List" };
	struct idp_page pg;

	p.rq.path = "/admin/people";
	page_req_kv(p.rq.query, &p.rq.nquery, "q", "Ni Luh \"<x>\" & co");
	page_req_kv(p.rq.query, &p.rq.nquery, "lang", "id");
	page_req_kv(p.rq.query, &p.rq.nquery, "page", "2");
	idp_page_init(&pg, &p.rq, &p.rs, NULL);
	ck_assert_str_eq(pg.self, "/admin/people?q=Ni%20Luh%20%22%3Cx%3E%22%20"
	    "%26%20co&page=2");
	idp_page_head(&pg, &title, NULL);
	ck_assert_ptr_nonnull(strstr(pg.b.data, "href=\"/admin/people?q=Ni%20"
	    "Luh%20%22%3Cx%3E%22%20%26%20co&amp;page=2&amp;lang=en\""));
	p.rq.method = IDP_POST;
	idp_page_init(&pg, &p.rq, &p.rs, NULL);
	ck_assert_ptr_null(pg.self);
}
END_TEST

START_TEST(missing_fields_are_marked)
{
	struct idp_login_page lp = { 0 };

	lp.login_id = "L";
	lp.csrf_token = "T";
	lp.note = IDP_LOGIN_MISSING;
	lp.username = "wayan";
	lp.password_missing = true;
	ck_assert_int_eq(idp_page_login(&p.rq, &p.rs, &lp), IDP_OK);
	HAS("<p class=\"field-error\" id=\"password-error\">Isi kata sandi "
	    "Anda.</p>");
	HAS("aria-describedby=\"password-error\" aria-invalid=\"true\"");
	LACKS("username-error");
	LACKS("role=\"alert\"");
}
END_TEST

START_TEST(headers_of_every_page)
{
	struct idp_login_page lp = { 0 };
	const char *csp;

	lp.login_id = "L";
	lp.csrf_token = "T";
	lp.redirect_uri = "https://rp.example.go.id/cb?x=1";
	ck_assert_int_eq(idp_page_login(&p.rq, &p.rs, &lp), IDP_OK);
	ck_assert_int_eq(p.rs.status, 200);
	ck_assert_str_eq(p.rs.content_type, "text/html; charset=utf-8");
	ck_assert_str_eq(page_resp_header(&p.rs, "Cache-Control"), "no-store");
	ck_assert_str_eq(page_resp_header(&p.rs, "X-Frame-Options"), "DENY");
	ck_assert_str_eq(page_resp_header(&p.rs, "X-Content-Type-Options"),
	    "nosniff");
	csp = page_resp_header(&p.rs, "Content-Security-Policy");
	ck_assert_ptr_nonnull(csp);
	ck_assert_ptr_nonnull(strstr(csp, "script-src 'none'"));
	ck_assert_ptr_nonnull(strstr(csp, "form-action 'self' "
	    "https://rp.example.go.id;"));
	LACKS("<script");
	HAS("<main>");
	HAS("<footer class=\"foot\">");
	HAS("<header class=\"top\">");
}
END_TEST

START_TEST(fields_with_hint_and_error)
{
	static const struct idp_msg label = { "Kode", "Code" };
	static const struct idp_msg hint = { "Enam angka dari aplikasi",
		"Six digits from the app" };
	static const struct idp_msg err = { "Kode salah", "Wrong code" };
	struct idp_field f = { 0 };
	struct idp_page pg;

	idp_page_init(&pg, &p.rq, &p.rs, NULL);
	f.name = "otp";
	f.label = &label;
	f.hint = &hint;
	f.error = &err;
	f.autocomplete = "one-time-code";
	f.inputmode = "numeric";
	f.maxlength = 6;
	f.value = "12\"34";
	idp_form_begin(&pg, "/login", "tok");
	idp_form_field(&pg, &f);
	idp_form_end(&pg);
	ck_assert_str_eq(pg.b.data, "<form method=\"post\" action=\"/login\">"
	    "<input type=\"hidden\" name=\"csrf_token\" value=\"tok\">"
	    "<input type=\"hidden\" name=\"lang\" value=\"id\">"
	    "<div class=\"field\"><label for=\"otp\">Kode</label>"
	    "<p class=\"hint\" id=\"otp-hint\">Enam angka dari aplikasi</p>"
	    "<p class=\"field-error\" id=\"otp-error\">Kode salah</p>"
	    "<input type=\"text\" id=\"otp\" name=\"otp\" "
	    "autocomplete=\"one-time-code\" inputmode=\"numeric\" "
	    "autocapitalize=\"none\" spellcheck=\"false\" maxlength=\"6\" "
	    "aria-describedby=\"otp-error otp-hint\" aria-invalid=\"true\" "
	    "value=\"12&quot;34\"></div></form>");
}
END_TEST

START_TEST(confirmation_pattern)
{
	static const struct idp_msg yes = { "Cabut", "Withdraw" };
	static const struct idp_msg no = { "Batal", "Cancel" };
	const struct idp_hidden h[] = { { "client_id", "a\"b" },
		{ "state", NULL }, { NULL, NULL } };
	const struct idp_confirm c = { "/account", "tok", h, &yes, &no,
		"/account" };
	struct idp_page pg;

	idp_page_init(&pg, &p.rq, &p.rs, NULL);
	idp_form_confirm(&pg, &c);
	ck_assert_ptr_nonnull(strstr(pg.b.data, "name=\"client_id\" "
	    "value=\"a&quot;b\""));
	ck_assert_ptr_null(strstr(pg.b.data, "name=\"state\""));
	ck_assert_ptr_nonnull(strstr(pg.b.data, "<input type=\"hidden\" "
	    "name=\"confirm\" value=\"yes\"><div class=\"actions\"><button "
	    "type=\"submit\" class=\"danger\">Cabut</button><a class=\"button "
	    "secondary\" href=\"/account\">Batal</a></div></form>"));
	ck_assert(!idp_form_confirmed(&p.rq));
	p.rq.method = IDP_POST;
	page_req_kv(p.rq.form, &p.rq.nform, "confirm", "yes");
	ck_assert(idp_form_confirmed(&p.rq));
	p.rq.form[0].val = "YES";
	ck_assert(!idp_form_confirmed(&p.rq));
}
END_TEST

START_TEST(flash_after_redirect)
{
	static const struct idp_msg done = { "Sudah dicabut.", "Withdrawn." };
	const struct idp_flash table[] = { { "consent_withdrawn", &done },
		{ NULL, NULL } };
	struct idp_page pg;

	idp_page_see_other(&p.rq, &p.rs, "/account", "consent_withdrawn");
	ck_assert_int_eq(p.rs.status, 303);
	ck_assert_str_eq(page_resp_header(&p.rs, "Location"), "/account");
	ck_assert_str_eq(page_resp_header(&p.rs, "Set-Cookie"), "idp_flash="
	    "consent_withdrawn; Max-Age=120; Path=/; HttpOnly; SameSite=Lax");
	memset(&p.rs, 0, sizeof(p.rs));
	idp_page_see_other(&p.rq, &p.rs, "//evil.example/", "Bad Name!");
	ck_assert_str_eq(page_resp_header(&p.rs, "Location"), "/");
	ck_assert_ptr_null(page_resp_header(&p.rs, "Set-Cookie"));

	memset(&p.rs, 0, sizeof(p.rs));
	page_req_kv(p.rq.cookies, &p.rq.ncookies, "idp_flash",
	    "consent_withdrawn");
	idp_page_init(&pg, &p.rq, &p.rs, NULL);
	idp_page_flash(&pg, table);
	ck_assert_str_eq(pg.b.data, "<p class=\"flash\" role=\"status\">"
	    "Sudah dicabut.</p>");
	ck_assert_str_eq(page_resp_header(&p.rs, "Set-Cookie"),
	    "idp_flash=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
	/* a name the page does not know shows nothing, and is cleared */
	memset(&p.rs, 0, sizeof(p.rs));
	p.rq.cookies[0].val = "<script>";
	idp_page_init(&pg, &p.rq, &p.rs, NULL);
	idp_page_flash(&pg, table);
	ck_assert_str_eq(pg.b.data, "");
	ck_assert_ptr_nonnull(page_resp_header(&p.rs, "Set-Cookie"));
}
END_TEST

START_TEST(numbers_and_lists)
{
	static const struct idp_msg term = { "Orang", "People" };
	struct idp_page pg;

	idp_page_init(&pg, &p.rq, &p.rs, NULL);
	ck_assert_str_eq(idp_page_num(&pg, 33000), "33.000");
	ck_assert_str_eq(idp_page_num(&pg, 1234567), "1.234.567");
	ck_assert_str_eq(idp_page_num(&pg, 999), "999");
	ck_assert_str_eq(idp_page_num(&pg, -1000), "-1.000");
	ck_assert_str_eq(idp_page_num(&pg, INT64_MIN),
	    "-9.223.372.036.854.775.808");
	pg.lang = "en";
	ck_assert_str_eq(idp_page_num(&pg, 33000), "33,000");
	pg.lang = "id";
	idp_page_dl_begin(&pg);
	idp_page_dl_text(&pg, &term, "<33.000>");
	idp_page_dl_end(&pg);
	ck_assert_str_eq(pg.b.data, "<dl><div><dt>Orang</dt><dd>&lt;33.000"
	    "&gt;</dd></div></dl>");
}
END_TEST

START_TEST(tables_have_captions)
{
	static const struct idp_msg cap = { "Sesi aktif", "Active sessions" };
	static const struct idp_msg c1 = { "Peramban", "Browser" };
	static const struct idp_msg c2 = { "Mulai", "Started" };
	const struct idp_msg *const cols[] = { &c1, &c2 };
	struct idp_page pg;

	idp_page_init(&pg, &p.rq, &p.rs, NULL);
	idp_page_table_begin(&pg, "sessions", &cap, cols, 2);
	idp_page_row_begin(&pg);
	idp_page_cell(&pg, "Chrome <Android>");
	idp_page_cell_time(&pg, PAGE_REQ_NOW);
	idp_page_row_end(&pg);
	idp_page_table_end(&pg);
	ck_assert_str_eq(pg.b.data, "<div class=\"table\" role=\"region\" "
	    "tabindex=\"0\" aria-labelledby=\"sessions\"><table><caption "
	    "id=\"sessions\">Sesi aktif</caption><thead><tr><th scope=\"col\">"
	    "Peramban</th><th scope=\"col\">Mulai</th></tr></thead><tbody><tr>"
	    "<td>Chrome &lt;Android&gt;</td><td><time datetime=\""
	    "2025-03-14T08:05:00+08:00\">14 Maret 2025, 08.05 WITA</time></td>"
	    "</tr></tbody></table></div>");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("page_html");
	TCase *tc = unit_tcase(s, "escaping");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, href_rules);
	tcase_add_test(tc, messages_escape_text_and_arguments);
	tcase_add_test(tc, telephone_links);
	tcase_add_test(tc, login_page_escapes_what_others_chose);
	tc = unit_tcase(s, "layout");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, page_speaks_one_language);
	tcase_add_test(tc, switch_link_sets_cookie);
	tcase_add_test(tc, switch_link_keeps_the_query);
	tcase_add_test(tc, missing_fields_are_marked);
	tcase_add_test(tc, headers_of_every_page);
	tcase_add_test(tc, numbers_and_lists);
	tcase_add_test(tc, tables_have_captions);
	tc = unit_tcase(s, "forms");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fields_with_hint_and_error);
	tcase_add_test(tc, confirmation_pattern);
	tcase_add_test(tc, flash_after_redirect);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

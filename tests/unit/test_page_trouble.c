/* page/when and page/trouble: times in the configured zone (WITA for
 * Bali), the helpdesk's hours in each language, and the error pages: one
 * language, what happened, what to do, the helpdesk, the codes in small
 * print, and statuses. */
#include <string.h>

#include "page/trouble.h"
#include "page/when.h"
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

START_TEST(times_in_wita)
{
	char s[80];

	idp_when_text(s, sizeof(s), PAGE_REQ_NOW, "id");
	ck_assert_str_eq(s, "14 Maret 2025, 08.05 WITA");
	idp_when_text(s, sizeof(s), PAGE_REQ_NOW, "en");
	ck_assert_str_eq(s, "14 March 2025, 08:05 WITA");
	idp_when_iso(s, sizeof(s), PAGE_REQ_NOW);
	ck_assert_str_eq(s, "2025-03-14T08:05:00+08:00");
	/* 16:30 UTC on 31 December is already the next year in Bali */
	idp_when_text(s, sizeof(s), 1735662600, "id");
	ck_assert_str_eq(s, "1 Januari 2025, 00.30 WITA");
	idp_when_zone_label(s, sizeof(s), PAGE_REQ_NOW);
	ck_assert_str_eq(s, "WITA");
}
END_TEST

START_TEST(other_zones)
{
	char s[80];

	idp_when_use_zone("Asia/Jakarta");
	idp_when_text(s, sizeof(s), PAGE_REQ_NOW, "id");
	ck_assert_str_eq(s, "14 Maret 2025, 07.05 WIB");
	idp_when_use_zone("America/Sao_Paulo");
	idp_when_zone_label(s, sizeof(s), PAGE_REQ_NOW);
	ck_assert_str_eq(s, "UTC-03");
	idp_when_use_zone("UTC");
	idp_when_iso(s, sizeof(s), PAGE_REQ_NOW);
	ck_assert_str_eq(s, "2025-03-14T00:05:00+00:00");
	idp_when_use_zone("Asia/Makassar");
}
END_TEST

START_TEST(helpdesk_hours)
{
	struct idp_hours h = { 2, { { 0, 4, 8 * 60, 16 * 60 },
		{ 5, 5, 8 * 60, 12 * 60 + 30 } } };
	struct idp_buf b;

	idp_buf_init(&b, p.arena, 512);
	idp_when_hours(&b, &h, "id", PAGE_REQ_NOW);
	ck_assert_str_eq(b.data, "Senin\xe2\x80\x93Jumat 08.00\xe2\x80\x93"
	    "16.00 WITA; Sabtu 08.00\xe2\x80\x93" "12.30 WITA");
	idp_buf_init(&b, p.arena, 512);
	idp_when_hours(&b, &h, "en", PAGE_REQ_NOW);
	ck_assert_str_eq(b.data, "Monday\xe2\x80\x93" "Friday 08:00\xe2\x80\x93"
	    "16:00 WITA; Saturday 08:00\xe2\x80\x93" "12:30 WITA");
}
END_TEST

START_TEST(unknown_service_page)
{
	struct idp_trouble t = { 0 };

	t.kind = IDP_TROUBLE_UNKNOWN_SERVICE;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "Unknown or disabled client_id.";
	ck_assert_int_eq(idp_page_trouble(&p.rq, &p.rs, &t),
	    IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(p.rs.status, 400);
	HAS("<html lang=\"id\">");
	HAS("<h1>Layanan tidak dikenal</h1>");
	HAS("tidak terdaftar di SSO Provinsi Bali");
	HAS("<h2>Yang dapat Anda lakukan</h2>");
	HAS("<h2 id=\"help\">Butuh bantuan?</h2>");
	HAS("<a href=\"tel:0361222333\">(0361) 222-333</a>");
	HAS("<a href=\"mailto:helpdesk@baliprov.go.id\">");
	HAS("<p class=\"small\">Untuk helpdesk: kode invalid_request, ID "
	    "permintaan 00c0ffee00000001, <time datetime=\"2025-03-14T08:05:00"
	    "+08:00\">14 Maret 2025, 08.05 WITA</time></p>");
	/* the English detail is for the log, not the page */
	LACKS("Unknown or disabled");
	LACKS("Butuh bantuan? Hubungi");
	ck_assert_ptr_nonnull(page_resp_header(&p.rs,
	    "Content-Security-Policy"));
}
END_TEST

START_TEST(bad_return_offers_the_service)
{
	struct idp_trouble t = { 0 };

	page_req_kv(p.rq.query, &p.rq.nquery, "ui_locales", "en");
	t.kind = IDP_TROUBLE_BAD_RETURN;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.service_name = "e-Kinerja <Bali>";
	t.service_uri = "https://ekinerja.baliprov.go.id/";
	t.ui_locales = "en";
	idp_page_trouble(&p.rq, &p.rs, &t);
	HAS("<html lang=\"en\">");
	HAS("<p>e-Kinerja &lt;Bali&gt; asked to send you back to an address");
	HAS("<a class=\"button\" href=\"https://ekinerja.baliprov.go.id/\">"
	    "Back to e-Kinerja &lt;Bali&gt;</a>");
	HAS("For the helpdesk: code invalid_request");
	LACKS("Kembali");
}
END_TEST

START_TEST(expired_page_starts_again)
{
	struct idp_trouble t = { 0 };

	t.kind = IDP_TROUBLE_EXPIRED;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.retry = "/authorize?client_id=a&state=b";
	t.service_name = "SIMPEG";
	t.service_uri = "javascript:alert(1)";
	idp_page_trouble(&p.rq, &p.rs, &t);
	HAS("<h1>Halaman masuk sudah kedaluwarsa</h1>");
	HAS("<a class=\"button\" href=\"/authorize?client_id=a&amp;state=b\">"
	    "Mulai lagi</a>");
	/* a home page that is not a web address is not offered */
	LACKS("Kembali ke SIMPEG");
	LACKS("javascript:");
	LACKS("<footer");
}
END_TEST

START_TEST(not_found_and_busy)
{
	idp_page_error(&p.rq, &p.rs, IDP_ERR_NOT_FOUND, "No such endpoint.");
	ck_assert_int_eq(p.rs.status, 404);
	HAS("<title>Halaman tidak ditemukan \xc2\xb7 SSO Provinsi Bali</title>");
	HAS("href=\"/account\">Buka halaman akun Anda</a>");
	HAS("kode not_found");
	memset(&p.rs, 0, sizeof(p.rs));
	idp_page_error(&p.rq, &p.rs, IDP_ERR_UNAVAILABLE, NULL);
	ck_assert_int_eq(p.rs.status, 503);
	ck_assert_str_eq(page_resp_header(&p.rs, "Retry-After"), "1");
	HAS("<h1>Layanan sedang terganggu</h1>");
	memset(&p.rs, 0, sizeof(p.rs));
	idp_page_error(&p.rq, &p.rs, IDP_ERR_METHOD, NULL);
	ck_assert_int_eq(p.rs.status, 405);
	memset(&p.rs, 0, sizeof(p.rs));
	idp_page_error(&p.rq, &p.rs, IDP_ERR_TOO_LARGE, NULL);
	ck_assert_int_eq(p.rs.status, 413);
	HAS("<h1>Data terlalu besar</h1>");
}
END_TEST

START_TEST(browsers_get_pages)
{
	ck_assert(!idp_page_wanted(&p.rq));
	page_req_kv(p.rq.headers, &p.rq.nheaders, "accept",
	    "text/html,application/xhtml+xml,*/*;q=0.8");
	ck_assert(idp_page_wanted(&p.rq));
	p.rq.headers[0].val = "application/json";
	ck_assert(!idp_page_wanted(&p.rq));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("page_trouble");
	TCase *tc = unit_tcase(s, "when");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, times_in_wita);
	tcase_add_test(tc, other_zones);
	tcase_add_test(tc, helpdesk_hours);
	tc = unit_tcase(s, "trouble");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, unknown_service_page);
	tcase_add_test(tc, bad_return_offers_the_service);
	tcase_add_test(tc, expired_page_starts_again);
	tcase_add_test(tc, not_found_and_busy);
	tcase_add_test(tc, browsers_get_pages);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

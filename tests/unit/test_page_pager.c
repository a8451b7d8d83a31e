/* page/pager: which rows a page shows, which page numbers are offered
 * (33,000 people at 50 a page), bad page numbers, and the rendered nav. */
#include <string.h>

#include "page/pager.h"
#include "page_req.h"
#include "unit.h"

static struct page_req p;

static void
setup(void)
{
	page_req_init(&p, IDP_GET, "/admin/people");
}

static void
teardown(void)
{
	page_req_free(&p);
}

static void
window_is(const struct idp_pager *pg, const char *want)
{
	int64_t w[IDP_PAGER_WINDOW];
	size_t n = idp_pager_window(pg, w);
	char got[128] = "";
	size_t o = 0;

	ck_assert_uint_le(n, IDP_PAGER_WINDOW);
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%lld",
		    i ? " " : "", (long long)w[i]);
	ck_assert_str_eq(got, want);
}

START_TEST(rows_of_a_page)
{
	struct idp_pager pg;

	idp_pager_init(&pg, "3", 50, 33000);
	ck_assert_int_eq(pg.page, 3);
	ck_assert_int_eq(pg.pages, 660);
	ck_assert_int_eq(pg.offset, 100);
	ck_assert_int_eq(pg.per_page, 50);
	idp_pager_init(&pg, "660", 50, 33001);
	ck_assert_int_eq(pg.pages, 661);
	ck_assert_int_eq(pg.offset, 32950);
	idp_pager_init(&pg, NULL, 50, 0);
	ck_assert_int_eq(pg.pages, 1);
	ck_assert_int_eq(pg.page, 1);
	ck_assert_int_eq(pg.offset, 0);
	idp_pager_init(&pg, "1", 50, 50);
	ck_assert_int_eq(pg.pages, 1);
	idp_pager_init(&pg, "2", 50, 51);
	ck_assert_int_eq(pg.pages, 2);
	ck_assert_int_eq(pg.offset, 50);
}
END_TEST

START_TEST(bad_page_numbers)
{
	static const char *const first[] = { "", "0", "-1", "abc", "1e3",
		" 2", "2 ", "+2", "0x10", "99999999999999999999", NULL };
	struct idp_pager pg;

	for (const char *const *s = first; *s; s++) {
		idp_pager_init(&pg, *s, 50, 33000);
		ck_assert_msg(pg.page == 1 && pg.offset == 0, "\"%s\" -> %lld",
		    *s, (long long)pg.page);
	}
	/* past the end: the last page, and no overflow on the way */
	idp_pager_init(&pg, "9223372036854775807", 50, 33000);
	ck_assert_int_eq(pg.page, 660);
	ck_assert_int_eq(pg.offset, 32950);
	idp_pager_init(&pg, "5", 0, 10);
	ck_assert_int_eq(pg.per_page, 1);
	ck_assert_int_eq(pg.offset, 4);
	idp_pager_init(&pg, "2", 5000, 3000);
	ck_assert_int_eq(pg.per_page, 1000);
	ck_assert_int_eq(pg.pages, 3);
	idp_pager_init(&pg, "2", 50, -7);
	ck_assert_int_eq(pg.total, 0);
	ck_assert_int_eq(pg.page, 1);
	idp_pager_init(&pg, "3", 1000, INT64_MAX);
	ck_assert_int_eq(pg.offset, 2000);
}
END_TEST

START_TEST(page_numbers_offered)
{
	struct idp_pager pg;

	idp_pager_init(&pg, "1", 50, 33000);
	window_is(&pg, "1 2 0 660");
	idp_pager_init(&pg, "2", 50, 33000);
	window_is(&pg, "1 2 3 0 660");
	idp_pager_init(&pg, "3", 50, 33000);
	window_is(&pg, "1 2 3 4 0 660");
	idp_pager_init(&pg, "330", 50, 33000);
	window_is(&pg, "1 0 329 330 331 0 660");
	idp_pager_init(&pg, "659", 50, 33000);
	window_is(&pg, "1 0 658 659 660");
	idp_pager_init(&pg, "660", 50, 33000);
	window_is(&pg, "1 0 659 660");
	idp_pager_init(&pg, "4", 50, 350);
	window_is(&pg, "1 2 3 4 5 6 7");
	idp_pager_init(&pg, "4", 50, 351);
	window_is(&pg, "1 0 3 4 5 0 8");
	idp_pager_init(&pg, NULL, 50, 10);
	window_is(&pg, "1");
}
END_TEST

START_TEST(rendered_nav)
{
	struct idp_page page;
	struct idp_pager pg;

	idp_page_init(&page, &p.rq, &p.rs, NULL);
	idp_pager_init(&pg, "2", 50, 33000);
	idp_page_pager(&page, &pg, "/admin/people?q=wayan");
	ck_assert_str_eq(page.b.data, "<nav class=\"pager\" aria-label=\""
	    "Halaman daftar\"><p>Halaman 2 dari 660</p><ul>"
	    "<li><a href=\"/admin/people?q=wayan&amp;page=1\" rel=\"prev\">"
	    "Sebelumnya</a></li>"
	    "<li><a href=\"/admin/people?q=wayan&amp;page=1\" "
	    "aria-label=\"Halaman 1\">1</a></li>"
	    "<li><a href=\"/admin/people?q=wayan&amp;page=2\" "
	    "aria-current=\"page\" aria-label=\"Halaman 2\">2</a></li>"
	    "<li><a href=\"/admin/people?q=wayan&amp;page=3\" "
	    "aria-label=\"Halaman 3\">3</a></li>"
	    "<li class=\"gap\">\xe2\x80\xa6</li>"
	    "<li><a href=\"/admin/people?q=wayan&amp;page=660\" "
	    "aria-label=\"Halaman 660\">660</a></li>"
	    "<li><a href=\"/admin/people?q=wayan&amp;page=3\" rel=\"next\">"
	    "Berikutnya</a></li></ul></nav>");
}
END_TEST

START_TEST(one_page_needs_no_pager)
{
	struct idp_page page;
	struct idp_pager pg;

	idp_page_init(&page, &p.rq, &p.rs, NULL);
	idp_pager_init(&pg, "1", 50, 50);
	idp_page_pager(&page, &pg, "/admin/people");
	ck_assert_str_eq(page.b.data, "");
	page.lang = "en";
	idp_pager_init(&pg, "20", 10, 12000);
	idp_page_pager(&page, &pg, "/admin/people");
	ck_assert_ptr_nonnull(strstr(page.b.data, "<p>Page 20 of 1,200</p>"));
	ck_assert_ptr_nonnull(strstr(page.b.data, "href=\"/admin/people?"
	    "page=1200\" aria-label=\"Page 1,200\">1,200</a>"));
}
END_TEST

START_TEST(keyset_nav)
{
	struct idp_page page;

	idp_page_init(&page, &p.rq, &p.rs, NULL);
	idp_page_pager_keyset(&page, "/admin/people", false, 0, 0);
	ck_assert_str_eq(page.b.data, "");
	idp_page_pager_keyset(&page, "/admin/people?q=wayan", true, 41, 977);
	ck_assert_str_eq(page.b.data, "<nav class=\"pager\" aria-label=\""
	    "Halaman daftar\"><ul>"
	    "<li><a href=\"/admin/people?q=wayan\">Halaman pertama</a></li>"
	    "<li><a href=\"/admin/people?q=wayan&amp;before=41\" "
	    "rel=\"prev\">Sebelumnya</a></li>"
	    "<li><a href=\"/admin/people?q=wayan&amp;after=977\" "
	    "rel=\"next\">Berikutnya</a></li></ul></nav>");
	idp_page_init(&page, &p.rq, &p.rs, NULL);
	page.lang = "en";
	idp_page_pager_keyset(&page, "/admin/people", false, 0, 5);
	ck_assert_str_eq(page.b.data, "<nav class=\"pager\" aria-label=\""
	    "Pages of the list\"><ul><li><a href=\"/admin/people?after=5\" "
	    "rel=\"next\">Next</a></li></ul></nav>");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("page_pager");
	TCase *tc = unit_tcase(s, "pager");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rows_of_a_page);
	tcase_add_test(tc, bad_page_numbers);
	tcase_add_test(tc, page_numbers_offered);
	tcase_add_test(tc, rendered_nav);
	tcase_add_test(tc, one_page_needs_no_pager);
	tcase_add_test(tc, keyset_nav);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

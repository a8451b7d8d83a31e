/* oidc/site: hosts of URIs and registrable domains under the Public
 * Suffix List (go.id is a public suffix), and which descriptive URIs a
 * page may show for a client. */
#include <string.h>

#include "oidc/site.h"
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

START_TEST(hosts)
{
	ck_assert_str_eq(idp_uri_host(a, "https://SIMPEG.BaliProv.go.id/x?y"),
	    "simpeg.baliprov.go.id");
	ck_assert_str_eq(idp_uri_host(a, "https://a.example:8443/"),
	    "a.example");
	ck_assert_str_eq(idp_uri_host(a, "http://[::1]:8080/cb"), "[::1]");
	ck_assert_str_eq(idp_uri_host(a, "https://u@b.example/"), "b.example");
	ck_assert_str_eq(idp_uri_host(a, "https://c.example"), "c.example");
	ck_assert_ptr_null(idp_uri_host(a, "id.go.baliprov.app:/cb"));
	ck_assert_ptr_null(idp_uri_host(a, "https:///path"));
	ck_assert_ptr_null(idp_uri_host(a, "https://[::1/"));
	ck_assert_ptr_null(idp_uri_host(a, NULL));
}
END_TEST

START_TEST(registrable_domains)
{
	ck_assert_str_eq(idp_site_of(a, "simpeg.baliprov.go.id"),
	    "baliprov.go.id");
	ck_assert_str_eq(idp_site_of(a, "cdn.x.baliprov.go.id"),
	    "baliprov.go.id");
	ck_assert_str_eq(idp_site_of(a, "layanan.badungkab.go.id"),
	    "badungkab.go.id");
	ck_assert_str_eq(idp_site_of(a, "evil.go.id"), "evil.go.id");
	ck_assert_str_eq(idp_site_of(a, "bali.bps.go.id"), "bps.go.id");
	ck_assert_str_eq(idp_site_of(a, "www.example.co.id"), "example.co.id");
	/* a public suffix, an address, a bare name: the host itself */
	ck_assert_str_eq(idp_site_of(a, "go.id"), "go.id");
	ck_assert_str_eq(idp_site_of(a, "127.0.0.1"), "127.0.0.1");
	ck_assert_str_eq(idp_site_of(a, "[::1]"), "[::1]");
	ck_assert_str_eq(idp_site_of(a, "localhost"), "localhost");
	ck_assert_ptr_null(idp_site_of(a, NULL));
}
END_TEST

START_TEST(uris_shown)
{
	char *redirects[] = { (char[]){ "https://simpeg.baliprov.go.id/cb" },
	    (char[]){ "id.go.baliprov.app:/cb" }, NULL };
	char *loopback[] = { (char[]){ "http://127.0.0.1:8081/callback" },
	    NULL };
	char *none[] = { NULL };

	ck_assert(idp_site_uri_shown(a, "https://cdn.baliprov.go.id/logo.png",
	    redirects));
	ck_assert(idp_site_uri_shown(a, "https://simpeg.baliprov.go.id/",
	    redirects));
	/* another site under go.id, another registrable domain, http */
	ck_assert(!idp_site_uri_shown(a, "https://evil.go.id/logo.png",
	    redirects));
	ck_assert(!idp_site_uri_shown(a, "https://baliprov.go.id.evil.example/",
	    redirects));
	ck_assert(!idp_site_uri_shown(a, "http://cdn.baliprov.go.id/logo.png",
	    redirects));
	ck_assert(!idp_site_uri_shown(a, "https://127.0.0.1:8081/",
	    redirects));
	ck_assert(idp_site_uri_shown(a, "https://127.0.0.1:8081/", loopback));
	ck_assert(!idp_site_uri_shown(a, "http://127.0.0.1:8081/", loopback));
	ck_assert(!idp_site_uri_shown(a, "https://a.example/", none));
	ck_assert(!idp_site_uri_shown(a, "https://a.example/", NULL));
	ck_assert(!idp_site_uri_shown(a, NULL, redirects));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_site");
	TCase *tc = unit_tcase(s, "site");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hosts);
	tcase_add_test(tc, registrable_domains);
	tcase_add_test(tc, uris_shown);
	return unit_run(s);
}

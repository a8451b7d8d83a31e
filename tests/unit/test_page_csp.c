/* page/csp: the default policy, and that every addition (script hashes
 * and nonces, framed origins, form targets) is exactly what was asked and
 * cannot smuggle a directive or a wildcard in. */
#include <string.h>

#include "page/csp.h"
#include "unit.h"

static struct idp_arena *a;
static struct idp_csp csp;

static void
setup(void)
{
	a = idp_arena_new(1024);
	idp_csp_init(&csp, a);
}

static void
teardown(void)
{
	idp_arena_free(a);
	a = NULL;
}

#define DEFAULT_CSP "default-src 'none'; script-src 'none'; " \
	"style-src 'self'; img-src 'self' https: data:; form-action 'self'; " \
	"frame-src 'none'; frame-ancestors 'none'; base-uri 'none'"

#define HASH "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

START_TEST(default_allows_no_script)
{
	ck_assert_str_eq(idp_csp_header(&csp), DEFAULT_CSP);
}
END_TEST

START_TEST(script_hash_and_nonce)
{
	ck_assert_int_eq(idp_csp_script_hash(&csp, HASH), 0);
	ck_assert_int_eq(idp_csp_script_nonce(&csp,
	    "rAnd0m-Nonce_0f-22chars"), 0);
	ck_assert_int_eq(idp_csp_script_hash(&csp, HASH), 0);
	ck_assert_str_eq(idp_csp_header(&csp), "default-src 'none'; "
	    "script-src 'sha256-" HASH "' 'nonce-rAnd0m-Nonce_0f-22chars'; "
	    "style-src 'self'; img-src 'self' https: data:; form-action "
	    "'self'; frame-src 'none'; frame-ancestors 'none'; "
	    "base-uri 'none'");
}
END_TEST

START_TEST(bad_script_sources_refused)
{
	static const char *const hashes[] = { "", "abc", HASH "=",
		"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU'",
		"47DEQpj8HBSa+/TImW+5JC' 'unsafe-inline'=====",
		"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu==",
		"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF;", NULL };
	static const char *const nonces[] = { "", "short", "has space in it "
		"somewhere", "quote'-----------------", "semi;colon-------------",
		"=padding-first--------", NULL };

	for (const char *const *h = hashes; *h; h++)
		ck_assert_msg(idp_csp_script_hash(&csp, *h) == -1, "%s", *h);
	ck_assert_int_eq(idp_csp_script_hash(&csp, NULL), -1);
	for (const char *const *n = nonces; *n; n++)
		ck_assert_msg(idp_csp_script_nonce(&csp, *n) == -1, "%s", *n);
	ck_assert_str_eq(idp_csp_header(&csp), DEFAULT_CSP);
}
END_TEST

START_TEST(frames_by_origin)
{
	ck_assert_int_eq(idp_csp_frame(&csp,
	    "https://simpeg.baliprov.go.id/logout/frontchannel?x=1"), 0);
	ck_assert_int_eq(idp_csp_frame(&csp,
	    "https://simpeg.baliprov.go.id/other"), 0);
	ck_assert_int_eq(idp_csp_frame(&csp, "http://127.0.0.1:8081/fc"), 0);
	ck_assert_int_eq(idp_csp_frame(&csp, "https://[::1]:8443"), 0);
	ck_assert_ptr_nonnull(strstr(idp_csp_header(&csp), "; frame-src "
	    "https://simpeg.baliprov.go.id http://127.0.0.1:8081 "
	    "https://[::1]:8443; frame-ancestors 'none'"));
}
END_TEST

START_TEST(bad_frames_refused)
{
	static const char *const bad[] = { "javascript:alert(1)",
		"data:text/html,x", "https://", "https://user@host.example/",
		"https://a.example;script-src *", "https://a.example 'self'",
		"https://*.example", "https://a.example:123456/",
		"https://a.example:/", "ftp://a.example/", "//a.example/x",
		"/local", "https://[::1", "https://[]/", "HTTPS://A.EXAMPLE",
		"id.go.baliprov.app:/cb", "", NULL };

	for (const char *const *b = bad; *b; b++)
		ck_assert_msg(idp_csp_frame(&csp, *b) == -1, "%s", *b);
	ck_assert_int_eq(idp_csp_frame(&csp, NULL), -1);
	ck_assert_str_eq(idp_csp_header(&csp), DEFAULT_CSP);
}
END_TEST

START_TEST(form_targets)
{
	ck_assert_int_eq(idp_csp_form_action(&csp,
	    "https://rp.example.go.id/callback?a=b#c"), 0);
	ck_assert_int_eq(idp_csp_form_action(&csp, "id.go.baliprov.app:/cb"),
	    0);
	ck_assert_ptr_nonnull(strstr(idp_csp_header(&csp), "; form-action "
	    "'self' https://rp.example.go.id id.go.baliprov.app:; "));
	ck_assert_int_eq(idp_csp_form_action(&csp, "javascript:x"), -1);
	ck_assert_int_eq(idp_csp_form_action(&csp, "data:,x"), -1);
	ck_assert_int_eq(idp_csp_form_action(&csp, "blob:https://a/x"), -1);
	ck_assert_int_eq(idp_csp_form_action(&csp, "http:x"), -1);
	ck_assert_int_eq(idp_csp_form_action(&csp, "https:x"), -1);
	ck_assert_int_eq(idp_csp_form_action(&csp, "a:b"), -1);
	ck_assert_int_eq(idp_csp_form_action(&csp, "x'y:/cb"), -1);
}
END_TEST

START_TEST(source_of_uris)
{
	ck_assert_str_eq(idp_csp_source(a, "https://a.example", false),
	    "https://a.example");
	ck_assert_str_eq(idp_csp_source(a, "http://localhost:3000/x", false),
	    "http://localhost:3000");
	ck_assert_ptr_null(idp_csp_source(a, "com.example:/x", false));
	ck_assert_str_eq(idp_csp_source(a, "com.example:/x", true),
	    "com.example:");
	ck_assert_ptr_null(idp_csp_source(a, "JavaScript:alert(1)", true));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("page_csp");
	TCase *tc = unit_tcase(s, "csp");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, default_allows_no_script);
	tcase_add_test(tc, script_hash_and_nonce);
	tcase_add_test(tc, bad_script_sources_refused);
	tcase_add_test(tc, frames_by_origin);
	tcase_add_test(tc, bad_frames_refused);
	tcase_add_test(tc, form_targets);
	tcase_add_test(tc, source_of_uris);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

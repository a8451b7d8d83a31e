/* http/request.c idp_parse_form: decoding, duplicates (RFC 6749 §3.1),
 * invalid parameters, empty pairs and the parameter limit; idp_parse_target
 * (path and query of the request line), header recording, and http/head.c
 * (the first bytes of a connection). */
#include <string.h>

#include "http/head.h"
#include "http/req.h"
#include "unit.h"

#define MAXP 16

static struct idp_arena *a;
static struct idp_kv kv[MAXP];
static size_t n;
static const char *dup_p, *bad_p;

static void
setup(void)
{
	a = idp_arena_new(1024);
	memset(kv, 0, sizeof(kv));
	n = 999;
	dup_p = NULL;
	bad_p = NULL;
}

static void
teardown(void)
{
	idp_arena_free(a);
	a = NULL;
}

/* A fresh start within one test. */
static void
reset(void)
{
	teardown();
	setup();
}

static int
parse(const char *s, size_t max)
{
	return idp_parse_form(a, s, strlen(s), kv, max, &n, &dup_p, &bad_p);
}

static const char *
get(const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].val;
	return NULL;
}

START_TEST(simple_pairs)
{
	ck_assert_int_eq(parse("grant_type=authorization_code&code=abc", MAXP),
	    0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(kv[0].key, "grant_type");
	ck_assert_str_eq(kv[0].val, "authorization_code");
	ck_assert_uint_eq(kv[0].len, 18);
	ck_assert_str_eq(kv[1].key, "code");
	ck_assert_str_eq(kv[1].val, "abc");
	ck_assert_ptr_null(dup_p);
	ck_assert_ptr_null(bad_p);
}
END_TEST

START_TEST(decodes_keys_and_values)
{
	ck_assert_int_eq(parse("redirect_uri=https%3A%2F%2Frp.example%2Fcb%3F"
	    "a%3D1&scope=openid+profile&na%6De=I+Made%20W&plus=%2B", MAXP), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(get("redirect_uri"), "https://rp.example/cb?a=1");
	ck_assert_str_eq(get("scope"), "openid profile");
	ck_assert_str_eq(get("name"), "I Made W");
	ck_assert_str_eq(get("plus"), "+");
	ck_assert_str_eq(kv[2].key, "name");
	ck_assert_uint_eq(kv[2].len, 8);
	ck_assert_ptr_null(bad_p);
}
END_TEST

START_TEST(value_may_hold_equals_and_utf8)
{
	ck_assert_int_eq(parse("a=b=c&n=%C3%A9&e=", MAXP), 0);
	ck_assert_str_eq(get("a"), "b=c");
	ck_assert_str_eq(get("n"), "\xc3\xa9");
	ck_assert_str_eq(get("e"), "");
	ck_assert_ptr_null(bad_p);
}
END_TEST

START_TEST(key_without_value)
{
	ck_assert_int_eq(parse("flag&a=1", MAXP), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(get("flag"), "");
	ck_assert_uint_eq(kv[0].len, 0);
	ck_assert_str_eq(get("a"), "1");
}
END_TEST

START_TEST(duplicates_reported_first_kept)
{
	ck_assert_int_eq(parse("scope=openid&state=1&scope=admin&state=2",
	    MAXP), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(get("scope"), "openid");
	ck_assert_str_eq(get("state"), "1");
	/* the first parameter that was repeated */
	ck_assert_ptr_nonnull(dup_p);
	ck_assert_str_eq(dup_p, "scope");
	ck_assert_ptr_null(bad_p);
}
END_TEST

START_TEST(duplicate_after_decoding)
{
	/* "%73cope" is "scope": the same parameter, spelt differently. */
	ck_assert_int_eq(parse("scope=openid&%73cope=admin", MAXP), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(get("scope"), "openid");
	ck_assert_str_eq(dup_p, "scope");
	/* Case differs: two parameters. */
	reset();
	ck_assert_int_eq(parse("scope=a&Scope=b", MAXP), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_null(dup_p);
}
END_TEST

START_TEST(empty_duplicate_still_a_duplicate)
{
	ck_assert_int_eq(parse("code=abc&code=", MAXP), 0);
	ck_assert_str_eq(get("code"), "abc");
	ck_assert_str_eq(dup_p, "code");
}
END_TEST

START_TEST(bad_escape_reported)
{
	ck_assert_int_eq(parse("a=%zz&b=2", MAXP), 0);
	ck_assert_ptr_nonnull(bad_p);
	ck_assert_str_eq(bad_p, "a");
	ck_assert_ptr_null(get("a"));
	ck_assert_str_eq(get("b"), "2");
	ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(truncated_escapes_reported)
{
	ck_assert_int_eq(parse("state=abc%2", MAXP), 0);
	ck_assert_str_eq(bad_p, "state");
	reset();
	ck_assert_int_eq(parse("state=%&x=1", MAXP), 0);
	ck_assert_str_eq(bad_p, "state");
	ck_assert_str_eq(get("x"), "1");
}
END_TEST

START_TEST(nul_reported)
{
	ck_assert_int_eq(parse("username=admin%00evil&p=1", MAXP), 0);
	ck_assert_str_eq(bad_p, "username");
	ck_assert_ptr_null(get("username"));
	ck_assert_str_eq(get("p"), "1");
}
END_TEST

START_TEST(invalid_utf8_reported)
{
	ck_assert_int_eq(parse("name=%C3%28&ok=1", MAXP), 0);
	ck_assert_str_eq(bad_p, "name");
	ck_assert_ptr_null(get("name"));
	reset();
	ck_assert_int_eq(parse("name=%C0%AF", MAXP), 0);	/* overlong */
	ck_assert_str_eq(bad_p, "name");
	reset();
	ck_assert_int_eq(parse("name=%ED%A0%80", MAXP), 0);	/* surrogate */
	ck_assert_str_eq(bad_p, "name");
}
END_TEST

START_TEST(bad_key_reported_without_echoing_it)
{
	ck_assert_int_eq(parse("%FF=1&a=2", MAXP), 0);
	ck_assert_ptr_nonnull(bad_p);
	ck_assert_str_eq(bad_p, "(parameter name)");
	ck_assert_str_eq(get("a"), "2");
	reset();
	ck_assert_int_eq(parse("%G1=1", MAXP), 0);
	ck_assert_str_eq(bad_p, "(parameter name)");
	reset();
	ck_assert_int_eq(parse("a%00b=1", MAXP), 0);
	ck_assert_str_eq(bad_p, "(parameter name)");
}
END_TEST

START_TEST(first_bad_kept)
{
	ck_assert_int_eq(parse("x=%zz&y=%C3", MAXP), 0);
	ck_assert_str_eq(bad_p, "x");
}
END_TEST

START_TEST(empty_pairs_skipped)
{
	ck_assert_int_eq(parse("&&a=1&&&b=2&", MAXP), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(get("a"), "1");
	ck_assert_str_eq(get("b"), "2");
	ck_assert_ptr_null(dup_p);
	ck_assert_ptr_null(bad_p);
	/* pairs without a name carry nothing */
	reset();
	ck_assert_int_eq(parse("=&=x&a=1", MAXP), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_null(bad_p);
	reset();
	ck_assert_int_eq(parse("", MAXP), 0);
	ck_assert_uint_eq(n, 0);
	reset();
	ck_assert_int_eq(parse("&", MAXP), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(honours_length)
{
	const char *s = "a=1&b=2";

	ck_assert_int_eq(idp_parse_form(a, s, 3, kv, MAXP, &n, &dup_p,
	    &bad_p), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(kv[0].val, "1");
	/* a body that is not NUL-terminated */
	{
		const char body[5] = { 'k', '=', 'v', '&', 'z' };

		reset();
		ck_assert_int_eq(idp_parse_form(a, body, 3, kv, MAXP, &n,
		    &dup_p, &bad_p), 0);
		ck_assert_uint_eq(n, 1);
		ck_assert_str_eq(kv[0].key, "k");
		ck_assert_str_eq(kv[0].val, "v");
	}
}
END_TEST

START_TEST(parameter_limit)
{
	ck_assert_int_eq(parse("a=1&b=2&c=3", 3), 0);
	ck_assert_uint_eq(n, 3);
	reset();
	ck_assert_int_eq(parse("a=1&b=2&c=3&d=4", 3), -1);
	reset();
	/* duplicates and empty pairs do not count toward the limit */
	ck_assert_int_eq(parse("a=1&b=2&&a=3&c=3", 3), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(dup_p, "a");
	reset();
	ck_assert_int_eq(parse("a=1", 0), -1);
	reset();
	ck_assert_int_eq(parse("", 0), 0);
}
END_TEST

START_TEST(many_parameters_up_to_max)
{
	char s[2048], *p = s;
	static struct idp_kv big[IDP_MAX_PARAMS];

	for (int i = 0; i < IDP_MAX_PARAMS; i++)
		p += sprintf(p, "%sk%d=v%d", i ? "&" : "", i, i);
	ck_assert_int_eq(idp_parse_form(a, s, strlen(s), big, IDP_MAX_PARAMS,
	    &n, &dup_p, &bad_p), 0);
	ck_assert_uint_eq(n, IDP_MAX_PARAMS);
	ck_assert_str_eq(big[IDP_MAX_PARAMS - 1].key, "k63");
	strcpy(p, "&one=more");
	ck_assert_int_eq(idp_parse_form(a, s, strlen(s), big, IDP_MAX_PARAMS,
	    &n, &dup_p, &bad_p), -1);
}
END_TEST

/* ---- idp_parse_target ---- */

static struct idp_req *
target(const char *raw, size_t len, enum idp_err *rc)
{
	struct idp_req *rq = idp_arena_zalloc(a, sizeof(*rq));

	rq->arena = a;
	*rc = idp_parse_target(rq, raw, len);
	return rq;
}

START_TEST(target_path_and_query)
{
	enum idp_err rc;
	struct idp_req *rq = target("/logout?a=1&b=x+y", 17, &rc);

	ck_assert_int_eq(rc, IDP_OK);
	ck_assert_str_eq(rq->path, "/logout");
	ck_assert_uint_eq(rq->path_len, 7);
	ck_assert_str_eq(idp_req_query(rq, "a"), "1");
	ck_assert_str_eq(idp_req_query(rq, "b"), "x y");
	ck_assert_ptr_null(rq->bad_param);
}
END_TEST

START_TEST(target_path_is_decoded)
{
	enum idp_err rc;
	struct idp_req *rq = target("/tok%65n+", 9, &rc);

	ck_assert_int_eq(rc, IDP_OK);
	ck_assert_str_eq(rq->path, "/token+");	/* '+' is no space here */
}
END_TEST

START_TEST(target_bad_paths_refused)
{
	static const char *const bad[] = { "/token%00x", "/jwks%00.json",
		"/static/idp.css%00.png", "/a%zz", "/a%4", "/a%", "/a%0a",
		"/a%7f", "/a%c3%28", "/a b", "/a\x01", "/a\x7f", "/a\xc3\xa9",
		"/a#b", "/a\"b", "token", "*", "http://x/token", "", NULL };
	enum idp_err rc;

	for (const char *const *p = bad; *p != NULL; p++) {
		(void)target(*p, strlen(*p), &rc);
		ck_assert_msg(rc == IDP_ERR_INVALID_REQUEST, "%s passed", *p);
	}
}
END_TEST

START_TEST(target_length_not_nul)
{
	enum idp_err rc;

	(void)target("/jwks\0.json", 11, &rc);
	ck_assert_int_eq(rc, IDP_ERR_INVALID_REQUEST);
}
END_TEST

START_TEST(target_bad_query_escapes)
{
	static const char *const bad[] = { "/logout?a=%zz", "/logout?a=%",
		"/logout?a=%4", "/logout?%zz=1", "/logout?a=%00",
		"/logout?a=b\x01", "/logout?a=b c", "/logout?a=%c3%28", NULL };
	enum idp_err rc;

	for (const char *const *p = bad; *p != NULL; p++) {
		struct idp_req *rq = target(*p, strlen(*p), &rc);

		ck_assert_int_eq(rc, IDP_OK);
		ck_assert_msg(rq->bad_param != NULL, "%s passed", *p);
	}
}
END_TEST

START_TEST(target_repeated_query_parameter)
{
	enum idp_err rc;
	struct idp_req *rq = target("/authorize?state=a&state=b", 26, &rc);

	ck_assert_int_eq(rc, IDP_OK);
	ck_assert_str_eq(rq->dup_param, "state");
}
END_TEST

/* ---- idp_req_add_header ---- */

START_TEST(header_repeated_authorization)
{
	struct idp_req *rq = idp_arena_zalloc(a, sizeof(*rq));

	idp_req_add_header(rq, "Authorization", "Bearer a");
	idp_req_add_header(rq, "Accept", "*/*");
	ck_assert_ptr_null(rq->dup_header);
	idp_req_add_header(rq, "authorization", "Bearer b");
	ck_assert_str_eq(rq->dup_header, "Authorization");
	ck_assert_str_eq(idp_req_header(rq, "Authorization"), "Bearer a");
}
END_TEST

/* RFC 9449 §4.3: one DPoP proof per request. */
START_TEST(header_repeated_dpop)
{
	struct idp_req *rq = idp_arena_zalloc(a, sizeof(*rq));

	idp_req_add_header(rq, "DPoP", "a.b.c");
	ck_assert_ptr_null(rq->dup_header);
	idp_req_add_header(rq, "dpop", "d.e.f");
	ck_assert_str_eq(rq->dup_header, "DPoP");
}
END_TEST

/* A request object's parameters replace the query of a GET and the form
 * of a POST, whichever idp_req_param reads. */
START_TEST(params_replaced)
{
	struct idp_req *rq = idp_arena_zalloc(a, sizeof(*rq));
	struct idp_kv given[1] = { { "scope", "openid", 6 } };

	rq->arena = a;
	rq->method = IDP_GET;
	ck_assert_int_eq(idp_parse_target(rq, "/authorize?scope=x&state=s",
	    26), IDP_OK);
	idp_req_set_params(rq, given, 1);
	ck_assert_str_eq(idp_req_param(rq, "scope"), "openid");
	ck_assert_ptr_null(idp_req_param(rq, "state"));
	rq->method = IDP_POST;
	idp_req_set_params(rq, given, 1);
	ck_assert_uint_eq(rq->nform, 1);
	ck_assert_str_eq(idp_req_form(rq, "scope"), "openid");
}
END_TEST

START_TEST(header_others_may_repeat)
{
	struct idp_req *rq = idp_arena_zalloc(a, sizeof(*rq));

	idp_req_add_header(rq, "Accept", "a");
	idp_req_add_header(rq, "Accept", "b");
	ck_assert_ptr_null(rq->dup_header);
	idp_req_add_header(rq, "Content-Length", "1");
	idp_req_add_header(rq, "Content-Length", "1");
	ck_assert_str_eq(rq->dup_header, "Content-Length");
}
END_TEST

/* ---- idp_head_plausible ---- */

START_TEST(head_good_and_partial)
{
	static const char *const good[] = {
		"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.1\nHost: a\n\n",
		"\r\nPOST /token HTTP/1.1\r\nContent-Length: 3\r\n\r\n\0\0\0",
		"GET /.well-known/openid-configuration HTTP/1.1\r\nX-Slow: ",
		"GE", "GET / HTTP/1.", "GET / HTTP/1.1\r",
		"GET /?a=%C3%A9 HTTP/1.1\r\nX: \xc3\xa9\t\r\n folded\r\n",
		"", NULL };

	for (const char *const *p = good; *p != NULL; p++)
		ck_assert_msg(idp_head_plausible(*p, strlen(*p)), "%s refused",
		    *p);
	ck_assert(idp_head_plausible(good[2], strlen(good[2]) + 3));
}
END_TEST

START_TEST(head_garbage)
{
	static const char *const bad[] = {
		"GET / HTTP/1.1\rHost: a\r\r",	/* bare CR line ends */
		"GET / HTTP/1.1\r\rHost: a",
		"GET /a\x01 HTTP/1.1\r\n",
		"GET  / HTTP/1.1\r\n",
		"GET / HTTP/1.1 \r\n",
		"GET / FTP/1.1\r\n",
		"GET /\r\n",
		"G(T / HTTP/1.1\r\n",
		"\x16\x03\x01\x02\x00",		/* TLS to a plain port */
		"GET / HTTP/1.1\r\nBad Name: x\r\n",
		"GET / HTTP/1.1\r\nX: a\x7f\r\n",
		NULL };
	char nuls[100] = { 0 };

	ck_assert(!idp_head_plausible(nuls, sizeof(nuls)));
	ck_assert(!idp_head_plausible("GET /a\0b HTTP/1.1\r\n", 20));
	ck_assert(!idp_head_plausible("GET / HTTP/1.1\r\nX: a\0b\r\n", 26));
	for (const char *const *p = bad; *p != NULL; p++)
		ck_assert_msg(!idp_head_plausible(*p, strlen(*p)),
		    "%s passed", *p);
}
END_TEST

#define TOK "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_"

/* Only a value shaped like a token the provider issued is a session or
 * browser cookie; the first of a name counts. */
START_TEST(cookie_token_shape)
{
	struct idp_req rq;

	memset(&rq, 0, sizeof(rq));
	rq.cookies[0] = (struct idp_kv){ "idp_session", TOK, 43 };
	rq.cookies[1] = (struct idp_kv){ "idp_session", "x", 1 };
	rq.cookies[2] = (struct idp_kv){ "idp_browser", TOK "A", 44 };
	rq.cookies[3] = (struct idp_kv){ "short", "AAAA", 4 };
	rq.cookies[4] = (struct idp_kv){ "plus",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", 43 };
	rq.ncookies = 5;
	ck_assert_str_eq(idp_req_cookie_token(&rq, "idp_session"), TOK);
	ck_assert_ptr_null(idp_req_cookie_token(&rq, "idp_browser"));
	ck_assert_ptr_null(idp_req_cookie_token(&rq, "short"));
	ck_assert_ptr_null(idp_req_cookie_token(&rq, "plus"));
	ck_assert_ptr_null(idp_req_cookie_token(&rq, "absent"));
	ck_assert_str_eq(idp_req_cookie(&rq, "plus"), rq.cookies[4].val);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("http_request");
	TCase *tc = unit_tcase(s, "parse_form");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, simple_pairs);
	tcase_add_test(tc, decodes_keys_and_values);
	tcase_add_test(tc, value_may_hold_equals_and_utf8);
	tcase_add_test(tc, key_without_value);
	tcase_add_test(tc, duplicates_reported_first_kept);
	tcase_add_test(tc, duplicate_after_decoding);
	tcase_add_test(tc, empty_duplicate_still_a_duplicate);
	tcase_add_test(tc, bad_escape_reported);
	tcase_add_test(tc, truncated_escapes_reported);
	tcase_add_test(tc, nul_reported);
	tcase_add_test(tc, invalid_utf8_reported);
	tcase_add_test(tc, bad_key_reported_without_echoing_it);
	tcase_add_test(tc, first_bad_kept);
	tcase_add_test(tc, empty_pairs_skipped);
	tcase_add_test(tc, honours_length);
	tcase_add_test(tc, parameter_limit);
	tcase_add_test(tc, many_parameters_up_to_max);
	tc = unit_tcase(s, "parse_target");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, target_path_and_query);
	tcase_add_test(tc, target_path_is_decoded);
	tcase_add_test(tc, target_bad_paths_refused);
	tcase_add_test(tc, target_length_not_nul);
	tcase_add_test(tc, target_bad_query_escapes);
	tcase_add_test(tc, target_repeated_query_parameter);
	tcase_add_test(tc, header_repeated_authorization);
	tcase_add_test(tc, header_repeated_dpop);
	tcase_add_test(tc, params_replaced);
	tcase_add_test(tc, header_others_may_repeat);
	tc = unit_tcase(s, "head");
	tcase_add_test(tc, head_good_and_partial);
	tcase_add_test(tc, head_garbage);
	tc = unit_tcase(s, "cookies");
	tcase_add_test(tc, cookie_token_shape);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

/* oidc/scope: parsing (RFC 6749 §3.3 syntax, duplicates, limits), joining,
 * the allowed-scope check and the consent subset test. */
#include <stdio.h>
#include <string.h>

#include "oidc/scope.h"
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
	a = NULL;
}

static char **
parse_ok(const char *s, size_t want_n)
{
	char **v = NULL;
	size_t n = 999;

	ck_assert_msg(idp_scope_parse(a, s, &v, &n) == IDP_OK, "refused: %s",
	    s);
	ck_assert_uint_eq(n, want_n);
	ck_assert_ptr_null(v[n]);
	return v;
}

static void
parse_bad(const char *s)
{
	char **v = NULL;
	size_t n = 999;

	ck_assert_msg(idp_scope_parse(a, s, &v, &n) == IDP_ERR_INVALID_SCOPE,
	    "accepted: \"%s\"", s ? s : "(null)");
	ck_assert_ptr_null(v);
	ck_assert_uint_eq(n, 999);
}

START_TEST(parse_keeps_order)
{
	char **v = parse_ok("openid profile email", 3);

	ck_assert_str_eq(v[0], "openid");
	ck_assert_str_eq(v[1], "profile");
	ck_assert_str_eq(v[2], "email");
	v = parse_ok("email openid", 2);
	ck_assert_str_eq(v[0], "email");
	ck_assert_str_eq(v[1], "openid");
}
END_TEST

START_TEST(parse_removes_duplicates)
{
	char **v = parse_ok("openid openid profile openid profile email", 3);

	ck_assert_str_eq(v[0], "openid");
	ck_assert_str_eq(v[1], "profile");
	ck_assert_str_eq(v[2], "email");
	/* Case matters: these are two scopes. */
	v = parse_ok("openid OpenID", 2);
	ck_assert_str_eq(v[1], "OpenID");
}
END_TEST

START_TEST(parse_accepts_full_token_alphabet)
{
	/* %x21 / %x23-5B / %x5D-7E */
	char **v = parse_ok("! #$%&'()*+,-./09:;<=>?@AZ[ ]^_`az{|}~ "
	    "api:read urn:example:scope", 5);

	ck_assert_str_eq(v[0], "!");
	ck_assert_str_eq(v[2], "]^_`az{|}~");
	ck_assert_str_eq(v[4], "urn:example:scope");
}
END_TEST

START_TEST(parse_rejects_bad_characters)
{
	parse_bad("openid \"profile\"");
	parse_bad("open\\id");
	parse_bad("openid pro\tfile");
	parse_bad("openid\x01");
	parse_bad("openid\x7f");
	parse_bad("openid profil\xc3\xa9");
	parse_bad("openid\nprofile");
}
END_TEST

START_TEST(parse_rejects_bad_spacing)
{
	parse_bad(NULL);
	parse_bad("");
	parse_bad(" ");
	parse_bad(" openid");
	parse_bad("openid ");
	parse_bad("openid  profile");
}
END_TEST

START_TEST(parse_limits_items)
{
	char s[IDP_SCOPE_MAX_LEN + 2];
	char *p = s;

	/* 32 distinct items are fine, 33 are too many. */
	for (int i = 0; i < IDP_SCOPE_MAX_ITEMS; i++)
		p += sprintf(p, "%ss%d", i ? " " : "", i);
	parse_ok(s, IDP_SCOPE_MAX_ITEMS);
	strcat(s, " s32");
	parse_bad(s);
}
END_TEST

START_TEST(parse_limits_length)
{
	char s[IDP_SCOPE_MAX_LEN + 2];

	memset(s, 'x', IDP_SCOPE_MAX_LEN);
	s[IDP_SCOPE_MAX_LEN] = '\0';
	parse_ok(s, 1);
	s[IDP_SCOPE_MAX_LEN] = 'x';
	s[IDP_SCOPE_MAX_LEN + 1] = '\0';
	parse_bad(s);
}
END_TEST

START_TEST(token_valid)
{
	ck_assert(idp_scope_token_valid("openid"));
	ck_assert(idp_scope_token_valid("!"));
	ck_assert(idp_scope_token_valid("~"));
	ck_assert(!idp_scope_token_valid(""));
	ck_assert(!idp_scope_token_valid(NULL));
	ck_assert(!idp_scope_token_valid("a b"));
	ck_assert(!idp_scope_token_valid("\""));
	ck_assert(!idp_scope_token_valid("\\"));
	ck_assert(!idp_scope_token_valid("\x7f"));
	ck_assert(!idp_scope_token_valid("\x80"));
}
END_TEST

START_TEST(join)
{
	char *v[] = { (char[]){ "openid" }, (char[]){ "profile" },
	    (char[]){ "email" }, NULL };
	char **p;

	ck_assert_str_eq(idp_scope_join(a, v, 3), "openid profile email");
	ck_assert_str_eq(idp_scope_join(a, v, 1), "openid");
	ck_assert_str_eq(idp_scope_join(a, v, 0), "");
	/* parse and join normalise a scope string */
	p = parse_ok("email email openid", 2);
	ck_assert_str_eq(idp_scope_join(a, p, 2), "email openid");
}
END_TEST

START_TEST(check_allowed)
{
	char *allowed[] = { (char[]){ "openid" }, (char[]){ "profile" },
	    (char[]){ "email" }, NULL };
	char *ok[] = { (char[]){ "profile" }, (char[]){ "openid" }, NULL };
	char *bad[] = { (char[]){ "openid" }, (char[]){ "phone" }, NULL };
	char *prefix[] = { (char[]){ "open" }, NULL };
	char *upper[] = { (char[]){ "OPENID" }, NULL };

	ck_assert_int_eq(idp_scope_check_allowed(ok, 2, allowed), IDP_OK);
	ck_assert_int_eq(idp_scope_check_allowed(ok, 0, allowed), IDP_OK);
	ck_assert_int_eq(idp_scope_check_allowed(bad, 2, allowed),
	    IDP_ERR_INVALID_SCOPE);
	/* n counts: the bad item past n is not looked at */
	ck_assert_int_eq(idp_scope_check_allowed(bad, 1, allowed), IDP_OK);
	ck_assert_int_eq(idp_scope_check_allowed(prefix, 1, allowed),
	    IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_scope_check_allowed(upper, 1, allowed),
	    IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_scope_check_allowed(ok, 2, NULL),
	    IDP_ERR_INVALID_SCOPE);
}
END_TEST

START_TEST(subset)
{
	char *super[] = { (char[]){ "openid" }, (char[]){ "profile" },
	    (char[]){ "email" }, NULL };
	char *sub[] = { (char[]){ "email" }, (char[]){ "openid" }, NULL };
	char *more[] = { (char[]){ "openid" }, (char[]){ "phone" }, NULL };
	char *upper[] = { (char[]){ "OpenID" }, NULL };
	char *empty[] = { NULL };

	ck_assert(idp_scope_subset(sub, super));
	ck_assert(idp_scope_subset(super, super));
	ck_assert(!idp_scope_subset(super, sub));
	ck_assert(!idp_scope_subset(more, super));
	ck_assert(!idp_scope_subset(upper, super));
	ck_assert(idp_scope_subset(empty, super));
	ck_assert(idp_scope_subset(NULL, super));
	ck_assert(idp_scope_subset(empty, empty));
	ck_assert(!idp_scope_subset(sub, empty));
	ck_assert(!idp_scope_subset(sub, NULL));
}
END_TEST

START_TEST(known_scopes)
{
	static const char *const want[] = { "openid", "profile", "email",
	    "phone", "organisation" };
	size_t n = 0;

	while (idp_scopes_known[n] != NULL)
		n++;
	ck_assert_uint_eq(n, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_str_eq(idp_scopes_known[i], want[i]);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("oidc_scope");
	TCase *tc = unit_tcase(s, "scope");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, parse_keeps_order);
	tcase_add_test(tc, parse_removes_duplicates);
	tcase_add_test(tc, parse_accepts_full_token_alphabet);
	tcase_add_test(tc, parse_rejects_bad_characters);
	tcase_add_test(tc, parse_rejects_bad_spacing);
	tcase_add_test(tc, parse_limits_items);
	tcase_add_test(tc, parse_limits_length);
	tcase_add_test(tc, token_valid);
	tcase_add_test(tc, join);
	tcase_add_test(tc, check_allowed);
	tcase_add_test(tc, subset);
	tcase_add_test(tc, known_scopes);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

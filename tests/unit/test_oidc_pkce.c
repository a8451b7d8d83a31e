/* oidc/pkce: RFC 7636 syntax, methods and the Appendix B vector. */
#include <string.h>

#include "oidc/pkce.h"
#include "unit.h"

/* RFC 7636 Appendix B. */
static const char rfc_verifier[] =
    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
static const char rfc_challenge[] =
    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

START_TEST(appendix_b_vector)
{
	ck_assert(idp_pkce_verify(IDP_PKCE_S256, rfc_challenge, rfc_verifier));
}
END_TEST

START_TEST(s256_mismatch)
{
	char v[sizeof(rfc_verifier)];

	memcpy(v, rfc_verifier, sizeof(v));
	v[0] = 'e';
	ck_assert(!idp_pkce_verify(IDP_PKCE_S256, rfc_challenge, v));
	ck_assert(!idp_pkce_verify(IDP_PKCE_S256, rfc_challenge, NULL));
	ck_assert(!idp_pkce_verify(IDP_PKCE_S256, NULL, rfc_verifier));
	/* The challenge compared as plain must not pass as S256. */
	ck_assert(!idp_pkce_verify(IDP_PKCE_S256, rfc_verifier, rfc_verifier));
	ck_assert(!idp_pkce_verify(IDP_PKCE_NONE, rfc_challenge, rfc_verifier));
}
END_TEST

START_TEST(plain_method)
{
	ck_assert(idp_pkce_verify(IDP_PKCE_PLAIN, rfc_verifier, rfc_verifier));
	ck_assert(!idp_pkce_verify(IDP_PKCE_PLAIN, rfc_challenge, rfc_verifier));
}
END_TEST

START_TEST(syntax)
{
	char s[130];

	memset(s, 'a', sizeof(s));
	s[42] = '\0';
	ck_assert(!idp_pkce_syntax_ok(s));		/* 42: too short */
	s[42] = 'a';
	s[43] = '\0';
	ck_assert(idp_pkce_syntax_ok(s));		/* 43 */
	memset(s, 'a', sizeof(s));
	s[128] = '\0';
	ck_assert(idp_pkce_syntax_ok(s));		/* 128 */
	s[128] = 'a';
	s[129] = '\0';
	ck_assert(!idp_pkce_syntax_ok(s));		/* 129: too long */
	ck_assert(idp_pkce_syntax_ok(
	    "abcdefghijklmnopqrstuvwxyz-._~ABCDEFGHIJKLM0123"));
	ck_assert(!idp_pkce_syntax_ok(
	    "abcdefghijklmnopqrstuvwxyz+/=ABCDEFGHIJKLM0123"));
	ck_assert(!idp_pkce_syntax_ok(
	    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMN01234"));
	ck_assert(!idp_pkce_syntax_ok(NULL));
	/* A bad verifier never verifies, whatever the challenge. */
	ck_assert(!idp_pkce_verify(IDP_PKCE_PLAIN, "short", "short"));
}
END_TEST

START_TEST(methods)
{
	ck_assert_int_eq(idp_pkce_method_parse("S256"), IDP_PKCE_S256);
	ck_assert_int_eq(idp_pkce_method_parse("plain"), IDP_PKCE_PLAIN);
	ck_assert_int_eq(idp_pkce_method_parse("s256"), IDP_PKCE_NONE);
	ck_assert_int_eq(idp_pkce_method_parse("S512"), IDP_PKCE_NONE);
	ck_assert_int_eq(idp_pkce_method_parse(NULL), IDP_PKCE_NONE);
	ck_assert_str_eq(idp_pkce_method_name(IDP_PKCE_S256), "S256");
	ck_assert_ptr_null(idp_pkce_method_name(IDP_PKCE_NONE));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_pkce");
	TCase *tc = unit_tcase(s, "pkce");

	tcase_add_test(tc, appendix_b_vector);
	tcase_add_test(tc, s256_mismatch);
	tcase_add_test(tc, plain_method);
	tcase_add_test(tc, syntax);
	tcase_add_test(tc, methods);
	return unit_run(s);
}

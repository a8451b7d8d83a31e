/* oidc/client_auth: Basic credentials (RFC 6749 §2.3.1), one method per
 * request, and the claims of a client assertion (RFC 7523 §3). */
#include <stdint.h>
#include <string.h>

#include "oidc/client_auth.h"
#include "unit.h"

#define NOW 1700000000
#define ISS "https://sso.baliprov.go.id"

static struct idp_arena *a;
static const char *const auds[] = { ISS, ISS "/token", NULL };

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

START_TEST(basic_decodes_form_encoded_parts)
{
	const char *id = NULL, *secret = NULL;

	/* base64("portal%3Aone:se%20cr%2Bet") */
	ck_assert_int_eq(idp_basic_credentials_parse(a,
	    "cG9ydGFsJTNBb25lOnNlJTIwY3IlMkJldA==", &id, &secret), 0);
	ck_assert_str_eq(id, "portal:one");
	ck_assert_str_eq(secret, "se cr+et");
	/* Leading spaces after the scheme are allowed. */
	ck_assert_int_eq(idp_basic_credentials_parse(a, "  YTpi", &id,
	    &secret), 0);
	ck_assert_str_eq(id, "a");
	ck_assert_str_eq(secret, "b");
}
END_TEST

START_TEST(basic_refuses_malformed)
{
	const char *id, *secret;

	ck_assert_int_eq(idp_basic_credentials_parse(a, "!!!!", &id, &secret),
	    -1);
	/* "portal": no colon */
	ck_assert_int_eq(idp_basic_credentials_parse(a, "cG9ydGFs", &id,
	    &secret), -1);
	/* ":secret": empty client_id */
	ck_assert_int_eq(idp_basic_credentials_parse(a, "OnNlY3JldA==", &id,
	    &secret), -1);
	/* "por\0tal:x" */
	ck_assert_int_eq(idp_basic_credentials_parse(a, "cG9yAHRhbDp4", &id,
	    &secret), -1);
	/* "a%zz:b": a bad escape */
	ck_assert_int_eq(idp_basic_credentials_parse(a, "YSV6ejpi", &id,
	    &secret), -1);
	ck_assert_int_eq(idp_basic_credentials_parse(a, "YTpi ", &id, &secret),
	    -1);
}
END_TEST

static enum idp_err
creds(const char *h, const char *id, const char *secret, const char *type,
    const char *assertion, struct idp_client_creds *out)
{
	struct idp_client_creds_in in = { h, id, secret, type, assertion };
	const char *why = NULL;
	enum idp_err rc = idp_client_creds_parse(a, &in, out, &why);

	if (rc != IDP_OK)
		ck_assert_ptr_nonnull(why);
	return rc;
}

START_TEST(one_method_each)
{
	struct idp_client_creds c;

	ck_assert_int_eq(creds("Basic cG9ydGFsOnMzY3JldA==", NULL, NULL, NULL,
	    NULL, &c), IDP_OK);
	ck_assert_int_eq(c.method, IDP_AUTH_BASIC);
	ck_assert_str_eq(c.client_id, "portal");
	ck_assert_str_eq(c.secret, "s3cret");
	ck_assert_int_eq(creds("basic cG9ydGFsOnMzY3JldA==", "portal", NULL,
	    NULL, NULL, &c), IDP_OK);
	ck_assert_int_eq(c.method, IDP_AUTH_BASIC);

	ck_assert_int_eq(creds(NULL, "portal", "s3cret", NULL, NULL, &c),
	    IDP_OK);
	ck_assert_int_eq(c.method, IDP_AUTH_POST);
	ck_assert_str_eq(c.secret, "s3cret");

	ck_assert_int_eq(creds(NULL, "kunci", NULL, IDP_ASSERTION_TYPE, "x.y.z",
	    &c), IDP_OK);
	ck_assert_int_eq(c.method, IDP_AUTH_PRIVATE_KEY_JWT);
	ck_assert_str_eq(c.assertion, "x.y.z");

	/* Another scheme at the token endpoint is no client authentication. */
	ck_assert_int_eq(creds("Bearer abc", "mobile", NULL, NULL, NULL, &c),
	    IDP_OK);
	ck_assert_int_eq(c.method, IDP_AUTH_NONE);
	ck_assert_str_eq(c.client_id, "mobile");
	ck_assert_int_eq(creds(NULL, NULL, NULL, NULL, NULL, &c), IDP_OK);
	ck_assert_ptr_null(c.client_id);
}
END_TEST

START_TEST(method_errors)
{
	struct idp_client_creds c;

	ck_assert_int_eq(creds("Basic !!!!", NULL, NULL, NULL, NULL, &c),
	    IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(creds("Basic cG9ydGFsOnMzY3JldA==", "other", NULL,
	    NULL, NULL, &c), IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(creds("Basic cG9ydGFsOnMzY3JldA==", "portal",
	    "s3cret", NULL, NULL, &c), IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(creds(NULL, "kunci", NULL, "jwt", "x.y.z", &c),
	    IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(creds(NULL, "kunci", NULL, NULL, "x.y.z", &c),
	    IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(creds(NULL, "kunci", NULL, IDP_ASSERTION_TYPE, NULL,
	    &c), IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(creds(NULL, "kunci", "s", IDP_ASSERTION_TYPE, "x.y.z",
	    &c), IDP_ERR_INVALID_REQUEST);
}
END_TEST

static enum idp_err
claims(const char *json, struct idp_assertion_claims *out)
{
	json_t *o = json_loads(json, 0, NULL);
	const char *why = NULL;
	enum idp_err rc;

	ck_assert_ptr_nonnull(o);
	rc = idp_assertion_check_claims(o, "kunci", auds, NOW, out, &why);
	ck_assert_ptr_nonnull(why);
	if (rc == IDP_OK)
		out->jti = idp_arena_strdup(a, out->jti);
	json_decref(o);
	return rc;
}

#define C(rest) "{\"iss\":\"kunci\",\"sub\":\"kunci\"," rest "}"

START_TEST(assertion_claims_good)
{
	struct idp_assertion_claims c;

	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "/token\","
	    "\"exp\":1700000060,\"jti\":\"j1\""), &c), IDP_OK);
	ck_assert_str_eq(c.jti, "j1");
	ck_assert_int_eq(c.exp, 1700000060);
	ck_assert_int_eq(claims(C("\"aud\":[\"x\",\"" ISS "\"],"
	    "\"exp\":1700003600,\"nbf\":1700000060,\"jti\":\"j1\""), &c),
	    IDP_OK);
	/* Up to IDP_ASSERTION_SKEW past exp still counts. */
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\",\"exp\":1699999941,"
	    "\"jti\":\"j\""), &c), IDP_OK);
}
END_TEST

START_TEST(assertion_claims_bad)
{
	struct idp_assertion_claims c;

	ck_assert_int_eq(claims("{\"iss\":\"kunci\",\"sub\":\"x\",\"aud\":\""
	    ISS "\",\"exp\":1700000060,\"jti\":\"j\"}", &c),
	    IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"https://elsewhere.example\","
	    "\"exp\":1700000060,\"jti\":\"j\""), &c), IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":[1,null],\"exp\":1700000060,"
	    "\"jti\":\"j\""), &c), IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\",\"exp\":1699999940,"
	    "\"jti\":\"j\""), &c), IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\",\"exp\":1700003601,"
	    "\"jti\":\"j\""), &c), IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\",\"exp\":1700000060.0,"
	    "\"jti\":\"j\""), &c), IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\",\"exp\":1700000060,"
	    "\"nbf\":1700000061,\"jti\":\"j\""), &c), IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\",\"exp\":1700000060,"
	    "\"nbf\":\"soon\",\"jti\":\"j\""), &c), IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\",\"exp\":1700000060"),
	    &c), IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\",\"exp\":1700000060,"
	    "\"jti\":\"\""), &c), IDP_ERR_INVALID_CLIENT);
}
END_TEST

/* Found while fuzzing (tests/fuzz, assertion): exp + skew overflowed for
 * an exp near the largest integer, undefined behaviour under UBSan. */
START_TEST(assertion_exp_extremes)
{
	struct idp_assertion_claims c;

	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\","
	    "\"exp\":9223372036854775807,\"jti\":\"j\""), &c),
	    IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\","
	    "\"exp\":9223372036854775750,\"jti\":\"j\""), &c),
	    IDP_ERR_INVALID_CLIENT);
	ck_assert_int_eq(claims(C("\"aud\":\"" ISS "\","
	    "\"exp\":-9223372036854775808,\"jti\":\"j\""), &c),
	    IDP_ERR_INVALID_CLIENT);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_client_auth");
	TCase *tc = unit_tcase(s, "basic");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, basic_decodes_form_encoded_parts);
	tcase_add_test(tc, basic_refuses_malformed);
	tc = unit_tcase(s, "methods");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, one_method_each);
	tcase_add_test(tc, method_errors);
	tc = unit_tcase(s, "assertion");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, assertion_claims_good);
	tcase_add_test(tc, assertion_claims_bad);
	tcase_add_test(tc, assertion_exp_extremes);
	return unit_run(s);
}

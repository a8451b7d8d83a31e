/* oidc/claims_req and oidc/acr: the claims request parameter (OIDC Core
 * §5.5, §5.5.1) parsed strictly where the spec gives the shape and
 * leniently where it says to ignore; value/values matching; the acr of
 * §5.5.1.1. The examples are those of §5.5 and §5.5.1. */
#include <string.h>

#include "oidc/acr.h"
#include "oidc/claims_req.h"
#include "unit.h"

static struct idp_arena *a;

static void
setup(void)
{
	a = idp_arena_new(4096);
}

static void
teardown(void)
{
	idp_arena_free(a);
}

static enum idp_err
parse(const char *s, struct idp_claims_req *r, const char **why)
{
	*why = NULL;
	return idp_claims_req_parse(a, s, r, why);
}

/* The example of OIDC Core §5.5, as the spec writes it. */
static const char spec_example[] =
    "{\"userinfo\":{\"given_name\":{\"essential\":true},\"nickname\":null,"
    "\"email\":{\"essential\":true},\"email_verified\":{\"essential\":true},"
    "\"picture\":null,\"http://example.info/claims/groups\":null},"
    "\"id_token\":{\"auth_time\":{\"essential\":true},"
    "\"acr\":{\"values\":[\"urn:mace:incommon:iap:silver\"]}}}";

START_TEST(spec_example_parses)
{
	struct idp_claims_req r;
	const struct idp_claim_ask *q;
	const char *why;

	ck_assert_int_eq(parse(spec_example, &r, &why), IDP_OK);
	/* nickname, picture and the URI claim are not the provider's. */
	ck_assert_uint_eq(r.n[IDP_CLAIMS_USERINFO], 3);
	ck_assert_uint_eq(r.n[IDP_CLAIMS_ID_TOKEN], 2);
	q = idp_claims_req_find(&r, IDP_CLAIMS_USERINFO, "given_name");
	ck_assert_ptr_nonnull(q);
	ck_assert(q->essential);
	ck_assert_ptr_null(idp_claims_req_find(&r, IDP_CLAIMS_USERINFO,
	    "nickname"));
	ck_assert_ptr_null(idp_claims_req_find(&r, IDP_CLAIMS_ID_TOKEN,
	    "email"));
	q = idp_claims_req_find(&r, IDP_CLAIMS_ID_TOKEN, "acr");
	ck_assert_ptr_nonnull(q);
	ck_assert(!q->essential);
	ck_assert_uint_eq(json_array_size(q->values), 1);
	ck_assert_str_eq(idp_claims_req_text(a, &r),
	    "{\"id_token\":{\"acr\":{\"values\":"
	    "[\"urn:mace:incommon:iap:silver\"]},\"auth_time\":"
	    "{\"essential\":true}},\"userinfo\":{\"email\":{\"essential\":"
	    "true},\"email_verified\":{\"essential\":true},\"given_name\":"
	    "{\"essential\":true}}}");
}
END_TEST

START_TEST(normalised_text_parses_to_itself)
{
	struct idp_claims_req r, again;
	const char *why;
	char *t;

	ck_assert_int_eq(parse("{\"id_token\":{\"sub\":{\"value\":\"abc\"},"
	    "\"email\":{\"essential\":false,\"x\":1},\"acr\":{\"essential\":"
	    "true,\"values\":[\"1\"]}},\"other\":{\"a\":1}}", &r, &why),
	    IDP_OK);
	t = idp_claims_req_text(a, &r);
	/* essential false and unknown members are the default manner. */
	ck_assert_str_eq(t, "{\"id_token\":{\"acr\":{\"essential\":true,"
	    "\"values\":[\"1\"]},\"email\":null,\"sub\":{\"value\":\"abc\"}}}");
	ck_assert_int_eq(parse(t, &again, &why), IDP_OK);
	ck_assert_str_eq(idp_claims_req_text(a, &again), t);
	ck_assert_str_eq(idp_claims_req_sub(&r), "abc");
}
END_TEST

START_TEST(nothing_known_is_an_empty_request)
{
	struct idp_claims_req r;
	const char *why;

	ck_assert_int_eq(parse("{}", &r, &why), IDP_OK);
	ck_assert_ptr_null(idp_claims_req_text(a, &r));
	ck_assert_int_eq(parse("{\"userinfo\":{\"nickname\":null},"
	    "\"verified_claims\":{}}", &r, &why), IDP_OK);
	ck_assert_ptr_null(idp_claims_req_text(a, &r));
	ck_assert_uint_eq(r.n[IDP_CLAIMS_USERINFO], 0);
	ck_assert_ptr_null(idp_claims_req_sub(&r));
	ck_assert_ptr_null(idp_claims_req_find(NULL, IDP_CLAIMS_USERINFO,
	    "email"));
}
END_TEST

START_TEST(bad_shapes_are_invalid_request)
{
	static const char *const bad[] = {
		"", "null", "[]", "\"x\"", "{", "{\"userinfo\":[]}",
		"{\"userinfo\":\"email\"}", "{\"id_token\":1}",
		"{\"userinfo\":{\"email\":true}}",
		"{\"userinfo\":{\"email\":\"yes\"}}",
		"{\"userinfo\":{\"email\":[]}}",
		"{\"userinfo\":{\"email\":{\"essential\":\"true\"}}}",
		"{\"userinfo\":{\"email\":{\"essential\":1}}}",
		"{\"userinfo\":{\"email\":{\"value\":{}}}}",
		"{\"userinfo\":{\"email\":{\"value\":[\"a\"]}}}",
		"{\"userinfo\":{\"email\":{\"value\":null}}}",
		"{\"userinfo\":{\"email\":{\"values\":\"a\"}}}",
		"{\"userinfo\":{\"email\":{\"values\":[]}}}",
		"{\"userinfo\":{\"email\":{\"values\":[[\"a\"]]}}}",
		"{\"userinfo\":{\"email\":{\"values\":[{}]}}}",
		"{\"userinfo\":{\"email\":null,\"email\":null}}",
		"{\"userinfo\":{},\"userinfo\":{}}",
		"{\"userinfo\":{\"nickname\":5}}",	/* checked even if unknown */
		"{\"userinfo\":{\"email\":null}} x",
	};
	struct idp_claims_req r;
	const char *why;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(bad[i], &r, &why) ==
		    IDP_ERR_INVALID_REQUEST, "accepted: %s", bad[i]);
		ck_assert_ptr_nonnull(why);
	}
	ck_assert_int_eq(idp_claims_req_parse(a, NULL, &r, &why),
	    IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(parse("{\"userinfo\":{\"email\":\"\xc3\x28\"}}", &r,
	    &why), IDP_ERR_INVALID_REQUEST);
}
END_TEST

/* A claims request of n items made by item(i), in big. */
static const char *
made(char *big, size_t size, const char *head, const char *fmt, int n,
    const char *tail)
{
	size_t k = (size_t)snprintf(big, size, "%s", head);

	for (int i = 0; i < n && k < size; i++)
		k += (size_t)snprintf(big + k, size - k, fmt, i ? "," : "", i);
	if (k < size)
		snprintf(big + k, size - k, "%s", tail);
	return big;
}

START_TEST(limits)
{
	char big[IDP_CLAIMS_PARAM_MAX * 2];
	struct idp_claims_req r;
	const char *why;

	/* 5,000 bytes */
	ck_assert_int_eq(parse(made(big, sizeof(big),
	    "{\"userinfo\":{\"email\":{\"values\":[", "%s\"%04d\"", 700,
	    "]}}}"), &r, &why), IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(parse(made(big, sizeof(big), "{\"userinfo\":{",
	    "%s\"c%d\":null", 64, "}}"), &r, &why), IDP_OK);
	ck_assert_int_eq(parse(made(big, sizeof(big), "{\"userinfo\":{",
	    "%s\"c%d\":null", 65, "}}"), &r, &why), IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(parse(made(big, sizeof(big),
	    "{\"id_token\":{\"acr\":{\"values\":[", "%s\"%d\"", 16,
	    "]}}}"), &r, &why), IDP_OK);
	ck_assert_int_eq(parse(made(big, sizeof(big),
	    "{\"id_token\":{\"acr\":{\"values\":[", "%s\"%d\"", 17,
	    "]}}}"), &r, &why), IDP_ERR_INVALID_REQUEST);
}
END_TEST

static const struct idp_claim_ask *
ask(const char *s, enum idp_claims_dest d, const char *name)
{
	struct idp_claims_req *r = idp_arena_zalloc(a, sizeof(*r));
	const char *why;

	ck_assert_int_eq(parse(s, r, &why), IDP_OK);
	return idp_claims_req_find(r, d, name);
}

START_TEST(value_and_values_match_exactly)
{
	const struct idp_claim_ask *q;
	json_t *yes = json_string("made@baliprov.go.id");
	json_t *no = json_string("Made@baliprov.go.id");
	json_t *t = json_true(), *one = json_integer(1);

	q = ask("{\"userinfo\":{\"email\":{\"value\":\"made@baliprov.go.id\"}}}",
	    IDP_CLAIMS_USERINFO, "email");
	ck_assert(idp_claim_value_ok(q, yes));
	ck_assert(!idp_claim_value_ok(q, no));
	ck_assert(!idp_claim_value_ok(q, NULL));
	q = ask("{\"userinfo\":{\"email_verified\":{\"values\":[false,true]}}}",
	    IDP_CLAIMS_USERINFO, "email_verified");
	ck_assert(idp_claim_value_ok(q, t));
	ck_assert(!idp_claim_value_ok(q, one));
	q = ask("{\"userinfo\":{\"email\":null}}", IDP_CLAIMS_USERINFO,
	    "email");
	ck_assert(idp_claim_value_ok(q, NULL));
	ck_assert(idp_claim_value_ok(NULL, no));
	json_decref(yes);
	json_decref(no);
	json_decref(t);
	json_decref(one);
}
END_TEST

START_TEST(acr_classes)
{
	ck_assert(idp_acr_satisfies("1", "1"));
	ck_assert(!idp_acr_satisfies("1", "2"));
	/* A second factor satisfies both classes. */
	ck_assert(idp_acr_satisfies("2", "1"));
	ck_assert(idp_acr_satisfies("2", "2"));
	ck_assert(!idp_acr_satisfies("1", "urn:mace:incommon:iap:silver"));
	ck_assert(!idp_acr_satisfies("x", "1"));
	ck_assert(!idp_acr_satisfies(NULL, "1"));
	ck_assert(!idp_acr_satisfies("1", NULL));
	ck_assert_str_eq(idp_acr_values[0], IDP_ACR_DEFAULT);
}
END_TEST

START_TEST(acr_of_section_5_5_1_1)
{
	const char *out = NULL;

	/* no acr request: the session's class */
	ck_assert_int_eq(idp_acr_choose(NULL, "1", &out), IDP_ACR_MET);
	ck_assert_str_eq(out, "1");
	ck_assert_int_eq(idp_acr_choose(ask("{\"id_token\":{\"acr\":null}}",
	    IDP_CLAIMS_ID_TOKEN, "acr"), "1", &out), IDP_ACR_MET);
	ck_assert_str_eq(out, "1");
	/* met: the first requested class the session satisfies */
	ck_assert_int_eq(idp_acr_choose(ask("{\"id_token\":{\"acr\":"
	    "{\"essential\":true,\"values\":[\"urn:x:gold\",\"1\"]}}}",
	    IDP_CLAIMS_ID_TOKEN, "acr"), "1", &out), IDP_ACR_MET);
	ck_assert_str_eq(out, "1");
	ck_assert_int_eq(idp_acr_choose(ask("{\"id_token\":{\"acr\":"
	    "{\"essential\":true,\"value\":\"1\"}}}", IDP_CLAIMS_ID_TOKEN,
	    "acr"), "1", &out), IDP_ACR_MET);
	ck_assert_str_eq(out, "1");
	/* voluntary and unmet: the session's class */
	ck_assert_int_eq(idp_acr_choose(ask("{\"id_token\":{\"acr\":"
	    "{\"values\":[\"urn:x:gold\"]}}}", IDP_CLAIMS_ID_TOKEN, "acr"),
	    "1", &out), IDP_ACR_MET);
	ck_assert_str_eq(out, "1");
	/* essential and unmet, with value or values: a failed sign-in */
	ck_assert_int_eq(idp_acr_choose(ask("{\"id_token\":{\"acr\":"
	    "{\"essential\":true,\"values\":[\"urn:x:gold\"]}}}",
	    IDP_CLAIMS_ID_TOKEN, "acr"), "1", &out), IDP_ACR_UNMET);
	ck_assert_int_eq(idp_acr_choose(ask("{\"id_token\":{\"acr\":"
	    "{\"essential\":true,\"value\":\"2\"}}}", IDP_CLAIMS_ID_TOKEN,
	    "acr"), "1", &out), IDP_ACR_UNMET);
	/* essential with no value asked: any class will do */
	ck_assert_int_eq(idp_acr_choose(ask("{\"id_token\":{\"acr\":"
	    "{\"essential\":true}}}", IDP_CLAIMS_ID_TOKEN, "acr"), NULL, &out),
	    IDP_ACR_MET);
	ck_assert_str_eq(out, IDP_ACR_DEFAULT);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("oidc_claims_req");
	TCase *tc = unit_tcase(s, "claims_req");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, spec_example_parses);
	tcase_add_test(tc, normalised_text_parses_to_itself);
	tcase_add_test(tc, nothing_known_is_an_empty_request);
	tcase_add_test(tc, bad_shapes_are_invalid_request);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, value_and_values_match_exactly);
	tcase_add_test(tc, acr_classes);
	tcase_add_test(tc, acr_of_section_5_5_1_1);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

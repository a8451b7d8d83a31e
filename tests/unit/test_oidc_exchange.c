/* oidc/exchange: the RFC 8693 examples (§2.3 request and response, §4.1
 * act claims), policy rules, scope narrowing and token types. */
#include <string.h>

#include "oidc/exchange.h"
#include "unit.h"
#include "util/str.h"

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

static char *names[] = { "api", "read", NULL };
static char *none[] = { NULL };
static char *partner[] = { "e-budgeting", NULL };

static const struct idp_exchange_rule rules[] = {
	{ "https://backend.example.com/api", names, none },
	{ "sipd-connector", names, partner },
};

/* A form member of an example body, decoded. */
static const char *
member(const char *body, const char *name)
{
	size_t n = strlen(name), vlen, out;

	for (const char *p = body; p != NULL && *p; p = strchr(p, '&')) {
		if (*p == '&')
			p++;
		if (!strncmp(p, name, n) && p[n] == '=') {
			vlen = strcspn(p + n + 1, "&");
			return idp_form_decode(a, p + n + 1, vlen, &out);
		}
	}
	return NULL;
}

/* §2.3: the example request, and the answer the provider builds for it. */
START_TEST(rfc_2_3_example)
{
	static const char body[] = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3A"
	    "grant-type%3Atoken-exchange&resource=https%3A%2F%2Fbackend.example"
	    ".com%2Fapi&subject_token=accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC"
	    "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3A"
	    "access_token";
	static const char at[] = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjllciJ9.eyJhdWQi"
	    "OiJodHRwczovL2JhY2tlbmQuZXhhbXBsZS5jb20iLCJpc3MiOiJodHRwczovL2FzLm"
	    "V4YW1wbGUuY29tIiwiZXhwIjoxNDQxOTE3NTkzLCJpYXQiOjE0NDE5MTc1MzMsInN1"
	    "YiI6ImJkY0BleGFtcGxlLmNvbSIsInNjb3BlIjoiYXBpIn0.40y3ZgQedw6rxf59Wl"
	    "wHDD9jryFOr0_Wh3CGozQBihNBhnXEQgU85AI9x3KmsPottVMLPIWvmDCMy5-kdXjwh"
	    "w";
	const struct idp_exchange_rule *r = NULL;
	const char *why = NULL, *issued = NULL;
	json_t *o, *want;
	bool jwt = false;

	ck_assert_str_eq(member(body, "grant_type"),
	    IDP_GRANT_TYPE_TOKEN_EXCHANGE);
	ck_assert_int_eq(idp_exchange_token_type(member(body,
	    "subject_token_type"), member(body, "subject_token"), &why),
	    IDP_OK);
	ck_assert_int_eq(idp_exchange_rule_find(rules, 2, NULL, member(body,
	    "resource"), &r, &why), IDP_OK);
	ck_assert_ptr_eq(r, &rules[0]);
	ck_assert_int_eq(idp_exchange_requested(member(body,
	    "requested_token_type"), true, &jwt, &issued, &why), IDP_OK);
	ck_assert(jwt);
	ck_assert_str_eq(issued, IDP_TOKEN_TYPE_ACCESS);
	o = idp_exchange_response(at, issued, 60, NULL);
	want = json_pack("{s:s, s:s, s:s, s:i}", "access_token", at,
	    "issued_token_type", "urn:ietf:params:oauth:token-type:access_token",
	    "token_type", "Bearer", "expires_in", 60);
	ck_assert(json_equal(o, want));
	json_decref(o);
	json_decref(want);
}
END_TEST

/* §4.1: an actor, and a chain of two with the prior actor nested. */
START_TEST(rfc_4_1_act)
{
	json_t *act = idp_exchange_act("admin@example.com", NULL);
	json_t *want = json_loads("{\"sub\":\"admin@example.com\"}", 0, NULL);
	json_t *prior;

	ck_assert(json_equal(act, want));
	json_decref(act);
	json_decref(want);
	prior = json_loads("{\"sub\":\"https://service77.example.com\"}", 0,
	    NULL);
	act = idp_exchange_act("https://service16.example.com", prior);
	want = json_loads("{\"sub\":\"https://service16.example.com\","
	    "\"act\":{\"sub\":\"https://service77.example.com\"}}", 0, NULL);
	ck_assert(json_equal(act, want));
	json_decref(act);
	json_decref(want);
	json_decref(prior);
}
END_TEST

START_TEST(targets)
{
	const struct idp_exchange_rule *r = NULL;
	const char *why = NULL;

	ck_assert_int_eq(idp_exchange_rule_find(rules, 2, "sipd-connector",
	    NULL, &r, &why), IDP_OK);
	ck_assert_ptr_eq(r, &rules[1]);
	ck_assert_int_eq(idp_exchange_rule_find(rules, 2,
	    "https://backend.example.com/api", "https://backend.example.com/api",
	    &r, &why), IDP_OK);
	ck_assert_int_eq(idp_exchange_rule_find(rules, 1, NULL, NULL, &r,
	    &why), IDP_OK);
	ck_assert_int_eq(idp_exchange_rule_find(rules, 2, NULL, NULL, &r,
	    &why), IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(idp_exchange_rule_find(rules, 2, "sipd-connector",
	    "https://backend.example.com/api", &r, &why),
	    IDP_ERR_INVALID_TARGET);
	ck_assert_int_eq(idp_exchange_rule_find(rules, 2, "other", NULL, &r,
	    &why), IDP_ERR_INVALID_TARGET);
	ck_assert_int_eq(idp_exchange_rule_find(rules, 2, NULL,
	    "https://backend.example.com/api/more", &r, &why),
	    IDP_ERR_INVALID_TARGET);
	ck_assert_int_eq(idp_exchange_rule_find(rules, 2, NULL,
	    "not a uri", &r, &why), IDP_ERR_INVALID_TARGET);
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(subjects)
{
	ck_assert(idp_exchange_subject_ok(&rules[0], "me", "me"));
	ck_assert(!idp_exchange_subject_ok(&rules[0], "me", "e-budgeting"));
	ck_assert(idp_exchange_subject_ok(&rules[1], "me", "e-budgeting"));
	ck_assert(!idp_exchange_subject_ok(&rules[1], "me", NULL));
}
END_TEST

/* Never more than the subject token had, the rule allows and the client
 * may hold. */
START_TEST(scopes)
{
	char *subject[] = { "openid", "api", "read", NULL };
	char *little[] = { "openid", "read", NULL };
	char *ceiling[] = { "api", "read", NULL };
	const char *scope = NULL, *why = NULL;

	ck_assert_int_eq(idp_exchange_scope(a, &rules[0], subject, ceiling,
	    NULL, &scope, &why), IDP_OK);
	ck_assert_str_eq(scope, "api read");
	ck_assert_int_eq(idp_exchange_scope(a, &rules[0], little, ceiling,
	    NULL, &scope, &why), IDP_OK);
	ck_assert_str_eq(scope, "read");
	ck_assert_int_eq(idp_exchange_scope(a, &rules[0], subject, ceiling,
	    "read", &scope, &why), IDP_OK);
	ck_assert_str_eq(scope, "read");
	ck_assert_int_eq(idp_exchange_scope(a, &rules[0], little, ceiling,
	    "api", &scope, &why), IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_exchange_scope(a, &rules[0], subject, ceiling,
	    "openid", &scope, &why), IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_exchange_scope(a, &rules[0], subject, little,
	    "api", &scope, &why), IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_exchange_scope(a, &rules[0], (char *[]){
	    "openid", NULL }, ceiling, NULL, &scope, &why),
	    IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_exchange_scope(a, &rules[0], subject, ceiling,
	    "bad\"scope", &scope, &why), IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_exchange_scope(a, &rules[0], subject, ceiling,
	    "", &scope, &why), IDP_ERR_INVALID_SCOPE);
}
END_TEST

START_TEST(token_types)
{
	const char *why = NULL, *issued = NULL;
	bool jwt = true;

	ck_assert_int_eq(idp_exchange_token_type(IDP_TOKEN_TYPE_JWT, "a.b.c",
	    &why), IDP_OK);
	ck_assert_int_eq(idp_exchange_token_type(IDP_TOKEN_TYPE_JWT, "opaque",
	    &why), IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(idp_exchange_token_type(NULL, "x", &why),
	    IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(idp_exchange_token_type(
	    "urn:ietf:params:oauth:token-type:id_token", "a.b.c", &why),
	    IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(idp_exchange_token_type(
	    "urn:ietf:params:oauth:token-type:refresh_token", "x", &why),
	    IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(idp_exchange_requested(NULL, false, &jwt, &issued,
	    &why), IDP_OK);
	ck_assert(!jwt);
	ck_assert_int_eq(idp_exchange_requested(IDP_TOKEN_TYPE_JWT, false,
	    &jwt, &issued, &why), IDP_OK);
	ck_assert(jwt);
	ck_assert_str_eq(issued, IDP_TOKEN_TYPE_JWT);
	ck_assert_int_eq(idp_exchange_requested(
	    "urn:ietf:params:oauth:token-type:id_token", false, &jwt, &issued,
	    &why), IDP_ERR_INVALID_REQUEST);
}
END_TEST

/* What the metadata check normalised parses back into the same rules. */
START_TEST(policy_round_trip)
{
	char *ceiling[] = { "api", "read", NULL };
	json_t *in = json_loads("[{\"audience\":\"https://backend.example.com/"
	    "api\",\"scopes\":[\"api\"]},{\"audience\":\"sipd-connector\","
	    "\"scopes\":[\"read\"],\"subject_clients\":[\"e-budgeting\"]}]", 0,
	    NULL), *out = NULL;
	struct idp_exchange_rule *r = NULL;
	const char *why = NULL;
	size_t n = 0;

	ck_assert_int_eq(idp_exchange_policy_check(a, in, ceiling, &out, &why),
	    IDP_OK);
	ck_assert_int_eq(idp_exchange_policy_parse(a, out, &r, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(r[1].audience, "sipd-connector");
	ck_assert_str_eq(r[1].scopes[0], "read");
	ck_assert_str_eq(r[1].subject_clients[0], "e-budgeting");
	ck_assert_ptr_null(r[0].subject_clients[0]);
	ck_assert_int_eq(idp_exchange_policy_parse(a, NULL, &r, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(idp_exchange_policy_parse(a, in, &r, &n), 0);
	json_decref(out);
	out = json_object();
	ck_assert_int_eq(idp_exchange_policy_parse(a, out, &r, &n), -1);
	json_decref(out);
	json_decref(in);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_exchange");
	TCase *tc = unit_tcase(s, "rfc8693");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rfc_2_3_example);
	tcase_add_test(tc, rfc_4_1_act);
	tcase_add_test(tc, targets);
	tcase_add_test(tc, subjects);
	tcase_add_test(tc, scopes);
	tcase_add_test(tc, token_types);
	tcase_add_test(tc, policy_round_trip);
	return unit_run(s);
}

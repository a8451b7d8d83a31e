/* oidc/logout: the logout token's claim set (Back-Channel Logout 1.0
 * §2.4), the outbox row's notice, and the front-channel URI (Front-Channel
 * Logout 1.0 §2). */
#include <string.h>

#include "core/fetch.h"
#include "core/logout.h"
#include "oidc/logout.h"
#include "unit.h"
#include "util/arena.h"

static const struct idp_logout_notice notice = {
	"3f0c2a5e-8d1b-4c7e-9a44-2b1d6f0e9c11", "Yk3nq0b3Xr2",
	"9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "ES256", NULL,
};

/* §2.4: exactly iss, aud, iat, exp, jti, sub, sid and events; the events
 * member holds the back-channel logout member as an empty object; no
 * nonce (§2.4: "a nonce Claim MUST NOT be present"). */
START_TEST(claims_are_those_of_2_4)
{
	json_t *c = idp_logout_token_claims("https://sso.baliprov.go.id",
	    "simpeg", &notice, 1700000000);
	json_t *ev;

	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(json_object_size(c), 8);
	ck_assert_str_eq(json_string_value(json_object_get(c, "iss")),
	    "https://sso.baliprov.go.id");
	ck_assert_str_eq(json_string_value(json_object_get(c, "aud")),
	    "simpeg");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "iat")),
	    1700000000);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "exp")),
	    1700000000 + IDP_LOGOUT_TOKEN_TTL);
	ck_assert_int_le(IDP_LOGOUT_TOKEN_TTL, 300);
	ck_assert_str_eq(json_string_value(json_object_get(c, "jti")),
	    notice.jti);
	ck_assert_str_eq(json_string_value(json_object_get(c, "sub")),
	    notice.sub);
	ck_assert_str_eq(json_string_value(json_object_get(c, "sid")),
	    notice.sid);
	ck_assert_ptr_null(json_object_get(c, "nonce"));
	ev = json_object_get(c, "events");
	ck_assert_uint_eq(json_object_size(ev), 1);
	ck_assert(json_is_object(json_object_get(ev, IDP_LOGOUT_EVENT)));
	ck_assert_uint_eq(json_object_size(json_object_get(ev,
	    IDP_LOGOUT_EVENT)), 0);
	ck_assert_str_eq(IDP_LOGOUT_EVENT,
	    "http://schemas.openid.net/event/backchannel-logout");
	json_decref(c);
}
END_TEST

START_TEST(notice_parse)
{
	struct idp_arena *a = idp_arena_new(1024);
	struct idp_logout_notice n;
	char long_sub[300];

	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sub\":\"s\","
	    "\"sid\":\"i\",\"jti\":\"j\",\"alg\":\"PS256\"}", &n), 0);
	ck_assert_str_eq(n.sub, "s");
	ck_assert_str_eq(n.alg, "PS256");
	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sub\":\"s\","
	    "\"sid\":\"i\",\"jti\":\"j\"}", &n), 0);
	ck_assert_ptr_null(n.alg);
	ck_assert_ptr_null(n.subject);
	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sub\":\"s\","
	    "\"sid\":\"i\",\"jti\":\"j\",\"subject\":{\"subject_type\":"
	    "\"pairwise\"}}", &n), 0);
	ck_assert_str_eq(json_string_value(json_object_get(n.subject,
	    "subject_type")), "pairwise");
	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sub\":\"s\","
	    "\"sid\":\"i\",\"jti\":\"j\",\"subject\":\"x\"}", &n), -1);
	ck_assert_ptr_null(n.subject);
	/* each member missing, empty, not a string; duplicates; garbage */
	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sid\":\"i\","
	    "\"jti\":\"j\"}", &n), -1);
	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sub\":\"\","
	    "\"sid\":\"i\",\"jti\":\"j\"}", &n), -1);
	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sub\":1,"
	    "\"sid\":\"i\",\"jti\":\"j\"}", &n), -1);
	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sub\":\"s\","
	    "\"sid\":\"i\",\"jti\":\"j\",\"alg\":5}", &n), -1);
	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sub\":\"s\","
	    "\"sub\":\"t\",\"sid\":\"i\",\"jti\":\"j\"}", &n), -1);
	ck_assert_int_eq(idp_logout_notice_parse(a, "{\"sub\":\"s\\u0000x\","
	    "\"sid\":\"i\",\"jti\":\"j\"}", &n), -1);
	ck_assert_int_eq(idp_logout_notice_parse(a, "[]", &n), -1);
	ck_assert_int_eq(idp_logout_notice_parse(a, "", &n), -1);
	ck_assert_int_eq(idp_logout_notice_parse(a, NULL, &n), -1);
	memset(long_sub, 'x', sizeof(long_sub));
	long_sub[sizeof(long_sub) - 1] = '\0';
	ck_assert_int_eq(idp_logout_notice_parse(a, idp_arena_printf(a,
	    "{\"sub\":\"%s\",\"sid\":\"i\",\"jti\":\"j\"}", long_sub), &n),
	    -1);
	idp_arena_free(a);
}
END_TEST

/* §2: iss and sid join the URI's own query, percent-encoded. */
START_TEST(frontchannel_uri)
{
	struct idp_arena *a = idp_arena_new(1024);

	ck_assert_str_eq(idp_frontchannel_uri(a, "https://rp.go.id/fcl",
	    "https://sso.go.id", "a b&c", 1024),
	    "https://rp.go.id/fcl?iss=https%3A%2F%2Fsso.go.id&sid=a%20b%26c");
	ck_assert_str_eq(idp_frontchannel_uri(a, "https://rp.go.id/fcl?x=1",
	    "https://sso.go.id", "s", 1024),
	    "https://rp.go.id/fcl?x=1&iss=https%3A%2F%2Fsso.go.id&sid=s");
	ck_assert_ptr_null(idp_frontchannel_uri(a, "https://rp.go.id/fcl",
	    "https://sso.go.id", "s", 20));
	idp_arena_free(a);
}
END_TEST

/* What a service's answer means for the row (core/logout.c). */
START_TEST(outcomes)
{
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_OK, 200),
	    IDP_OUTBOX_DELIVERED);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_OK, 204),
	    IDP_OUTBOX_DELIVERED);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_OK, 302),
	    IDP_OUTBOX_FAILED);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_OK, 400),
	    IDP_OUTBOX_FAILED);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_OK, 404),
	    IDP_OUTBOX_FAILED);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_OK, 500),
	    IDP_OUTBOX_RETRY);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_OK, 503),
	    IDP_OUTBOX_RETRY);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_OK, 100),
	    IDP_OUTBOX_RETRY);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_FAILED, 0),
	    IDP_OUTBOX_RETRY);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_BUSY, 0),
	    IDP_OUTBOX_RETRY);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_TOO_LARGE, 0),
	    IDP_OUTBOX_RETRY);
	ck_assert_int_eq(idp_logout_outcome(IDP_FETCH_REFUSED, 0),
	    IDP_OUTBOX_FAILED);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_logout");
	TCase *tc = unit_tcase(s, "logout");

	tcase_add_test(tc, claims_are_those_of_2_4);
	tcase_add_test(tc, notice_parse);
	tcase_add_test(tc, frontchannel_uri);
	tcase_add_test(tc, outcomes);
	return unit_run(s);
}

/* oidc/device: the RFC 8628 examples (§3.1 to §3.5), the user-code
 * alphabet of §6.1, normalisation and comparison of what people type, and
 * what a poll is answered. */
#include <string.h>

#include "oidc/device.h"
#include "unit.h"
#include "util/arena.h"
#include "util/str.h"

/* §3.2: the example response, for an issuer https://example.com. */
START_TEST(rfc_3_2_response)
{
	struct idp_user_code code;
	json_t *o, *want;

	ck_assert_int_eq(idp_user_code_parse("WDJB-MJHT", &code),
	    IDP_USER_CODE_OK);
	o = idp_device_response("https://example.com",
	    "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS", &code, 1800, 5);
	want = json_loads("{\"device_code\": "
	    "\"GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS\","
	    "\"user_code\": \"WDJB-MJHT\","
	    "\"verification_uri\": \"https://example.com/device\","
	    "\"verification_uri_complete\": "
	    "\"https://example.com/device?user_code=WDJB-MJHT\","
	    "\"expires_in\": 1800, \"interval\": 5}", 0, NULL);
	ck_assert_ptr_nonnull(want);
	ck_assert_msg(json_equal(o, want), "%s", json_dumps(o, 0));
	json_decref(o);
	json_decref(want);
}
END_TEST

/* §3.1 and §3.4: the example requests decode to what the endpoints read. */
START_TEST(rfc_3_1_and_3_4_requests)
{
	static const char req31[] = "client_id=1406020730&scope=example_scope";
	static const char req34[] = "grant_type=urn%3Aietf%3Aparams%3Aoauth"
	    "%3Agrant-type%3Adevice_code&device_code=GmRhmhcxhwAzkoEqiMEg_"
	    "DnyEysNkuNhszIySk9eS&client_id=1406020730";
	struct idp_arena *a = idp_arena_new(4096);
	size_t n;
	char *v;

	v = idp_form_decode(a, req31 + 10, 10, &n);
	ck_assert_str_eq(v, "1406020730");
	v = idp_form_decode(a, req34 + 11, strcspn(req34 + 11, "&"), &n);
	ck_assert_str_eq(v, IDP_GRANT_TYPE_DEVICE_CODE);
	idp_arena_free(a);
}
END_TEST

START_TEST(alphabet_is_rfc_6_1)
{
	const char *abc = IDP_USER_CODE_ALPHABET;

	ck_assert_uint_eq(strlen(abc), 20);
	/* No vowels (no words), no digits, nothing that looks like another
	 * character: 0/O, 1/I/l, 5/S ... none is there. */
	for (const char *p = abc; *p; p++) {
		ck_assert(*p >= 'A' && *p <= 'Z');
		ck_assert_ptr_null(strchr("AEIOUY", *p));
		ck_assert_ptr_eq(strchr(abc, *p), p);	/* once each */
	}
}
END_TEST

/* Rejection sampling: bytes of 240 and above are skipped, the rest give
 * byte % 20, so every letter is equally likely. */
START_TEST(generation_is_uniform)
{
	unsigned char rnd[12] = { 0, 19, 20, 239, 240, 255, 1, 2, 3, 4, 250,
		5 };
	struct idp_user_code c;
	unsigned counts[20] = { 0 };

	ck_assert_int_eq(idp_user_code_from_bytes(rnd, sizeof(rnd), &c), 0);
	ck_assert_str_eq(c.c, "BZBZCDFG");
	ck_assert_int_eq(idp_user_code_from_bytes(rnd + 4, 6, &c), -1);
	for (unsigned b = 0; b < 240; b++) {
		unsigned char eight[8];

		memset(eight, (int)b, sizeof(eight));
		ck_assert_int_eq(idp_user_code_from_bytes(eight, 8, &c), 0);
		counts[strchr(IDP_USER_CODE_ALPHABET, c.c[0]) -
		    IDP_USER_CODE_ALPHABET]++;
	}
	for (int i = 0; i < 20; i++)
		ck_assert_uint_eq(counts[i], 12);
}
END_TEST

/* §6.1: case, dashes, spaces and stray characters do not matter. */
START_TEST(typing_is_forgiven)
{
	static const char *const same[] = { "WDJB-MJHT", "wdjb-mjht",
		"WDJBMJHT", "wdjb mjht", " Wdjb - Mjht ", "WDJB.MJHT",
		"W-D-J-B-M-J-H-T", "WDJB\xe2\x80\x93MJHT", "wdjb\tmjht\n",
		NULL };
	struct idp_user_code c;
	char shown[10];

	for (const char *const *s = same; *s; s++) {
		ck_assert_msg(idp_user_code_parse(*s, &c) == IDP_USER_CODE_OK,
		    "%s", *s);
		ck_assert_str_eq(c.c, "WDJBMJHT");
	}
	idp_user_code_format(&c, shown);
	ck_assert_str_eq(shown, "WDJB-MJHT");
}
END_TEST

START_TEST(bad_input_is_refused)
{
	struct idp_user_code c;
	char big[IDP_USER_CODE_INPUT_MAX + 2];

	ck_assert_int_eq(idp_user_code_parse(NULL, &c), IDP_USER_CODE_EMPTY);
	ck_assert_int_eq(idp_user_code_parse("", &c), IDP_USER_CODE_EMPTY);
	ck_assert_int_eq(idp_user_code_parse("- -", &c), IDP_USER_CODE_EMPTY);
	ck_assert_int_eq(idp_user_code_parse("12345678", &c),
	    IDP_USER_CODE_EMPTY);
	/* A letter too few or too many, and vowels or digits that take the
	 * place of a letter, are not silently another code. */
	ck_assert_int_eq(idp_user_code_parse("WDJB-MJH", &c),
	    IDP_USER_CODE_MALFORMED);
	ck_assert_int_eq(idp_user_code_parse("WDJB-MJHTX", &c),
	    IDP_USER_CODE_MALFORMED);
	ck_assert_int_eq(idp_user_code_parse("WDJB-MJHA", &c),
	    IDP_USER_CODE_MALFORMED);
	ck_assert_int_eq(idp_user_code_parse("WDJB-MJH0", &c),
	    IDP_USER_CODE_MALFORMED);
	ck_assert_str_eq(c.c, "");
	memset(big, 'B', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(idp_user_code_parse(big, &c),
	    IDP_USER_CODE_MALFORMED);
}
END_TEST

static enum idp_device_answer
answer(enum idp_device_status st, bool expired, bool fast, enum idp_err *e)
{
	struct idp_device_poll p = { st, expired, fast };
	const char *why = NULL;
	enum idp_device_answer a;

	*e = IDP_OK;
	a = idp_device_answer(&p, e, &why);
	if (a == IDP_DEVICE_ANSWER_ERROR)
		ck_assert_ptr_nonnull(why);
	return a;
}

/* §3.5, in the order the answers take precedence. */
START_TEST(poll_answers)
{
	enum idp_err e;

	ck_assert_int_eq(answer(IDP_DEVICE_PENDING, false, false, &e),
	    IDP_DEVICE_ANSWER_ERROR);
	ck_assert_int_eq(e, IDP_ERR_AUTHORIZATION_PENDING);
	ck_assert_int_eq(answer(IDP_DEVICE_PENDING, false, true, &e),
	    IDP_DEVICE_ANSWER_ERROR);
	ck_assert_int_eq(e, IDP_ERR_SLOW_DOWN);
	ck_assert_int_eq(answer(IDP_DEVICE_PENDING, true, true, &e),
	    IDP_DEVICE_ANSWER_ERROR);
	ck_assert_int_eq(e, IDP_ERR_EXPIRED_TOKEN);
	ck_assert_int_eq(answer(IDP_DEVICE_DENIED, false, true, &e),
	    IDP_DEVICE_ANSWER_ERROR);
	ck_assert_int_eq(e, IDP_ERR_ACCESS_DENIED);
	ck_assert_int_eq(answer(IDP_DEVICE_DENIED, true, false, &e),
	    IDP_DEVICE_ANSWER_ERROR);
	ck_assert_int_eq(e, IDP_ERR_EXPIRED_TOKEN);
	/* Approved: the tokens, however fast the poll came. */
	ck_assert_int_eq(answer(IDP_DEVICE_APPROVED, false, true, &e),
	    IDP_DEVICE_ISSUE);
	ck_assert_int_eq(answer(IDP_DEVICE_APPROVED, true, false, &e),
	    IDP_DEVICE_ANSWER_ERROR);
	ck_assert_int_eq(e, IDP_ERR_EXPIRED_TOKEN);
	ck_assert_int_eq(answer(IDP_DEVICE_USED, true, false, &e),
	    IDP_DEVICE_REUSED);
	ck_assert_int_eq(idp_device_status_parse("approved"),
	    IDP_DEVICE_APPROVED);
	ck_assert_int_eq(idp_device_status_parse("APPROVED"), -1);
	ck_assert_int_eq(idp_device_status_parse(NULL), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_device");
	TCase *tc = unit_tcase(s, "rfc8628");

	tcase_add_test(tc, rfc_3_2_response);
	tcase_add_test(tc, rfc_3_1_and_3_4_requests);
	tcase_add_test(tc, alphabet_is_rfc_6_1);
	tcase_add_test(tc, generation_is_uniform);
	tcase_add_test(tc, typing_is_forgiven);
	tcase_add_test(tc, bad_input_is_refused);
	tcase_add_test(tc, poll_answers);
	return unit_run(s);
}

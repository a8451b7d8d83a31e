/* crypto/devcookie: device cookie tokens: round trip, forgery, expiry,
 * several accounts in one cookie, malformed values, the key file. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/devcookie.h"
#include "unit.h"

static const unsigned char key[IDP_DEVICE_KEY_LEN] = { 1, 2, 3, 4, 5 };
static const unsigned char other_key[IDP_DEVICE_KEY_LEN] = { 9 };

static struct idp_device_token
tok(long long uid, int64_t exp, unsigned char n)
{
	struct idp_device_token t = { .user_id = uid, .expires = exp };

	memset(t.nonce, n, sizeof(t.nonce));
	return t;
}

START_TEST(round_trip)
{
	struct idp_device_token t = tok(42, 2000000000, 7), out[IDP_DEVICE_MAX];
	char s[IDP_DEVICE_TOKEN_CHARS + 1];

	idp_device_token_make(key, &t, s);
	ck_assert_uint_eq(strlen(s), IDP_DEVICE_TOKEN_CHARS);
	ck_assert_int_eq(idp_device_cookie_parse(key, s, 1700000000, out), 1);
	ck_assert_int_eq(out[0].user_id, 42);
	ck_assert_int_eq(out[0].expires, 2000000000);
	ck_assert_mem_eq(out[0].nonce, t.nonce, IDP_DEVICE_NONCE_LEN);
	/* Another key, an expired token, one character changed: nothing. */
	ck_assert_int_eq(idp_device_cookie_parse(other_key, s, 1700000000,
	    out), 0);
	ck_assert_int_eq(idp_device_cookie_parse(key, s, 2000000000, out), 0);
	s[10] = s[10] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(idp_device_cookie_parse(key, s, 1700000000, out), 0);
}
END_TEST

START_TEST(several_accounts)
{
	struct idp_device_token a = tok(1, 2000000000, 1), b = tok(2,
	    2000000000, 2), c = tok(3, 2000000000, 3), d = tok(4, 2000000000, 4),
	    e = tok(5, 2000000000, 5), out[IDP_DEVICE_MAX], have[4];
	struct idp_arena *ar = idp_arena_new(1024);
	char *v;

	have[0] = a;
	have[1] = b;
	have[2] = c;
	have[3] = d;
	/* e first, then the others: at most IDP_DEVICE_MAX. */
	v = idp_device_cookie_value(ar, key, &e, have, 4);
	ck_assert_int_eq(idp_device_cookie_parse(key, v, 1700000000, out), 4);
	ck_assert_int_eq(out[0].user_id, 5);
	ck_assert_int_eq(out[1].user_id, 1);
	ck_assert_int_eq(out[3].user_id, 3);
	/* Renewing an account's token keeps one token for it. */
	have[0] = tok(2, 2100000000, 2);
	v = idp_device_cookie_value(ar, key, &have[0], out, 4);
	ck_assert_int_eq(idp_device_cookie_parse(key, v, 1700000000, out), 4);
	ck_assert_int_eq(out[0].user_id, 2);
	ck_assert_int_eq(out[0].expires, 2100000000);
	for (int i = 1; i < 4; i++)
		ck_assert_int_ne(out[i].user_id, 2);
	idp_arena_free(ar);
}
END_TEST

START_TEST(malformed_values)
{
	struct idp_device_token t = tok(42, 2000000000, 7), out[IDP_DEVICE_MAX];
	char s[IDP_DEVICE_TOKEN_CHARS + 1], v[1024];
	static const char *const bad[] = { "", ".", "..", "abc", "x.y.z",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ck_assert_int_eq(idp_device_cookie_parse(key, bad[i], 1, out), 0);
	ck_assert_int_eq(idp_device_cookie_parse(key, NULL, 1, out), 0);
	idp_device_token_make(key, &t, s);
	/* Good tokens among bad ones are still found. */
	snprintf(v, sizeof(v), "junk.%s.", s);
	ck_assert_int_eq(idp_device_cookie_parse(key, v, 1, out), 1);
	/* A value longer than the cookie can be is refused whole. */
	snprintf(v, sizeof(v), "%s.%s.%s.%s.%s", s, s, s, s, s);
	ck_assert_int_eq(idp_device_cookie_parse(key, v, 1, out), 0);
	/* A user id of 0 is nobody. */
	t.user_id = 0;
	idp_device_token_make(key, &t, s);
	ck_assert_int_eq(idp_device_cookie_parse(key, s, 1, out), 0);
}
END_TEST

START_TEST(key_file)
{
	char dir[] = "/tmp/idp-devkey-XXXXXX", path[256], err[512];
	unsigned char k1[IDP_DEVICE_KEY_LEN], k2[IDP_DEVICE_KEY_LEN];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(idp_device_key_load(dir, 0, k1, err, sizeof(err)), -1);
	ck_assert_int_eq(idp_device_key_load(dir, 1, k1, err, sizeof(err)), 0);
	ck_assert_int_eq(idp_device_key_load(dir, 0, k2, err, sizeof(err)), 0);
	ck_assert_mem_eq(k1, k2, sizeof(k1));
	snprintf(path, sizeof(path), "%s/%s", dir, IDP_DEVICE_KEY_FILE);
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(idp_device_key_load(dir, 1, k2, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_devcookie");
	TCase *tc = unit_tcase(s, "devcookie");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, several_accounts);
	tcase_add_test(tc, malformed_values);
	tcase_add_test(tc, key_file);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

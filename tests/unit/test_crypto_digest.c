/* crypto/digest: SHA-256 and HMAC-SHA-256 known answers, and the rules of
 * the constant-time comparison (NULL never matches, lengths first). */
#include <stdio.h>
#include <string.h>

#include "crypto/digest.h"
#include "unit.h"

static void
hex(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
sha_is(const void *in, size_t n, const char *want)
{
	unsigned char d[IDP_SHA256_LEN];
	char h[2 * IDP_SHA256_LEN + 1];

	idp_sha256(in, n, d);
	hex(d, sizeof(d), h);
	ck_assert_str_eq(h, want);
}

START_TEST(sha256_abc)
{
	/* FIPS 180-2 B.1 */
	sha_is("abc", 3,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(sha256_empty_and_two_blocks)
{
	sha_is("", 0,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* FIPS 180-2 B.2: 448 bits, two blocks after padding */
	sha_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(sha256_str_matches_sha256)
{
	unsigned char d1[IDP_SHA256_LEN], d2[IDP_SHA256_LEN];
	char h[2 * IDP_SHA256_LEN + 1];

	idp_sha256_str("abc", d1);
	hex(d1, sizeof(d1), h);
	ck_assert_str_eq(h,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* Binary input: the NUL counts when the length says so. */
	idp_sha256("ab\0c", 4, d1);
	idp_sha256_str("ab", d2);
	ck_assert(memcmp(d1, d2, sizeof(d1)) != 0);
}
END_TEST

static void
hmac_is(const void *key, size_t keylen, const void *msg, size_t n,
    const char *want)
{
	unsigned char d[IDP_SHA256_LEN];
	char h[2 * IDP_SHA256_LEN + 1];

	ck_assert_int_eq(idp_hmac_sha256(key, keylen, msg, n, d), 0);
	hex(d, sizeof(d), h);
	ck_assert_str_eq(h, want);
}

START_TEST(hmac_rfc4231_case1)
{
	unsigned char key[20];

	memset(key, 0x0b, sizeof(key));
	hmac_is(key, sizeof(key), "Hi There", 8,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}
END_TEST

START_TEST(hmac_rfc4231_case2)
{
	const char *msg = "what do ya want for nothing?";

	hmac_is("Jefe", 4, msg, strlen(msg),
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}
END_TEST

START_TEST(hmac_rfc4231_case6_long_key)
{
	unsigned char key[131];
	const char *msg =
	    "Test Using Larger Than Block-Size Key - Hash Key First";

	memset(key, 0xaa, sizeof(key));
	hmac_is(key, sizeof(key), msg, strlen(msg),
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

START_TEST(hmac_key_matters)
{
	unsigned char d1[IDP_SHA256_LEN], d2[IDP_SHA256_LEN];

	ck_assert_int_eq(idp_hmac_sha256("Jefe", 4, "m", 1, d1), 0);
	ck_assert_int_eq(idp_hmac_sha256("Jeff", 4, "m", 1, d2), 0);
	ck_assert(memcmp(d1, d2, sizeof(d1)) != 0);
}
END_TEST

START_TEST(ct_eq_rules)
{
	const unsigned char x[4] = { 1, 2, 3, 4 };
	const unsigned char y[4] = { 1, 2, 3, 4 };
	const unsigned char z[4] = { 1, 2, 3, 5 };
	const unsigned char w[4] = { 0, 2, 3, 4 };

	ck_assert(idp_ct_eq(x, 4, y, 4));
	ck_assert(!idp_ct_eq(x, 4, z, 4));	/* last byte differs */
	ck_assert(!idp_ct_eq(x, 4, w, 4));	/* first byte differs */
	ck_assert(!idp_ct_eq(x, 3, y, 4));	/* same prefix, other length */
	ck_assert(!idp_ct_eq(x, 4, y, 3));
	ck_assert(idp_ct_eq(x, 0, z, 0));	/* two empty values */
	ck_assert(!idp_ct_eq(NULL, 4, y, 4));
	ck_assert(!idp_ct_eq(x, 4, NULL, 4));
	ck_assert(!idp_ct_eq(NULL, 0, NULL, 0));	/* NULL never matches */
	ck_assert(!idp_ct_eq(NULL, 0, x, 0));
}
END_TEST

START_TEST(ct_streq_rules)
{
	ck_assert(idp_ct_streq("s3cret", "s3cret"));
	ck_assert(!idp_ct_streq("s3cret", "s3creT"));
	ck_assert(!idp_ct_streq("s3cret", "s3cret!"));
	ck_assert(!idp_ct_streq("s3cret", "s3cre"));
	ck_assert(!idp_ct_streq("", "x"));
	ck_assert(idp_ct_streq("", ""));
	ck_assert(!idp_ct_streq(NULL, "x"));
	ck_assert(!idp_ct_streq("x", NULL));
	ck_assert(!idp_ct_streq(NULL, NULL));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_digest");
	TCase *tc = unit_tcase(s, "digest");

	tcase_add_test(tc, sha256_abc);
	tcase_add_test(tc, sha256_empty_and_two_blocks);
	tcase_add_test(tc, sha256_str_matches_sha256);
	tcase_add_test(tc, hmac_rfc4231_case1);
	tcase_add_test(tc, hmac_rfc4231_case2);
	tcase_add_test(tc, hmac_rfc4231_case6_long_key);
	tcase_add_test(tc, hmac_key_matters);
	tcase_add_test(tc, ct_eq_rules);
	tcase_add_test(tc, ct_streq_rules);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

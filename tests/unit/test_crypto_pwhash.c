/* crypto/pwhash: argon2id hash strings, verification, rehash decisions,
 * unknown formats and over-long passwords. Small costs keep it quick. */
#include <stdio.h>
#include <string.h>

#include <argon2.h>

#include "crypto/pwhash.h"
#include "unit.h"

static const struct idp_pwhash_params small = { 256, 1, 1 };

/* A bcrypt hash, as an imported account might carry. */
#define BCRYPT "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"

static void
hash(const struct idp_pwhash_params *p, const char *pw, size_t n,
    char out[IDP_PWHASH_STRMAX])
{
	ck_assert_int_eq(idp_pwhash_str(p, pw, n, out), 0);
}

START_TEST(hash_string_carries_params)
{
	char h[IDP_PWHASH_STRMAX];
	const struct idp_pwhash_params p = { 1024, 2, 2 };

	hash(&small, "s3cret", 6, h);
	ck_assert_msg(strncmp(h, "$argon2id$v=19$m=256,t=1,p=1$", 29) == 0,
	    "%s", h);
	hash(&p, "s3cret", 6, h);
	ck_assert_msg(strncmp(h, "$argon2id$v=19$m=1024,t=2,p=2$", 30) == 0,
	    "%s", h);
	ck_assert_uint_lt(strlen(h), IDP_PWHASH_STRMAX);
}
END_TEST

START_TEST(verify_right_and_wrong)
{
	char h[IDP_PWHASH_STRMAX];

	hash(&small, "correct horse", 13, h);
	ck_assert_int_eq(idp_pwhash_verify(h, "correct horse", 13), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, "correct horsE", 13), -1);
	ck_assert_int_eq(idp_pwhash_verify(h, "correct hors", 12), -1);
	ck_assert_int_eq(idp_pwhash_verify(h, "correct horse ", 14), -1);
	ck_assert_int_eq(idp_pwhash_verify(h, "", 0), -1);
	/* The length decides, not a NUL: a prefix is not the password. */
	ck_assert_int_eq(idp_pwhash_verify(h, "correct horse", 7), -1);
}
END_TEST

START_TEST(binary_and_utf8_passwords)
{
	char h[IDP_PWHASH_STRMAX];
	const char pw[] = { 'a', '\0', 'b' };
	const char other[] = { 'a', '\0', 'c' };

	hash(&small, pw, 3, h);
	ck_assert_int_eq(idp_pwhash_verify(h, pw, 3), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, other, 3), -1);
	ck_assert_int_eq(idp_pwhash_verify(h, "a", 1), -1);
	hash(&small, "k\xc3\xa9y", 4, h);
	ck_assert_int_eq(idp_pwhash_verify(h, "k\xc3\xa9y", 4), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, "key", 3), -1);
}
END_TEST

START_TEST(salts_differ)
{
	char h1[IDP_PWHASH_STRMAX], h2[IDP_PWHASH_STRMAX];

	hash(&small, "pw", 2, h1);
	hash(&small, "pw", 2, h2);
	ck_assert_str_ne(h1, h2);
	ck_assert_int_eq(idp_pwhash_verify(h1, "pw", 2), 0);
	ck_assert_int_eq(idp_pwhash_verify(h2, "pw", 2), 0);
}
END_TEST

START_TEST(empty_password)
{
	char h[IDP_PWHASH_STRMAX];

	hash(&small, "", 0, h);
	ck_assert_int_eq(idp_pwhash_verify(h, "", 0), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, "x", 1), -1);
}
END_TEST

START_TEST(hash_tampering_fails)
{
	char h[IDP_PWHASH_STRMAX], t[IDP_PWHASH_STRMAX];
	size_t n;

	hash(&small, "pw", 2, h);
	n = strlen(h);
	/* A changed digest character */
	memcpy(t, h, n + 1);
	t[n - 2] = t[n - 2] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(idp_pwhash_verify(t, "pw", 2), -1);
	/* Other parameters than the hash was made with */
	snprintf(t, sizeof(t), "$argon2id$v=19$m=256,t=2,p=1$%s", h + 29);
	ck_assert_int_eq(idp_pwhash_verify(t, "pw", 2), -1);
	/* Truncated */
	memcpy(t, h, n + 1);
	t[n - 5] = '\0';
	ck_assert_int_eq(idp_pwhash_verify(t, "pw", 2), -1);
	t[30] = '\0';
	ck_assert_int_eq(idp_pwhash_verify(t, "pw", 2), -1);
}
END_TEST

START_TEST(needs_rehash_on_param_change)
{
	char h[IDP_PWHASH_STRMAX];
	const struct idp_pwhash_params same = { 256, 1, 1 };
	const struct idp_pwhash_params more_m = { 512, 1, 1 };
	const struct idp_pwhash_params less_m = { 128, 1, 1 };
	const struct idp_pwhash_params more_t = { 256, 2, 1 };
	const struct idp_pwhash_params more_p = { 256, 1, 2 };

	hash(&small, "pw", 2, h);
	ck_assert(!idp_pwhash_needs_rehash(h, &same));
	ck_assert(idp_pwhash_needs_rehash(h, &more_m));
	ck_assert(idp_pwhash_needs_rehash(h, &less_m));
	ck_assert(idp_pwhash_needs_rehash(h, &more_t));
	ck_assert(idp_pwhash_needs_rehash(h, &more_p));
	/* A fresh hash with the new costs needs nothing more. */
	hash(&more_t, "pw", 2, h);
	ck_assert(!idp_pwhash_needs_rehash(h, &more_t));
	ck_assert(idp_pwhash_needs_rehash(h, &same));
}
END_TEST

START_TEST(needs_rehash_for_foreign_formats)
{
	ck_assert(idp_pwhash_needs_rehash(NULL, &small));
	ck_assert(idp_pwhash_needs_rehash("", &small));
	ck_assert(idp_pwhash_needs_rehash(BCRYPT, &small));
	ck_assert(idp_pwhash_needs_rehash("$argon2i$v=19$m=256,t=1,p=1$"
	    "c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", &small));
	/* An older argon2 version with today's costs */
	ck_assert(idp_pwhash_needs_rehash("$argon2id$v=16$m=256,t=1,p=1$c2FsdHN"
	    "hbHQ$aGFzaGhhc2hoYXNoaGFzaA", &small));
	ck_assert(idp_pwhash_needs_rehash("$argon2id$m=256,t=1,p=1$c2FsdHNhbHQ$"
	    "aGFzaGhhc2hoYXNoaGFzaA", &small));
	ck_assert(idp_pwhash_needs_rehash("plaintext", &small));
}
END_TEST

START_TEST(unknown_formats_never_match)
{
	char enc[IDP_PWHASH_STRMAX];
	static const unsigned char salt[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12, 13, 14, 15, 16 };

	/* The right password under argon2i and argon2d: still refused. */
	ck_assert_int_eq(argon2i_hash_encoded(1, 256, 1, "pw", 2, salt, 16, 32,
	    enc, sizeof(enc)), ARGON2_OK);
	ck_assert_int_eq(argon2i_verify(enc, "pw", 2), ARGON2_OK);
	ck_assert_int_eq(idp_pwhash_verify(enc, "pw", 2), -1);
	ck_assert_int_eq(argon2d_hash_encoded(1, 256, 1, "pw", 2, salt, 16, 32,
	    enc, sizeof(enc)), ARGON2_OK);
	ck_assert_int_eq(idp_pwhash_verify(enc, "pw", 2), -1);
	/* A stored plaintext "hash" equal to the password */
	ck_assert_int_eq(idp_pwhash_verify("pw", "pw", 2), -1);
	ck_assert_int_eq(idp_pwhash_verify("", "", 0), -1);
	ck_assert_int_eq(idp_pwhash_verify(NULL, "pw", 2), -1);
	ck_assert_int_eq(idp_pwhash_verify(BCRYPT, "pw", 2), -1);
	ck_assert_int_eq(idp_pwhash_verify("$argon2id$", "pw", 2), -1);
}
END_TEST

START_TEST(over_long_password_refused)
{
	static char pw[IDP_PASSWORD_MAX + 2];
	char h[IDP_PWHASH_STRMAX], enc[IDP_PWHASH_STRMAX];
	static const unsigned char salt[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12, 13, 14, 15, 16 };

	memset(pw, 'p', sizeof(pw));
	/* The longest allowed password works end to end. */
	hash(&small, pw, IDP_PASSWORD_MAX, h);
	ck_assert_int_eq(idp_pwhash_verify(h, pw, IDP_PASSWORD_MAX), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, pw, IDP_PASSWORD_MAX - 1), -1);
	/* One byte more is refused before any hashing. */
	ck_assert_int_eq(idp_pwhash_str(&small, pw, IDP_PASSWORD_MAX + 1, h),
	    -1);
	/* Even against a hash that was made of that long password. */
	ck_assert_int_eq(argon2id_hash_encoded(1, 256, 1, pw,
	    IDP_PASSWORD_MAX + 1, salt, 16, 32, enc, sizeof(enc)), ARGON2_OK);
	ck_assert_int_eq(idp_pwhash_verify(enc, pw, IDP_PASSWORD_MAX + 1), -1);
}
END_TEST

START_TEST(bad_params_refused)
{
	char h[IDP_PWHASH_STRMAX];
	const struct idp_pwhash_params tiny_m = { 4, 1, 1 };
	const struct idp_pwhash_params zero_t = { 256, 0, 1 };
	const struct idp_pwhash_params zero_p = { 256, 1, 0 };

	ck_assert_int_eq(idp_pwhash_str(&tiny_m, "pw", 2, h), -1);
	ck_assert_int_eq(idp_pwhash_str(&zero_t, "pw", 2, h), -1);
	ck_assert_int_eq(idp_pwhash_str(&zero_p, "pw", 2, h), -1);
}
END_TEST

START_TEST(smallest_and_largest_test_costs)
{
	char h[IDP_PWHASH_STRMAX];
	const struct idp_pwhash_params lo = { 64, 1, 1 };
	const struct idp_pwhash_params hi = { 1024, 1, 4 };

	hash(&lo, "pw", 2, h);
	ck_assert_int_eq(idp_pwhash_verify(h, "pw", 2), 0);
	ck_assert(!idp_pwhash_needs_rehash(h, &lo));
	hash(&hi, "pw", 2, h);
	ck_assert_int_eq(idp_pwhash_verify(h, "pw", 2), 0);
	ck_assert(!idp_pwhash_needs_rehash(h, &hi));
	ck_assert(idp_pwhash_needs_rehash(h, &lo));
}
END_TEST

/* Our PHC strings and libargon2's are the same format: each verifies the
 * other's, so hashes imported from other systems keep working. */
START_TEST(interoperates_with_libargon2_encoding)
{
	struct idp_pwhash_params p = { 256, 1, 1 };
	const char pw[] = "kata-sandi-bersama";
	const uint8_t salt[16] = "0123456789abcdef";
	char ours[IDP_PWHASH_STRMAX], theirs[IDP_PWHASH_STRMAX];

	ck_assert_int_eq(argon2id_hash_encoded(1, 256, 1, pw, strlen(pw), salt,
	    sizeof(salt), 32, theirs, sizeof(theirs)), ARGON2_OK);
	ck_assert_int_eq(idp_pwhash_verify(theirs, pw, strlen(pw)), 0);
	ck_assert_int_ne(idp_pwhash_verify(theirs, "salah", 5), 0);
	ck_assert_int_eq(idp_pwhash_str(&p, pw, strlen(pw), ours), 0);
	ck_assert_int_eq(argon2id_verify(ours, pw, strlen(pw)), ARGON2_OK);
	/* The thread cache changes where memory comes from, not results. */
	idp_pwhash_thread_cache(true);
	ck_assert_int_eq(idp_pwhash_verify(ours, pw, strlen(pw)), 0);
	ck_assert_int_eq(idp_pwhash_verify(theirs, pw, strlen(pw)), 0);
	ck_assert_int_ne(idp_pwhash_verify(ours, "salah", 5), 0);
	idp_pwhash_thread_cache(false);
	/* Tampered encodings and absurd costs never match. */
	theirs[strlen(theirs) - 1] = '*';
	ck_assert_int_ne(idp_pwhash_verify(theirs, pw, strlen(pw)), 0);
	ck_assert_int_ne(idp_pwhash_verify("$argon2id$v=19$m=999999999,t=1,p=1$"
	    "MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    pw, strlen(pw)), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_pwhash");
	TCase *tc = unit_tcase(s, "pwhash");

	tcase_add_test(tc, hash_string_carries_params);
	tcase_add_test(tc, verify_right_and_wrong);
	tcase_add_test(tc, binary_and_utf8_passwords);
	tcase_add_test(tc, salts_differ);
	tcase_add_test(tc, empty_password);
	tcase_add_test(tc, hash_tampering_fails);
	tcase_add_test(tc, needs_rehash_on_param_change);
	tcase_add_test(tc, needs_rehash_for_foreign_formats);
	tcase_add_test(tc, unknown_formats_never_match);
	tcase_add_test(tc, over_long_password_refused);
	tcase_add_test(tc, bad_params_refused);
	tcase_add_test(tc, smallest_and_largest_test_costs);
	tcase_add_test(tc, interoperates_with_libargon2_encoding);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

/* oidc/pwpolicy and core/pwdict: the password policy of SP 800-63B
 * §5.1.1.2. Length in NFKC characters, spaces and any printable Unicode
 * allowed, no composition rules; the Indonesian list (also with digits
 * around and digits for letters), personal and service words; cracklib's
 * dictionary and repetition verdicts, and the ones the policy ignores;
 * NFKC equivalence in the hash. */
#include <string.h>

#include "core/pwdict.h"
#include "crypto/pwhash.h"
#include "oidc/pwpolicy.h"
#include "util/nfkc.h"
#include "unit.h"

#define DICT "/var/cache/cracklib/cracklib_dict"

static struct idp_arena *a;
static const struct idp_pw_context ctx = { "wayan.sudarsana", "I Wayan Sudarsana",
	"wsudarsana@baliprov.go.id", "198503172010011002", "SSO Provinsi Bali", 8 };

static void setup(void) { a = idp_arena_new(4096); }
static void teardown(void) { idp_arena_free(a); }

static enum idp_pw_verdict
pure(const char *pw)
{
	return idp_pwpolicy_check(a, pw, strlen(pw), &ctx);
}

static enum idp_pw_verdict
full(const char *pw)
{
	return idp_password_check(a, DICT, pw, strlen(pw), &ctx);
}

START_TEST(length_counts_characters)
{
	char big[1100];

	ck_assert_int_eq(pure(""), IDP_PW_EMPTY);
	ck_assert_int_eq(pure("kTx9#qw"), IDP_PW_TOO_SHORT);
	ck_assert_int_eq(pure("kTx9#qwZ"), IDP_PW_OK);
	/* Eight characters of two bytes each: 16 bytes, 8 characters. */
	ck_assert_int_eq(pure("\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc3\xa0"
	    "\xc3\xa2\xc3\xae\xc3\xaf"), IDP_PW_OK);
	/* Seven characters of three bytes each are still seven. */
	ck_assert_int_eq(pure("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81"
	    "\xa7\xe3\x81\x99\xe3\x82\x88\xe3\x81\xad"), IDP_PW_TOO_SHORT);
	/* 64 characters are allowed, and up to 256. */
	memset(big, 'k', 64);
	for (int i = 0; i < 64; i += 3)
		big[i] = (char)('a' + i % 26);
	big[64] = '\0';
	ck_assert_int_eq(pure(big), IDP_PW_OK);
	memset(big, 'x', 257);
	big[257] = '\0';
	ck_assert_int_eq(pure(big), IDP_PW_TOO_LONG);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(pure(big), IDP_PW_TOO_LONG);
}
END_TEST

START_TEST(configured_minimum)
{
	struct idp_pw_context c = ctx;

	c.min_length = 12;
	ck_assert_int_eq(idp_pwpolicy_check(a, "kTx9#qwZ", 8, &c),
	    IDP_PW_TOO_SHORT);
	ck_assert_int_eq(idp_pwpolicy_check(a, "kTx9#qwZpl3m", 12, &c),
	    IDP_PW_OK);
}
END_TEST

START_TEST(spaces_unicode_no_composition)
{
	/* Spaces, all lower case, no digit: fine (no composition rules). */
	ck_assert_int_eq(full("kuda lari ke hutan biru"), IDP_PW_OK);
	/* Balinese script and emoji. */
	ck_assert_int_eq(full("\xe1\xac\xa7\xe1\xac\xb8\xe1\xac\xb2 "
	    "\xf0\x9f\x8c\xba\xf0\x9f\x8c\x8a tegal"), IDP_PW_OK);
	/* Control characters are not typable. */
	ck_assert_int_eq(pure("abc\tdefgh"), IDP_PW_UNTYPABLE);
	ck_assert_int_eq(pure("abcdefgh\n"), IDP_PW_UNTYPABLE);
	ck_assert_int_eq(pure("abc\xc2\x85" "defgh"), IDP_PW_UNTYPABLE);
	ck_assert_int_eq(pure("abc\xff" "defgh"), IDP_PW_UNTYPABLE);
}
END_TEST

START_TEST(indonesian_list)
{
	const char *refused[] = { "bismillah", "Bismillah123", "rahasia!!",
		"bali2024", "BALI2024", "sayangku", "12345678", "r4h4s14ku",
		"b1sm1ll4h", "1qaz2wsx", "omswastiastu", "  cinta sejati  ",
		"akucintakamu", "17081945", NULL };

	for (const char **p = refused; *p; p++)
		ck_assert_msg(pure(*p) == IDP_PW_COMMON, "%s accepted", *p);
	/* A list word inside a longer passphrase is not refused. */
	ck_assert_int_eq(pure("sayang tiga kucing oranye"), IDP_PW_OK);
}
END_TEST

START_TEST(list_is_clean)
{
	for (size_t i = 0; i < idp_pwlist_id_n; i++) {
		const char *w = idp_pwlist_id[i];
		size_t n;
		char *f = idp_nfkc_fold(a, w, strlen(w), &n);

		ck_assert_msg(f != NULL && strcmp(f, w) == 0,
		    "%s is not folded NFKC", w);
		for (size_t j = 0; j < i; j++)
			ck_assert_msg(strcmp(idp_pwlist_id[j], w) != 0,
			    "%s twice", w);
	}
	ck_assert_uint_ge(idp_pwlist_id_n, 300);
}
END_TEST

START_TEST(personal_words)
{
	ck_assert_int_eq(pure("wayan.sudarsana77"), IDP_PW_PERSONAL);
	ck_assert_int_eq(pure("Sudarsana-rumah"), IDP_PW_PERSONAL);
	ck_assert_int_eq(pure("wsudarsana!2020"), IDP_PW_PERSONAL);
	ck_assert_int_eq(pure("x198503172010011002"), IDP_PW_PERSONAL);
	ck_assert_int_eq(pure("ssoprovinsibali!"), IDP_PW_PERSONAL);
	ck_assert_int_eq(pure("Provinsi saya indah"), IDP_PW_PERSONAL);
	/* Short name parts ("I") are not refused. */
	ck_assert_int_eq(pure("i love mangga muda"), IDP_PW_OK);
}
END_TEST

START_TEST(cracklib_verdicts)
{
	ck_assert_int_eq(full("password"), IDP_PW_COMMON);
	ck_assert_int_eq(full("dragonfly1"), IDP_PW_COMMON);
	ck_assert_int_eq(full("aaaaaaaaaaaa"), IDP_PW_REPETITIVE);
	ck_assert_int_eq(full("abcdefghijkl"), IDP_PW_REPETITIVE);
	ck_assert_int_eq(full("kTx9#qwZ"), IDP_PW_OK);
	ck_assert_int_eq(idp_pwpolicy_cracklib(NULL), IDP_PW_OK);
	ck_assert_int_eq(idp_pwpolicy_cracklib("it is too short"), IDP_PW_OK);
	ck_assert_int_eq(idp_pwpolicy_cracklib(
	    "it looks like a National Insurance number."), IDP_PW_OK);
	ck_assert_int_eq(idp_pwpolicy_cracklib(
	    "it is based on a (reversed) dictionary word"), IDP_PW_COMMON);
	ck_assert_int_eq(idp_pwpolicy_cracklib("it is based on your username"),
	    IDP_PW_PERSONAL);
	ck_assert_int_eq(idp_pwdict_ready(DICT, (char[256]){ 0 }, 256), 0);
	ck_assert_int_eq(idp_pwdict_ready("/nonexistent/dict",
	    (char[256]){ 0 }, 256), -1);
}
END_TEST

/* NFKC: the full-width and the ASCII form are one password, in the policy
 * and in the hash; ASCII passwords hash as before. */
START_TEST(nfkc_equivalence)
{
	const struct idp_pwhash_params p = { 64, 1, 1 };
	const char *fw = "\xef\xbd\x8b\xef\xbc\xb4\xef\xbd\x98\xef\xbc\x99"
	    "#\xef\xbd\x91\xef\xbd\x97\xef\xbc\xba";	/* full-width kTx9#qwZ */
	char h[IDP_PWHASH_STRMAX], out[64];

	ck_assert_int_eq(idp_nfkc(fw, strlen(fw), out, sizeof(out)), 8);
	ck_assert_str_eq(out, "kTx9#qwZ");
	ck_assert_int_eq(idp_pwhash_str(&p, fw, strlen(fw), h), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, "kTx9#qwZ", 8), 0);
	ck_assert_int_eq(idp_pwhash_str(&p, "kTx9#qwZ", 8, h), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, fw, strlen(fw)), 0);
	ck_assert_int_ne(idp_pwhash_verify(h, "kTx9#qwz", 8), 0);
	/* e + combining acute is é. */
	ck_assert_int_eq(idp_pwhash_str(&p, "caf\xc3\xa9-kopi-pagi", 15, h), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, "cafe\xcc\x81-kopi-pagi", 16), 0);
	ck_assert_int_eq(idp_nfkc("\xff", 1, out, sizeof(out)), -1);
	ck_assert_int_eq(idp_nfkc("abcdef", 6, out, 4), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_pwpolicy");
	TCase *tc = unit_tcase(s, "pwpolicy");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, length_counts_characters);
	tcase_add_test(tc, configured_minimum);
	tcase_add_test(tc, spaces_unicode_no_composition);
	tcase_add_test(tc, indonesian_list);
	tcase_add_test(tc, list_is_clean);
	tcase_add_test(tc, personal_words);
	tcase_add_test(tc, cracklib_verdicts);
	tcase_add_test(tc, nfkc_equivalence);
	return unit_run(s);
}

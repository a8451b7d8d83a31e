/* crypto/totp: RFC 4226 Appendix D and RFC 6238 Appendix B vectors (SHA-1,
 * SHA-256, SHA-512, 8 digits), the window of one step either side with
 * replay refused, what a person may type, base32 of RFC 4648 §10, and
 * recovery codes. */
#include <stdio.h>
#include <string.h>

#include "core/totpkey.h"
#include "crypto/totp.h"
#include "unit.h"

static const char k20[] = "12345678901234567890";
static const char k32[] = "12345678901234567890123456789012";
static const char k64[] = "1234567890123456789012345678901234567890123456789012345678901234";

START_TEST(rfc4226_appendix_d)
{
	static const uint32_t want[] = { 755224, 287082, 359152, 969429,
		338314, 254676, 287922, 162583, 399871, 520489 };
	uint32_t code;

	for (unsigned i = 0; i < 10; i++) {
		ck_assert_int_eq(idp_hotp(IDP_OTP_SHA1,
		    (const unsigned char *)k20, 20, i, 6, &code), 0);
		ck_assert_uint_eq(code, want[i]);
	}
}
END_TEST

START_TEST(rfc6238_appendix_b)
{
	static const struct {
		int64_t t;
		uint32_t sha1, sha256, sha512;
	} v[] = {
		{ 59, 94287082, 46119246, 90693936 },
		{ 1111111109, 7081804, 68084774, 25091201 },
		{ 1111111111, 14050471, 67062674, 99943326 },
		{ 1234567890, 89005924, 91819424, 93441116 },
		{ 2000000000, 69279037, 90698825, 38618901 },
		{ 20000000000, 65353130, 77737706, 47863826 },
	};
	uint32_t c;

	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		uint64_t step = (uint64_t)idp_totp_step(v[i].t);

		ck_assert_int_eq(idp_hotp(IDP_OTP_SHA1,
		    (const unsigned char *)k20, 20, step, 8, &c), 0);
		ck_assert_uint_eq(c, v[i].sha1);
		ck_assert_int_eq(idp_hotp(IDP_OTP_SHA256,
		    (const unsigned char *)k32, 32, step, 8, &c), 0);
		ck_assert_uint_eq(c, v[i].sha256);
		ck_assert_int_eq(idp_hotp(IDP_OTP_SHA512,
		    (const unsigned char *)k64, 64, step, 8, &c), 0);
		ck_assert_uint_eq(c, v[i].sha512);
	}
	/* Six digits, as the apps show them: the last six of the eight. */
	ck_assert_int_eq(idp_hotp(IDP_OTP_SHA1, (const unsigned char *)k20,
	    20, 1, 6, &c), 0);
	ck_assert_uint_eq(c, 287082);
	ck_assert_int_eq(idp_hotp(IDP_OTP_SHA1, (const unsigned char *)k20,
	    20, 1, 5, &c), -1);
	ck_assert_int_eq(idp_hotp(IDP_OTP_SHA1, (const unsigned char *)k20,
	    20, 1, 9, &c), -1);
	ck_assert_int_eq(idp_hotp(IDP_OTP_SHA1, NULL, 0, 1, 6, &c), -1);
}
END_TEST

static uint32_t
code_at(int64_t t)
{
	uint32_t c = 0;

	ck_assert_int_eq(idp_hotp(IDP_OTP_SHA1, (const unsigned char *)k20,
	    20, (uint64_t)idp_totp_step(t), 6, &c), 0);
	return c;
}

START_TEST(window_and_replay)
{
	const unsigned char *k = (const unsigned char *)k20;
	int64_t now = 1234567890, s = idp_totp_step(now);

	ck_assert_int_eq(idp_totp_match(k, 20, now, code_at(now), -1), s);
	ck_assert_int_eq(idp_totp_match(k, 20, now, code_at(now - 30), -1),
	    s - 1);
	ck_assert_int_eq(idp_totp_match(k, 20, now, code_at(now + 30), -1),
	    s + 1);
	ck_assert_int_eq(idp_totp_match(k, 20, now, code_at(now - 60), -1),
	    -1);
	ck_assert_int_eq(idp_totp_match(k, 20, now, code_at(now + 60), -1),
	    -1);
	/* Accepted once: a step at or before the last one is a replay. */
	ck_assert_int_eq(idp_totp_match(k, 20, now, code_at(now), s), -1);
	ck_assert_int_eq(idp_totp_match(k, 20, now, code_at(now - 30), s),
	    -1);
	ck_assert_int_eq(idp_totp_match(k, 20, now, code_at(now + 30), s),
	    s + 1);
	ck_assert_int_eq(idp_totp_match(k, 20, -5, 0, -1), -1);
	ck_assert_int_eq(idp_totp_match(k, 19, now, code_at(now), -1) == s, 0);
}
END_TEST

START_TEST(typed_codes)
{
	uint32_t c = 99;

	ck_assert_int_eq(idp_totp_parse("123456", &c), 0);
	ck_assert_uint_eq(c, 123456);
	ck_assert_int_eq(idp_totp_parse("123 456", &c), 0);
	ck_assert_uint_eq(c, 123456);
	ck_assert_int_eq(idp_totp_parse(" 012345 ", &c), 0);
	ck_assert_uint_eq(c, 12345);
	ck_assert_int_eq(idp_totp_parse("12345", &c), -1);
	ck_assert_int_eq(idp_totp_parse("1234567", &c), -1);
	ck_assert_int_eq(idp_totp_parse("12345a", &c), -1);
	ck_assert_int_eq(idp_totp_parse("-12345", &c), -1);
	ck_assert_int_eq(idp_totp_parse("", &c), -1);
	ck_assert_int_eq(idp_totp_parse(NULL, &c), -1);
	ck_assert_int_eq(idp_totp_parse("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93"
	    "456", &c), -1);	/* full-width digits */
	ck_assert_int_eq(idp_totp_parse("1 2 3 4 5 6 ", &c), 0);
	ck_assert_int_eq(idp_totp_parse("                              123456",
	    &c), -1);		/* longer than 32 */
	ck_assert_int_eq(idp_totp_parse("12\t3456", &c), -1);
}
END_TEST

START_TEST(base32_rfc4648)
{
	struct idp_arena *a = idp_arena_new(1024);

	ck_assert_str_eq(idp_base32_encode(a, "", 0), "");
	ck_assert_str_eq(idp_base32_encode(a, "f", 1), "MY");
	ck_assert_str_eq(idp_base32_encode(a, "fo", 2), "MZXQ");
	ck_assert_str_eq(idp_base32_encode(a, "foo", 3), "MZXW6");
	ck_assert_str_eq(idp_base32_encode(a, "foob", 4), "MZXW6YQ");
	ck_assert_str_eq(idp_base32_encode(a, "fooba", 5), "MZXW6YTB");
	ck_assert_str_eq(idp_base32_encode(a, "foobar", 6), "MZXW6YTBOI");
	ck_assert_str_eq(idp_base32_encode(a, k20, 20),
	    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	idp_arena_free(a);
}
END_TEST

START_TEST(recovery_codes)
{
	char shown[IDP_RECOVERY_SHOWN], norm[IDP_RECOVERY_CHARS + 1];
	char other[IDP_RECOVERY_SHOWN];

	idp_recovery_new(shown);
	idp_recovery_new(other);
	ck_assert_uint_eq(strlen(shown), 11);
	ck_assert_int_eq(shown[5], '-');
	ck_assert_str_ne(shown, other);
	ck_assert_int_eq(idp_recovery_parse(shown, norm), 0);
	ck_assert_uint_eq(strlen(norm), 10);
	ck_assert_int_eq(idp_recovery_parse("ABCDE FGHJK", norm), 0);
	ck_assert_str_eq(norm, "abcdefghjk");
	ck_assert_int_eq(idp_recovery_parse(" abcde-fghjk ", norm), 0);
	ck_assert_int_eq(idp_recovery_parse("abcde-fghj", norm), -1);
	ck_assert_int_eq(idp_recovery_parse("abcde-fghjkm", norm), -1);
	ck_assert_int_eq(idp_recovery_parse("abcde-fghj0", norm), -1);
	ck_assert_int_eq(idp_recovery_parse("abcde-fghjl", norm), -1);
	ck_assert_int_eq(idp_recovery_parse("", norm), -1);
	ck_assert_int_eq(idp_recovery_parse(NULL, norm), -1);
	ck_assert_int_eq(idp_recovery_parse("abcde\xc3\xa9ghjk", norm), -1);
}
END_TEST

/* A line of idpctl keys export's TOTP file (core/totpkey.c). */
START_TEST(key_file_lines)
{
	struct idp_totp_line t;
	const char *d = "2d711642b726b04401627ca9fbac32f5"
	    "c8530fb1903cc4db02258717921a4881";
	char line[256];

	snprintf(line, sizeof(line), "17 4 3132ff %s\n", d);
	ck_assert_int_eq(idp_totp_line_parse(line, &t), 1);
	ck_assert_int_eq(t.id, 17);
	ck_assert_int_eq(t.user_id, 4);
	ck_assert_uint_eq(t.key_len, 3);
	ck_assert_mem_eq(t.key, "12\xff", 3);
	ck_assert_str_eq(t.digest, d);
	snprintf(line, sizeof(line), "17 4 3132ff %s", d);	/* last line */
	ck_assert_int_eq(idp_totp_line_parse(line, &t), 1);
	ck_assert_int_eq(idp_totp_line_parse("# a comment\n", &t), 0);
	ck_assert_int_eq(idp_totp_line_parse("\n", &t), 0);
	ck_assert_int_eq(idp_totp_line_parse("", &t), 0);
	/* Refused: a missing part, bad hex, an odd digit, zero or huge ids,
	 * two spaces, CRLF, an uppercase digest, a short one, trailing text,
	 * a key longer than 64 bytes. */
	const char *bad[] = { "17 4 31", "17 4 zz %s", "17 4 313 %s",
		"0 4 31 %s", "17 0 31 %s", "99999999999999999999 4 31 %s",
		"17  4 31 %s", "17 4 31 %s\r\n", "17 4 31 %s x", "-1 4 31 %s",
		"17 4 %s" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), bad[i], d);
		ck_assert_msg(idp_totp_line_parse(line, &t) == -1, "%s", line);
	}
	snprintf(line, sizeof(line), "17 4 31 %.63s\n", d);
	ck_assert_int_eq(idp_totp_line_parse(line, &t), -1);
	snprintf(line, sizeof(line), "17 4 31 2D711642b726b04401627ca9fbac32f5"
	    "c8530fb1903cc4db02258717921a4881\n");
	ck_assert_int_eq(idp_totp_line_parse(line, &t), -1);
	char longkey[300] = "17 4 ";
	for (int i = 0; i < 65; i++)
		strcat(longkey, "ab");
	strcat(longkey, " ");
	strcat(longkey, d);
	ck_assert_int_eq(idp_totp_line_parse(longkey, &t), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_totp");
	TCase *tc = unit_tcase(s, "totp");

	tcase_add_test(tc, rfc4226_appendix_d);
	tcase_add_test(tc, rfc6238_appendix_b);
	tcase_add_test(tc, window_and_replay);
	tcase_add_test(tc, typed_codes);
	tcase_add_test(tc, base32_rfc4648);
	tcase_add_test(tc, recovery_codes);
	tcase_add_test(tc, key_file_lines);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

/* crypto/pwimport: imported password hashes. PBKDF2 against the vectors of
 * RFC 6070 (HMAC-SHA1) and RFC 7914 §11 (HMAC-SHA256); bcrypt and SHA-crypt
 * known answers made by other implementations (Apache's htpasswd -B,
 * OpenSSL's passwd -5/-6), PBKDF2 strings made by Node.js; the format
 * bounds; and Keycloak credentials turned into hash strings. */
#include <stdio.h>
#include <string.h>

#include "crypto/pwhash.h"
#include "crypto/pwimport.h"
#include "unit.h"

static void
hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void
pbkdf2_is(const char *md, const char *pw, size_t pwlen, const char *salt,
    size_t saltlen, uint32_t c, size_t dklen, const char *want)
{
	unsigned char dk[128];
	char got[257];

	ck_assert_int_eq(idp_pbkdf2(md, pw, pwlen, (const unsigned char *)salt,
	    saltlen, c, dk, dklen), 0);
	hex(dk, dklen, got);
	ck_assert_str_eq(got, want);
}

/* RFC 6070 §2. The fourth vector (c = 16777216) is left out: sixteen
 * million HMAC runs take minutes under the sanitizers and test nothing
 * the others do not. */
START_TEST(rfc6070_pbkdf2_hmac_sha1)
{
	pbkdf2_is("sha1", "password", 8, "salt", 4, 1, 20,
	    "0c60c80f961f0e71f3a9b524af6012062fe037a6");
	pbkdf2_is("sha1", "password", 8, "salt", 4, 2, 20,
	    "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
	pbkdf2_is("sha1", "password", 8, "salt", 4, 4096, 20,
	    "4b007901b765489abead49d926f721d065a429c1");
	pbkdf2_is("sha1", "passwordPASSWORDpassword", 24,
	    "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36, 4096, 25,
	    "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038");
	pbkdf2_is("sha1", "pass\0word", 9, "sa\0lt", 5, 4096, 16,
	    "56fa6aa75548099dcc37d7f03425e0c3");
}
END_TEST

START_TEST(rfc7914_pbkdf2_hmac_sha256)
{
	pbkdf2_is("sha256", "passwd", 6, "salt", 4, 1, 64,
	    "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
	    "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
	pbkdf2_is("sha256", "Password", 8, "NaCl", 4, 80000, 64,
	    "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
	    "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}
END_TEST

START_TEST(pbkdf2_refuses_nonsense)
{
	unsigned char dk[32];

	ck_assert_int_eq(idp_pbkdf2("md5", "pw", 2, (const unsigned char *)"s",
	    1, 1, dk, 32), -1);
	ck_assert_int_eq(idp_pbkdf2("sha256", "pw", 2,
	    (const unsigned char *)"s", 1, 0, dk, 32), -1);
}
END_TEST

static const struct {
	const char *hash, *password;
	enum idp_pwhash_alg alg;
} known[] = {
	/* htpasswd -nbB -C 5 / -C 4 (APR's bcrypt, not libcrypt's) */
	{ "$2y$05$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88.",
	  "Sandi-Bcrypt-2019", IDP_PWHASH_BCRYPT },
	{ "$2y$04$YOP4OiiMznvUKwbf/XBJW.tYEKwprTnfx321JekceMztg08C0tMuq",
	  "Sandi-Bcrypt-2019", IDP_PWHASH_BCRYPT },
	/* The same hash under the other prefixes: for passwords of ASCII
	 * characters $2a$, $2b$ and $2y$ compute the same. */
	{ "$2a$05$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88.",
	  "Sandi-Bcrypt-2019", IDP_PWHASH_BCRYPT },
	{ "$2b$05$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88.",
	  "Sandi-Bcrypt-2019", IDP_PWHASH_BCRYPT },
	/* openssl passwd -5 -salt GaramBali / -6 -salt GaramBali2 */
	{ "$5$GaramBali$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/",
	  "Sandi-Sha256-Lama", IDP_PWHASH_SHA256_CRYPT },
	{ "$6$GaramBali2$UR6sniJ65OEfVSr6VPUb0KAUclLnCTLW3SyxF0Vcr911neN57vu"
	  "BOiOlJ1.mTuLfIAKUDqOh3.1SFdPN6tdfu0", "Sandi-Sha512-Lama",
	  IDP_PWHASH_SHA512_CRYPT },
	/* Node.js crypto.pbkdf2Sync, written as documented */
	{ "$pbkdf2-sha1$i=1000$Z2FyYW0tc2hhMS1iYWxpLg$qkoLyURCZz2SZtI0ed4CXJXYWB0",
	  "Sandi-Pbkdf2-Sha1", IDP_PWHASH_PBKDF2_SHA1 },
	{ "$pbkdf2-sha256$i=1000$Z2FyYW0tc2hhMjU2LWJhbA$JzsaDmaWdy+w9xt/zDWoaXI8"
	  "Ch/yKMdKHNzUWe7z/jE", "Sandi-Pbkdf2-Sha256",
	  IDP_PWHASH_PBKDF2_SHA256 },
	{ "$pbkdf2-sha512$i=1000$Z2FyYW0tc2hhNTEyLWJhbA$5Q/Nt2AWxhM6TVdLt0fgFrgPx"
	  "ME9Xi32wnz3x76QZDgzbuPjm594o+3t6P52RuoK1Vc9btbHDmhbS/uSHI2eFg",
	  "Sandi-Pbkdf2-Sha512", IDP_PWHASH_PBKDF2_SHA512 },
};

START_TEST(known_answers_verify)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++) {
		const char *h = known[i].hash, *pw = known[i].password;

		ck_assert_msg(idp_pwhash_alg_of(h) == known[i].alg, "%s", h);
		ck_assert_msg(idp_pwhash_verify(h, pw, strlen(pw)) == 0, "%s", h);
		ck_assert_msg(idp_pwhash_verify(h, "Sandi-Salah", 11) == -1,
		    "%s", h);
		ck_assert_msg(idp_pwhash_verify(h, pw, strlen(pw) - 1) == -1,
		    "%s", h);
		/* Always replaced by argon2id at the next sign-in. */
		ck_assert(idp_pwhash_needs_rehash(h,
		    &(struct idp_pwhash_params){ 256, 1, 1 }));
	}
}
END_TEST

START_TEST(tampered_known_answers_fail)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++) {
		char h[256];
		const char *pw = known[i].password;
		size_t n = strlen(known[i].hash);

		snprintf(h, sizeof(h), "%s", known[i].hash);
		/* One character of the hash part changed, in the alphabet. */
		h[n - 3] = h[n - 3] == 'A' ? 'B' : 'A';
		ck_assert_msg(idp_pwhash_verify(h, pw, strlen(pw)) == -1, "%s", h);
	}
}
END_TEST

START_TEST(format_bounds)
{
	static const char *const bad[] = {
		"", "$2x$05$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88.",
		"$2y$16$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88.",
		"$2y$03$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88.",
		"$2y$5$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88.x",
		"$2y$05$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy88",
		"$2y$05$91BHctb7I/nOED.Vngirfe47bqE1CG0Easf3c13VH3S54MUdDy8$.",
		"$5$rounds=999$GaramBali$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/",
		"$5$rounds=1000001$GaramBali$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/",
		"$5$rounds=01000$GaramBali$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/",
		"$5$$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/",
		"$5$GaramBaliGaramBali$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/",
		"$5$Garam:Bali$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/",
		"$5$GaramBali$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl",
		"$6$GaramBali$OZf.WyTdfAWHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/",
		"$pbkdf2-sha256$i=0$Z2FyYW0tc2hhMjU2LWJhbA$JzsaDmaWdy+w9xt/zDWoaXI8Ch/yKMdKHNzUWe7z/jE",
		"$pbkdf2-sha256$i=10000001$Z2FyYW0tc2hhMjU2LWJhbA$JzsaDmaWdy+w9xt/zDWoaXI8Ch/yKMdKHNzUWe7z/jE",
		"$pbkdf2-sha256$i=-5$Z2FyYW0tc2hhMjU2LWJhbA$JzsaDmaWdy+w9xt/zDWoaXI8Ch/yKMdKHNzUWe7z/jE",
		"$pbkdf2-sha256$i=1000$Z2FyYW0tc2hhMjU2LWJhbA==$JzsaDmaWdy+w9xt/zDWoaXI8Ch/yKMdKHNzUWe7z/jE",
		"$pbkdf2-sha256$i=1000$Z2FyYW0tc2hhMjU2LWJhbA$JzsaDmaWdy-w9xt_zDWoaXI8Ch_yKMdKHNzUWe7z_jE",
		"$pbkdf2-sha256$i=1000$Z2E$JzsaDmaWdy+w9xt/zDWoaXI8Ch/yKMdKHNzUWe7z/jE",
		"$pbkdf2-sha256$i=1000$Z2FyYW0tc2hhMjU2LWJhbA$Jzsa",
		"$pbkdf2-sha256$i=1000$Z2FyYW0tc2hhMjU2LWJhbA$JzsaDmaWdy+w9xt/zDWoaXI8Ch/yKMdKHNzUWe7z/jE$",
		"$pbkdf2-md5$i=1000$Z2FyYW0tc2hhMjU2LWJhbA$JzsaDmaWdy+w9xt/zDWoaXI8Ch/yKMdKHNzUWe7z/jE",
		"$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=4,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"plaintext", "$1$saltsalt$abcdefghijklmnopqrstuv",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		ck_assert_msg(!idp_pwhash_format_ok(bad[i]), "%s", bad[i]);
		ck_assert_msg(idp_pwhash_verify(bad[i], "x", 1) == -1, "%s",
		    bad[i]);
	}
	ck_assert(idp_pwhash_format_ok("$5$rounds=5000$GaramBali$OZf.WyTdfAWHC8"
	    "e47Ez6Kly8fNFeyliEp/.EQA9IRl/"));
	ck_assert(idp_pwhash_format_ok("$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbH"
	    "Q$aGFzaGhhc2hoYXNoaGFzaA"));
	ck_assert_int_eq(idp_pwhash_alg_of(NULL), IDP_PWHASH_UNKNOWN);
	ck_assert_str_eq(idp_pwhash_alg_name(IDP_PWHASH_BCRYPT), "bcrypt");
}
END_TEST

/* An explicit rounds= is read: the same password and salt at 5000 (the
 * default) and 6000 rounds verify only against their own string. */
START_TEST(shacrypt_rounds)
{
	const char *h5000 = "$5$rounds=5000$GaramBali$OZf.WyTdfAWHC8e47Ez6Kly8f"
	    "NFeyliEp/.EQA9IRl/";

	ck_assert_int_eq(idp_pwhash_verify(h5000, "Sandi-Sha256-Lama", 17), 0);
	ck_assert_int_eq(idp_pwhash_verify("$5$rounds=6000$GaramBali$OZf.WyTdfA"
	    "WHC8e47Ez6Kly8fNFeyliEp/.EQA9IRl/", "Sandi-Sha256-Lama", 17), -1);
}
END_TEST

/* Keycloak keeps the hash (value) and salt in secretData, the algorithm
 * and its parameters in credentialData, both base64 with padding. These
 * were made with Node.js and the argon2 command (tests/fixtures). */
#define KC_SEC256 "{\"value\":\"UlBnl4E6CT+Ptvz0RknZIit/Q9fMwTwTzxCBvy7oX" \
	"nWD/JNIPAXYimaLWTFdLGvV8oxPrvHS7e6iGNqHCqyeIQ==\",\"salt\":\"a2MtZ2Fy" \
	"YW0tMjU2Li4uLg==\",\"additionalParameters\":{}}"
#define KC_CRED256 "{\"hashIterations\":27500,\"algorithm\":\"pbkdf2-sha256\"," \
	"\"additionalParameters\":{}}"

static int
from_kc(const char *sec, const char *cred, char *out, const char **why)
{
	return idp_pwhash_from_keycloak(sec, cred, out, 512, why);
}

START_TEST(keycloak_pbkdf2_sha256)
{
	char h[512];
	const char *why = NULL;

	ck_assert_int_eq(from_kc(KC_SEC256, KC_CRED256, h, &why), 0);
	ck_assert_msg(!strncmp(h, "$pbkdf2-sha256$i=27500$a2MtZ2FyYW0tMjU2Li4uL"
	    "g$", 44), "%s", h);
	ck_assert_int_eq(idp_pwhash_verify(h, "Sandi-KC-Sha256", 15), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, "Sandi-KC-Sha512", 15), -1);
}
END_TEST

START_TEST(keycloak_argon2)
{
	char h[512];
	const char *why = NULL;

	ck_assert_int_eq(from_kc("{\"value\":\"/zJweOcqptrj/yph1bzn9tmlSMukUB6"
	    "jCOxpa/ALoyA=\",\"salt\":\"a2MtZ2FyYW0tYXJnb24uLg==\","
	    "\"additionalParameters\":{}}", "{\"hashIterations\":5,"
	    "\"algorithm\":\"argon2\",\"additionalParameters\":{\"hashLength\":"
	    "[\"32\"],\"memory\":[\"7168\"],\"type\":[\"id\"],\"version\":"
	    "[\"1.3\"],\"parallelism\":[\"1\"]}}", h, &why), 0);
	ck_assert_str_eq(h, "$argon2id$v=19$m=7168,t=5,p=1$a2MtZ2FyYW0tYXJnb24u"
	    "Lg$/zJweOcqptrj/yph1bzn9tmlSMukUB6jCOxpa/ALoyA");
	ck_assert_int_eq(idp_pwhash_verify(h, "Sandi-KC-Argon2", 15), 0);
	ck_assert_int_eq(idp_pwhash_verify(h, "Sandi-KC-Argon3", 15), -1);
}
END_TEST

START_TEST(keycloak_refusals)
{
	char h[512];
	const char *why = NULL;
	static const char *const creds[] = {
		"{\"hashIterations\":27500,\"algorithm\":\"bcrypt\"}",
		"{\"hashIterations\":0,\"algorithm\":\"pbkdf2-sha256\"}",
		"{\"hashIterations\":\"27500\",\"algorithm\":\"pbkdf2-sha256\"}",
		"{\"algorithm\":\"pbkdf2-sha256\"}",
		"{\"hashIterations\":5,\"algorithm\":\"argon2\","
		"\"additionalParameters\":{\"type\":[\"i\"]}}",
		"{\"hashIterations\":5,\"algorithm\":\"argon2\","
		"\"additionalParameters\":{\"version\":[\"1.0\"]}}",
		"{\"hashIterations\":5,\"algorithm\":\"argon2\","
		"\"additionalParameters\":{\"hashLength\":[\"32\"]}}",
		"{\"hashIterations\":5,\"algorithm\":\"argon2\","
		"\"additionalParameters\":{\"memory\":[\"lots\"]}}",
		"{\"hashIterations\":5,\"algorithm\":\"argon2\","
		"\"additionalParameters\":[]}",
		"[]", "not json",
	};

	for (size_t i = 0; i < sizeof(creds) / sizeof(*creds); i++) {
		why = NULL;
		ck_assert_msg(from_kc(KC_SEC256, creds[i], h, &why) == -1, "%s",
		    creds[i]);
		ck_assert_ptr_nonnull(why);
	}
	ck_assert_int_eq(from_kc("{\"value\":\"%%%\",\"salt\":\"a2M=\"}",
	    KC_CRED256, h, &why), -1);
	ck_assert_int_eq(from_kc("{\"salt\":\"a2M=\"}", KC_CRED256, h, &why),
	    -1);
	ck_assert_int_eq(from_kc(NULL, KC_CRED256, h, &why), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_pwimport");
	TCase *tc = unit_tcase(s, "pwimport");

	tcase_add_test(tc, rfc6070_pbkdf2_hmac_sha1);
	tcase_add_test(tc, rfc7914_pbkdf2_hmac_sha256);
	tcase_add_test(tc, pbkdf2_refuses_nonsense);
	tcase_add_test(tc, known_answers_verify);
	tcase_add_test(tc, tampered_known_answers_fail);
	tcase_add_test(tc, format_bounds);
	tcase_add_test(tc, shacrypt_rounds);
	tcase_add_test(tc, keycloak_pbkdf2_sha256);
	tcase_add_test(tc, keycloak_argon2);
	tcase_add_test(tc, keycloak_refusals);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

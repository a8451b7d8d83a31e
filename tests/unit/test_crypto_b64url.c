/* crypto/b64url: RFC 4648 §10 vectors in the URL alphabet without padding,
 * strict decoding, and the padded standard alphabet for HTTP Basic. */
#include <string.h>

#include "crypto/b64url.h"
#include "unit.h"

static struct idp_arena *a;

static void
setup(void)
{
	a = idp_arena_new(256);
}

static void
teardown(void)
{
	idp_arena_free(a);
	a = NULL;
}

/* RFC 4648 §10, padding removed (base64url is the same for these). */
static const struct {
	const char *raw, *enc;
} rfc4648[] = {
	{ "", "" },
	{ "f", "Zg" },
	{ "fo", "Zm8" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg" },
	{ "fooba", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy" },
};

#define NVEC (sizeof(rfc4648) / sizeof(rfc4648[0]))

START_TEST(encode_rfc4648_vectors)
{
	for (size_t i = 0; i < NVEC; i++) {
		const char *raw = rfc4648[i].raw;
		char buf[16];
		size_t n;

		ck_assert_str_eq(idp_b64url_encode(a, raw, strlen(raw)),
		    rfc4648[i].enc);
		memset(buf, 'X', sizeof(buf));
		n = idp_b64url_encode_to(buf, raw, strlen(raw));
		ck_assert_uint_eq(n, strlen(rfc4648[i].enc));
		ck_assert_str_eq(buf, rfc4648[i].enc);
		ck_assert_uint_eq(IDP_B64URL_LEN(strlen(raw)), n);
	}
}
END_TEST

START_TEST(decode_rfc4648_vectors)
{
	for (size_t i = 0; i < NVEC; i++) {
		const char *enc = rfc4648[i].enc;
		size_t n = 999;
		unsigned char *out = idp_b64url_decode(a, enc, strlen(enc), &n);

		ck_assert_msg(out != NULL, "\"%s\" refused", enc);
		ck_assert_uint_eq(n, strlen(rfc4648[i].raw));
		ck_assert_mem_eq(out, rfc4648[i].raw, n);
		ck_assert_int_eq(out[n], '\0');
	}
}
END_TEST

START_TEST(url_alphabet)
{
	static const unsigned char dash[3] = { 0xfb, 0xef, 0xbe };
	static const unsigned char under[3] = { 0xff, 0xff, 0xff };
	static const unsigned char mix[2] = { 0xfb, 0xff };
	unsigned char *d;
	size_t n;

	/* Standard base64 would write '+', '/' and padding here. */
	ck_assert_str_eq(idp_b64url_encode(a, dash, 3), "----");
	ck_assert_str_eq(idp_b64url_encode(a, under, 3), "____");
	ck_assert_str_eq(idp_b64url_encode(a, mix, 2), "-_8");
	d = idp_b64url_decode(a, "-_8", 3, &n);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(n, 2);
	ck_assert_mem_eq(d, mix, 2);
}
END_TEST

START_TEST(round_trip_all_bytes)
{
	unsigned char raw[256];

	for (int i = 0; i < 256; i++)
		raw[i] = (unsigned char)(255 - i);
	for (size_t len = 0; len <= sizeof(raw); len++) {
		char *e = idp_b64url_encode(a, raw, len);
		unsigned char *d;
		size_t n;

		ck_assert_uint_eq(strlen(e), IDP_B64URL_LEN(len));
		ck_assert_uint_eq(strspn(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh"
		    "ijklmnopqrstuvwxyz0123456789-_"), strlen(e));
		d = idp_b64url_decode(a, e, strlen(e), &n);
		ck_assert_ptr_nonnull(d);
		ck_assert_uint_eq(n, len);
		if (len > 0)
			ck_assert_mem_eq(d, raw, len);
	}
}
END_TEST

static void
dec_bad(const char *in, size_t n)
{
	size_t len = 4242;

	ck_assert_msg(idp_b64url_decode(a, in, n, &len) == NULL,
	    "\"%s\" accepted", in);
	ck_assert_uint_eq(len, 4242);
}

START_TEST(decode_rejects_padding)
{
	dec_bad("Zg==", 4);
	dec_bad("Zm8=", 4);
	dec_bad("Zg=", 3);
	dec_bad("=", 1);
	dec_bad("Zm9v====", 8);
}
END_TEST

START_TEST(decode_rejects_standard_alphabet)
{
	dec_bad("+_8", 3);
	dec_bad("-/8", 3);
	dec_bad("Zm9v+A", 6);
	dec_bad("Zm9v/A", 6);
}
END_TEST

START_TEST(decode_rejects_whitespace_and_junk)
{
	dec_bad("Zm 9v", 5);
	dec_bad(" Zm9v", 5);
	dec_bad("Zm9v ", 5);
	dec_bad("Zm9v\n", 5);
	dec_bad("Zm9\tv", 5);
	dec_bad("Zm9v\r\nYg", 8);
	dec_bad("Zm.v", 4);
	dec_bad("Zm*v", 4);
	dec_bad("Zm\xc3\xa9", 4);
	dec_bad("Zm\0v", 4);	/* NUL inside n */
}
END_TEST

START_TEST(decode_rejects_length_1_mod_4)
{
	dec_bad("Z", 1);
	dec_bad("Zm9vY", 5);
	dec_bad("Zm9vYmFyZ", 9);
}
END_TEST

START_TEST(decode_rejects_nonzero_trailing_bits)
{
	/* "Zg" is the only encoding of "f": 'h' sets a bit past the byte. */
	dec_bad("Zh", 2);
	dec_bad("Zv", 2);
	dec_bad("Zm9", 3);	/* "Zm8" is the canonical "fo" */
	dec_bad("Zm9vYh", 6);
	dec_bad("Zm9vYmF", 7);	/* "Zm9vYmE" is canonical */
}
END_TEST

START_TEST(decode_empty)
{
	size_t n = 1;
	unsigned char *d = idp_b64url_decode(a, "", 0, &n);

	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(d[0], '\0');
}
END_TEST

START_TEST(decode_honours_n)
{
	size_t n = 0;
	unsigned char *d = idp_b64url_decode(a, "Zm9vYmFy!!!!", 8, &n);

	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(n, 6);
	ck_assert_mem_eq(d, "foobar", 6);
}
END_TEST

/* ---- standard alphabet with padding (HTTP Basic) ---- */

static void
std_ok(const char *in, const void *want, size_t wantlen)
{
	size_t n = 999;
	unsigned char *d = idp_b64_decode(a, in, strlen(in), &n);

	ck_assert_msg(d != NULL, "\"%s\" refused", in);
	ck_assert_uint_eq(n, wantlen);
	if (wantlen)
		ck_assert_mem_eq(d, want, wantlen);
}

static void
std_bad(const char *in)
{
	size_t n = 0;

	ck_assert_msg(idp_b64_decode(a, in, strlen(in), &n) == NULL,
	    "\"%s\" accepted", in);
}

START_TEST(std_decodes_padded)
{
	static const unsigned char mix[2] = { 0xfb, 0xff };

	std_ok("", "", 0);
	std_ok("Zg==", "f", 1);
	std_ok("Zm8=", "fo", 2);
	std_ok("Zm9v", "foo", 3);
	std_ok("Zm9vYmFy", "foobar", 6);
	std_ok("+/8=", mix, 2);
	/* client_id:secret as a client sends it */
	std_ok("cnAxOnMzY3JldA==", "rp1:s3cret", 10);
}
END_TEST

START_TEST(std_rejects_bad_input)
{
	std_bad("Zg");		/* padding is required */
	std_bad("Zg=");
	std_bad("Zm9vYg");
	std_bad("-_8=");	/* URL alphabet is not standard base64 */
	std_bad("Zg=a");
	std_bad("Z===");
	std_bad("====");
	std_bad("Zm9v====");
	std_bad("Zh==");	/* non-zero trailing bits */
	std_bad("Zm 9v");
	std_bad("Zm9v\n");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_b64url");
	TCase *tc = unit_tcase(s, "b64url");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, encode_rfc4648_vectors);
	tcase_add_test(tc, decode_rfc4648_vectors);
	tcase_add_test(tc, url_alphabet);
	tcase_add_test(tc, round_trip_all_bytes);
	tcase_add_test(tc, decode_rejects_padding);
	tcase_add_test(tc, decode_rejects_standard_alphabet);
	tcase_add_test(tc, decode_rejects_whitespace_and_junk);
	tcase_add_test(tc, decode_rejects_length_1_mod_4);
	tcase_add_test(tc, decode_rejects_nonzero_trailing_bits);
	tcase_add_test(tc, decode_empty);
	tcase_add_test(tc, decode_honours_n);
	tcase_add_test(tc, std_decodes_padded);
	tcase_add_test(tc, std_rejects_bad_input);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/random.h"
#include "crypto/totp.h"

static const EVP_MD *
md_of(enum idp_otp_hash h)
{
	switch (h) {
	case IDP_OTP_SHA256:
		return EVP_sha256();
	case IDP_OTP_SHA512:
		return EVP_sha512();
	case IDP_OTP_SHA1:
		break;
	}
	return EVP_sha1();
}

int
idp_hotp(enum idp_otp_hash h, const unsigned char *key, size_t keylen,
    uint64_t counter, int digits, uint32_t *code)
{
	static const uint32_t mod[] = { 1000000, 10000000, 100000000 };
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	unsigned off;
	uint32_t bin;

	if (key == NULL || keylen == 0 || digits < 6 || digits > 8)
		return -1;
	for (int i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(counter & 0xff);
		counter >>= 8;
	}
	if (HMAC(md_of(h), key, (int)keylen, msg, sizeof(msg), mac,
	    &maclen) == NULL || maclen < 20)
		return -1;
	/* §5.3 dynamic truncation. */
	off = mac[maclen - 1] & 0x0f;
	bin = (uint32_t)(mac[off] & 0x7f) << 24 |
	    (uint32_t)mac[off + 1] << 16 | (uint32_t)mac[off + 2] << 8 |
	    (uint32_t)mac[off + 3];
	*code = bin % mod[digits - 6];
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

int64_t
idp_totp_step(int64_t t)
{
	return t < 0 ? -1 : t / IDP_TOTP_PERIOD;
}

int64_t
idp_totp_match(const unsigned char *key, size_t keylen, int64_t now,
    uint32_t code, int64_t last_step)
{
	int64_t step = idp_totp_step(now), found = -1;

	if (step < 0)
		return -1;
	for (int64_t s = step - IDP_TOTP_WINDOW; s <= step + IDP_TOTP_WINDOW;
	    s++) {
		uint32_t c = 0;
		int ok = s >= 0 && idp_hotp(IDP_OTP_SHA1, key, keylen,
		    (uint64_t)s, IDP_TOTP_DIGITS, &c) == 0;
		uint32_t diff = c ^ code;

		/* No early exit; the latest matching step wins. */
		if (ok && diff == 0 && s > last_step)
			found = s;
	}
	return found;
}

int
idp_totp_parse(const char *s, uint32_t *code)
{
	uint32_t v = 0;
	int digits = 0;
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 32)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ')
			continue;
		if (s[i] < '0' || s[i] > '9' || ++digits > IDP_TOTP_DIGITS)
			return -1;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (digits != IDP_TOTP_DIGITS)
		return -1;
	*code = v;
	return 0;
}

char *
idp_base32_encode(struct idp_arena *a, const void *in, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	const unsigned char *p = in;
	char *out = idp_arena_alloc(a, (n * 8 + 4) / 5 + 1);
	size_t o = 0;
	unsigned buf = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		buf = (buf << 8 | p[i]) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			out[o++] = abc[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = abc[(buf << (5 - bits)) & 31];
	out[o] = '\0';
	return out;
}

/* 31 letters and digits nobody misreads over the phone or on paper (no
 * i, l, o, 0, 1): 10 of them are 49 bits. */
static const char recovery_abc[] = "abcdefghjkmnpqrstuvwxyz23456789";

void
idp_recovery_new(char out[IDP_RECOVERY_SHOWN])
{
	unsigned char r[IDP_RECOVERY_CHARS];
	int o = 0;

	if (idp_random_bytes(r, sizeof(r)) != 0)
		abort();	/* no CSPRNG: nothing can be issued safely */
	for (int i = 0; i < IDP_RECOVERY_CHARS; i++) {
		if (i == 5)
			out[o++] = '-';
		out[o++] = recovery_abc[r[i] % (sizeof(recovery_abc) - 1)];
	}
	out[o] = '\0';
	OPENSSL_cleanse(r, sizeof(r));
}

int
idp_recovery_parse(const char *s, char out[IDP_RECOVERY_CHARS + 1])
{
	int o = 0;
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 40)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == ' ' || ch == '-')
			continue;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (strchr(recovery_abc, ch) == NULL || o == IDP_RECOVERY_CHARS)
			return -1;
		out[o++] = ch;
	}
	if (o != IDP_RECOVERY_CHARS)
		return -1;
	out[o] = '\0';
	return 0;
}

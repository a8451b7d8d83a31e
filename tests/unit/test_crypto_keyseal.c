/* crypto/keyseal: the key-encryption key file, AES-256-GCM sealing of
 * signing keys (wrong KEK, a changed byte anywhere, another kid as
 * additional data), and the Ed25519 keys they seal (RFC 8037 vectors). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/b64url.h"
#include "crypto/keyseal.h"
#include "unit.h"

static const char hex_kek[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static struct idp_kek
kek_of(unsigned char fill)
{
	unsigned char raw[IDP_KEK_LEN];
	struct idp_kek k;

	memset(raw, fill, sizeof(raw));
	ck_assert_int_eq(idp_kek_parse(raw, sizeof(raw), &k), 0);
	return k;
}

START_TEST(kek_formats)
{
	unsigned char raw[IDP_KEK_LEN];
	struct idp_kek a, b;
	char line[80];

	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)i;
	ck_assert_int_eq(idp_kek_parse(raw, sizeof(raw), &a), 0);
	ck_assert_int_eq(idp_kek_parse((const unsigned char *)hex_kek,
	    strlen(hex_kek), &b), 0);
	ck_assert_mem_eq(a.key, b.key, IDP_KEK_LEN);
	ck_assert_str_eq(a.id, b.id);
	ck_assert_uint_eq(strlen(a.id), IDP_KEK_ID_LEN);
	snprintf(line, sizeof(line), "%s\n", hex_kek);
	ck_assert_int_eq(idp_kek_parse((const unsigned char *)line,
	    strlen(line), &b), 0);
	ck_assert_str_eq(a.id, b.id);
	/* Short, long, not hex, a space: refused. */
	ck_assert_int_eq(idp_kek_parse(raw, 31, &b), -1);
	ck_assert_int_eq(idp_kek_parse((const unsigned char *)hex_kek, 63,
	    &b), -1);
	snprintf(line, sizeof(line), "%s00", hex_kek);
	ck_assert_int_eq(idp_kek_parse((const unsigned char *)line,
	    strlen(line), &b), -1);
	snprintf(line, sizeof(line), "%s", hex_kek);
	line[5] = 'g';
	ck_assert_int_eq(idp_kek_parse((const unsigned char *)line,
	    strlen(line), &b), -1);
	line[5] = ' ';
	ck_assert_int_eq(idp_kek_parse((const unsigned char *)line,
	    strlen(line), &b), -1);
	/* Another key, another id. */
	b = kek_of(7);
	ck_assert_str_ne(a.id, b.id);
}
END_TEST

START_TEST(kek_file)
{
	char dir[256], path[512], why[512];
	struct idp_kek k;
	FILE *f;

	unit_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/kek", dir);
	ck_assert_int_eq(idp_kek_load(path, true, &k, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "cannot open"));
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", hex_kek);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(idp_kek_load(path, true, &k, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "chmod 600"));
	/* A systemd credential: systemd restricts it, maybe with an ACL. */
	ck_assert_int_eq(idp_kek_load(path, false, &k, why, sizeof(why)), 0);
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(idp_kek_load(path, true, &k, why, sizeof(why)), 0);
	f = fopen(path, "w");
	fprintf(f, "not a key\n");
	fclose(f);
	ck_assert_int_eq(idp_kek_load(path, true, &k, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "does not hold"));
	unit_rmtree(dir);
}
END_TEST

START_TEST(seal_round_trip_and_refusals)
{
	static const unsigned char msg[] = "a private key, in PKCS#8";
	struct idp_kek k = kek_of(1), other = kek_of(2);
	unsigned char *blob = NULL, *blob2 = NULL, *pt = NULL;
	size_t n = 0, n2 = 0, ptn = 0;

	ck_assert_int_eq(idp_seal(&k, "kid-one", msg, sizeof(msg), &blob, &n),
	    0);
	ck_assert_uint_eq(n, sizeof(msg) + IDP_SEAL_OVERHEAD);
	ck_assert_int_eq(idp_unseal(&k, "kid-one", blob, n, &pt, &ptn), 0);
	ck_assert_uint_eq(ptn, sizeof(msg));
	ck_assert_mem_eq(pt, msg, sizeof(msg));
	idp_unseal_free(pt, ptn);
	/* A fresh nonce each time: the same key seals differently. */
	ck_assert_int_eq(idp_seal(&k, "kid-one", msg, sizeof(msg), &blob2,
	    &n2), 0);
	ck_assert_uint_eq(n, n2);
	ck_assert(memcmp(blob, blob2, n) != 0);
	/* The wrong KEK, another kid (the additional data), no kid. */
	ck_assert_int_eq(idp_unseal(&other, "kid-one", blob, n, &pt, &ptn), -1);
	ck_assert_int_eq(idp_unseal(&k, "kid-two", blob, n, &pt, &ptn), -1);
	ck_assert_int_eq(idp_unseal(&k, "kid-on", blob, n, &pt, &ptn), -1);
	ck_assert_int_eq(idp_unseal(&k, NULL, blob, n, &pt, &ptn), -1);
	/* Every byte matters: version, nonce, ciphertext and tag. */
	for (size_t i = 0; i < n; i++) {
		blob[i] ^= 0x01;
		ck_assert_msg(idp_unseal(&k, "kid-one", blob, n, &pt, &ptn)
		    == -1, "byte %zu changed and still opened", i);
		blob[i] ^= 0x01;
	}
	/* Cut short, cut to the overhead, nothing. */
	ck_assert_int_eq(idp_unseal(&k, "kid-one", blob, n - 1, &pt, &ptn), -1);
	ck_assert_int_eq(idp_unseal(&k, "kid-one", blob, IDP_SEAL_OVERHEAD,
	    &pt, &ptn), -1);
	ck_assert_int_eq(idp_unseal(&k, "kid-one", blob, 0, &pt, &ptn), -1);
	ck_assert_int_eq(idp_seal(&k, "kid-one", msg, 0, &blob2, &n2), -1);
	free(blob);
	free(blob2);
}
END_TEST

START_TEST(sealed_keys_of_every_alg)
{
	struct idp_kek k = kek_of(3), other = kek_of(4);

	for (size_t i = 0; i < IDP_ALG_COUNT; i++) {
		enum idp_alg alg = idp_algs_all[i];
		struct idp_key *key = NULL, *back = NULL, *twin = NULL;
		unsigned char *blob = NULL, sig[IDP_SIG_MAX];
		size_t n = 0, siglen = sizeof(sig);

		ck_assert_int_eq(idp_key_generate(alg, 2048, &key), 0);
		ck_assert_int_eq(idp_key_seal(&k, key, &blob, &n), 0);
		ck_assert_int_eq(idp_key_unseal(&k, idp_key_kid(key), alg, blob,
		    n, &back), 0);
		ck_assert_str_eq(idp_key_kid(back), idp_key_kid(key));
		/* The opened key signs; the original verifies. */
		ck_assert_int_eq(idp_key_sign(back, "m", 1, sig, &siglen), 0);
		ck_assert_int_eq(idp_key_verify(key, alg, "m", 1, sig, siglen),
		    0);
		ck_assert_int_eq(idp_key_unseal(&other, idp_key_kid(key), alg,
		    blob, n, &twin), -1);
		ck_assert_int_eq(idp_key_unseal(&k, "another-kid-entirely",
		    alg, blob, n, &twin), -1);
		/* A key that does not fit the row's algorithm. */
		if (alg != IDP_ALG_RS256 && alg != IDP_ALG_PS256)
			ck_assert_int_eq(idp_key_unseal(&k, idp_key_kid(key),
			    IDP_ALG_RS256, blob, n, &twin), -1);
		free(blob);
		idp_key_free(key);
		idp_key_free(back);
	}
}
END_TEST

/* RFC 8037 appendix A: the Ed25519 key, its thumbprint and a JWS. */
static const char rfc8037_d[] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
static const char rfc8037_x[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
static const char rfc8037_jws[] = "eyJhbGciOiJFZERTQSJ9."
    "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9"
    "g7sVvpAr_MuM0KAg";

START_TEST(ed25519_rfc8037)
{
	/* PKCS#8 of an Ed25519 key (RFC 8410): this prefix, then d. */
	static const unsigned char p8[16] = { 0x30, 0x2e, 0x02, 0x01, 0x00,
	    0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20 };
	struct idp_arena *a = idp_arena_new(4096);
	unsigned char der[48], *d, sig[IDP_SIG_MAX];
	struct idp_key *k = NULL, *pub = NULL;
	size_t n, siglen = sizeof(sig);
	const char *dot2 = strrchr(rfc8037_jws, '.');
	json_t *jwk;

	d = idp_b64url_decode(a, rfc8037_d, strlen(rfc8037_d), &n);
	ck_assert_uint_eq(n, 32);
	memcpy(der, p8, sizeof(p8));
	memcpy(der + sizeof(p8), d, 32);
	ck_assert_int_eq(idp_key_from_der(der, sizeof(der), IDP_ALG_EDDSA, &k),
	    0);
	ck_assert_str_eq(idp_key_kty(k), "OKP");
	/* A.3: the thumbprint, which is the kid. */
	ck_assert_str_eq(idp_key_kid(k),
	    "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
	jwk = idp_key_public_jwk(k);
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "x")),
	    rfc8037_x);
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "crv")),
	    "Ed25519");
	ck_assert_ptr_null(json_object_get(jwk, "d"));
	/* A.4: Ed25519 is deterministic, so the signature is the RFC's. */
	ck_assert_int_eq(idp_key_sign(k, rfc8037_jws, (size_t)(dot2 -
	    rfc8037_jws), sig, &siglen), 0);
	ck_assert_str_eq(idp_b64url_encode(a, sig, siglen), dot2 + 1);
	/* A.5: the public JWK verifies it (the JWS parser wants a JSON
	 * payload, the RFC's is text: verify the signing input directly). */
	ck_assert_int_eq(idp_key_from_jwk(jwk, &pub), 0);
	ck_assert_int_eq(idp_key_verify(pub, IDP_ALG_EDDSA, rfc8037_jws,
	    (size_t)(dot2 - rfc8037_jws), sig, siglen), 0);
	/* The key decides the family: not as ES256. */
	ck_assert_int_ne(idp_key_verify(pub, IDP_ALG_ES256, rfc8037_jws,
	    (size_t)(dot2 - rfc8037_jws), sig, siglen), 0);
	sig[0] ^= 1;
	ck_assert_int_ne(idp_key_verify(pub, IDP_ALG_EDDSA, rfc8037_jws,
	    (size_t)(dot2 - rfc8037_jws), sig, siglen), 0);
	/* Trailing bytes after the PKCS#8 structure are refused. */
	{
		unsigned char longer[49];
		struct idp_key *junk = NULL;

		memcpy(longer, der, sizeof(der));
		longer[48] = 0;
		ck_assert_int_eq(idp_key_from_der(longer, sizeof(longer),
		    IDP_ALG_EDDSA, &junk), -1);
		ck_assert_int_eq(idp_key_from_der(der, sizeof(der),
		    IDP_ALG_RS256, &junk), -1);
	}
	json_decref(jwk);
	idp_key_free(k);
	idp_key_free(pub);
	idp_arena_free(a);
}
END_TEST

/* A TOTP key opens for its person only: another user id (a row copied to
 * someone else), another KEK, a changed byte, a truncated blob and the
 * signing-key form of the same bytes are refused. */
START_TEST(totp_keys_bound_to_the_person)
{
	struct idp_kek k = kek_of(1), other = kek_of(2);
	unsigned char key[20], *blob = NULL, *pt = NULL;
	size_t n = 0, ptn = 0;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(0x30 + i);
	ck_assert_int_eq(idp_totp_key_seal(&k, 42, key, sizeof(key), &blob,
	    &n), 0);
	ck_assert_uint_eq(n, sizeof(key) + IDP_SEAL_OVERHEAD);
	ck_assert_ptr_null(memmem(blob, n, key, sizeof(key)));
	ck_assert_int_eq(idp_totp_key_unseal(&k, 42, blob, n, &pt, &ptn), 0);
	ck_assert_uint_eq(ptn, sizeof(key));
	ck_assert_mem_eq(pt, key, sizeof(key));
	idp_unseal_free(pt, ptn);
	pt = NULL;
	ck_assert_int_eq(idp_totp_key_unseal(&k, 43, blob, n, &pt, &ptn), -1);
	ck_assert_int_eq(idp_totp_key_unseal(&k, 4, blob, n, &pt, &ptn), -1);
	ck_assert_int_eq(idp_totp_key_unseal(&k, 420, blob, n, &pt, &ptn),
	    -1);
	ck_assert_int_eq(idp_totp_key_unseal(&other, 42, blob, n, &pt, &ptn),
	    -1);
	ck_assert_int_eq(idp_unseal(&k, "totp:43", blob, n, &pt, &ptn), -1);
	ck_assert_int_eq(idp_unseal(&k, "totp:42", blob, n, &pt, &ptn), 0);
	idp_unseal_free(pt, ptn);
	pt = NULL;
	ck_assert_int_eq(idp_totp_key_unseal(&k, 42, blob, n - 1, &pt, &ptn),
	    -1);
	for (size_t i = 0; i < n; i++) {
		blob[i] ^= 0x01;
		ck_assert_int_eq(idp_totp_key_unseal(&k, 42, blob, n, &pt,
		    &ptn), -1);
		blob[i] ^= 0x01;
	}
	ck_assert_ptr_null(pt);
	/* No person 0 or below: nothing is sealed for a row without one. */
	ck_assert_int_eq(idp_totp_key_unseal(&k, 0, blob, n, &pt, &ptn), -1);
	free(blob);
	blob = NULL;
	ck_assert_int_eq(idp_totp_key_seal(&k, 0, key, sizeof(key), &blob,
	    &n), -1);
	ck_assert_int_eq(idp_totp_key_seal(&k, -1, key, sizeof(key), &blob,
	    &n), -1);
	ck_assert_int_eq(idp_totp_key_seal(&k, 7, key, 0, &blob, &n), -1);
	ck_assert_ptr_null(blob);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_keyseal");
	TCase *tc = unit_tcase(s, "keyseal");

	tcase_add_test(tc, kek_formats);
	tcase_add_test(tc, kek_file);
	tcase_add_test(tc, seal_round_trip_and_refusals);
	tcase_add_test(tc, sealed_keys_of_every_alg);
	tcase_add_test(tc, ed25519_rfc8037);
	tcase_add_test(tc, totp_keys_bound_to_the_person);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

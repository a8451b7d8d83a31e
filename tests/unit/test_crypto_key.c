/* crypto/key: generation, files (mode 0600, no overwrite, refuse readable
 * files), kid = RFC 7638 thumbprint, public JWK export, sign/verify, and
 * the refusals of idp_key_from_jwk. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "crypto/b64url.h"
#include "crypto/key.h"
#include "unit.h"

/* RFC 7638 §3.1: the example key and its thumbprint. */
#define RFC7638_N "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4" \
	"cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn6" \
	"4tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY3" \
	"68QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyr" \
	"dkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-cs" \
	"FCur-kEgU8awapJzKnqDKgw"
#define RFC7638_KID "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

static char dir[256];

static void
tmp_setup(void)
{
	unit_tmpdir(dir, sizeof(dir));
}

static void
tmp_teardown(void)
{
	unit_rmtree(dir);
}

static struct idp_key *
gen(enum idp_alg alg)
{
	struct idp_key *k = NULL;

	ck_assert_int_eq(idp_key_generate(alg, 2048, &k), 0);
	ck_assert_ptr_nonnull(k);
	return k;
}

/* base64url without padding, by OpenSSL's base64 and a character map:
 * independent of crypto/b64url.c. */
static void
ossl_b64url(const unsigned char *in, size_t n, char *out)
{
	int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);

	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (char *p = out; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
}

/* RFC 7638 §3.2: members in lexicographic order, no whitespace. */
static void
thumbprint(json_t *jwk, char out[64])
{
	char canon[2048];
	unsigned char d[SHA256_DIGEST_LENGTH];
	const char *kty = json_string_value(json_object_get(jwk, "kty"));

	ck_assert_ptr_nonnull(kty);
	if (strcmp(kty, "EC") == 0)
		snprintf(canon, sizeof(canon),
		    "{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
		    json_string_value(json_object_get(jwk, "crv")),
		    json_string_value(json_object_get(jwk, "x")),
		    json_string_value(json_object_get(jwk, "y")));
	else
		snprintf(canon, sizeof(canon),
		    "{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}",
		    json_string_value(json_object_get(jwk, "e")),
		    json_string_value(json_object_get(jwk, "n")));
	SHA256((const unsigned char *)canon, strlen(canon), d);
	ossl_b64url(d, sizeof(d), out);
}

static size_t
b64_len(json_t *jwk, const char *member)
{
	struct idp_arena *a = idp_arena_new(1024);
	const char *s = json_string_value(json_object_get(jwk, member));
	size_t n = 0;

	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(idp_b64url_decode(a, s, strlen(s), &n));
	idp_arena_free(a);
	return n;
}

static int
from_jwk_text(const char *text, struct idp_key **out)
{
	json_t *j = json_loads(text, 0, NULL);
	int rc;

	ck_assert_msg(j != NULL, "bad test JSON: %s", text);
	*out = NULL;
	rc = idp_key_from_jwk(j, out);
	json_decref(j);
	return rc;
}

/* ---- names and generation ---- */

START_TEST(alg_names)
{
	ck_assert_str_eq(idp_alg_name(IDP_ALG_RS256), "RS256");
	ck_assert_str_eq(idp_alg_name(IDP_ALG_ES256), "ES256");
	ck_assert_str_eq(idp_alg_name(IDP_ALG_PS256), "PS256");
	ck_assert_str_eq(idp_alg_name(IDP_ALG_NONE), "none");
	ck_assert_int_eq(idp_alg_parse("RS256"), IDP_ALG_RS256);
	ck_assert_int_eq(idp_alg_parse("ES256"), IDP_ALG_ES256);
	ck_assert_int_eq(idp_alg_parse("PS256"), IDP_ALG_PS256);
	ck_assert_int_eq(idp_alg_parse("none"), IDP_ALG_NONE);
	ck_assert_int_eq(idp_alg_parse("HS256"), IDP_ALG_NONE);
	ck_assert_int_eq(idp_alg_parse("rs256"), IDP_ALG_NONE);
	ck_assert_int_eq(idp_alg_parse("RS256 "), IDP_ALG_NONE);
	ck_assert_int_eq(idp_alg_parse("ES384"), IDP_ALG_NONE);
	ck_assert_int_eq(idp_alg_parse(""), IDP_ALG_NONE);
	ck_assert_int_eq(idp_alg_parse(NULL), IDP_ALG_NONE);
}
END_TEST

static void
check_generated(enum idp_alg alg, const char *kty)
{
	struct idp_key *k = gen(alg);
	const char *kid = idp_key_kid(k);

	ck_assert_int_eq(idp_key_alg(k), alg);
	ck_assert_str_eq(idp_key_kty(k), kty);
	ck_assert_uint_eq(strlen(kid), 43);	/* base64url of SHA-256 */
	ck_assert_uint_eq(strspn(kid, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijk"
	    "lmnopqrstuvwxyz0123456789-_"), 43);
	idp_key_free(k);
}

START_TEST(generate_each_alg)
{
	check_generated(IDP_ALG_ES256, "EC");
	check_generated(IDP_ALG_RS256, "RSA");
	check_generated(IDP_ALG_PS256, "RSA");
}
END_TEST

START_TEST(generate_fresh_keys_differ)
{
	struct idp_key *k1 = gen(IDP_ALG_ES256), *k2 = gen(IDP_ALG_ES256);

	ck_assert_str_ne(idp_key_kid(k1), idp_key_kid(k2));
	idp_key_free(k1);
	idp_key_free(k2);
}
END_TEST

START_TEST(generate_refuses_small_rsa_and_bad_alg)
{
	struct idp_key *k = NULL;

	ck_assert_int_eq(idp_key_generate(IDP_ALG_RS256, 1024, &k), -1);
	ck_assert_int_eq(idp_key_generate(IDP_ALG_RS256, 2047, &k), -1);
	ck_assert_int_eq(idp_key_generate(IDP_ALG_PS256, 1024, &k), -1);
	ck_assert_int_eq(idp_key_generate(IDP_ALG_RS256, 0, &k), -1);
	ck_assert_int_eq(idp_key_generate(IDP_ALG_RS256, -2048, &k), -1);
	ck_assert_int_eq(idp_key_generate(IDP_ALG_RS256, 8193, &k), -1);
	ck_assert_int_eq(idp_key_generate(IDP_ALG_NONE, 2048, &k), -1);
	ck_assert_ptr_null(k);
	idp_key_free(NULL);
}
END_TEST

/* ---- kid and JWK export ---- */

START_TEST(kid_is_rfc7638_thumbprint)
{
	static const enum idp_alg algs[] = { IDP_ALG_ES256, IDP_ALG_RS256 };

	for (size_t i = 0; i < 2; i++) {
		struct idp_key *k = gen(algs[i]);
		json_t *jwk = idp_key_public_jwk(k);
		char want[64];

		thumbprint(jwk, want);
		ck_assert_str_eq(idp_key_kid(k), want);
		json_decref(jwk);
		idp_key_free(k);
	}
}
END_TEST

START_TEST(rfc7638_example_thumbprint)
{
	struct idp_key *k = NULL;
	json_t *jwk;

	/* The example key without its "kid": the provider computes it. */
	ck_assert_int_eq(from_jwk_text("{\"kty\":\"RSA\",\"e\":\"AQAB\","
	    "\"alg\":\"RS256\",\"n\":\"" RFC7638_N "\"}", &k), 0);
	ck_assert_str_eq(idp_key_kid(k), RFC7638_KID);
	ck_assert_int_eq(idp_key_alg(k), IDP_ALG_RS256);
	/* The export carries the same n and e. */
	jwk = idp_key_public_jwk(k);
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "n")),
	    RFC7638_N);
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "e")), "AQAB");
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "kid")),
	    RFC7638_KID);
	json_decref(jwk);
	idp_key_free(k);
}
END_TEST

START_TEST(from_jwk_keeps_client_kid)
{
	struct idp_key *k = NULL;

	ck_assert_int_eq(from_jwk_text("{\"kty\":\"RSA\",\"e\":\"AQAB\","
	    "\"kid\":\"2011-04-29\",\"n\":\"" RFC7638_N "\"}", &k), 0);
	ck_assert_str_eq(idp_key_kid(k), "2011-04-29");
	/* The thumbprint (DPoP's jkt) is the key's, whatever its kid. */
	{
		char jkt[IDP_JKT_LEN + 1];

		ck_assert_int_eq(idp_key_thumbprint(k, jkt), 0);
		ck_assert_str_eq(jkt, RFC7638_KID);
	}
	idp_key_free(k);
}
END_TEST

static void
check_public_jwk(enum idp_alg alg)
{
	struct idp_key *k = gen(alg);
	json_t *jwk = idp_key_public_jwk(k);
	static const char *const priv[] = { "d", "p", "q", "dp", "dq", "qi",
	    "oth", "k", NULL };

	ck_assert_ptr_nonnull(jwk);
	for (size_t i = 0; priv[i]; i++)
		ck_assert_msg(json_object_get(jwk, priv[i]) == NULL,
		    "%s: public JWK has \"%s\"", idp_alg_name(alg), priv[i]);
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "kid")),
	    idp_key_kid(k));
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "alg")),
	    idp_alg_name(alg));
	ck_assert_str_eq(json_string_value(json_object_get(jwk, "use")), "sig");
	if (alg == IDP_ALG_EDDSA) {
		ck_assert_uint_eq(json_object_size(jwk), 6);
		ck_assert_str_eq(json_string_value(json_object_get(jwk, "kty")),
		    "OKP");
		ck_assert_str_eq(json_string_value(json_object_get(jwk, "crv")),
		    "Ed25519");
		ck_assert_uint_eq(b64_len(jwk, "x"), 32);
	} else if (alg == IDP_ALG_ES256) {
		ck_assert_uint_eq(json_object_size(jwk), 7);
		ck_assert_str_eq(json_string_value(json_object_get(jwk, "kty")),
		    "EC");
		ck_assert_str_eq(json_string_value(json_object_get(jwk, "crv")),
		    "P-256");
		ck_assert_uint_eq(b64_len(jwk, "x"), 32);
		ck_assert_uint_eq(b64_len(jwk, "y"), 32);
	} else {
		ck_assert_uint_eq(json_object_size(jwk), 6);
		ck_assert_str_eq(json_string_value(json_object_get(jwk, "kty")),
		    "RSA");
		ck_assert_str_eq(json_string_value(json_object_get(jwk, "e")),
		    "AQAB");
		ck_assert_uint_eq(b64_len(jwk, "n"), 256);
	}
	json_decref(jwk);
	idp_key_free(k);
}

START_TEST(public_jwk_has_no_private_members)
{
	check_public_jwk(IDP_ALG_ES256);
	check_public_jwk(IDP_ALG_RS256);
	check_public_jwk(IDP_ALG_PS256);
	check_public_jwk(IDP_ALG_EDDSA);
}
END_TEST

START_TEST(public_jwk_round_trips)
{
	static const enum idp_alg algs[] = { IDP_ALG_ES256, IDP_ALG_RS256,
	    IDP_ALG_PS256, IDP_ALG_EDDSA };

	for (size_t i = 0; i < 4; i++) {
		struct idp_key *k = gen(algs[i]), *pub = NULL;
		json_t *jwk = idp_key_public_jwk(k);
		unsigned char sig[IDP_SIG_MAX];
		size_t siglen = sizeof(sig);

		ck_assert_int_eq(idp_key_from_jwk(jwk, &pub), 0);
		ck_assert_str_eq(idp_key_kid(pub), idp_key_kid(k));
		ck_assert_int_eq(idp_key_alg(pub), algs[i]);
		/* The imported public key verifies the private key's work. */
		ck_assert_int_eq(idp_key_sign(k, "msg", 3, sig, &siglen), 0);
		ck_assert_int_eq(idp_key_verify(pub, algs[i], "msg", 3, sig,
		    siglen), 0);
		/* Without "kid" the import computes the same thumbprint. */
		json_object_del(jwk, "kid");
		idp_key_free(pub);
		pub = NULL;
		ck_assert_int_eq(idp_key_from_jwk(jwk, &pub), 0);
		ck_assert_str_eq(idp_key_kid(pub), idp_key_kid(k));
		idp_key_free(pub);
		json_decref(jwk);
		idp_key_free(k);
	}
}
END_TEST

/* ---- files ---- */

static void
slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	ck_assert_ptr_nonnull(f);
	got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
}

START_TEST(write_file_0600_and_load)
{
	struct idp_key *k = gen(IDP_ALG_ES256), *l = NULL;
	char path[512], why[256] = "";
	struct stat st;

	snprintf(path, sizeof(path), "%s/k.pem", dir);
	umask(0);	/* 0600 must not depend on the caller's umask */
	ck_assert_msg(idp_key_write_file(k, path, why, sizeof(why)) == 0,
	    "write: %s", why);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_msg(idp_key_load_file(path, IDP_ALG_ES256, &l, why,
	    sizeof(why)) == 0, "load: %s", why);
	ck_assert_str_eq(idp_key_kid(l), idp_key_kid(k));
	ck_assert_int_eq(idp_key_alg(l), IDP_ALG_ES256);
	idp_key_free(l);
	idp_key_free(k);
}
END_TEST

START_TEST(write_file_never_overwrites)
{
	struct idp_key *k1 = gen(IDP_ALG_ES256), *k2 = gen(IDP_ALG_ES256);
	struct idp_key *l = NULL;
	char path[512], why[256] = "", before[4096], after[4096];

	snprintf(path, sizeof(path), "%s/k.pem", dir);
	ck_assert_int_eq(idp_key_write_file(k1, path, why, sizeof(why)), 0);
	slurp(path, before, sizeof(before));
	ck_assert_int_eq(idp_key_write_file(k2, path, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, path));
	slurp(path, after, sizeof(after));
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(idp_key_load_file(path, IDP_ALG_ES256, &l, why,
	    sizeof(why)), 0);
	ck_assert_str_eq(idp_key_kid(l), idp_key_kid(k1));
	idp_key_free(l);
	idp_key_free(k1);
	idp_key_free(k2);
}
END_TEST

START_TEST(write_file_missing_dir)
{
	struct idp_key *k = gen(IDP_ALG_ES256);
	char path[512], why[256] = "";

	snprintf(path, sizeof(path), "%s/no/such/dir/k.pem", dir);
	ck_assert_int_eq(idp_key_write_file(k, path, why, sizeof(why)), -1);
	ck_assert_str_ne(why, "");
	idp_key_free(k);
}
END_TEST

START_TEST(load_refuses_readable_by_others)
{
	static const mode_t modes[] = { 0640, 0604, 0644, 0660, 0620, 0602,
	    0610, 0601 };
	struct idp_key *k = gen(IDP_ALG_ES256), *l = NULL;
	char path[512], why[512];

	snprintf(path, sizeof(path), "%s/k.pem", dir);
	ck_assert_int_eq(idp_key_write_file(k, path, why, sizeof(why)), 0);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ck_assert_int_eq(chmod(path, modes[i]), 0);
		why[0] = '\0';
		ck_assert_msg(idp_key_load_file(path, IDP_ALG_ES256, &l, why,
		    sizeof(why)) == -1, "mode %03o accepted", modes[i]);
		ck_assert_ptr_null(l);
		ck_assert_ptr_nonnull(strstr(why, "chmod 600"));
	}
	/* Owner-only modes are fine. */
	ck_assert_int_eq(chmod(path, 0400), 0);
	ck_assert_int_eq(idp_key_load_file(path, IDP_ALG_ES256, &l, why,
	    sizeof(why)), 0);
	idp_key_free(l);
	idp_key_free(k);
}
END_TEST

START_TEST(load_refuses_wrong_key_type)
{
	struct idp_key *ec = gen(IDP_ALG_ES256), *rsa = gen(IDP_ALG_RS256);
	struct idp_key *l = NULL;
	char pec[512], prsa[512], why[512];

	snprintf(pec, sizeof(pec), "%s/ec.pem", dir);
	snprintf(prsa, sizeof(prsa), "%s/rsa.pem", dir);
	ck_assert_int_eq(idp_key_write_file(ec, pec, why, sizeof(why)), 0);
	ck_assert_int_eq(idp_key_write_file(rsa, prsa, why, sizeof(why)), 0);
	ck_assert_int_eq(idp_key_load_file(pec, IDP_ALG_RS256, &l, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(idp_key_load_file(pec, IDP_ALG_PS256, &l, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(idp_key_load_file(prsa, IDP_ALG_ES256, &l, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(idp_key_load_file(prsa, IDP_ALG_NONE, &l, why,
	    sizeof(why)), -1);
	ck_assert_ptr_null(l);
	/* One RSA key serves RS256 and PS256. */
	ck_assert_int_eq(idp_key_load_file(prsa, IDP_ALG_PS256, &l, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(idp_key_alg(l), IDP_ALG_PS256);
	ck_assert_str_eq(idp_key_kid(l), idp_key_kid(rsa));
	idp_key_free(l);
	idp_key_free(ec);
	idp_key_free(rsa);
}
END_TEST

/* A private key PEM written by OpenSSL directly, mode 0600. */
static void
write_ossl_key(const char *path, EVP_PKEY *pk)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL,
	    NULL), 1);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(load_refuses_small_rsa_and_other_curves)
{
	EVP_PKEY *small = EVP_RSA_gen(1024), *p384 = EVP_EC_gen("P-384");
	struct idp_key *l = NULL;
	char p1[512], p2[512], why[512];

	ck_assert_ptr_nonnull(small);
	ck_assert_ptr_nonnull(p384);
	snprintf(p1, sizeof(p1), "%s/small.pem", dir);
	snprintf(p2, sizeof(p2), "%s/p384.pem", dir);
	write_ossl_key(p1, small);
	write_ossl_key(p2, p384);
	ck_assert_int_eq(idp_key_load_file(p1, IDP_ALG_RS256, &l, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(idp_key_load_file(p2, IDP_ALG_ES256, &l, why,
	    sizeof(why)), -1);
	ck_assert_ptr_null(l);
	EVP_PKEY_free(small);
	EVP_PKEY_free(p384);
}
END_TEST

START_TEST(load_refuses_missing_junk_and_dirs)
{
	struct idp_key *l = NULL;
	char path[512], why[512];

	snprintf(path, sizeof(path), "%s/missing.pem", dir);
	ck_assert_int_eq(idp_key_load_file(path, IDP_ALG_ES256, &l, why,
	    sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, path));

	snprintf(path, sizeof(path), "%s/junk.pem", dir);
	unit_write_file(path, "-----BEGIN PRIVATE KEY-----\nnope\n"
	    "-----END PRIVATE KEY-----\n", 0600);
	ck_assert_int_eq(idp_key_load_file(path, IDP_ALG_ES256, &l, why,
	    sizeof(why)), -1);

	snprintf(path, sizeof(path), "%s/empty.pem", dir);
	unit_write_file(path, "", 0600);
	ck_assert_int_eq(idp_key_load_file(path, IDP_ALG_ES256, &l, why,
	    sizeof(why)), -1);

	snprintf(path, sizeof(path), "%s/sub", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(idp_key_load_file(path, IDP_ALG_ES256, &l, why,
	    sizeof(why)), -1);
	ck_assert_ptr_null(l);
}
END_TEST

START_TEST(load_public_key_pem_refused)
{
	struct idp_key *k = gen(IDP_ALG_ES256), *l = NULL;
	char priv[512], pub[512], why[512];
	EVP_PKEY *pk;
	FILE *f;
	int fd;

	/* A public key file is not a signing key. */
	snprintf(priv, sizeof(priv), "%s/k.pem", dir);
	snprintf(pub, sizeof(pub), "%s/pub.pem", dir);
	ck_assert_int_eq(idp_key_write_file(k, priv, why, sizeof(why)), 0);
	f = fopen(priv, "r");
	pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(pk);
	fd = open(pub, O_WRONLY | O_CREAT | O_EXCL, 0600);
	f = fdopen(fd, "w");
	ck_assert_int_eq(PEM_write_PUBKEY(f, pk), 1);
	fclose(f);
	EVP_PKEY_free(pk);
	ck_assert_int_eq(idp_key_load_file(pub, IDP_ALG_ES256, &l, why,
	    sizeof(why)), -1);
	ck_assert_ptr_null(l);
	idp_key_free(k);
}
END_TEST

/* ---- sign and verify ---- */

static void
round_trip(enum idp_alg alg, size_t want_len)
{
	struct idp_key *k = gen(alg);
	unsigned char sig[IDP_SIG_MAX];
	size_t siglen = sizeof(sig);
	const char *msg = "eyJhbGciOiJ0ZXN0In0.eyJzdWIiOiJhbGljZSJ9";

	ck_assert_int_eq(idp_key_sign(k, msg, strlen(msg), sig, &siglen), 0);
	ck_assert_uint_eq(siglen, want_len);
	ck_assert_int_eq(idp_key_verify(k, alg, msg, strlen(msg), sig,
	    siglen), 0);
	idp_key_free(k);
}

START_TEST(sign_verify_round_trip)
{
	round_trip(IDP_ALG_ES256, 64);	/* raw R||S, not DER */
	round_trip(IDP_ALG_RS256, 256);
	round_trip(IDP_ALG_PS256, 256);
}
END_TEST

START_TEST(es256_signatures_are_fixed_size)
{
	struct idp_key *k = gen(IDP_ALG_ES256);

	/* DER lengths vary with leading zero bytes of R and S; the JWS form
	 * is always 64 bytes. Many messages make a short R or S likely. */
	for (int i = 0; i < 200; i++) {
		unsigned char sig[IDP_SIG_MAX];
		size_t siglen = sizeof(sig);
		char msg[16];

		snprintf(msg, sizeof(msg), "m%d", i);
		ck_assert_int_eq(idp_key_sign(k, msg, strlen(msg), sig,
		    &siglen), 0);
		ck_assert_uint_eq(siglen, 64);
		ck_assert_int_eq(idp_key_verify(k, IDP_ALG_ES256, msg,
		    strlen(msg), sig, siglen), 0);
	}
	idp_key_free(k);
}
END_TEST

START_TEST(sign_refuses_small_buffer)
{
	struct idp_key *k = gen(IDP_ALG_ES256), *r = gen(IDP_ALG_RS256);
	unsigned char sig[IDP_SIG_MAX];
	size_t siglen = 63;

	ck_assert_int_eq(idp_key_sign(k, "m", 1, sig, &siglen), -1);
	siglen = 255;
	ck_assert_int_eq(idp_key_sign(r, "m", 1, sig, &siglen), -1);
	idp_key_free(k);
	idp_key_free(r);
}
END_TEST

static void
tamper(enum idp_alg alg)
{
	struct idp_key *k = gen(alg), *other = gen(alg);
	unsigned char sig[IDP_SIG_MAX], bad[IDP_SIG_MAX];
	size_t siglen = sizeof(sig);
	char msg[] = "header.payload";

	ck_assert_int_eq(idp_key_sign(k, msg, strlen(msg), sig, &siglen), 0);
	/* data changed */
	msg[0] = 'H';
	ck_assert_int_eq(idp_key_verify(k, alg, msg, strlen(msg), sig,
	    siglen), -1);
	msg[0] = 'h';
	/* one extra byte of data */
	ck_assert_int_eq(idp_key_verify(k, alg, "header.payload.", 15, sig,
	    siglen), -1);
	/* each end of the signature flipped */
	memcpy(bad, sig, siglen);
	bad[0] ^= 0x01;
	ck_assert_int_eq(idp_key_verify(k, alg, msg, strlen(msg), bad,
	    siglen), -1);
	memcpy(bad, sig, siglen);
	bad[siglen - 1] ^= 0x80;
	ck_assert_int_eq(idp_key_verify(k, alg, msg, strlen(msg), bad,
	    siglen), -1);
	/* truncated, extended, empty */
	ck_assert_int_eq(idp_key_verify(k, alg, msg, strlen(msg), sig,
	    siglen - 1), -1);
	memcpy(bad, sig, siglen);
	bad[siglen] = 0;
	ck_assert_int_eq(idp_key_verify(k, alg, msg, strlen(msg), bad,
	    siglen + 1), -1);
	ck_assert_int_eq(idp_key_verify(k, alg, msg, strlen(msg), sig, 0), -1);
	/* another key of the same kind */
	ck_assert_int_eq(idp_key_verify(other, alg, msg, strlen(msg), sig,
	    siglen), -1);
	/* and the untouched signature still verifies */
	ck_assert_int_eq(idp_key_verify(k, alg, msg, strlen(msg), sig,
	    siglen), 0);
	idp_key_free(k);
	idp_key_free(other);
}

START_TEST(verify_fails_on_tampering)
{
	tamper(IDP_ALG_ES256);
	tamper(IDP_ALG_RS256);
	tamper(IDP_ALG_PS256);
}
END_TEST

START_TEST(verify_fails_on_wrong_alg_family)
{
	struct idp_key *ec = gen(IDP_ALG_ES256), *rs = gen(IDP_ALG_RS256);
	struct idp_key *ps = gen(IDP_ALG_PS256);
	unsigned char se[IDP_SIG_MAX], sr[IDP_SIG_MAX], sp[IDP_SIG_MAX];
	size_t le = sizeof(se), lr = sizeof(sr), lp = sizeof(sp);

	ck_assert_int_eq(idp_key_sign(ec, "m", 1, se, &le), 0);
	ck_assert_int_eq(idp_key_sign(rs, "m", 1, sr, &lr), 0);
	ck_assert_int_eq(idp_key_sign(ps, "m", 1, sp, &lp), 0);
	/* An EC key only does ES256 ... */
	ck_assert_int_eq(idp_key_verify(ec, IDP_ALG_RS256, "m", 1, se, le), -1);
	ck_assert_int_eq(idp_key_verify(ec, IDP_ALG_PS256, "m", 1, se, le), -1);
	ck_assert_int_eq(idp_key_verify(ec, IDP_ALG_NONE, "m", 1, se, le), -1);
	/* ... an RSA key never does ES256 or none ... */
	ck_assert_int_eq(idp_key_verify(rs, IDP_ALG_ES256, "m", 1, sr, lr), -1);
	ck_assert_int_eq(idp_key_verify(rs, IDP_ALG_NONE, "m", 1, sr, lr), -1);
	/* ... and PKCS#1 v1.5 and PSS signatures are not interchangeable. */
	ck_assert_int_eq(idp_key_verify(rs, IDP_ALG_PS256, "m", 1, sr, lr), -1);
	ck_assert_int_eq(idp_key_verify(ps, IDP_ALG_RS256, "m", 1, sp, lp), -1);
	ck_assert_int_eq(idp_key_verify(ps, IDP_ALG_PS256, "m", 1, sp, lp), 0);
	idp_key_free(ec);
	idp_key_free(rs);
	idp_key_free(ps);
}
END_TEST

/* ---- idp_key_from_jwk refusals ---- */

static char ec_x[64], ec_y[64];

static void
ec_xy(void)
{
	struct idp_key *k = gen(IDP_ALG_ES256);
	json_t *jwk = idp_key_public_jwk(k);

	snprintf(ec_x, sizeof(ec_x), "%s",
	    json_string_value(json_object_get(jwk, "x")));
	snprintf(ec_y, sizeof(ec_y), "%s",
	    json_string_value(json_object_get(jwk, "y")));
	json_decref(jwk);
	idp_key_free(k);
}

static void
jwk_bad(const char *text)
{
	struct idp_key *k = NULL;

	ck_assert_msg(from_jwk_text(text, &k) == -1, "accepted: %s", text);
	ck_assert_ptr_null(k);
}

static void
jwk_good(const char *text, enum idp_alg want)
{
	struct idp_key *k = NULL;

	ck_assert_msg(from_jwk_text(text, &k) == 0, "refused: %s", text);
	ck_assert_int_eq(idp_key_alg(k), want);
	idp_key_free(k);
}

START_TEST(from_jwk_accepts_ec)
{
	char t[512];

	ec_xy();
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
	    "\"y\":\"%s\"}", ec_x, ec_y);
	jwk_good(t, IDP_ALG_ES256);
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
	    "\"y\":\"%s\",\"use\":\"sig\",\"alg\":\"ES256\"}", ec_x, ec_y);
	jwk_good(t, IDP_ALG_ES256);
}
END_TEST

START_TEST(from_jwk_accepts_rsa_algs)
{
	jwk_good("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" RFC7638_N "\"}",
	    IDP_ALG_RS256);
	jwk_good("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"alg\":\"PS256\",\"n\":\""
	    RFC7638_N "\"}", IDP_ALG_PS256);
}
END_TEST

START_TEST(from_jwk_refuses_private_members)
{
	char t[512];

	ec_xy();
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
	    "\"y\":\"%s\",\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-"
	    "E9LI\"}", ec_x, ec_y);
	jwk_bad(t);
	jwk_bad("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"d\":\"AQAB\",\"n\":\""
	    RFC7638_N "\"}");
}
END_TEST

START_TEST(from_jwk_refuses_unknown_kty_and_crv)
{
	char t[512];

	ec_xy();
	jwk_bad("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}");
	jwk_bad("{\"kty\":\"OKP\",\"crv\":\"Ed448\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
	jwk_bad("{\"kty\":\"OKP\",\"crv\":\"X25519\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
	jwk_bad("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}");
	jwk_bad("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"alg\":\"ES256\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
	jwk_bad("{\"kty\":\"rsa\",\"e\":\"AQAB\",\"n\":\"" RFC7638_N "\"}");
	jwk_bad("{\"e\":\"AQAB\",\"n\":\"" RFC7638_N "\"}");
	jwk_bad("{\"kty\":7,\"e\":\"AQAB\",\"n\":\"" RFC7638_N "\"}");
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"%s\","
	    "\"y\":\"%s\"}", ec_x, ec_y);
	jwk_bad(t);
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"secp256k1\","
	    "\"x\":\"%s\",\"y\":\"%s\"}", ec_x, ec_y);
	jwk_bad(t);
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
	    ec_x, ec_y);
	jwk_bad(t);
}
END_TEST

START_TEST(from_jwk_refuses_bad_base64)
{
	char t[512];

	ec_xy();
	/* padding, standard alphabet, whitespace in x */
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"%s=\",\"y\":\"%s\"}", ec_x, ec_y);
	jwk_bad(t);
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"+%s\",\"y\":\"%s\"}", ec_x + 1, ec_y);
	jwk_bad(t);
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
	    "\"y\":\" %s\"}", ec_x, ec_y + 1);
	jwk_bad(t);
	/* x of 31 bytes */
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
	    "\"y\":\"%s\"}", ec_y);
	jwk_bad(t);
	/* x missing, y not a string */
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"y\":\"%s\"}", ec_y);
	jwk_bad(t);
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"%s\",\"y\":1}", ec_x);
	jwk_bad(t);
	jwk_bad("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" RFC7638_N "==\"}");
	jwk_bad("{\"kty\":\"RSA\",\"e\":\"AQAB=\",\"n\":\"" RFC7638_N "\"}");
	jwk_bad("{\"kty\":\"RSA\",\"e\":\"\",\"n\":\"" RFC7638_N "\"}");
	jwk_bad("{\"kty\":\"RSA\",\"e\":\"AQAB\"}");
	jwk_bad("{\"kty\":\"RSA\",\"n\":\"" RFC7638_N "\"}");
}
END_TEST

START_TEST(from_jwk_refuses_off_curve_point)
{
	unsigned char one[32] = { 0 };
	struct idp_arena *a = idp_arena_new(1024);
	const char *b;
	char t[512];

	/* (1, 1) is not on P-256: 1 != 1 - 3 + b. */
	one[31] = 1;
	b = idp_b64url_encode(a, one, 32);
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
	    "\"y\":\"%s\"}", b, b);
	jwk_bad(t);
	/* A real x with a y of another point's. */
	ec_xy();
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
	    "\"y\":\"%s\"}", ec_x, b);
	jwk_bad(t);
	/* All zero: the point at infinity has no affine form. */
	memset(one, 0, sizeof(one));
	b = idp_b64url_encode(a, one, 32);
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
	    "\"y\":\"%s\"}", b, b);
	jwk_bad(t);
	idp_arena_free(a);
}
END_TEST

START_TEST(from_jwk_refuses_small_rsa)
{
	EVP_PKEY *pk = EVP_RSA_gen(1024);
	BIGNUM *n = NULL;
	unsigned char raw[128];
	char b[256], t[512];

	ck_assert_ptr_nonnull(pk);
	ck_assert_int_eq(EVP_PKEY_get_bn_param(pk, "n", &n), 1);
	ck_assert_int_eq(BN_bn2binpad(n, raw, sizeof(raw)), 128);
	ossl_b64url(raw, sizeof(raw), b);
	snprintf(t, sizeof(t), "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"%s\"}",
	    b);
	jwk_bad(t);
	BN_free(n);
	EVP_PKEY_free(pk);
}
END_TEST

START_TEST(from_jwk_refuses_mismatched_use_and_alg)
{
	char t[512];

	ec_xy();
	jwk_bad("{\"kty\":\"RSA\",\"use\":\"enc\",\"e\":\"AQAB\",\"n\":\""
	    RFC7638_N "\"}");
	jwk_bad("{\"kty\":\"RSA\",\"alg\":\"ES256\",\"e\":\"AQAB\",\"n\":\""
	    RFC7638_N "\"}");
	jwk_bad("{\"kty\":\"RSA\",\"alg\":\"HS256\",\"e\":\"AQAB\",\"n\":\""
	    RFC7638_N "\"}");
	jwk_bad("{\"kty\":\"RSA\",\"alg\":\"none\",\"e\":\"AQAB\",\"n\":\""
	    RFC7638_N "\"}");
	jwk_bad("{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP\",\"e\":\"AQAB\","
	    "\"n\":\"" RFC7638_N "\"}");
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
	    "\"y\":\"%s\",\"alg\":\"RS256\"}", ec_x, ec_y);
	jwk_bad(t);
	snprintf(t, sizeof(t), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
	    "\"y\":\"%s\",\"use\":\"enc\"}", ec_x, ec_y);
	jwk_bad(t);
}
END_TEST

START_TEST(from_jwk_refuses_non_objects_and_long_kid)
{
	struct idp_key *k = NULL;
	json_t *j = json_string("{\"kty\":\"RSA\"}");
	char kid[70], t[1024];

	ck_assert_int_eq(idp_key_from_jwk(j, &k), -1);
	json_decref(j);
	j = json_array();
	ck_assert_int_eq(idp_key_from_jwk(j, &k), -1);
	json_decref(j);
	ck_assert_int_eq(idp_key_from_jwk(NULL, &k), -1);
	ck_assert_ptr_null(k);
	/* A kid must fit IDP_KID_MAX with its NUL: 63 is the longest. */
	memset(kid, 'k', 63);
	kid[63] = '\0';
	snprintf(t, sizeof(t), "{\"kty\":\"RSA\",\"kid\":\"%s\",\"e\":\"AQAB\","
	    "\"n\":\"" RFC7638_N "\"}", kid);
	jwk_good(t, IDP_ALG_RS256);
	memset(kid, 'k', 64);
	kid[64] = '\0';
	snprintf(t, sizeof(t), "{\"kty\":\"RSA\",\"kid\":\"%s\",\"e\":\"AQAB\","
	    "\"n\":\"" RFC7638_N "\"}", kid);
	jwk_bad(t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_key");
	TCase *tc;

	tc = unit_tcase(s, "generate");
	tcase_add_test(tc, alg_names);
	tcase_add_test(tc, generate_each_alg);
	tcase_add_test(tc, generate_fresh_keys_differ);
	tcase_add_test(tc, generate_refuses_small_rsa_and_bad_alg);

	tc = unit_tcase(s, "jwk");
	tcase_add_test(tc, kid_is_rfc7638_thumbprint);
	tcase_add_test(tc, rfc7638_example_thumbprint);
	tcase_add_test(tc, from_jwk_keeps_client_kid);
	tcase_add_test(tc, public_jwk_has_no_private_members);
	tcase_add_test(tc, public_jwk_round_trips);

	tc = unit_tcase(s, "files");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, write_file_0600_and_load);
	tcase_add_test(tc, write_file_never_overwrites);
	tcase_add_test(tc, write_file_missing_dir);
	tcase_add_test(tc, load_refuses_readable_by_others);
	tcase_add_test(tc, load_refuses_wrong_key_type);
	tcase_add_test(tc, load_refuses_small_rsa_and_other_curves);
	tcase_add_test(tc, load_refuses_missing_junk_and_dirs);
	tcase_add_test(tc, load_public_key_pem_refused);

	tc = unit_tcase(s, "sign");
	tcase_add_test(tc, sign_verify_round_trip);
	tcase_add_test(tc, es256_signatures_are_fixed_size);
	tcase_add_test(tc, sign_refuses_small_buffer);
	tcase_add_test(tc, verify_fails_on_tampering);
	tcase_add_test(tc, verify_fails_on_wrong_alg_family);

	tc = unit_tcase(s, "from_jwk");
	tcase_add_test(tc, from_jwk_accepts_ec);
	tcase_add_test(tc, from_jwk_accepts_rsa_algs);
	tcase_add_test(tc, from_jwk_refuses_private_members);
	tcase_add_test(tc, from_jwk_refuses_unknown_kty_and_crv);
	tcase_add_test(tc, from_jwk_refuses_bad_base64);
	tcase_add_test(tc, from_jwk_refuses_off_curve_point);
	tcase_add_test(tc, from_jwk_refuses_small_rsa);
	tcase_add_test(tc, from_jwk_refuses_mismatched_use_and_alg);
	tcase_add_test(tc, from_jwk_refuses_non_objects_and_long_kid);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

/* crypto/jws: sign, parse, verify; what the parser refuses; RFC 7515
 * examples; cross-checks against libjwt, an independent implementation;
 * at_hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "crypto/b64url.h"
#include "crypto/jws.h"
#include "unit.h"

static struct idp_arena *a;
static char dir[256];

static void
setup(void)
{
	a = idp_arena_new(1024);
	dir[0] = '\0';
}

static void
teardown(void)
{
	idp_arena_free(a);
	a = NULL;
	if (dir[0] != '\0')
		unit_rmtree(dir);
}

static struct idp_key *
gen(enum idp_alg alg)
{
	struct idp_key *k = NULL;

	ck_assert_int_eq(idp_key_generate(alg, 2048, &k), 0);
	return k;
}

static json_t *
claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "iss",
	    "https://idp.example", "sub", "alice", "aud", "rp1",
	    "iat", (json_int_t)1700000000, "exp", (json_int_t)4102444800,
	    "name", "Ni Luh \xc3\xa9 \"quoted\"");
}

static char *
sign(const struct idp_key *k, const char *typ)
{
	json_t *p = claims();
	char *t = idp_jws_sign(a, k, typ, p);

	json_decref(p);
	ck_assert_ptr_nonnull(t);
	return t;
}

/* "header.payload.signature" from three JSON texts / raw bytes. */
static char *
compose(const char *hjson, const char *pjson, const char *sig_b64)
{
	return idp_arena_printf(a, "%s.%s.%s",
	    idp_b64url_encode(a, hjson, strlen(hjson)),
	    idp_b64url_encode(a, pjson, strlen(pjson)), sig_b64);
}

static const char *
part(const char *t, int i)
{
	const char *p = t;

	for (; i > 0; i--)
		p = strchr(p, '.') + 1;
	return idp_arena_strndup(a, p, strcspn(p, "."));
}

static void
parse_bad(const char *t, const char *what)
{
	struct idp_jws j;

	ck_assert_msg(idp_jws_parse(a, t, &j) == -1, "%s accepted: %s", what,
	    t ? t : "(null)");
}

/* ---- round trips ---- */

static void
round_trip(enum idp_alg alg)
{
	struct idp_key *k = gen(alg);
	char *t = sign(k, "JWT");
	json_t *want = claims();
	struct idp_jws j;
	size_t dots = 0;

	for (const char *p = t; *p; p++)
		dots += *p == '.';
	ck_assert_uint_eq(dots, 2);
	ck_assert_int_eq(idp_jws_parse(a, t, &j), 0);
	ck_assert_int_eq(j.alg, alg);
	ck_assert_str_eq(j.kid, idp_key_kid(k));
	ck_assert_str_eq(j.typ, "JWT");
	ck_assert_uint_eq(json_object_size(j.header), 3);
	ck_assert_str_eq(json_string_value(json_object_get(j.header, "alg")),
	    idp_alg_name(alg));
	ck_assert_msg(json_equal(j.payload, want), "payload changed");
	ck_assert_ptr_eq(j.signing_input, t);
	ck_assert_uint_eq(j.signing_input_len,
	    (size_t)(strrchr(t, '.') - t));
	ck_assert_uint_eq(j.siglen, alg == IDP_ALG_ES256 ? 64 : 256);
	ck_assert_int_eq(idp_jws_verify(&j, k), 0);
	json_decref(want);
	idp_key_free(k);
}

START_TEST(round_trip_es256)
{
	round_trip(IDP_ALG_ES256);
}
END_TEST

START_TEST(round_trip_rs256)
{
	round_trip(IDP_ALG_RS256);
}
END_TEST

START_TEST(round_trip_ps256)
{
	round_trip(IDP_ALG_PS256);
}
END_TEST

START_TEST(typ_at_jwt)
{
	struct idp_key *k = gen(IDP_ALG_ES256);
	char *t = sign(k, "at+jwt");
	struct idp_jws j;

	ck_assert_int_eq(idp_jws_parse(a, t, &j), 0);
	ck_assert_str_eq(j.typ, "at+jwt");
	ck_assert_int_eq(idp_jws_verify(&j, k), 0);
	idp_key_free(k);
}
END_TEST

START_TEST(parse_without_kid_or_typ)
{
	struct idp_jws j;
	char *t = compose("{\"alg\":\"ES256\"}", "{}", "AAAA");

	ck_assert_int_eq(idp_jws_parse(a, t, &j), 0);
	ck_assert_ptr_null(j.kid);
	ck_assert_ptr_null(j.typ);
	ck_assert_uint_eq(j.siglen, 3);
}
END_TEST

/* ---- structure ---- */

START_TEST(parse_rejects_wrong_part_count)
{
	struct idp_key *k = gen(IDP_ALG_ES256);
	char *t = sign(k, "JWT");
	const char *h = part(t, 0), *p = part(t, 1), *s = part(t, 2);

	parse_bad(NULL, "NULL");
	parse_bad("", "empty");
	parse_bad(h, "one part");
	parse_bad(idp_arena_printf(a, "%s.%s", h, p), "two parts");
	parse_bad(idp_arena_printf(a, "%s.%s.%s.%s", h, p, s, s), "four parts");
	parse_bad(idp_arena_printf(a, "%s.%s.%s.", h, p, s), "trailing dot");
	parse_bad(idp_arena_printf(a, "%s.%s.%s.%s.%s", h, p, s, s, s),
	    "JWE-like five parts");
	parse_bad("..", "dots only");
	parse_bad("...", "dots only");
	idp_key_free(k);
}
END_TEST

START_TEST(parse_rejects_non_json)
{
	const char *sig = "AAAA";
	const char *h = "{\"alg\":\"RS256\"}";

	parse_bad(compose("not json", "{}", sig), "header not JSON");
	parse_bad(compose(h, "not json", sig), "payload not JSON");
	parse_bad(compose("[\"alg\",\"RS256\"]", "{}", sig), "header array");
	parse_bad(compose(h, "[1,2]", sig), "payload array");
	parse_bad(compose(h, "\"sub\"", sig), "payload string");
	parse_bad(compose(h, "42", sig), "payload number");
	parse_bad(compose(h, "null", sig), "payload null");
	parse_bad(compose(h, "{} {}", sig), "payload with trailing data");
	parse_bad(compose("{\"alg\":\"RS256\"", "{}", sig), "cut header");
	parse_bad(compose("", "{}", sig), "empty header");
	parse_bad(compose(h, "", sig), "empty payload");
}
END_TEST

START_TEST(parse_rejects_bad_base64)
{
	const char *h = idp_b64url_encode(a, "{\"alg\":\"ES256\"}", 15);
	const char *p = idp_b64url_encode(a, "{}", 2);

	parse_bad(idp_arena_printf(a, "%s=.%s.AAAA", h, p), "padded header");
	parse_bad(idp_arena_printf(a, "%s.%s==.AAAA", h, p), "padded payload");
	parse_bad(idp_arena_printf(a, "%s.%s.AA+A", h, p), "'+' in signature");
	parse_bad(idp_arena_printf(a, "%s.%s.AA/A", h, p), "'/' in signature");
	parse_bad(idp_arena_printf(a, "%s.%s.AAAA=", h, p), "padded signature");
	parse_bad(idp_arena_printf(a, "%s.%s.A", h, p), "1-char signature");
	parse_bad(idp_arena_printf(a, "%s.%s.", h, p), "empty signature");
	parse_bad(idp_arena_printf(a, " %s.%s.AAAA", h, p), "leading space");
	parse_bad(idp_arena_printf(a, "%s.%s.AAAA\n", h, p), "newline");
}
END_TEST

START_TEST(parse_rejects_bad_alg)
{
	static const char *const hs[] = {
		"{\"alg\":\"none\"}",
		"{\"alg\":\"None\"}",
		"{\"alg\":\"HS256\"}",
		"{\"alg\":\"HS512\"}",
		"{\"alg\":\"RS384\"}",
		"{\"alg\":\"ES256K\"}",
		"{\"alg\":\"Ed25519\"}",
		"{\"alg\":\"\"}",
		"{\"alg\":null}",
		"{\"alg\":1}",
		"{\"alg\":[\"RS256\"]}",
		"{\"typ\":\"JWT\"}",
		"{}",
		NULL,
	};

	for (size_t i = 0; hs[i] != NULL; i++)
		parse_bad(compose(hs[i], "{\"sub\":\"a\"}", "AAAA"), hs[i]);
}
END_TEST

START_TEST(parse_rejects_crit)
{
	parse_bad(compose("{\"alg\":\"RS256\",\"crit\":[\"exp\"],\"exp\":1}",
	    "{}", "AAAA"), "crit");
	parse_bad(compose("{\"alg\":\"ES256\",\"crit\":[]}", "{}", "AAAA"),
	    "empty crit");
	parse_bad(compose("{\"alg\":\"ES256\",\"crit\":null}", "{}", "AAAA"),
	    "null crit");
}
END_TEST

START_TEST(parse_rejects_duplicate_members)
{
	/* Two parsers must not read two different algs from one header. */
	parse_bad(compose("{\"alg\":\"RS256\",\"alg\":\"none\"}", "{}", "AAAA"),
	    "duplicate alg");
	parse_bad(compose("{\"alg\":\"RS256\"}",
	    "{\"sub\":\"alice\",\"sub\":\"admin\"}", "AAAA"), "duplicate sub");
}
END_TEST

/* A well-formed ES256-shaped token whose payload is one long claim. */
static char *
long_token(size_t claim_len)
{
	char *pj = idp_arena_alloc(a, claim_len + 16);

	memcpy(pj, "{\"x\":\"", 6);
	memset(pj + 6, 'x', claim_len);
	memcpy(pj + 6 + claim_len, "\"}", 3);
	return compose("{\"alg\":\"ES256\"}", pj,
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAA");
}

START_TEST(parse_rejects_oversized)
{
	struct idp_jws j;
	char *t;

	t = long_token(12000);
	ck_assert_uint_le(strlen(t), IDP_JWS_MAX);
	ck_assert_int_eq(idp_jws_parse(a, t, &j), 0);
	t = long_token(IDP_JWS_MAX * 3 / 4);
	ck_assert_uint_gt(strlen(t), IDP_JWS_MAX);
	ck_assert_int_eq(idp_jws_parse(a, t, &j), -1);
}
END_TEST

/* ---- tampering and algorithm confusion ---- */

START_TEST(tampered_payload_fails)
{
	struct idp_key *k = gen(IDP_ALG_ES256);
	char *t = sign(k, "JWT");
	const char *evil = "{\"iss\":\"https://idp.example\",\"sub\":\"admin\","
	    "\"aud\":\"rp1\",\"iat\":1700000000,\"exp\":4102444800}";
	char *t2 = idp_arena_printf(a, "%s.%s.%s", part(t, 0),
	    idp_b64url_encode(a, evil, strlen(evil)), part(t, 2));
	struct idp_jws j;

	ck_assert_int_eq(idp_jws_parse(a, t2, &j), 0);
	ck_assert_str_eq(json_string_value(json_object_get(j.payload, "sub")),
	    "admin");
	ck_assert_int_eq(idp_jws_verify(&j, k), -1);
	idp_key_free(k);
}
END_TEST

START_TEST(tampered_header_fails)
{
	struct idp_key *k = gen(IDP_ALG_RS256);
	char *t = sign(k, "JWT");
	char *h = idp_arena_printf(a, "{\"alg\":\"RS256\",\"kid\":\"%s\","
	    "\"typ\":\"at+jwt\"}", idp_key_kid(k));
	char *t2 = idp_arena_printf(a, "%s.%s.%s",
	    idp_b64url_encode(a, h, strlen(h)), part(t, 1), part(t, 2));
	struct idp_jws j;

	ck_assert_int_eq(idp_jws_parse(a, t2, &j), 0);
	ck_assert_int_eq(idp_jws_verify(&j, k), -1);
	idp_key_free(k);
}
END_TEST

START_TEST(signature_of_other_token_fails)
{
	struct idp_key *k = gen(IDP_ALG_ES256), *k2 = gen(IDP_ALG_ES256);
	char *t = sign(k, "JWT"), *t2 = sign(k, "at+jwt");
	char *t3 = sign(k2, "JWT");
	char *mix = idp_arena_printf(a, "%s.%s.%s", part(t, 0), part(t, 1),
	    part(t2, 2));
	struct idp_jws j;

	ck_assert_int_eq(idp_jws_parse(a, mix, &j), 0);
	ck_assert_int_eq(idp_jws_verify(&j, k), -1);
	/* A token of another key does not verify with this one. */
	ck_assert_int_eq(idp_jws_parse(a, t3, &j), 0);
	ck_assert_int_eq(idp_jws_verify(&j, k), -1);
	ck_assert_int_eq(idp_jws_verify(&j, k2), 0);
	idp_key_free(k);
	idp_key_free(k2);
}
END_TEST

START_TEST(alg_switch_in_header_fails)
{
	struct idp_key *rs = gen(IDP_ALG_RS256), *ec = gen(IDP_ALG_ES256);
	char *t = sign(rs, "JWT"), *te = sign(ec, "JWT");
	char *h = idp_arena_printf(a, "{\"alg\":\"PS256\",\"kid\":\"%s\","
	    "\"typ\":\"JWT\"}", idp_key_kid(rs));
	char *t2 = idp_arena_printf(a, "%s.%s.%s",
	    idp_b64url_encode(a, h, strlen(h)), part(t, 1), part(t, 2));
	struct idp_jws j;

	/* RS256 -> PS256 on the same RSA key */
	ck_assert_int_eq(idp_jws_parse(a, t2, &j), 0);
	ck_assert_int_eq(j.alg, IDP_ALG_PS256);
	ck_assert_int_eq(idp_jws_verify(&j, rs), -1);
	/* An RSA token checked with an EC key and the other way round */
	ck_assert_int_eq(idp_jws_parse(a, t, &j), 0);
	ck_assert_int_eq(idp_jws_verify(&j, ec), -1);
	ck_assert_int_eq(idp_jws_parse(a, te, &j), 0);
	ck_assert_int_eq(idp_jws_verify(&j, rs), -1);
	idp_key_free(rs);
	idp_key_free(ec);
}
END_TEST

/* ---- RFC 7515 appendix examples (verified by their authors) ---- */

#define RFC7515_PAYLOAD "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0" \
	"dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"

static struct idp_key *
key_from(const char *jwk_text)
{
	json_t *j = json_loads(jwk_text, 0, NULL);
	struct idp_key *k = NULL;

	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(idp_key_from_jwk(j, &k), 0);
	json_decref(j);
	return k;
}

static void
check_rfc_example(const char *jwk, const char *token, enum idp_alg alg)
{
	struct idp_key *k = key_from(jwk);
	struct idp_jws j;
	char *bad;

	ck_assert_int_eq(idp_jws_parse(a, token, &j), 0);
	ck_assert_int_eq(j.alg, alg);
	ck_assert_str_eq(json_string_value(json_object_get(j.payload, "iss")),
	    "joe");
	ck_assert_int_eq(json_integer_value(json_object_get(j.payload, "exp")),
	    1300819380);
	ck_assert_int_eq(idp_jws_verify(&j, k), 0);
	/* One changed signature character breaks it. */
	bad = idp_arena_strdup(a, token);
	bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(idp_jws_parse(a, bad, &j), 0);
	ck_assert_int_eq(idp_jws_verify(&j, k), -1);
	idp_key_free(k);
}

START_TEST(rfc7515_a3_es256)
{
	check_rfc_example("{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
	    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}",
	    "eyJhbGciOiJFUzI1NiJ9." RFC7515_PAYLOAD "."
	    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8IS"
	    "lSApmWQxfKTUJqPP3-Kg6NU1Q", IDP_ALG_ES256);
}
END_TEST

START_TEST(rfc7515_a2_rs256)
{
	check_rfc_example("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\""
	    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx"
	    "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs"
	    "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH"
	    "SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV"
	    "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8"
	    "NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\"}",
	    "eyJhbGciOiJSUzI1NiJ9." RFC7515_PAYLOAD "."
	    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZ"
	    "mh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjb"
	    "KBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHl"
	    "b1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZES"
	    "c6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AX"
	    "LIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw", IDP_ALG_RS256);
}
END_TEST

/* ---- cross-check with libjwt ---- */

/* The key as PEM texts, via a file written by idp_key_write_file and
 * OpenSSL: the private key (PKCS#8) and the public key (SPKI). */
static void
pems(const struct idp_key *k, char **priv, char **pub)
{
	char path[512], why[256];
	EVP_PKEY *pk;
	BIO *b;
	FILE *f;
	char *data;
	long n;

	if (dir[0] == '\0')
		unit_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s.pem", dir, idp_key_kid(k));
	ck_assert_msg(idp_key_write_file(k, path, why, sizeof(why)) == 0,
	    "%s", why);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(pk);
	rewind(f);
	*priv = idp_arena_alloc(a, 8192);
	n = (long)fread(*priv, 1, 8191, f);
	(*priv)[n] = '\0';
	fclose(f);

	b = BIO_new(BIO_s_mem());
	ck_assert_int_eq(PEM_write_bio_PUBKEY(b, pk), 1);
	n = BIO_get_mem_data(b, &data);
	*pub = idp_arena_strndup(a, data, (size_t)n);
	BIO_free(b);
	EVP_PKEY_free(pk);
}

static void
libjwt_verifies(enum idp_alg alg, jwt_alg_t jalg)
{
	struct idp_key *k = gen(alg), *other = gen(alg);
	char *priv, *pub, *opriv, *opub;
	char *t = sign(k, "JWT");
	jwt_t *jwt = NULL;

	pems(k, &priv, &pub);
	pems(other, &opriv, &opub);
	ck_assert_msg(strstr(pub, "BEGIN PUBLIC KEY") != NULL, "%s", pub);
	ck_assert_int_eq(jwt_decode(&jwt, t, (const unsigned char *)pub,
	    (int)strlen(pub)), 0);
	ck_assert_int_eq(jwt_get_alg(jwt), jalg);
	ck_assert_str_eq(jwt_get_grant(jwt, "sub"), "alice");
	ck_assert_str_eq(jwt_get_grant(jwt, "name"),
	    "Ni Luh \xc3\xa9 \"quoted\"");
	ck_assert_int_eq(jwt_get_grant_int(jwt, "exp"), 4102444800L);
	ck_assert_str_eq(jwt_get_header(jwt, "kid"), idp_key_kid(k));
	jwt_free(jwt);
	jwt = NULL;
	/* Not vacuous: libjwt refuses the token under another key ... */
	ck_assert_int_ne(jwt_decode(&jwt, t, (const unsigned char *)opub,
	    (int)strlen(opub)), 0);
	ck_assert_ptr_null(jwt);
	/* ... and a token with a changed payload under the right key. */
	{
		const char *p = "{\"sub\":\"admin\"}";
		char *t2 = idp_arena_printf(a, "%s.%s.%s", part(t, 0),
		    idp_b64url_encode(a, p, strlen(p)), part(t, 2));

		ck_assert_int_ne(jwt_decode(&jwt, t2,
		    (const unsigned char *)pub, (int)strlen(pub)), 0);
		ck_assert_ptr_null(jwt);
	}
	idp_key_free(k);
	idp_key_free(other);
}

START_TEST(libjwt_verifies_rs256)
{
	libjwt_verifies(IDP_ALG_RS256, JWT_ALG_RS256);
}
END_TEST

START_TEST(libjwt_verifies_es256)
{
	libjwt_verifies(IDP_ALG_ES256, JWT_ALG_ES256);
}
END_TEST

/* The other direction: a token libjwt signs verifies here. */
static void
verifies_libjwt_token(enum idp_alg alg, jwt_alg_t jalg)
{
	struct idp_key *k = gen(alg);
	char *priv, *pub, *t;
	jwt_t *jwt = NULL;
	struct idp_jws j;

	pems(k, &priv, &pub);
	ck_assert_int_eq(jwt_new(&jwt), 0);
	ck_assert_int_eq(jwt_add_grant(jwt, "sub", "bob"), 0);
	ck_assert_int_eq(jwt_add_grant_int(jwt, "exp", 4102444800L), 0);
	ck_assert_int_eq(jwt_set_alg(jwt, jalg, (const unsigned char *)priv,
	    (int)strlen(priv)), 0);
	t = jwt_encode_str(jwt);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(idp_jws_parse(a, t, &j), 0);
	ck_assert_int_eq(j.alg, alg);
	ck_assert_str_eq(json_string_value(json_object_get(j.payload, "sub")),
	    "bob");
	ck_assert_int_eq(idp_jws_verify(&j, k), 0);
	free(t);
	jwt_free(jwt);
	idp_key_free(k);
}

START_TEST(verifies_libjwt_rs256)
{
	verifies_libjwt_token(IDP_ALG_RS256, JWT_ALG_RS256);
}
END_TEST

START_TEST(verifies_libjwt_es256)
{
	verifies_libjwt_token(IDP_ALG_ES256, JWT_ALG_ES256);
}
END_TEST

/* ---- at_hash / c_hash ---- */

static void
expected_half_hash(const char *value, char out[64])
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	int len;

	SHA256((const unsigned char *)value, strlen(value), d);
	len = EVP_EncodeBlock((unsigned char *)out, d,
	    SHA256_DIGEST_LENGTH / 2);
	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (char *p = out; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
}

START_TEST(half_hash_matches_openssl)
{
	static const char *const values[] = {
		"jHkWEdUXMU1BwAsC4vtUsZwnNXSg",
		"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk",
		"",
		"a",
		"\xc3\xa9\xff",
		NULL,
	};

	for (size_t i = 0; values[i] != NULL; i++) {
		char want[64];
		const char *got = idp_jose_half_hash(a, values[i]);

		expected_half_hash(values[i], want);
		ck_assert_str_eq(got, want);
		ck_assert_uint_eq(strlen(got), 22);	/* 16 bytes */
		ck_assert_ptr_null(strpbrk(got, "+/="));
	}
	ck_assert_str_ne(idp_jose_half_hash(a, "token-a"),
	    idp_jose_half_hash(a, "token-b"));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_jws");
	TCase *tc;

	tc = unit_tcase(s, "sign_parse_verify");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip_es256);
	tcase_add_test(tc, round_trip_rs256);
	tcase_add_test(tc, round_trip_ps256);
	tcase_add_test(tc, typ_at_jwt);
	tcase_add_test(tc, parse_without_kid_or_typ);

	tc = unit_tcase(s, "parse_refusals");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, parse_rejects_wrong_part_count);
	tcase_add_test(tc, parse_rejects_non_json);
	tcase_add_test(tc, parse_rejects_bad_base64);
	tcase_add_test(tc, parse_rejects_bad_alg);
	tcase_add_test(tc, parse_rejects_crit);
	tcase_add_test(tc, parse_rejects_duplicate_members);
	tcase_add_test(tc, parse_rejects_oversized);

	tc = unit_tcase(s, "verify_refusals");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tampered_payload_fails);
	tcase_add_test(tc, tampered_header_fails);
	tcase_add_test(tc, signature_of_other_token_fails);
	tcase_add_test(tc, alg_switch_in_header_fails);

	tc = unit_tcase(s, "interop");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rfc7515_a3_es256);
	tcase_add_test(tc, rfc7515_a2_rs256);
	tcase_add_test(tc, libjwt_verifies_rs256);
	tcase_add_test(tc, libjwt_verifies_es256);
	tcase_add_test(tc, verifies_libjwt_rs256);
	tcase_add_test(tc, verifies_libjwt_es256);

	tc = unit_tcase(s, "half_hash");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, half_hash_matches_openssl);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

/*
 * Unit tests of the portal's pure parts: encodings, PKCE, JWK conversion,
 * ID token signature and claim checks, discovery and token responses,
 * sessions, the CSV table and the highlight mapping, the pages.
 *
 * Tokens are signed here with OpenSSL directly (not with libjwt), so the
 * test also shows that libjwt 1.10 verifies standard JWS, including the
 * raw R||S form of ES256 signatures (RFC 7518 §3.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <jansson.h>
#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "jwk.h"
#include "oidc.h"
#include "pages.h"
#include "session.h"
#include "spbe.h"
#include "util.h"

#ifndef SPBE_DATA
#define SPBE_DATA	"data/spbe-2023-bali.csv"
#endif

#define ISSUER		"http://127.0.0.1:8080"
#define CLIENT_ID	"spbe-portal"
#define NONCE		"n-0S6_WzA2Mj"
#define ACCESS_TOKEN	"jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"

/* Made once in main(); the forked test processes inherit them. */
static EVP_PKEY *rsa_key, *ec_key;

/* ---- helpers ---------------------------------------------------------- */

static char *
bn_b64url(const BIGNUM *bn, int pad)
{
	unsigned char raw[1024];
	int n = pad > 0 ? BN_bn2binpad(bn, raw, pad) : BN_bn2bin(bn, raw);

	ck_assert_int_gt(n, 0);
	return b64url_encode(raw, (size_t)n);
}

/* The public JWK of a key, as a provider's JWKS would publish it. */
static json_t *
jwk_of(EVP_PKEY *k, const char *kid)
{
	BIGNUM *a = NULL, *b = NULL;
	char *sa, *sb;
	json_t *j;

	if (EVP_PKEY_is_a(k, "RSA")) {
		ck_assert(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &a));
		ck_assert(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &b));
		sa = bn_b64url(a, 0);
		sb = bn_b64url(b, 0);
		j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "RSA",
		    "use", "sig", "alg", "RS256", "n", sa, "e", sb);
	} else {
		ck_assert(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X,
		    &a));
		ck_assert(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y,
		    &b));
		sa = bn_b64url(a, 32);
		sb = bn_b64url(b, 32);
		j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "EC",
		    "crv", "P-256", "use", "sig", "x", sa, "y", sb);
	}
	if (kid != NULL)
		json_object_set_new(j, "kid", json_string(kid));
	BN_free(a);
	BN_free(b);
	free(sa);
	free(sb);
	return j;
}

static json_t *
jwks_of(json_t *k1, json_t *k2)
{
	json_t *keys = json_array();

	json_array_append_new(keys, k1);
	if (k2 != NULL)
		json_array_append_new(keys, k2);
	return json_pack("{s:o}", "keys", keys);
}

static char *
pem_of(EVP_PKEY *k)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *pem;
	long len;

	ck_assert(PEM_write_bio_PUBKEY(bio, k) == 1);
	len = BIO_get_mem_data(bio, &data);
	pem = str_ndup(data, (size_t)len);
	BIO_free(bio);
	return pem;
}

static char *
b64url_str(const char *s)
{
	return b64url_encode((const unsigned char *)s, strlen(s));
}

/* header.payload, base64url-encoded: the JWS signing input. */
static char *
signing_input(const char *header, const char *payload)
{
	char *h = b64url_str(header), *p = b64url_str(payload), *in;
	size_t n = strlen(h) + strlen(p) + 2;

	in = malloc(n);
	snprintf(in, n, "%s.%s", h, p);
	free(h);
	free(p);
	return in;
}

static char *
join_sig(char *input, const unsigned char *sig, size_t siglen)
{
	char *s = b64url_encode(sig, siglen), *jws;
	size_t n = strlen(input) + strlen(s) + 2;

	jws = malloc(n);
	snprintf(jws, n, "%s.%s", input, s);
	free(s);
	free(input);
	return jws;
}

/* A compact JWS signed with OpenSSL: RS256 or ES256 by key type. */
static char *
sign_jws(EVP_PKEY *k, const char *header, const char *payload)
{
	char *input = signing_input(header, payload);
	unsigned char der[1024], raw[64];
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	size_t len = sizeof(der);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ECDSA_SIG *es;

	ck_assert(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) == 1);
	ck_assert(EVP_DigestSign(md, der, &len, (unsigned char *)input,
	    strlen(input)) == 1);
	EVP_MD_CTX_free(md);
	if (EVP_PKEY_is_a(k, "RSA"))
		return join_sig(input, der, len);
	/* JWS ES256 is R || S, 32 bytes each, not DER (RFC 7518 §3.4). */
	es = d2i_ECDSA_SIG(NULL, &p, (long)len);
	ck_assert_ptr_nonnull(es);
	ECDSA_SIG_get0(es, &r, &s);
	BN_bn2binpad(r, raw, 32);
	BN_bn2binpad(s, raw + 32, 32);
	ECDSA_SIG_free(es);
	return join_sig(input, raw, sizeof(raw));
}

/* Claims a good ID token for our request carries. */
static json_t *
good_claims(long long now)
{
	char h[OIDC_AT_HASH_LEN + 1];

	ck_assert_int_eq(oidc_at_hash(ACCESS_TOKEN, h), 0);
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s}",
	    "iss", ISSUER, "sub", "8d3c5e2a-6a5e-4b61-9d1e-0d9b8f1e2c3a",
	    "aud", CLIENT_ID, "exp", (json_int_t)(now + 300),
	    "iat", (json_int_t)now, "nonce", NONCE, "at_hash", h);
}

static struct oidc_expect
expect_at(long long now)
{
	struct oidc_expect x = {
		.oe_issuer = ISSUER, .oe_client_id = CLIENT_ID,
		.oe_nonce = NONCE, .oe_access_token = ACCESS_TOKEN,
		.oe_now = now,
	};

	return x;
}

/* Signs claims with key (kid "k1") and runs both checks. */
static int
verify_and_check(EVP_PKEY *k, const char *alg, json_t *claims,
    const json_t *jwks, long long now, char *err, size_t errlen)
{
	struct oidc_expect x = expect_at(now);
	char *payload = json_dumps(claims, JSON_COMPACT), *hdr, *jws;
	json_t *got = NULL;
	int rc;

	hdr = malloc(64);
	snprintf(hdr, 64, "{\"alg\":\"%s\",\"kid\":\"k1\"}", alg);
	jws = sign_jws(k, hdr, payload);
	rc = oidc_id_token_verify(jws, jwks, &got, err, errlen) == OIDC_SIG_OK ?
	    oidc_id_token_check(got, &x, err, errlen) : -2;
	json_decref(got);
	free(payload);
	free(hdr);
	free(jws);
	return rc;
}

/* ---- encodings -------------------------------------------------------- */

START_TEST(test_b64url_rfc4648)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob",
		"fooba", "foobar" };
	static const char *const out[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg",
		"Zm9vYmE", "Zm9vYmFy" };
	unsigned char *d;
	size_t i, n;
	char *e;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		e = b64url_str(in[i]);
		ck_assert_str_eq(e, out[i]);
		d = b64url_decode(e, strlen(e), &n);
		ck_assert_ptr_nonnull(d);
		ck_assert_uint_eq(n, strlen(in[i]));
		ck_assert(memcmp(d, in[i], n) == 0);
		free(d);
		free(e);
	}
	/* The URL-safe alphabet: 0xfb 0xff -> "-_8". */
	e = b64url_encode((const unsigned char *)"\xfb\xff", 2);
	ck_assert_str_eq(e, "-_8");
	free(e);
}
END_TEST

START_TEST(test_b64url_strict)
{
	size_t n;

	ck_assert_ptr_null(b64url_decode("Zg==", 4, &n));	/* padding */
	ck_assert_ptr_null(b64url_decode("Zm+v", 4, &n));	/* std alphabet */
	ck_assert_ptr_null(b64url_decode("Zm9vY", 5, &n));	/* 1 spare char */
	ck_assert_ptr_null(b64url_decode("Zh", 2, &n));	/* stray bits */
	ck_assert_ptr_null(b64url_decode("Zm 9v", 5, &n));	/* whitespace */
}
END_TEST

START_TEST(test_buf_and_escaping)
{
	struct buf b;
	char *s;

	buf_init(&b, 64);
	buf_urlenc(&b, "a b&c=d/é~");
	s = buf_steal(&b);
	ck_assert_str_eq(s, "a%20b%26c%3Dd%2F%C3%A9~");
	free(s);
	buf_init(&b, 64);
	buf_html(&b, "<a href=\"x\">'&'</a>");
	s = buf_steal(&b);
	ck_assert_str_eq(s,
	    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	free(s);
	/* Past the maximum the buffer fails as a whole. */
	buf_init(&b, 8);
	buf_puts(&b, "12345");
	buf_puts(&b, "6789");
	ck_assert(b.b_failed);
	ck_assert_ptr_null(buf_steal(&b));
}
END_TEST

START_TEST(test_random_and_ct)
{
	char a[RANDOM_TOKEN_LEN + 1], b[RANDOM_TOKEN_LEN + 1];

	ck_assert_int_eq(random_token(a), 0);
	ck_assert_int_eq(random_token(b), 0);
	ck_assert_uint_eq(strlen(a), 43);
	ck_assert_str_ne(a, b);
	ck_assert(ct_streq(a, a));
	ck_assert(!ct_streq(a, b));
	ck_assert(!ct_streq(a, NULL));
	ck_assert(!ct_streq(NULL, NULL));
	ck_assert(!ct_streq("abc", "abcd"));
}
END_TEST

/* ---- PKCE, URLs, client authentication -------------------------------- */

START_TEST(test_pkce_rfc7636_appendix_b)
{
	char c[OIDC_PKCE_CHALLENGE_LEN + 1];

	ck_assert_int_eq(oidc_pkce_challenge(
	    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", c), 0);
	ck_assert_str_eq(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	/* §4.1: 43 to 128 unreserved characters. */
	ck_assert_int_eq(oidc_pkce_challenge("short", c), -1);
	ck_assert_int_eq(oidc_pkce_challenge(
	    "dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk", c), -1);
}
END_TEST

START_TEST(test_url_ok)
{
	ck_assert(oidc_url_ok("https://sso.baliprov.go.id"));
	ck_assert(oidc_url_ok("http://127.0.0.1:8080"));
	ck_assert(oidc_url_ok("http://localhost/x"));
	ck_assert(oidc_url_ok("http://[::1]:8080/token"));
	ck_assert(!oidc_url_ok("http://sso.baliprov.go.id"));
	ck_assert(!oidc_url_ok("http://localhost.evil.example"));
	ck_assert(!oidc_url_ok("http://127.0.0.1:80@evil.example/"));
	ck_assert(!oidc_url_ok("https://"));
	ck_assert(!oidc_url_ok("https://a.example/#frag"));
	ck_assert(!oidc_url_ok("https://a.example/ x"));
	ck_assert(!oidc_url_ok("javascript:alert(1)"));
	ck_assert(!oidc_url_ok(NULL));
}
END_TEST

START_TEST(test_authorize_url)
{
	struct oidc_provider op = { .op_authorization_endpoint =
	    (char[]){ "http://127.0.0.1:8080/authorize" } };
	struct oidc_client oc = { CLIENT_ID, "s", "http://127.0.0.1:8081/cb" };
	char *u = oidc_authorize_url(&op, &oc, "st", "no", "ch");

	ck_assert_str_eq(u, "http://127.0.0.1:8080/authorize"
	    "?response_type=code&client_id=spbe-portal"
	    "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8081%2Fcb"
	    "&scope=openid%20profile%20email%20organisation"
	    "&state=st&nonce=no&code_challenge=ch"
	    "&code_challenge_method=S256");
	free(u);
	/* RFC 6749 §3.1: an endpoint's query is kept. */
	op.op_authorization_endpoint = (char[]){ "https://a.example/az?x=1" };
	u = oidc_authorize_url(&op, &oc, "st", "no", "ch");
	ck_assert(strncmp(u, "https://a.example/az?x=1&response_type=code",
	    43) == 0);
	free(u);
}
END_TEST

START_TEST(test_basic_auth_form_encoded)
{
	char *h = oidc_basic_auth("spbe-portal", "a:b c+");

	/* RFC 6749 §2.3.1: "spbe-portal:a%3Ab%20c%2B", then base64. */
	ck_assert_str_eq(h, "Basic c3BiZS1wb3J0YWw6YSUzQWIlMjBjJTJC");
	wipe_free(h);
}
END_TEST

START_TEST(test_token_form_and_logout_url)
{
	struct oidc_client oc = { CLIENT_ID, "s", "http://127.0.0.1:8081/cb" };
	struct oidc_provider op = { .op_end_session_endpoint =
	    (char[]){ "http://127.0.0.1:8080/logout" } };
	char *f = oidc_token_form(&oc, "c/d", "v");

	ck_assert_str_eq(f, "grant_type=authorization_code&code=c%2Fd"
	    "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8081%2Fcb"
	    "&code_verifier=v");
	free(f);
	f = oidc_logout_url(&op, CLIENT_ID, "a.b.c", "http://127.0.0.1:8081/");
	ck_assert_str_eq(f, "http://127.0.0.1:8080/logout?client_id="
	    "spbe-portal&id_token_hint=a.b.c&post_logout_redirect_uri="
	    "http%3A%2F%2F127.0.0.1%3A8081%2F");
	free(f);
	op.op_end_session_endpoint = NULL;
	ck_assert_ptr_null(oidc_logout_url(&op, CLIENT_ID, "x", "y"));
}
END_TEST

/* ---- discovery, token and UserInfo responses -------------------------- */

static const char good_discovery[] =
    "{\"issuer\":\"" ISSUER "\","
    "\"authorization_endpoint\":\"" ISSUER "/authorize\","
    "\"token_endpoint\":\"" ISSUER "/token\","
    "\"userinfo_endpoint\":\"" ISSUER "/userinfo\","
    "\"jwks_uri\":\"" ISSUER "/jwks\","
    "\"end_session_endpoint\":\"" ISSUER "/logout\","
    "\"authorization_response_iss_parameter_supported\":true,"
    "\"code_challenge_methods_supported\":[\"S256\"],"
    "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}";

static int
parse_doc(const char *doc, const char *issuer, struct oidc_provider *op)
{
	char err[256];

	return oidc_discovery_parse(doc, strlen(doc), issuer, op, err,
	    sizeof(err));
}

/* good_discovery with one piece of text replaced. */
static char *
doc_with(const char *from, const char *to)
{
	const char *at = strstr(good_discovery, from);
	struct buf b;

	ck_assert_ptr_nonnull(at);
	buf_init(&b, 8192);
	buf_add(&b, good_discovery, (size_t)(at - good_discovery));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	return buf_steal(&b);
}

START_TEST(test_discovery)
{
	struct oidc_provider op;
	char *d;

	ck_assert_int_eq(parse_doc(good_discovery, ISSUER, &op), 0);
	ck_assert_str_eq(op.op_token_endpoint, ISSUER "/token");
	ck_assert_str_eq(op.op_end_session_endpoint, ISSUER "/logout");
	ck_assert(op.op_iss_parameter_supported);
	oidc_provider_free(&op);
	/* Discovery §4.3: exactly the issuer asked for; no trailing '/'. */
	ck_assert_int_eq(parse_doc(good_discovery, ISSUER "/", &op), -1);
	ck_assert_int_eq(parse_doc(good_discovery, "http://127.0.0.1:9", &op),
	    -1);
	ck_assert_int_eq(parse_doc("[]", ISSUER, &op), -1);
	ck_assert_int_eq(parse_doc("{\"issuer\":", ISSUER, &op), -1);
	d = doc_with("\"token_endpoint\":\"" ISSUER "/token\",", "");
	ck_assert_int_eq(parse_doc(d, ISSUER, &op), -1);
	free(d);
	d = doc_with(ISSUER "/userinfo", "http://evil.example/userinfo");
	ck_assert_int_eq(parse_doc(d, ISSUER, &op), -1);
	free(d);
	d = doc_with("[\"S256\"]", "[\"plain\"]");
	ck_assert_int_eq(parse_doc(d, ISSUER, &op), -1);
	free(d);
	d = doc_with("[\"RS256\",\"ES256\"]", "[\"HS256\"]");
	ck_assert_int_eq(parse_doc(d, ISSUER, &op), -1);
	free(d);
	/* end_session_endpoint is optional. */
	d = doc_with("\"end_session_endpoint\":\"" ISSUER "/logout\",", "");
	ck_assert_int_eq(parse_doc(d, ISSUER, &op), 0);
	ck_assert_ptr_null(op.op_end_session_endpoint);
	oidc_provider_free(&op);
	free(d);
}
END_TEST

START_TEST(test_token_response)
{
	static const char ok[] = "{\"access_token\":\"AT\",\"token_type\":"
	    "\"bearer\",\"expires_in\":300,\"id_token\":\"a.b.c\"}";
	static const char no_idt[] = "{\"access_token\":\"AT\","
	    "\"token_type\":\"Bearer\"}";
	static const char mac[] = "{\"access_token\":\"AT\",\"token_type\":"
	    "\"mac\",\"id_token\":\"a.b.c\"}";
	struct oidc_tokens t;
	char err[256], code[32];

	ck_assert_int_eq(oidc_token_response_parse(ok, strlen(ok), &t, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(t.ot_access_token, "AT");
	ck_assert_str_eq(t.ot_id_token, "a.b.c");
	oidc_tokens_free(&t);
	ck_assert_int_eq(oidc_token_response_parse(no_idt, strlen(no_idt), &t,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(oidc_token_response_parse(mac, strlen(mac), &t, err,
	    sizeof(err)), -1);
	oidc_error_code("{\"error\":\"invalid_grant\"}", 25, code,
	    sizeof(code));
	ck_assert_str_eq(code, "invalid_grant");
	oidc_error_code("{\"error\":\"bad\\n\"}", 17, code, sizeof(code));
	ck_assert_str_eq(code, "");
}
END_TEST

START_TEST(test_userinfo_sub)
{
	static const char ui[] = "{\"sub\":\"u1\",\"name\":\"Made\"}";
	json_t *c;
	char err[256];

	ck_assert_int_eq(oidc_userinfo_parse(ui, strlen(ui), "u1", &c, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(json_string_value(json_object_get(c, "name")),
	    "Made");
	json_decref(c);
	/* OIDC Core §5.3.2: another person's claims must not be used. */
	ck_assert_int_eq(oidc_userinfo_parse(ui, strlen(ui), "u2", &c, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(c);
}
END_TEST

/* ---- JWK ---------------------------------------------------------------- */

static void
assert_round_trip(EVP_PKEY *k, const char *alg)
{
	json_t *jwk = jwk_of(k, "k1");
	char err[256], *pem, *want = pem_of(k);

	pem = jwk_to_pem(jwk, alg, err, sizeof(err));
	ck_assert_msg(pem != NULL, "%s", err);
	ck_assert_str_eq(pem, want);
	free(pem);
	free(want);
	json_decref(jwk);
}

START_TEST(test_jwk_round_trip)
{
	assert_round_trip(rsa_key, JWK_ALG_RS256);
	assert_round_trip(ec_key, JWK_ALG_ES256);
}
END_TEST

START_TEST(test_jwk_refused)
{
	EVP_PKEY *small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	json_t *jwk;
	char err[256], *y;

	/* RFC 7518 §3.3: RSA keys of 2048 bits or more. */
	jwk = jwk_of(small, NULL);
	ck_assert_ptr_null(jwk_to_pem(jwk, JWK_ALG_RS256, err, sizeof(err)));
	json_decref(jwk);
	EVP_PKEY_free(small);
	/* The wrong algorithm for the key type. */
	jwk = jwk_of(rsa_key, NULL);
	ck_assert_ptr_null(jwk_to_pem(jwk, JWK_ALG_ES256, err, sizeof(err)));
	/* A private key in a JWKS is a provider bug: refuse it. */
	json_object_set_new(jwk, "d", json_string("AQAB"));
	ck_assert_ptr_null(jwk_to_pem(jwk, JWK_ALG_RS256, err, sizeof(err)));
	json_decref(jwk);
	/* An EC point off the curve (invalid-curve attacks). */
	jwk = jwk_of(ec_key, NULL);
	y = strdup(json_string_value(json_object_get(jwk, "y")));
	y[5] = y[5] == 'A' ? 'B' : 'A';
	json_object_set_new(jwk, "y", json_string(y));
	ck_assert_ptr_null(jwk_to_pem(jwk, JWK_ALG_ES256, err, sizeof(err)));
	free(y);
	/* Another curve. */
	json_object_set_new(jwk, "crv", json_string("P-384"));
	ck_assert_ptr_null(jwk_to_pem(jwk, JWK_ALG_ES256, err, sizeof(err)));
	json_decref(jwk);
}
END_TEST

START_TEST(test_jwks_select)
{
	json_t *set = jwks_of(jwk_of(rsa_key, "r1"), jwk_of(ec_key, "e1"));
	json_t *two = jwks_of(jwk_of(rsa_key, "r1"), jwk_of(rsa_key, "r2"));
	json_t *enc = jwks_of(jwk_of(rsa_key, "r1"), NULL);
	const json_t *k;

	ck_assert_int_eq(jwks_select(set, "RS256", "r1", &k), JWKS_FOUND);
	ck_assert_str_eq(json_string_value(json_object_get(k, "kid")), "r1");
	ck_assert_int_eq(jwks_select(set, "ES256", "e1", &k), JWKS_FOUND);
	/* Right kid, wrong type for the alg: no key. */
	ck_assert_int_eq(jwks_select(set, "ES256", "r1", &k), JWKS_NOT_FOUND);
	ck_assert_int_eq(jwks_select(set, "RS256", "new", &k), JWKS_NOT_FOUND);
	/* Without a kid, one candidate is fine, two are not (Core §10.1). */
	ck_assert_int_eq(jwks_select(set, "RS256", NULL, &k), JWKS_FOUND);
	ck_assert_int_eq(jwks_select(two, "RS256", NULL, &k), JWKS_AMBIGUOUS);
	/* An encryption key is never used to verify. */
	json_object_set_new(json_array_get(json_object_get(enc, "keys"), 0),
	    "use", json_string("enc"));
	ck_assert_int_eq(jwks_select(enc, "RS256", "r1", &k), JWKS_NOT_FOUND);
	json_decref(enc);
	enc = json_object();
	ck_assert_int_eq(jwks_select(enc, "RS256", "r1", &k), JWKS_MALFORMED);
	json_decref(set);
	json_decref(two);
	json_decref(enc);
}
END_TEST

/* ---- ID token ----------------------------------------------------------- */

START_TEST(test_id_token_good)
{
	long long now = (long long)time(NULL);
	json_t *rs = jwks_of(jwk_of(rsa_key, "k1"), NULL);
	json_t *es = jwks_of(jwk_of(ec_key, "k1"), NULL);
	json_t *c = good_claims(now);
	char err[256] = "";

	ck_assert_msg(verify_and_check(rsa_key, "RS256", c, rs, now, err,
	    sizeof(err)) == 0, "RS256: %s", err);
	ck_assert_msg(verify_and_check(ec_key, "ES256", c, es, now, err,
	    sizeof(err)) == 0, "ES256: %s", err);
	/* Several audiences are fine when azp names us. */
	json_object_set_new(c, "aud", json_pack("[s, s]", CLIENT_ID,
	    "layanan-lain"));
	json_object_set_new(c, "azp", json_string(CLIENT_ID));
	ck_assert_msg(verify_and_check(rsa_key, "RS256", c, rs, now, err,
	    sizeof(err)) == 0, "aud array: %s", err);
	/* at_hash is optional in the code flow. */
	json_object_del(c, "at_hash");
	ck_assert_int_eq(verify_and_check(rsa_key, "RS256", c, rs, now, err,
	    sizeof(err)), 0);
	/* Expired 30 s ago: inside the 60 s leeway. */
	json_object_set_new(c, "exp", json_integer(now - 30));
	ck_assert_int_eq(verify_and_check(rsa_key, "RS256", c, rs, now, err,
	    sizeof(err)), 0);
	json_decref(c);
	json_decref(rs);
	json_decref(es);
}
END_TEST

START_TEST(test_id_token_signed_by_libjwt)
{
	long long now = (long long)time(NULL);
	json_t *rs = jwks_of(jwk_of(rsa_key, "k1"), NULL);
	json_t *c = good_claims(now), *got = NULL;
	struct oidc_expect x = expect_at(now);
	char *payload = json_dumps(c, JSON_COMPACT), *tok, err[256];
	unsigned char *pem;
	BIO *bio = BIO_new(BIO_s_mem());
	long len;
	jwt_t *jwt;

	PEM_write_bio_PrivateKey(bio, rsa_key, NULL, NULL, 0, NULL, NULL);
	len = BIO_get_mem_data(bio, (char **)&pem);
	ck_assert_int_eq(jwt_new(&jwt), 0);
	ck_assert_int_eq(jwt_add_grants_json(jwt, payload), 0);
	ck_assert_int_eq(jwt_add_header(jwt, "kid", "k1"), 0);
	ck_assert_int_eq(jwt_set_alg(jwt, JWT_ALG_RS256, pem, (int)len), 0);
	tok = jwt_encode_str(jwt);
	ck_assert_ptr_nonnull(tok);
	ck_assert_int_eq(oidc_id_token_verify(tok, rs, &got, err,
	    sizeof(err)), OIDC_SIG_OK);
	ck_assert_int_eq(oidc_id_token_check(got, &x, err, sizeof(err)), 0);
	json_decref(got);
	free(tok);
	jwt_free(jwt);
	BIO_free(bio);
	free(payload);
	json_decref(c);
	json_decref(rs);
}
END_TEST

/* One claim changed: the check must refuse, naming the reason. */
static void
assert_refused(const char *claim, json_t *value, const char *reason)
{
	long long now = (long long)time(NULL);
	json_t *rs = jwks_of(jwk_of(rsa_key, "k1"), NULL);
	json_t *c = good_claims(now);
	char err[256] = "";

	if (value != NULL)
		json_object_set_new(c, claim, value);
	else
		json_object_del(c, claim);
	ck_assert_int_eq(verify_and_check(rsa_key, "RS256", c, rs, now, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, reason) != NULL, "%s: got \"%s\"", claim,
	    err);
	json_decref(c);
	json_decref(rs);
}

START_TEST(test_id_token_claims_refused)
{
	long long now = (long long)time(NULL);

	assert_refused("iss", json_string(ISSUER "/"), "iss");
	assert_refused("iss", NULL, "iss");
	assert_refused("aud", json_string("layanan-lain"), "aud");
	assert_refused("aud", json_pack("[s]", "layanan-lain"), "aud");
	assert_refused("aud", NULL, "aud");
	assert_refused("aud", json_pack("[s, s]", CLIENT_ID, "layanan-lain"),
	    "azp");
	assert_refused("azp", json_string("layanan-lain"), "azp");
	assert_refused("sub", NULL, "sub");
	assert_refused("exp", json_integer(now - 61), "expired");
	assert_refused("exp", json_string("tomorrow"), "exp");
	assert_refused("exp", NULL, "exp");
	assert_refused("iat", NULL, "iat");
	assert_refused("iat", json_integer(now + 3600), "iat");
	assert_refused("nonce", json_string("another-nonce"), "nonce");
	assert_refused("nonce", NULL, "nonce");
	assert_refused("at_hash", json_string("77QmUPtjPfzWtF2AnpK9RA"),
	    "at_hash");
	assert_refused("at_hash", json_integer(1), "at_hash");
}
END_TEST

START_TEST(test_at_hash_oidc_example)
{
	char h[OIDC_AT_HASH_LEN + 1];

	/* OIDC Core Appendix A.3. */
	ck_assert_int_eq(oidc_at_hash(ACCESS_TOKEN, h), 0);
	ck_assert_str_eq(h, "77QmUPtjPfzWtF2AnpK9RQ");
}
END_TEST

static enum oidc_sig
verify_raw(const char *jws, const json_t *jwks)
{
	json_t *c = NULL;
	enum oidc_sig s;
	char err[256];

	s = oidc_id_token_verify(jws, jwks, &c, err, sizeof(err));
	ck_assert(s == OIDC_SIG_OK || c == NULL);
	json_decref(c);
	return s;
}

START_TEST(test_id_token_signature_refused)
{
	json_t *rs = jwks_of(jwk_of(rsa_key, "k1"), NULL);
	json_t *c = good_claims((long long)time(NULL));
	char *payload = json_dumps(c, JSON_COMPACT), *jws, *input, *pem;
	char *tampered, *forged;
	unsigned char mac[32];
	unsigned int maclen;
	EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	size_t n;

	/* Signed by a key that is not the provider's. */
	jws = sign_jws(other, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", payload);
	ck_assert_int_eq(verify_raw(jws, rs), OIDC_SIG_INVALID);
	free(jws);
	/* A payload changed after signing: another person's sub. */
	jws = sign_jws(rsa_key, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", payload);
	json_object_set_new(c, "sub", json_string("someone-else"));
	tampered = json_dumps(c, JSON_COMPACT);
	input = signing_input("{\"alg\":\"RS256\",\"kid\":\"k1\"}",
	    tampered);
	n = strlen(input) + strlen(strrchr(jws, '.')) + 1;
	forged = malloc(n);
	snprintf(forged, n, "%s%s", input, strrchr(jws, '.'));
	ck_assert_int_eq(verify_raw(jws, rs), OIDC_SIG_OK);
	ck_assert_int_eq(verify_raw(forged, rs), OIDC_SIG_INVALID);
	free(forged);
	free(input);
	free(tampered);
	free(jws);
	/* A kid we do not know yet: the caller refetches the JWKS. */
	jws = sign_jws(rsa_key, "{\"alg\":\"RS256\",\"kid\":\"k2\"}", payload);
	ck_assert_int_eq(verify_raw(jws, rs), OIDC_SIG_UNKNOWN_KEY);
	free(jws);
	/* RFC 7515 §4.1.11: unknown critical extensions. */
	jws = sign_jws(rsa_key, "{\"alg\":\"RS256\",\"kid\":\"k1\","
	    "\"crit\":[\"x\"],\"x\":1}", payload);
	ck_assert_int_eq(verify_raw(jws, rs), OIDC_SIG_INVALID);
	free(jws);
	/* alg none, unsigned. */
	input = signing_input("{\"alg\":\"none\"}", payload);
	n = strlen(input);
	jws = malloc(n + 2);
	snprintf(jws, n + 2, "%s.", input);
	ck_assert_int_eq(verify_raw(jws, rs), OIDC_SIG_INVALID);
	free(jws);
	free(input);
	/*
	 * HS256 with the provider's public key (PEM) as the HMAC secret:
	 * the classic algorithm confusion against libjwt 1.x's jwt_decode.
	 */
	pem = pem_of(rsa_key);
	input = signing_input("{\"alg\":\"HS256\",\"kid\":\"k1\"}", payload);
	HMAC(EVP_sha256(), pem, (int)strlen(pem), (unsigned char *)input,
	    strlen(input), mac, &maclen);
	jws = join_sig(input, mac, maclen);
	ck_assert_int_eq(verify_raw(jws, rs), OIDC_SIG_INVALID);
	free(jws);
	free(pem);
	/* Not three parts. */
	ck_assert_int_eq(verify_raw("a.b", rs), OIDC_SIG_INVALID);
	ck_assert_int_eq(verify_raw("a.b.c.d", rs), OIDC_SIG_INVALID);
	ck_assert_int_eq(verify_raw("!!.b.c", rs), OIDC_SIG_INVALID);
	EVP_PKEY_free(other);
	free(payload);
	json_decref(c);
	json_decref(rs);
}
END_TEST

/* ---- sessions ----------------------------------------------------------- */

static struct session_login
login_of(const char *state)
{
	struct session_login l;

	memset(&l, 0, sizeof(l));
	snprintf(l.sl_state, sizeof(l.sl_state), "%s", state);
	snprintf(l.sl_nonce, sizeof(l.sl_nonce), "nonce");
	snprintf(l.sl_verifier, sizeof(l.sl_verifier), "verifier");
	return l;
}

START_TEST(test_session_login_once)
{
	struct session_table *t = session_table_new(8, SESSION_TTL);
	struct session_login l = login_of("state-1"), out;
	char sid[SESSION_ID_LEN + 1];

	ck_assert_int_eq(session_login_new(t, 1000, &l, sid), 0);
	ck_assert_uint_eq(strlen(sid), SESSION_ID_LEN);
	/* A wrong state leaves the sign-in in place... */
	ck_assert_int_eq(session_login_take(t, 1001, sid, "state-2", &out),
	    SESSION_STATE_MISMATCH);
	ck_assert_int_eq(session_login_take(t, 1001, sid, NULL, &out),
	    SESSION_STATE_MISMATCH);
	/* ...the right one takes it, once. */
	ck_assert_int_eq(session_login_take(t, 1002, sid, "state-1", &out),
	    SESSION_TAKEN);
	ck_assert_str_eq(out.sl_nonce, "nonce");
	ck_assert_int_eq(session_login_take(t, 1003, sid, "state-1", &out),
	    SESSION_NONE);
	ck_assert_int_eq(session_login_take(t, 1003, "x", "state-1", &out),
	    SESSION_NONE);
	ck_assert_int_eq(session_login_take(t, 1003, NULL, "state-1", &out),
	    SESSION_NONE);
	/* Ten minutes later a sign-in in progress is gone. */
	ck_assert_int_eq(session_login_new(t, 2000, &l, sid), 0);
	ck_assert_int_eq(session_login_take(t, 2000 + SESSION_TTL, sid,
	    "state-1", &out), SESSION_NONE);
	session_table_free(t);
}
END_TEST

START_TEST(test_session_user)
{
	struct session_table *t = session_table_new(8, SESSION_TTL);
	char sid[SESSION_ID_LEN + 1], *c, *idt;
	struct session_login out;

	ck_assert_int_eq(session_user_new(t, 1000, "{\"sub\":\"u\"}", "a.b.c",
	    sid), 0);
	ck_assert_int_eq(session_user_get(t, 1500, sid, &c, &idt), 0);
	ck_assert_str_eq(c, "{\"sub\":\"u\"}");
	ck_assert_str_eq(idt, "a.b.c");
	wipe_free(c);
	wipe_free(idt);
	/* Idle expiry: each request extends the session. */
	ck_assert_int_eq(session_user_get(t, 1500 + SESSION_TTL - 1, sid, &c,
	    &idt), 0);
	wipe_free(c);
	wipe_free(idt);
	/* A signed-in session is not a sign-in in progress. */
	ck_assert_int_eq(session_login_take(t, 2000, sid, "", &out),
	    SESSION_NONE);
	session_drop(t, sid);
	ck_assert_int_eq(session_user_get(t, 2000, sid, &c, &idt), -1);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(session_user_new(t, 3000, "{}", "x", sid), 0);
	ck_assert_int_eq(session_user_get(t, 3000 + SESSION_TTL, sid, &c,
	    &idt), -1);
	session_table_free(t);
}
END_TEST

START_TEST(test_session_bounded)
{
	struct session_table *t = session_table_new(4, SESSION_TTL);
	char user[SESSION_ID_LEN + 1], sid[SESSION_ID_LEN + 1], *c, *idt;
	struct session_login l = login_of("s");
	int i;

	ck_assert_int_eq(session_user_new(t, 1000, "{}", "x", user), 0);
	/* A flood of /login requests fills the table... */
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(session_login_new(t, 1001 + i, &l, sid), 0);
	/* ...but pushes out only other sign-ins in progress. */
	ck_assert_int_eq(session_user_get(t, 1200, user, &c, &idt), 0);
	wipe_free(c);
	wipe_free(idt);
	session_table_free(t);
}
END_TEST

/* ---- the SPBE table ----------------------------------------------------- */

static void
load_table(struct spbe_table *t)
{
	char err[256];

	ck_assert_msg(spbe_load(SPBE_DATA, t, err, sizeof(err)) == 0, "%s",
	    err);
}

START_TEST(test_csv_sorted_and_ranked)
{
	struct spbe_table t;

	load_table(&t);
	ck_assert_uint_eq(t.st_n, 10);
	ck_assert_str_eq(t.st_rows[0].sr_instansi, SPBE_PROVINCE_ROW);
	ck_assert_int_eq(t.st_rows[0].sr_indeks, 407);
	ck_assert_int_eq(t.st_rows[0].sr_indeks_2021, 368);
	ck_assert_str_eq(t.st_rows[0].sr_predikat, "Sangat Baik");
	ck_assert_str_eq(t.st_rows[1].sr_instansi, "Kota Denpasar");
	ck_assert_int_eq(t.st_rows[1].sr_indeks_2021, -1);
	/* Gianyar and Jembrana share 3,14 and rank 6; Klungkung is 8th. */
	ck_assert_str_eq(t.st_rows[5].sr_instansi, "Kabupaten Gianyar");
	ck_assert_str_eq(t.st_rows[6].sr_instansi, "Kabupaten Jembrana");
	ck_assert_int_eq(t.st_rows[5].sr_rank, 6);
	ck_assert_int_eq(t.st_rows[6].sr_rank, 6);
	ck_assert_int_eq(t.st_rows[7].sr_rank, 8);
	ck_assert_str_eq(t.st_rows[9].sr_instansi, "Kabupaten Karangasem");
	ck_assert_str_eq(t.st_rows[9].sr_predikat, "Cukup");
}
END_TEST

static int
parse_csv(const char *text)
{
	struct spbe_table t;
	char err[256];

	return spbe_parse(text, strlen(text), &t, err, sizeof(err));
}

#define HDR "instansi,jenis,indeks_2023,predikat_2023,indeks_2021\n"

START_TEST(test_csv_refused)
{
	ck_assert_int_eq(parse_csv(HDR "Kota X,kota,3.80,Sangat Baik,\r\n"),
	    0);
	ck_assert_int_eq(parse_csv("\xEF\xBB\xBF" HDR "Kota X,kota,1,Kurang,"
	    "\n\n"), 0);
	ck_assert_int_eq(parse_csv(""), -1);
	ck_assert_int_eq(parse_csv(HDR), -1);
	ck_assert_int_eq(parse_csv("instansi,jenis\nKota X,kota\n"), -1);
	ck_assert_int_eq(parse_csv(HDR "Kota X,kota,3.80,Sangat Baik\n"), -1);
	ck_assert_int_eq(parse_csv(HDR "Kota X,kota,3.80,Sangat Baik,,x\n"),
	    -1);
	ck_assert_int_eq(parse_csv(HDR "Kota X,kota,3.80,Baik,\n"), -1);
	ck_assert_int_eq(parse_csv(HDR "Kota X,kota,5.5,Memuaskan,\n"), -1);
	ck_assert_int_eq(parse_csv(HDR "Kota X,kota,3,80,Baik,\n"), -1);
	ck_assert_int_eq(parse_csv(HDR "Kota X,desa,3.80,Sangat Baik,\n"), -1);
	ck_assert_int_eq(parse_csv(HDR "\"Kota, X\",kota,3.80,Sangat Baik,\n"),
	    -1);
	ck_assert_int_eq(parse_csv(HDR "Kota X,kota,3.80,Sangat Baik,\n"
	    "Kota X,kota,3.70,Sangat Baik,\n"), -1);
}
END_TEST

START_TEST(test_bands)
{
	ck_assert_str_eq(spbe_band(500), "Memuaskan");
	ck_assert_str_eq(spbe_band(420), "Memuaskan");
	ck_assert_str_eq(spbe_band(419), "Sangat Baik");
	ck_assert_str_eq(spbe_band(350), "Sangat Baik");
	ck_assert_str_eq(spbe_band(349), "Baik");
	ck_assert_str_eq(spbe_band(260), "Baik");
	ck_assert_str_eq(spbe_band(259), "Cukup");
	ck_assert_str_eq(spbe_band(180), "Cukup");
	ck_assert_str_eq(spbe_band(179), "Kurang");
	ck_assert_str_eq(spbe_band(0), "Kurang");
}
END_TEST

static const char *
matched(const struct spbe_table *t, const char *kind, const char *code,
    const char *name, const char *parent)
{
	struct spbe_org o = { kind, code, name, parent };
	int row = spbe_match(t, &o);

	return row < 0 ? "-" : t->st_rows[row].sr_instansi;
}

START_TEST(test_highlight_mapping)
{
	struct spbe_table t;

	load_table(&t);
	ck_assert_str_eq(matched(&t, "province", "baliprov",
	    "Pemerintah Provinsi Bali", NULL), SPBE_PROVINCE_ROW);
	ck_assert_str_eq(matched(&t, "provincial_agency", "diskominfos",
	    "Dinas Komunikasi, Informatika dan Statistik", "baliprov"),
	    SPBE_PROVINCE_ROW);
	ck_assert_str_eq(matched(&t, "regency", "badung", "Kabupaten Badung",
	    "baliprov"), "Kabupaten Badung");
	ck_assert_str_eq(matched(&t, "city", "denpasar", "Kota Denpasar",
	    NULL), "Kota Denpasar");
	/* A regency under another name still matches by its code. */
	ck_assert_str_eq(matched(&t, "regency", "tabanan",
	    "Pemerintah Kabupaten Tabanan", NULL), "Kabupaten Tabanan");
	ck_assert_str_eq(matched(&t, "local_agency", "badung.diskominfo",
	    "Diskominfo Badung", "badung"), "Kabupaten Badung");
	ck_assert_str_eq(matched(&t, "local_agency", "denpasar.bappeda",
	    "Bappeda Kota Denpasar", "denpasar"), "Kota Denpasar");
	ck_assert_str_eq(matched(&t, "desa_adat", "da.ubud", "Desa Adat Ubud",
	    "gianyar"), "Kabupaten Gianyar");
	ck_assert_str_eq(matched(&t, "desa_adat", "da.x", "Desa Adat X",
	    "nowhere"), "-");
	ck_assert_str_eq(matched(&t, "desa_adat", "da.x", "Desa Adat X",
	    NULL), "-");
	ck_assert_str_eq(matched(&t, "health_facility", "rsup", "RSUP Prof. "
	    "Ngoerah", "baliprov"), "-");
	ck_assert_str_eq(matched(&t, "central_agency", "bps.bali",
	    "BPS Provinsi Bali", NULL), "-");
	ck_assert_str_eq(matched(&t, NULL, NULL, NULL, NULL), "-");
	ck_assert_str_eq(matched(&t, "regency", "x", "Kabupaten X", NULL),
	    "-");
}
END_TEST

/* ---- pages -------------------------------------------------------------- */

START_TEST(test_pages)
{
	struct spbe_table t;
	json_t *c;
	char *p;

	load_table(&t);
	p = page_signed_out();
	ck_assert_ptr_nonnull(strstr(p, "Masuk dengan SSO Provinsi Bali"));
	ck_assert_ptr_null(strstr(p, "<script"));
	free(p);
	c = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}",
	    "sub", "u", "name", "Made <script>alert(1)</script>",
	    "preferred_username", "made", "nip", "198001012005011001",
	    "organisation", "code", "badung.diskominfo", "name",
	    "Diskominfo Badung", "kind", "local_agency", "parent", "badung");
	p = page_home(c, &t);
	ck_assert_ptr_null(strstr(p, "<script"));
	ck_assert_ptr_nonnull(strstr(p, "Made &lt;script&gt;"));
	ck_assert_ptr_nonnull(strstr(p, "198001012005011001"));
	ck_assert_ptr_nonnull(strstr(p, "<tr class=\"mine\"><td class=\"num\">"
	    "4</td><th scope=\"row\">Kabupaten Badung"));
	ck_assert_ptr_nonnull(strstr(p, "4,07"));
	ck_assert_ptr_nonnull(strstr(p, "Keluar"));
	ck_assert_ptr_null(strstr(p, "Jabatan"));	/* absent: left out */
	free(p);
	json_object_set_new(c, "organisation", json_pack("{s:s, s:s, s:s}",
	    "code", "rsup", "name", "RSUP", "kind", "health_facility"));
	p = page_home(c, &t);
	ck_assert_ptr_null(strstr(p, "class=\"mine\""));
	ck_assert_ptr_nonnull(strstr(p, "tidak termasuk"));
	free(p);
	json_decref(c);
	p = page_message("Judul", "Pesan", "<b>x</b>", true);
	ck_assert_ptr_nonnull(strstr(p, "&lt;b&gt;x&lt;/b&gt;"));
	free(p);
}
END_TEST

static Suite *
portal_suite(void)
{
	Suite *s = suite_create("spbe-portal");
	TCase *tc;

	tc = tcase_create("encoding");
	tcase_add_test(tc, test_b64url_rfc4648);
	tcase_add_test(tc, test_b64url_strict);
	tcase_add_test(tc, test_buf_and_escaping);
	tcase_add_test(tc, test_random_and_ct);
	suite_add_tcase(s, tc);

	tc = tcase_create("protocol");
	tcase_add_test(tc, test_pkce_rfc7636_appendix_b);
	tcase_add_test(tc, test_url_ok);
	tcase_add_test(tc, test_authorize_url);
	tcase_add_test(tc, test_basic_auth_form_encoded);
	tcase_add_test(tc, test_token_form_and_logout_url);
	tcase_add_test(tc, test_discovery);
	tcase_add_test(tc, test_token_response);
	tcase_add_test(tc, test_userinfo_sub);
	suite_add_tcase(s, tc);

	tc = tcase_create("jose");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_jwk_round_trip);
	tcase_add_test(tc, test_jwk_refused);
	tcase_add_test(tc, test_jwks_select);
	tcase_add_test(tc, test_id_token_good);
	tcase_add_test(tc, test_id_token_signed_by_libjwt);
	tcase_add_test(tc, test_id_token_claims_refused);
	tcase_add_test(tc, test_at_hash_oidc_example);
	tcase_add_test(tc, test_id_token_signature_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("session");
	tcase_add_test(tc, test_session_login_once);
	tcase_add_test(tc, test_session_user);
	tcase_add_test(tc, test_session_bounded);
	suite_add_tcase(s, tc);

	tc = tcase_create("spbe");
	tcase_add_test(tc, test_csv_sorted_and_ranked);
	tcase_add_test(tc, test_csv_refused);
	tcase_add_test(tc, test_bands);
	tcase_add_test(tc, test_highlight_mapping);
	tcase_add_test(tc, test_pages);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	rsa_key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ec_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (rsa_key == NULL || ec_key == NULL) {
		fprintf(stderr, "cannot generate test keys\n");
		return 1;
	}
	sr = srunner_create(portal_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	EVP_PKEY_free(rsa_key);
	EVP_PKEY_free(ec_key);
	return failed == 0 ? 0 : 1;
}

/* crypto/webauthn: authenticator data, attestation objects and COSE keys
 * built here with libcbor's encoder and signed with OpenSSL (the roles an
 * authenticator plays), then parsed and verified by the provider's code;
 * and the malformed inputs a browser or an attacker can send: truncated
 * and trailing bytes, indefinite and wrong-typed items, wrong curves and
 * algorithms, duplicate keys, attestation formats other than none, bad
 * clientDataJSON, wrong and tampered signatures. */
#include <string.h>

#include <cbor.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto/digest.h"
#include "crypto/webauthn.h"
#include "unit.h"

struct buf {
	unsigned char *d;
	size_t n;
};

static void
map_int(cbor_item_t *m, int64_t k, cbor_item_t *v)
{
	cbor_item_t *key = k >= 0 ? cbor_build_uint8((uint8_t)k) :
	    cbor_build_negint8((uint8_t)(-1 - k));

	ck_assert(cbor_map_add(m, (struct cbor_pair){ cbor_move(key),
	    cbor_move(v) }));
}

static cbor_item_t *
int_item(int64_t v)
{
	if (v >= 0)
		return cbor_build_uint16((uint16_t)v);
	return cbor_build_negint16((uint16_t)(-1 - v));
}

static struct buf
serialise(cbor_item_t *it)
{
	struct buf b = { NULL, 0 };
	size_t cap = 0;

	b.n = cbor_serialize_alloc(it, &b.d, &cap);
	ck_assert_uint_gt(b.n, 0);
	cbor_decref(&it);
	return b;
}

/* The COSE_Key of an EC P-256 key (alg, crv as given, for bad ones). */
static struct buf
cose_ec(EVP_PKEY *k, int64_t alg, int64_t crv, size_t xlen)
{
	unsigned char pub[65];
	size_t n = 0;
	cbor_item_t *m = cbor_new_definite_map(5);

	ck_assert_int_eq(EVP_PKEY_get_octet_string_param(k,
	    OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &n), 1);
	ck_assert_uint_eq(n, 65);
	map_int(m, 1, int_item(2));
	map_int(m, 3, int_item(alg));
	map_int(m, -1, int_item(crv));
	map_int(m, -2, cbor_build_bytestring(pub + 1, xlen));
	map_int(m, -3, cbor_build_bytestring(pub + 33, 32));
	return serialise(m);
}

static struct buf
cose_rsa(EVP_PKEY *k)
{
	BIGNUM *nb = NULL, *eb = NULL;
	unsigned char nn[512], ee[8];
	int nl, el;
	cbor_item_t *m = cbor_new_definite_map(4);

	ck_assert_int_eq(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &nb),
	    1);
	ck_assert_int_eq(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &eb),
	    1);
	nl = BN_bn2bin(nb, nn);
	el = BN_bn2bin(eb, ee);
	map_int(m, 1, int_item(3));
	map_int(m, 3, int_item(-257));
	map_int(m, -1, cbor_build_bytestring(nn, (size_t)nl));
	map_int(m, -2, cbor_build_bytestring(ee, (size_t)el));
	BN_free(nb);
	BN_free(eb);
	return serialise(m);
}

/* Authenticator data: rpIdHash of rp, flags, counter, and (key not
 * NULL) the attested credential with a 16-byte id. */
static struct buf
auth_data(const char *rp, uint8_t flags, uint32_t count,
    const struct buf *key)
{
	struct buf b;
	size_t n = 37 + (key ? 18 + 16 + key->n : 0);

	b.d = calloc(1, n);
	b.n = n;
	idp_sha256(rp, strlen(rp), b.d);
	b.d[32] = flags;
	b.d[33] = (unsigned char)(count >> 24);
	b.d[34] = (unsigned char)(count >> 16);
	b.d[35] = (unsigned char)(count >> 8);
	b.d[36] = (unsigned char)count;
	if (key != NULL) {
		b.d[37 + 16] = 0;
		b.d[37 + 17] = 16;
		memset(b.d + 37 + 18, 0xab, 16);
		memcpy(b.d + 37 + 34, key->d, key->n);
	}
	return b;
}

static struct buf
attestation(const char *fmt, const struct buf *ad, bool empty_stmt)
{
	cbor_item_t *m = cbor_new_definite_map(3), *stmt =
	    cbor_new_definite_map(1);

	if (!empty_stmt)
		ck_assert(cbor_map_add(stmt, (struct cbor_pair){
		    cbor_move(cbor_build_string("alg")),
		    cbor_move(int_item(-7)) }));
	ck_assert(cbor_map_add(m, (struct cbor_pair){
	    cbor_move(cbor_build_string("fmt")),
	    cbor_move(cbor_build_string(fmt)) }));
	ck_assert(cbor_map_add(m, (struct cbor_pair){
	    cbor_move(cbor_build_string("attStmt")), cbor_move(stmt) }));
	ck_assert(cbor_map_add(m, (struct cbor_pair){
	    cbor_move(cbor_build_string("authData")),
	    cbor_move(cbor_build_bytestring(ad->d, ad->n)) }));
	return serialise(m);
}

static EVP_PKEY *
ec_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	ck_assert_ptr_nonnull(k);
	return k;
}

/* An assertion signature: over authData || SHA-256(clientData). */
static struct buf
sign(EVP_PKEY *k, const struct buf *ad, const char *cd)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *msg = malloc(ad->n + 32);
	struct buf s = { malloc(1024), 1024 };

	memcpy(msg, ad->d, ad->n);
	idp_sha256(cd, strlen(cd), msg + ad->n);
	ck_assert_int_eq(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k),
	    1);
	ck_assert_int_eq(EVP_DigestSign(md, s.d, &s.n, msg, ad->n + 32), 1);
	EVP_MD_CTX_free(md);
	free(msg);
	return s;
}

#define CD "{\"type\":\"webauthn.get\",\"challenge\":" \
	"\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"," \
	"\"origin\":\"https://sso.baliprov.go.id\",\"crossOrigin\":false}"

START_TEST(es256_registration_and_assertion)
{
	EVP_PKEY *k = ec_key();
	struct buf key = cose_ec(k, -7, 1, 32);
	struct buf ad = auth_data("sso.baliprov.go.id", IDP_WA_UP | IDP_WA_UV |
	    IDP_WA_AT, 0, &key);
	struct buf att = attestation("none", &ad, true);
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_webauthn_auth_data p;
	unsigned char *ad2;
	size_t ad2n;
	struct buf get, sig;

	ck_assert_int_eq(idp_webauthn_attestation_parse(a, att.d, att.n, &ad2,
	    &ad2n), 0);
	ck_assert_uint_eq(ad2n, ad.n);
	ck_assert_int_eq(idp_webauthn_auth_data_parse(ad2, ad2n, &p), 0);
	ck_assert_int_eq(p.alg, -7);
	ck_assert_uint_eq(p.cred_id_len, 16);
	ck_assert_uint_eq(p.cose_key_len, key.n);
	ck_assert_int_eq(memcmp(p.cose_key, key.d, key.n), 0);
	ck_assert(p.flags & IDP_WA_UV);
	/* The assertion: counter 7, signed; then tampered. */
	get = auth_data("sso.baliprov.go.id", IDP_WA_UP, 7, NULL);
	ck_assert_int_eq(idp_webauthn_auth_data_parse(get.d, get.n, &p), 0);
	ck_assert_uint_eq(p.sign_count, 7);
	sig = sign(k, &get, CD);
	ck_assert_int_eq(idp_webauthn_verify(key.d, key.n, get.d, get.n,
	    (const unsigned char *)CD, strlen(CD), sig.d, sig.n), 0);
	ck_assert_int_eq(idp_webauthn_verify(key.d, key.n, get.d, get.n,
	    (const unsigned char *)CD, strlen(CD) - 1, sig.d, sig.n), -1);
	get.d[36] ^= 1;
	ck_assert_int_eq(idp_webauthn_verify(key.d, key.n, get.d, get.n,
	    (const unsigned char *)CD, strlen(CD), sig.d, sig.n), -1);
	get.d[36] ^= 1;
	sig.d[sig.n - 1] ^= 1;
	ck_assert_int_eq(idp_webauthn_verify(key.d, key.n, get.d, get.n,
	    (const unsigned char *)CD, strlen(CD), sig.d, sig.n), -1);
	ck_assert_int_eq(idp_webauthn_verify(key.d, key.n, get.d, get.n,
	    (const unsigned char *)CD, strlen(CD), sig.d, 0), -1);
	free(key.d);
	free(ad.d);
	free(att.d);
	free(get.d);
	free(sig.d);
	idp_arena_free(a);
	EVP_PKEY_free(k);
}
END_TEST

START_TEST(rs256_assertion)
{
	EVP_PKEY *k = EVP_RSA_gen(2048), *small = EVP_RSA_gen(1024);
	struct buf key = cose_rsa(k), weak = cose_rsa(small);
	struct buf get = auth_data("sso.baliprov.go.id", IDP_WA_UP, 1, NULL);
	struct buf sig = sign(k, &get, CD);

	ck_assert_int_eq(idp_cose_key_alg(key.d, key.n, NULL), -257);
	ck_assert_int_eq(idp_cose_key_alg(weak.d, weak.n, NULL), 0);
	ck_assert_int_eq(idp_webauthn_verify(key.d, key.n, get.d, get.n,
	    (const unsigned char *)CD, strlen(CD), sig.d, sig.n), 0);
	sig.d[10] ^= 0x40;
	ck_assert_int_eq(idp_webauthn_verify(key.d, key.n, get.d, get.n,
	    (const unsigned char *)CD, strlen(CD), sig.d, sig.n), -1);
	free(key.d);
	free(weak.d);
	free(get.d);
	free(sig.d);
	EVP_PKEY_free(k);
	EVP_PKEY_free(small);
}
END_TEST

START_TEST(bad_cose_keys)
{
	EVP_PKEY *k = ec_key();
	struct buf wrong_alg = cose_ec(k, -8, 1, 32);
	struct buf wrong_crv = cose_ec(k, -7, 2, 32);
	struct buf short_x = cose_ec(k, -7, 1, 31);
	struct buf good = cose_ec(k, -7, 1, 32);
	static const unsigned char not_map[] = { 0x82, 0x01, 0x02 };
	static const unsigned char indefinite[] = { 0xbf, 0x01, 0x02, 0xff };
	static const unsigned char dup[] = { 0xa2, 0x01, 0x02, 0x01, 0x02 };
	/* Heads that declare 2^32 - 1 elements in a few bytes: refused
	 * before libcbor allocates for them. */
	static const unsigned char huge_array[] = { 0xa1, 0x01, 0x9a, 0xff,
		0xff, 0xff, 0xff, 0x00 };
	static const unsigned char huge_map[] = { 0xba, 0xff, 0xff, 0xff,
		0xff, 0x01, 0x02 };
	size_t used = 0;

	ck_assert_int_eq(idp_cose_key_alg(wrong_alg.d, wrong_alg.n, NULL), 0);
	ck_assert_int_eq(idp_cose_key_alg(wrong_crv.d, wrong_crv.n, NULL), 0);
	ck_assert_int_eq(idp_cose_key_alg(short_x.d, short_x.n, NULL), 0);
	ck_assert_int_eq(idp_cose_key_alg(good.d, good.n - 1, NULL), 0);
	ck_assert_int_eq(idp_cose_key_alg(good.d, good.n, &used), -7);
	ck_assert_uint_eq(used, good.n);
	/* A point not on the curve. */
	good.d[good.n - 1] ^= 1;
	ck_assert_int_eq(idp_cose_key_alg(good.d, good.n, NULL), 0);
	ck_assert_int_eq(idp_cose_key_alg(not_map, sizeof(not_map), NULL), 0);
	ck_assert_int_eq(idp_cose_key_alg(indefinite, sizeof(indefinite),
	    NULL), 0);
	ck_assert_int_eq(idp_cose_key_alg(dup, sizeof(dup), NULL), 0);
	ck_assert_int_eq(idp_cose_key_alg(huge_array, sizeof(huge_array),
	    NULL), 0);
	ck_assert_int_eq(idp_cose_key_alg(huge_map, sizeof(huge_map), NULL),
	    0);
	ck_assert_int_eq(idp_cose_key_alg(NULL, 0, NULL), 0);
	free(wrong_alg.d);
	free(wrong_crv.d);
	free(short_x.d);
	free(good.d);
	EVP_PKEY_free(k);
}
END_TEST

START_TEST(bad_auth_data_and_attestation)
{
	EVP_PKEY *k = ec_key();
	struct buf key = cose_ec(k, -7, 1, 32);
	struct buf ad = auth_data("sso.baliprov.go.id", IDP_WA_UP | IDP_WA_AT,
	    0, &key);
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_webauthn_auth_data p;
	struct buf packed = attestation("packed", &ad, false);
	struct buf stmt = attestation("none", &ad, false);
	struct buf good = attestation("none", &ad, true);
	unsigned char *big = calloc(1, IDP_WEBAUTHN_MAX + 1);
	unsigned char *out;
	size_t outn;

	ck_assert_int_eq(idp_webauthn_auth_data_parse(ad.d, 36, &p), -1);
	ck_assert_int_eq(idp_webauthn_auth_data_parse(ad.d, ad.n - 1, &p), -1);
	ck_assert_int_eq(idp_webauthn_auth_data_parse(ad.d, 37 + 10, &p), -1);
	ck_assert_int_eq(idp_webauthn_auth_data_parse(big, IDP_WEBAUTHN_MAX + 1,
	    &p), -1);
	/* Trailing bytes without ED, and a credential id longer than the
	 * data. */
	ad.d = realloc(ad.d, ad.n + 1);
	ad.d[ad.n] = 0;
	ck_assert_int_eq(idp_webauthn_auth_data_parse(ad.d, ad.n + 1, &p), -1);
	ad.d[37 + 16] = 0xff;
	ck_assert_int_eq(idp_webauthn_auth_data_parse(ad.d, ad.n, &p), -1);
	ad.d[37 + 16] = 0;
	ck_assert_int_eq(idp_webauthn_auth_data_parse(ad.d, ad.n, &p), 0);
	/* ED without extensions. */
	ad.d[32] |= IDP_WA_ED;
	ck_assert_int_eq(idp_webauthn_auth_data_parse(ad.d, ad.n, &p), -1);
	ck_assert_int_eq(idp_webauthn_attestation_parse(a, packed.d, packed.n,
	    &out, &outn), -1);
	ck_assert_int_eq(idp_webauthn_attestation_parse(a, stmt.d, stmt.n,
	    &out, &outn), -1);
	ck_assert_int_eq(idp_webauthn_attestation_parse(a, good.d, good.n - 1,
	    &out, &outn), -1);
	ck_assert_int_eq(idp_webauthn_attestation_parse(a, good.d, good.n,
	    &out, &outn), 0);
	ck_assert_int_eq(idp_webauthn_attestation_parse(a, big,
	    IDP_WEBAUTHN_MAX + 1, &out, &outn), -1);
	ck_assert_int_eq(idp_webauthn_attestation_parse(a,
	    (const unsigned char *)"\xa0", 1, &out, &outn), -1);
	ck_assert_int_eq(idp_webauthn_attestation_parse(a,
	    (const unsigned char *)"\xff", 1, &out, &outn), -1);
	free(key.d);
	free(ad.d);
	free(packed.d);
	free(stmt.d);
	free(good.d);
	free(big);
	idp_arena_free(a);
	EVP_PKEY_free(k);
}
END_TEST

START_TEST(client_data)
{
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_webauthn_client_data d;
	static const char *const bad[] = {
		"", "[]", "{\"type\":1}", "not json",
		"{\"type\":\"webauthn.get\",\"challenge\":\"AAEC\","
		"\"origin\":\"https://a\"}",
		"{\"type\":\"webauthn.get\",\"challenge\":\"AA+C/AAAAAAAAAAAAAAAAAAA\","
		"\"origin\":\"https://a\"}",
		"{\"type\":\"webauthn.get\",\"challenge\":"
		"\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}",
		"{\"type\":\"webauthn.get\",\"challenge\":"
		"\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\","
		"\"origin\":\"https://a\",\"crossOrigin\":\"no\"}",
		"{\"type\":\"a\",\"type\":\"b\",\"challenge\":"
		"\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\","
		"\"origin\":\"https://a\"}",
		NULL };

	ck_assert_int_eq(idp_webauthn_client_data_parse(a,
	    (const unsigned char *)CD, strlen(CD), &d), 0);
	ck_assert_str_eq(d.type, "webauthn.get");
	ck_assert_str_eq(d.origin, "https://sso.baliprov.go.id");
	ck_assert_uint_eq(d.challenge_len, 32);
	ck_assert_int_eq(d.challenge[31], 31);
	ck_assert(!d.cross_origin);
	for (const char *const *b = bad; *b; b++)
		ck_assert_msg(idp_webauthn_client_data_parse(a,
		    (const unsigned char *)*b, strlen(*b), &d) == -1, "%s", *b);
	idp_arena_free(a);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_webauthn");
	TCase *tc = unit_tcase(s, "webauthn");

	tcase_add_test(tc, es256_registration_and_assertion);
	tcase_add_test(tc, rs256_assertion);
	tcase_add_test(tc, bad_cose_keys);
	tcase_add_test(tc, bad_auth_data_and_attestation);
	tcase_add_test(tc, client_data);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

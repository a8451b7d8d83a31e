/* crypto/keyset: one active key per algorithm, unique kids, the JWKS
 * document (active keys first, public members only) and the fingerprint. */
#include <string.h>

#include <jansson.h>

#include "crypto/keyset.h"
#include "unit.h"

static struct idp_key *
gen(enum idp_alg alg)
{
	struct idp_key *k = NULL;

	ck_assert_int_eq(idp_key_generate(alg, 2048, &k), 0);
	return k;
}

/* A second struct idp_key for the same public key (same kid). */
static struct idp_key *
twin(const struct idp_key *k)
{
	json_t *jwk = idp_key_public_jwk(k);
	struct idp_key *t = NULL;

	ck_assert_int_eq(idp_key_from_jwk(jwk, &t), 0);
	json_decref(jwk);
	ck_assert_str_eq(idp_key_kid(t), idp_key_kid(k));
	return t;
}

static json_t *
jwks_of(const struct idp_keyset *ks)
{
	size_t len = 0;
	const char *s = idp_keyset_jwks(ks, &len);
	json_t *doc;

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(len, strlen(s));
	doc = json_loads(s, JSON_REJECT_DUPLICATES, NULL);
	ck_assert_ptr_nonnull(doc);
	ck_assert(json_is_array(json_object_get(doc, "keys")));
	return doc;
}

START_TEST(empty_set)
{
	struct idp_keyset *ks = idp_keyset_new();
	json_t *doc;

	ck_assert_int_eq(idp_keyset_seal(ks), 0);
	doc = jwks_of(ks);
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "keys")), 0);
	ck_assert_uint_eq(idp_keyset_count(ks), 0);
	ck_assert_ptr_null(idp_keyset_active(ks, IDP_ALG_RS256));
	ck_assert(!idp_keyset_has_alg(ks, IDP_ALG_ES256));
	ck_assert_ptr_null(idp_keyset_find(ks, "x"));
	json_decref(doc);
	idp_keyset_free(ks);
	idp_keyset_free(NULL);
}
END_TEST

START_TEST(one_active_per_alg)
{
	struct idp_keyset *ks = idp_keyset_new();
	struct idp_key *e1 = gen(IDP_ALG_ES256), *e2 = gen(IDP_ALG_ES256);
	struct idp_key *r1 = gen(IDP_ALG_RS256);

	ck_assert_int_eq(idp_keyset_add(ks, e1, true), 0);
	/* A second active ES256 key is refused and stays the caller's. */
	ck_assert_int_eq(idp_keyset_add(ks, e2, true), -1);
	ck_assert_uint_eq(idp_keyset_count(ks), 1);
	/* As a retired key it is fine. */
	ck_assert_int_eq(idp_keyset_add(ks, e2, false), 0);
	/* Another algorithm has its own active slot. */
	ck_assert_int_eq(idp_keyset_add(ks, r1, true), 0);
	ck_assert_uint_eq(idp_keyset_count(ks), 3);
	ck_assert_int_eq(idp_keyset_seal(ks), 0);
	ck_assert_ptr_eq(idp_keyset_active(ks, IDP_ALG_ES256), e1);
	ck_assert_ptr_eq(idp_keyset_active(ks, IDP_ALG_RS256), r1);
	ck_assert_ptr_null(idp_keyset_active(ks, IDP_ALG_PS256));
	ck_assert(idp_keyset_has_alg(ks, IDP_ALG_ES256));
	ck_assert(idp_keyset_has_alg(ks, IDP_ALG_RS256));
	ck_assert(!idp_keyset_has_alg(ks, IDP_ALG_PS256));
	ck_assert(!idp_keyset_has_alg(ks, IDP_ALG_NONE));
	idp_keyset_free(ks);
}
END_TEST

START_TEST(retired_only_alg_has_no_active)
{
	struct idp_keyset *ks = idp_keyset_new();
	struct idp_key *e1 = gen(IDP_ALG_ES256);

	ck_assert_int_eq(idp_keyset_add(ks, e1, false), 0);
	ck_assert_int_eq(idp_keyset_seal(ks), 0);
	ck_assert_ptr_null(idp_keyset_active(ks, IDP_ALG_ES256));
	ck_assert(!idp_keyset_has_alg(ks, IDP_ALG_ES256));
	/* but it is still found by kid, for tokens it signed */
	ck_assert_ptr_eq(idp_keyset_find(ks, idp_key_kid(e1)), e1);
	idp_keyset_free(ks);
}
END_TEST

START_TEST(duplicate_kid_refused)
{
	struct idp_keyset *ks = idp_keyset_new();
	struct idp_key *e1 = gen(IDP_ALG_ES256), *dup = twin(e1);

	ck_assert_int_eq(idp_keyset_add(ks, e1, false), 0);
	ck_assert_int_eq(idp_keyset_add(ks, dup, false), -1);
	ck_assert_int_eq(idp_keyset_add(ks, dup, true), -1);
	ck_assert_uint_eq(idp_keyset_count(ks), 1);
	idp_key_free(dup);
	idp_keyset_free(ks);
}
END_TEST

START_TEST(find_by_kid)
{
	struct idp_keyset *ks = idp_keyset_new();
	struct idp_key *e1 = gen(IDP_ALG_ES256), *e2 = gen(IDP_ALG_ES256);
	char kid[IDP_KID_MAX];

	ck_assert_int_eq(idp_keyset_add(ks, e1, true), 0);
	ck_assert_int_eq(idp_keyset_add(ks, e2, false), 0);
	ck_assert_int_eq(idp_keyset_seal(ks), 0);
	ck_assert_ptr_eq(idp_keyset_find(ks, idp_key_kid(e1)), e1);
	ck_assert_ptr_eq(idp_keyset_find(ks, idp_key_kid(e2)), e2);
	ck_assert_ptr_null(idp_keyset_find(ks, NULL));
	ck_assert_ptr_null(idp_keyset_find(ks, ""));
	/* exact match only: a prefix or a changed case is another kid */
	memcpy(kid, idp_key_kid(e1), 10);
	kid[10] = '\0';
	ck_assert_ptr_null(idp_keyset_find(ks, kid));
	strcpy(kid, idp_key_kid(e1));
	kid[0] = kid[0] == 'a' ? 'A' : 'a';
	ck_assert_ptr_null(idp_keyset_find(ks, kid));
	idp_keyset_free(ks);
}
END_TEST

START_TEST(jwks_lists_active_first)
{
	struct idp_keyset *ks = idp_keyset_new();
	struct idp_key *old1 = gen(IDP_ALG_ES256), *act1 = gen(IDP_ALG_ES256);
	struct idp_key *old2 = gen(IDP_ALG_RS256), *act2 = gen(IDP_ALG_RS256);
	const struct idp_key *want[4] = { act1, act2, old1, old2 };
	json_t *doc, *keys, *k;
	size_t i;

	/* Added retired, active, retired, active ... */
	ck_assert_int_eq(idp_keyset_add(ks, old1, false), 0);
	ck_assert_int_eq(idp_keyset_add(ks, act1, true), 0);
	ck_assert_int_eq(idp_keyset_add(ks, old2, false), 0);
	ck_assert_int_eq(idp_keyset_add(ks, act2, true), 0);
	ck_assert_int_eq(idp_keyset_seal(ks), 0);
	doc = jwks_of(ks);
	keys = json_object_get(doc, "keys");
	ck_assert_uint_eq(json_array_size(keys), 4);
	/* ... listed active first, each group in the order added. */
	json_array_foreach(keys, i, k) {
		ck_assert_str_eq(json_string_value(json_object_get(k, "kid")),
		    idp_key_kid(want[i]));
		ck_assert_ptr_null(json_object_get(k, "d"));
		ck_assert_ptr_null(json_object_get(k, "p"));
		ck_assert_str_eq(json_string_value(json_object_get(k, "use")),
		    "sig");
		ck_assert_str_eq(json_string_value(json_object_get(k, "alg")),
		    idp_alg_name(idp_key_alg(want[i])));
	}
	json_decref(doc);
	idp_keyset_free(ks);
}
END_TEST

START_TEST(jwks_keys_verify_signatures)
{
	struct idp_keyset *ks = idp_keyset_new();
	struct idp_key *e1 = gen(IDP_ALG_ES256);
	unsigned char sig[IDP_SIG_MAX];
	size_t siglen = sizeof(sig);
	struct idp_key *pub = NULL;
	json_t *doc;

	ck_assert_int_eq(idp_key_sign(e1, "m", 1, sig, &siglen), 0);
	ck_assert_int_eq(idp_keyset_add(ks, e1, true), 0);
	ck_assert_int_eq(idp_keyset_seal(ks), 0);
	/* A relying party reads the JWKS and checks our signature. */
	doc = jwks_of(ks);
	ck_assert_int_eq(idp_key_from_jwk(json_array_get(json_object_get(doc,
	    "keys"), 0), &pub), 0);
	ck_assert_int_eq(idp_key_verify(pub, IDP_ALG_ES256, "m", 1, sig,
	    siglen), 0);
	idp_key_free(pub);
	json_decref(doc);
	idp_keyset_free(ks);
}
END_TEST

START_TEST(add_after_seal_refused)
{
	struct idp_keyset *ks = idp_keyset_new();
	struct idp_key *e1 = gen(IDP_ALG_ES256), *e2 = gen(IDP_ALG_ES256);

	ck_assert_int_eq(idp_keyset_add(ks, e1, true), 0);
	ck_assert_int_eq(idp_keyset_seal(ks), 0);
	ck_assert_int_eq(idp_keyset_add(ks, e2, false), -1);
	ck_assert_uint_eq(idp_keyset_count(ks), 1);
	idp_key_free(e2);
	idp_keyset_free(ks);
}
END_TEST

START_TEST(capacity_is_bounded)
{
	struct idp_keyset *ks = idp_keyset_new();
	struct idp_key *k;
	size_t n = 0;

	/* Keep adding retired keys until the set says no. */
	for (;;) {
		k = gen(IDP_ALG_ES256);
		if (idp_keyset_add(ks, k, false) != 0)
			break;
		n++;
		ck_assert_uint_le(n, 1000);
	}
	idp_key_free(k);
	ck_assert_uint_ge(n, 8);
	ck_assert_uint_eq(idp_keyset_count(ks), n);
	ck_assert_int_eq(idp_keyset_seal(ks), 0);
	idp_keyset_free(ks);
}
END_TEST

/* Fingerprint of a sealed set built from (key, active) pairs. */
static unsigned long
fp(struct idp_key *const *keys, const bool *active, size_t n)
{
	struct idp_keyset *ks = idp_keyset_new();
	unsigned long f;

	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(idp_keyset_add(ks, twin(keys[i]), active[i]),
		    0);
	ck_assert_int_eq(idp_keyset_seal(ks), 0);
	f = idp_keyset_fingerprint(ks);
	idp_keyset_free(ks);
	return f;
}

START_TEST(fingerprint_follows_content)
{
	struct idp_key *k[3] = { gen(IDP_ALG_ES256), gen(IDP_ALG_ES256),
	    gen(IDP_ALG_RS256) };
	const bool a1[3] = { true, false, true };
	const bool a2[3] = { false, false, true };
	const bool a3[3] = { false, true, true };
	unsigned long base = fp(k, a1, 2);

	/* The same keys and states give the same fingerprint again. */
	ck_assert_uint_eq(fp(k, a1, 2), base);
	/* A key more, a key less, a state changed, a rotation: new value. */
	ck_assert_uint_ne(fp(k, a1, 3), base);
	ck_assert_uint_ne(fp(k, a1, 1), base);
	ck_assert_uint_ne(fp(k, a2, 2), base);
	ck_assert_uint_ne(fp(k, a3, 2), base);
	ck_assert_uint_ne(fp(k, a1, 0), base);
	for (int i = 0; i < 3; i++)
		idp_key_free(k[i]);
}
END_TEST

START_TEST(fingerprint_of_other_key)
{
	struct idp_key *k1[1] = { gen(IDP_ALG_ES256) };
	struct idp_key *k2[1] = { gen(IDP_ALG_ES256) };
	const bool on[1] = { true };

	/* Replacing the only key (same alg, same state) changes it too. */
	ck_assert_uint_ne(fp(k1, on, 1), fp(k2, on, 1));
	idp_key_free(k1[0]);
	idp_key_free(k2[0]);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("crypto_keyset");
	TCase *tc = unit_tcase(s, "keyset");

	tcase_add_test(tc, empty_set);
	tcase_add_test(tc, one_active_per_alg);
	tcase_add_test(tc, retired_only_alg_has_no_active);
	tcase_add_test(tc, duplicate_kid_refused);
	tcase_add_test(tc, find_by_kid);
	tcase_add_test(tc, jwks_lists_active_first);
	tcase_add_test(tc, jwks_keys_verify_signatures);
	tcase_add_test(tc, add_after_seal_refused);
	tcase_add_test(tc, capacity_is_bounded);
	tcase_add_test(tc, fingerprint_follows_content);
	tcase_add_test(tc, fingerprint_of_other_key);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "jwk.h"
#include "util.h"

/* The key type an algorithm needs (RFC 7518 §6.1) and, for EC, its curve. */
static int
alg_key_type(const char *alg, const char **kty, const char **crv)
{
	if (strcmp(alg, JWK_ALG_RS256) == 0) {
		*kty = "RSA";
		*crv = NULL;
		return 0;
	}
	if (strcmp(alg, JWK_ALG_ES256) == 0) {
		*kty = "EC";
		*crv = "P-256";
		return 0;
	}
	return -1;
}

static const char *
member(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

/*
 * Whether a JWK may verify a JWS of this alg: right kty (and curve), and
 * where the key restricts itself with "use" (RFC 7517 §4.2), "key_ops"
 * (§4.3) or "alg" (§4.4), the restriction allows signature verification
 * with this algorithm.
 */
static int
jwk_fits(const json_t *k, const char *alg, const char *kty, const char *crv)
{
	const json_t *ops;
	const char *v;
	size_t i;

	if ((v = member(k, "kty")) == NULL || strcmp(v, kty) != 0)
		return 0;
	if (crv != NULL && ((v = member(k, "crv")) == NULL ||
	    strcmp(v, crv) != 0))
		return 0;
	if (json_object_get(k, "use") != NULL &&
	    ((v = member(k, "use")) == NULL || strcmp(v, "sig") != 0))
		return 0;
	if (json_object_get(k, "alg") != NULL &&
	    ((v = member(k, "alg")) == NULL || strcmp(v, alg) != 0))
		return 0;
	if ((ops = json_object_get(k, "key_ops")) != NULL) {
		if (!json_is_array(ops))
			return 0;
		for (i = 0; i < json_array_size(ops); i++) {
			v = json_string_value(json_array_get(ops, i));
			if (v != NULL && strcmp(v, "verify") == 0)
				return 1;
		}
		return 0;
	}
	return 1;
}

enum jwks_result
jwks_select(const json_t *jwks, const char *alg, const char *kid,
    const json_t **key)
{
	const char *kty, *crv, *v;
	const json_t *keys, *k;
	size_t i, found = 0;

	*key = NULL;
	if (alg_key_type(alg, &kty, &crv) != 0)
		return JWKS_NOT_FOUND;
	keys = json_object_get(jwks, "keys");
	if (!json_is_array(keys))
		return JWKS_MALFORMED;
	for (i = 0; i < json_array_size(keys); i++) {
		k = json_array_get(keys, i);
		if (!json_is_object(k) || !jwk_fits(k, alg, kty, crv))
			continue;
		if (kid != NULL &&
		    ((v = member(k, "kid")) == NULL || strcmp(v, kid) != 0))
			continue;
		if (found++ == 0)
			*key = k;
	}
	if (found == 0)
		return JWKS_NOT_FOUND;
	/*
	 * OIDC Core §10.1: with several keys in the set, the JWS header
	 * must carry a kid. Never guess between candidates.
	 */
	if (found > 1) {
		*key = NULL;
		return JWKS_AMBIGUOUS;
	}
	return JWKS_FOUND;
}

/* Decodes the base64url member name of a JWK; NULL if absent or bad. */
static unsigned char *
member_bytes(const json_t *k, const char *name, size_t *len)
{
	const char *v = member(k, name);

	if (v == NULL)
		return NULL;
	return b64url_decode(v, strlen(v), len);
}

/* RFC 7518 §6.3.1: an RSA public key is its modulus n and exponent e. */
static int
rsa_params(const json_t *k, OSSL_PARAM_BLD *bld, BIGNUM **n, BIGNUM **e)
{
	unsigned char *nb = NULL, *eb = NULL;
	size_t nlen, elen;
	int rc = -1;

	if ((nb = member_bytes(k, "n", &nlen)) == NULL ||
	    (eb = member_bytes(k, "e", &elen)) == NULL || elen > 8)
		goto out;
	if ((*n = BN_bin2bn(nb, (int)nlen, NULL)) == NULL ||
	    (*e = BN_bin2bn(eb, (int)elen, NULL)) == NULL)
		goto out;
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, *n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, *e))
		goto out;
	rc = 0;
out:
	free(nb);
	free(eb);
	return rc;
}

/*
 * RFC 7518 §6.2.1: an EC public key is the point (x, y), each coordinate
 * exactly as long as the field (32 bytes for P-256). OpenSSL takes it as an
 * uncompressed point, 0x04 || x || y (SEC 1 §2.3.3).
 */
static int
ec_params(const json_t *k, OSSL_PARAM_BLD *bld, unsigned char pt[65])
{
	unsigned char *x = NULL, *y = NULL;
	size_t xlen, ylen;
	int rc = -1;

	if ((x = member_bytes(k, "x", &xlen)) == NULL ||
	    (y = member_bytes(k, "y", &ylen)) == NULL ||
	    xlen != 32 || ylen != 32)
		goto out;
	pt[0] = 0x04;
	memcpy(pt + 1, x, 32);
	memcpy(pt + 33, y, 32);
	if (!OSSL_PARAM_BLD_push_utf8_string(bld,
	    OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pt, 65))
		goto out;
	rc = 0;
out:
	free(x);
	free(y);
	return rc;
}

/* Whether the key is usable: RSA long enough, EC point on the curve. */
static int
key_check(EVP_PKEY *pkey, const char *kty, char *err, size_t errlen)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	if (strcmp(kty, "RSA") == 0) {
		if (EVP_PKEY_get_bits(pkey) < JWK_RSA_MIN_BITS) {
			snprintf(err, errlen, "RSA key shorter than %d bits",
			    JWK_RSA_MIN_BITS);
			return -1;
		}
		return 0;
	}
	/* An off-curve point invites invalid-curve attacks: refuse it. */
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ok = EVP_PKEY_public_check(ctx) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		snprintf(err, errlen, "EC point is not on P-256");
		return -1;
	}
	return 0;
}

static char *
pkey_to_pem(EVP_PKEY *pkey)
{
	BIO *bio;
	char *data, *pem = NULL;
	long len;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (PEM_write_bio_PUBKEY(bio, pkey) == 1 &&
	    (len = BIO_get_mem_data(bio, &data)) > 0)
		pem = str_ndup(data, (size_t)len);
	BIO_free(bio);
	return pem;
}

char *
jwk_to_pem(const json_t *jwk, const char *alg, char *err, size_t errlen)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	unsigned char pt[65];
	const char *kty, *crv;
	char *pem = NULL;
	int rc;

	if (alg_key_type(alg, &kty, &crv) != 0 ||
	    !jwk_fits(jwk, alg, kty, crv)) {
		snprintf(err, errlen, "key does not fit %s", alg);
		goto out;
	}
	/* A JWK with "d" is a private key: a JWKS must never publish one. */
	if (json_object_get(jwk, "d") != NULL) {
		snprintf(err, errlen, "JWK Set holds a private key");
		goto out;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (strcmp(kty, "RSA") == 0)
		rc = rsa_params(jwk, bld, &n, &e);
	else
		rc = ec_params(jwk, bld, pt);
	if (rc != 0) {
		snprintf(err, errlen, "%s key members missing or malformed",
		    kty);
		goto out;
	}
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, kty, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		snprintf(err, errlen, "OpenSSL refused the %s key", kty);
		goto out;
	}
	if (key_check(pkey, kty, err, errlen) != 0)
		goto out;
	if ((pem = pkey_to_pem(pkey)) == NULL)
		snprintf(err, errlen, "cannot write PEM");
out:
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pem;
}

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "crypto/key.h"
#include "util/mem.h"

struct idp_key {
	EVP_PKEY *pkey;
	enum idp_alg alg;
	char kid[IDP_KID_MAX];
	bool is_ec;
	bool is_okp;		/* Ed25519 */
};

const enum idp_alg idp_algs_all[IDP_ALG_COUNT] = { IDP_ALG_RS256,
	IDP_ALG_ES256, IDP_ALG_PS256, IDP_ALG_EDDSA };

const char *
idp_alg_name(enum idp_alg alg)
{
	switch (alg) {
	case IDP_ALG_RS256: return "RS256";
	case IDP_ALG_ES256: return "ES256";
	case IDP_ALG_PS256: return "PS256";
	case IDP_ALG_EDDSA: return "EdDSA";
	case IDP_ALG_NONE: break;
	}
	return "none";
}

enum idp_alg
idp_alg_parse(const char *s)
{
	if (s == NULL)
		return IDP_ALG_NONE;
	if (strcmp(s, "RS256") == 0)
		return IDP_ALG_RS256;
	if (strcmp(s, "ES256") == 0)
		return IDP_ALG_ES256;
	if (strcmp(s, "PS256") == 0)
		return IDP_ALG_PS256;
	if (strcmp(s, "EdDSA") == 0)
		return IDP_ALG_EDDSA;
	return IDP_ALG_NONE;
}

static void
set_why(char *why, size_t whylen, const char *what)
{
	unsigned long e = ERR_get_error();
	char ebuf[160] = "";

	if (why == NULL || whylen == 0)
		return;
	if (e != 0)
		ERR_error_string_n(e, ebuf, sizeof(ebuf));
	snprintf(why, whylen, "%s%s%s", what, e ? ": " : "", ebuf);
	ERR_clear_error();
}

static char *
bn_b64url(struct idp_arena *a, const BIGNUM *bn, int pad)
{
	int n = pad > 0 ? pad : BN_num_bytes(bn);
	unsigned char *raw;
	char *out;

	if (n <= 0 || n > 1024)
		return NULL;
	raw = idp_arena_alloc(a, (size_t)n);
	if (BN_bn2binpad(bn, raw, n) != n)
		return NULL;
	out = idp_b64url_encode(a, raw, (size_t)n);
	return out;
}

/* The members RFC 7638 hashes, in its order; also the start of the JWK. */
static json_t *
public_members(const struct idp_key *k, struct idp_arena *a)
{
	BIGNUM *x = NULL, *y = NULL;
	json_t *o = NULL;
	char *sx, *sy;

	if (k->is_okp) {
		unsigned char raw[32];
		size_t n = sizeof(raw);

		if (!EVP_PKEY_get_raw_public_key(k->pkey, raw, &n) || n != 32)
			goto out;
		o = json_pack("{s:s, s:s, s:s}", "crv", "Ed25519", "kty", "OKP",
		    "x", idp_b64url_encode(a, raw, n));
	} else if (k->is_ec) {
		if (!EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
		    !EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y))
			goto out;
		sx = bn_b64url(a, x, 32);
		sy = bn_b64url(a, y, 32);
		if (sx == NULL || sy == NULL)
			goto out;
		o = json_pack("{s:s, s:s, s:s, s:s}", "crv", "P-256",
		    "kty", "EC", "x", sx, "y", sy);
	} else {
		if (!EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_E, &x) ||
		    !EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_N, &y))
			goto out;
		sx = bn_b64url(a, x, 0);
		sy = bn_b64url(a, y, 0);
		if (sx == NULL || sy == NULL)
			goto out;
		o = json_pack("{s:s, s:s, s:s}", "e", sx, "kty", "RSA", "n", sy);
	}
out:
	BN_free(x);
	BN_free(y);
	ERR_clear_error();
	return o;
}

int
idp_key_thumbprint(const struct idp_key *k, char out[IDP_JKT_LEN + 1])
{
	struct idp_arena *a = idp_arena_new(2048);
	unsigned char d[IDP_SHA256_LEN];
	json_t *o = public_members(k, a);
	char *s = NULL;
	int rc = -1;

	if (o == NULL)
		goto out;
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	if (s == NULL)
		goto out;
	idp_sha256_str(s, d);
	idp_b64url_encode_to(out, d, sizeof(d));
	rc = 0;
out:
	free(s);
	json_decref(o);
	idp_arena_free(a);
	return rc;
}

/* kid = RFC 7638 JWK thumbprint (SHA-256, base64url): stable, derived from
 * the public key, the same on every instance that loads the file. */
static int
compute_kid(struct idp_key *k)
{
	return idp_key_thumbprint(k, k->kid);
}

static int
check_type(EVP_PKEY *pkey, enum idp_alg alg, bool *is_ec, bool *is_okp)
{
	*is_okp = false;
	if (EVP_PKEY_is_a(pkey, "ED25519")) {
		if (alg != IDP_ALG_EDDSA)
			return -1;
		*is_ec = false;
		*is_okp = true;
		return 0;
	}
	if (EVP_PKEY_is_a(pkey, "RSA")) {
		if (alg != IDP_ALG_RS256 && alg != IDP_ALG_PS256)
			return -1;
		if (EVP_PKEY_get_bits(pkey) < IDP_RSA_MIN_BITS)
			return -1;
		*is_ec = false;
		return 0;
	}
	if (EVP_PKEY_is_a(pkey, "EC")) {
		char group[64];
		size_t glen = 0;

		if (alg != IDP_ALG_ES256)
			return -1;
		if (!EVP_PKEY_get_utf8_string_param(pkey,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &glen))
			return -1;
		if (strcmp(group, "prime256v1") != 0 &&
		    strcmp(group, "P-256") != 0)
			return -1;
		*is_ec = true;
		return 0;
	}
	return -1;
}

static int
wrap(EVP_PKEY *pkey, enum idp_alg alg, struct idp_key **out)
{
	struct idp_key *k;
	bool is_ec = false, is_okp = false;

	if (check_type(pkey, alg, &is_ec, &is_okp) != 0)
		return -1;
	k = idp_xcalloc(1, sizeof(*k));
	k->pkey = pkey;
	k->alg = alg;
	k->is_ec = is_ec;
	k->is_okp = is_okp;
	if (compute_kid(k) != 0) {
		free(k);
		return -1;
	}
	*out = k;
	return 0;
}

int
idp_key_generate(enum idp_alg alg, int rsa_bits, struct idp_key **out)
{
	EVP_PKEY *pkey = NULL;

	if (alg == IDP_ALG_ES256) {
		pkey = EVP_EC_gen("P-256");
	} else if (alg == IDP_ALG_EDDSA) {
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	} else if (alg == IDP_ALG_RS256 || alg == IDP_ALG_PS256) {
		if (rsa_bits < IDP_RSA_MIN_BITS || rsa_bits > 8192)
			return -1;
		pkey = EVP_RSA_gen((unsigned)rsa_bits);
	}
	if (pkey == NULL) {
		ERR_clear_error();
		return -1;
	}
	if (wrap(pkey, alg, out) != 0) {
		EVP_PKEY_free(pkey);
		return -1;
	}
	return 0;
}

int
idp_key_load_file(const char *path, enum idp_alg alg, struct idp_key **out,
    char *why, size_t whylen)
{
	EVP_PKEY *pkey = NULL;
	struct stat st;
	FILE *f = NULL;
	int rc = -1;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s is not a regular file", path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(why, whylen,
		    "%s is readable by group or others (mode %03o); "
		    "chmod 600 it", path, st.st_mode & 0777);
		goto out;
	}
	pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	if (pkey == NULL) {
		set_why(why, whylen, "not a PEM private key");
		goto out;
	}
	if (wrap(pkey, alg, out) != 0) {
		snprintf(why, whylen, "%s does not hold a key for %s", path,
		    idp_alg_name(alg));
		EVP_PKEY_free(pkey);
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	return rc;
}

int
idp_key_write_file(const struct idp_key *k, const char *path, char *why,
    size_t whylen)
{
	FILE *f;
	int fd, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(why, whylen, "cannot create %s: %s", path,
		    strerror(errno));
		return -1;
	}
	f = fdopen(fd, "w");
	if (f == NULL) {
		close(fd);
		snprintf(why, whylen, "cannot write %s", path);
		return -1;
	}
	ok = PEM_write_PrivateKey(f, k->pkey, NULL, NULL, 0, NULL, NULL);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		ok = 0;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		set_why(why, whylen, "cannot write the key");
		unlink(path);
		return -1;
	}
	return 0;
}

int
idp_key_to_der(const struct idp_key *k, unsigned char **der, size_t *n)
{
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(k->pkey);
	int len;

	*der = NULL;
	len = p8 != NULL ? i2d_PKCS8_PRIV_KEY_INFO(p8, der) : -1;
	PKCS8_PRIV_KEY_INFO_free(p8);
	ERR_clear_error();
	if (len <= 0)
		return -1;
	*n = (size_t)len;
	return 0;
}

void
idp_key_der_free(unsigned char *der, size_t n)
{
	OPENSSL_clear_free(der, n);
}

int
idp_key_from_der(const unsigned char *der, size_t n, enum idp_alg alg,
    struct idp_key **out)
{
	const unsigned char *p = der;
	PKCS8_PRIV_KEY_INFO *p8;
	EVP_PKEY *pkey = NULL;

	if (n == 0 || n > 16384)
		return -1;
	p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)n);
	/* The whole buffer is the key: nothing may follow it. */
	if (p8 != NULL && p == der + n)
		pkey = EVP_PKCS82PKEY(p8);
	PKCS8_PRIV_KEY_INFO_free(p8);
	ERR_clear_error();
	if (pkey == NULL)
		return -1;
	if (wrap(pkey, alg, out) != 0) {
		EVP_PKEY_free(pkey);
		return -1;
	}
	return 0;
}

static BIGNUM *
jwk_bn(struct idp_arena *a, json_t *jwk, const char *name, size_t want)
{
	const char *s = json_string_value(json_object_get(jwk, name));
	unsigned char *raw;
	size_t n;

	if (s == NULL)
		return NULL;
	raw = idp_b64url_decode(a, s, strlen(s), &n);
	if (raw == NULL || n == 0 || n > 1024 || (want && n != want))
		return NULL;
	return BN_bin2bn(raw, (int)n, NULL);
}

static EVP_PKEY *
pkey_from_params(const char *type, OSSL_PARAM *params)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;

	if (ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

static EVP_PKEY *
rsa_from_jwk(struct idp_arena *a, json_t *jwk)
{
	BIGNUM *n = jwk_bn(a, jwk, "n", 0), *e = jwk_bn(a, jwk, "e", 0);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pkey = NULL;

	if (n == NULL || e == NULL || bld == NULL)
		goto out;
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (params != NULL)
		pkey = pkey_from_params("RSA", params);
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pkey;
}

static EVP_PKEY *
ec_from_jwk(struct idp_arena *a, json_t *jwk)
{
	const char *crv = json_string_value(json_object_get(jwk, "crv"));
	const char *sx = json_string_value(json_object_get(jwk, "x"));
	const char *sy = json_string_value(json_object_get(jwk, "y"));
	unsigned char point[65], *x, *y;
	OSSL_PARAM params[3];
	size_t xl, yl;

	if (crv == NULL || strcmp(crv, "P-256") != 0 || sx == NULL || sy == NULL)
		return NULL;
	x = idp_b64url_decode(a, sx, strlen(sx), &xl);
	y = idp_b64url_decode(a, sy, strlen(sy), &yl);
	if (x == NULL || y == NULL || xl != 32 || yl != 32)
		return NULL;
	point[0] = 0x04;
	memcpy(point + 1, x, 32);
	memcpy(point + 33, y, 32);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point));
	params[2] = OSSL_PARAM_construct_end();
	/* fromdata checks that the point lies on the curve. */
	return pkey_from_params("EC", params);
}

static EVP_PKEY *
okp_from_jwk(struct idp_arena *a, json_t *jwk)
{
	const char *crv = json_string_value(json_object_get(jwk, "crv"));
	const char *sx = json_string_value(json_object_get(jwk, "x"));
	unsigned char *x;
	size_t xl;

	if (crv == NULL || strcmp(crv, "Ed25519") != 0 || sx == NULL)
		return NULL;
	x = idp_b64url_decode(a, sx, strlen(sx), &xl);
	if (x == NULL || xl != 32)
		return NULL;
	return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, xl);
}

int
idp_key_from_jwk(json_t *jwk, struct idp_key **out)
{
	struct idp_arena *a = idp_arena_new(1024);
	const char *kty, *alg, *use, *kid;
	enum idp_alg want;
	EVP_PKEY *pkey = NULL;
	int rc = -1;

	if (!json_is_object(jwk))
		goto out;
	kty = json_string_value(json_object_get(jwk, "kty"));
	alg = json_string_value(json_object_get(jwk, "alg"));
	use = json_string_value(json_object_get(jwk, "use"));
	kid = json_string_value(json_object_get(jwk, "kid"));
	if (kty == NULL || json_object_get(jwk, "d") != NULL)
		goto out;
	if (use != NULL && strcmp(use, "sig") != 0)
		goto out;
	if (strcmp(kty, "RSA") == 0) {
		want = alg ? idp_alg_parse(alg) : IDP_ALG_RS256;
		if (want != IDP_ALG_RS256 && want != IDP_ALG_PS256)
			goto out;
		pkey = rsa_from_jwk(a, jwk);
	} else if (strcmp(kty, "EC") == 0) {
		want = IDP_ALG_ES256;
		if (alg != NULL && strcmp(alg, "ES256") != 0)
			goto out;
		pkey = ec_from_jwk(a, jwk);
	} else if (strcmp(kty, "OKP") == 0) {
		want = IDP_ALG_EDDSA;
		if (alg != NULL && strcmp(alg, "EdDSA") != 0)
			goto out;
		pkey = okp_from_jwk(a, jwk);
	} else {
		goto out;
	}
	if (pkey == NULL || wrap(pkey, want, out) != 0) {
		EVP_PKEY_free(pkey);
		goto out;
	}
	/* Keep the client's own kid: assertions name it in their header. */
	if (kid != NULL) {
		if (strlen(kid) >= IDP_KID_MAX) {
			idp_key_free(*out);
			*out = NULL;
			goto out;
		}
		snprintf((*out)->kid, sizeof((*out)->kid), "%s", kid);
	}
	rc = 0;
out:
	ERR_clear_error();
	idp_arena_free(a);
	return rc;
}

void
idp_key_free(struct idp_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

const char *
idp_key_kid(const struct idp_key *k)
{
	return k->kid;
}

enum idp_alg
idp_key_alg(const struct idp_key *k)
{
	return k->alg;
}

const char *
idp_key_kty(const struct idp_key *k)
{
	return k->is_okp ? "OKP" : k->is_ec ? "EC" : "RSA";
}

json_t *
idp_key_public_jwk(const struct idp_key *k)
{
	struct idp_arena *a = idp_arena_new(2048);
	json_t *o = public_members(k, a);

	if (o != NULL) {
		json_object_set_new(o, "kid", json_string(k->kid));
		json_object_set_new(o, "alg", json_string(idp_alg_name(k->alg)));
		json_object_set_new(o, "use", json_string("sig"));
	}
	idp_arena_free(a);
	return o;
}

static int
set_pss(EVP_PKEY_CTX *pctx)
{
	return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1
	    ? 0 : -1;
}

int
idp_key_sign(const struct idp_key *k, const void *data, size_t n,
    unsigned char *sig, size_t *siglen)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char der[160];
	size_t derlen = sizeof(der);
	ECDSA_SIG *es = NULL;
	int rc = -1;

	if (md == NULL)
		goto out;
	/* Ed25519 hashes inside the algorithm: no digest is given. */
	if (EVP_DigestSignInit(md, &pctx, k->is_okp ? NULL : EVP_sha256(),
	    NULL, k->pkey) != 1)
		goto out;
	if (k->alg == IDP_ALG_PS256 && set_pss(pctx) != 0)
		goto out;
	if (!k->is_ec) {
		if (EVP_DigestSign(md, sig, siglen, data, n) != 1)
			goto out;
		rc = 0;
		goto out;
	}
	/* JWS wants ECDSA as fixed-size R||S, OpenSSL gives DER. */
	if (*siglen < 64 || EVP_DigestSign(md, der, &derlen, data, n) != 1)
		goto out;
	{
		const unsigned char *p = der;
		const BIGNUM *r, *s;

		es = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
		if (es == NULL)
			goto out;
		ECDSA_SIG_get0(es, &r, &s);
		if (BN_bn2binpad(r, sig, 32) != 32 ||
		    BN_bn2binpad(s, sig + 32, 32) != 32)
			goto out;
		*siglen = 64;
	}
	rc = 0;
out:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return rc;
}

static int
ec_raw_to_der(const unsigned char *sig, size_t siglen, unsigned char **der,
    size_t *derlen)
{
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	int len;

	if (siglen != 64)
		return -1;
	r = BN_bin2bn(sig, 32, NULL);
	s = BN_bin2bn(sig + 32, 32, NULL);
	es = ECDSA_SIG_new();
	if (r == NULL || s == NULL || es == NULL || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return -1;
	}
	*der = NULL;
	len = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	if (len <= 0)
		return -1;
	*derlen = (size_t)len;
	return 0;
}

int
idp_key_verify(const struct idp_key *k, enum idp_alg alg, const void *data,
    size_t n, const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX *md = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *der = NULL;
	size_t derlen = 0;
	int rc = -1;

	/* The key decides the algorithm family; the header cannot pick
	 * HMAC or "none" or switch RSA to EC. */
	if (k->is_okp ? alg != IDP_ALG_EDDSA : k->is_ec ? alg != IDP_ALG_ES256 :
	    (alg != IDP_ALG_RS256 && alg != IDP_ALG_PS256))
		goto out;
	if (k->is_ec) {
		if (ec_raw_to_der(sig, siglen, &der, &derlen) != 0)
			goto out;
		sig = der;
		siglen = derlen;
	}
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestVerifyInit(md, &pctx,
	    k->is_okp ? NULL : EVP_sha256(), NULL, k->pkey) != 1)
		goto out;
	if (alg == IDP_ALG_PS256 && set_pss(pctx) != 0)
		goto out;
	if (EVP_DigestVerify(md, sig, siglen, data, n) == 1)
		rc = 0;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return rc;
}

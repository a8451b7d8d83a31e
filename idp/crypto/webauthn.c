#include <string.h>

#include <cbor.h>
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "crypto/key.h"
#include "crypto/webauthn.h"

#define COSE_KTY 1
#define COSE_ALG 3
#define COSE_CRV (-1)
#define COSE_X (-2)
#define COSE_Y (-3)
#define COSE_N (-1)
#define COSE_E (-2)
#define ALG_ES256 (-7)
#define ALG_RS256 (-257)

/* libcbor allocates a container of the size its head declares, before
 * reading its elements: a few bytes claiming 2^32 elements would cost
 * gigabytes. Each element takes at least one byte of input, so before
 * cbor_load the heads are walked with libcbor's streaming decoder and the
 * input refused when the declared counts together exceed its length, or
 * when anything is indefinite (WebAuthn's CBOR is CTAP2 canonical:
 * definite only). */
struct cbor_scan {
	size_t budget;
	bool bad;
};

static void
scan_array(void *ctx, size_t n)
{
	struct cbor_scan *s = ctx;

	if (n > s->budget)
		s->bad = true;
	else
		s->budget -= n;
}

static void
scan_map(void *ctx, size_t n)
{
	struct cbor_scan *s = ctx;

	if (n > s->budget / 2)
		s->bad = true;
	else
		s->budget -= 2 * n;
}

static void
scan_indefinite(void *ctx)
{
	((struct cbor_scan *)ctx)->bad = true;
}

static bool
cbor_bounded(const unsigned char *d, size_t n)
{
	struct cbor_callbacks cb = cbor_empty_callbacks;
	struct cbor_scan s = { n, false };
	size_t off = 0;

	cb.array_start = scan_array;
	cb.map_start = scan_map;
	cb.indef_array_start = scan_indefinite;
	cb.indef_map_start = scan_indefinite;
	cb.byte_string_start = scan_indefinite;
	cb.string_start = scan_indefinite;
	while (off < n && !s.bad) {
		struct cbor_decoder_result r = cbor_stream_decode(d + off,
		    n - off, &cb, &s);

		if (r.status != CBOR_DECODER_FINISHED || r.read == 0)
			return false;
		off += r.read;
	}
	return !s.bad;
}

/* cbor_load of a bounded input (above); NULL when refused. */
static cbor_item_t *
load(const unsigned char *d, size_t n, struct cbor_load_result *res)
{
	if (!cbor_bounded(d, n))
		return NULL;
	return cbor_load(d, n, res);
}

int
idp_webauthn_client_data_parse(struct idp_arena *a, const unsigned char *json,
    size_t n, struct idp_webauthn_client_data *out)
{
	json_t *o, *co;
	const char *type, *chal, *origin;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (json == NULL || n == 0 || n > IDP_WEBAUTHN_MAX)
		return -1;
	o = json_loadb((const char *)json, n, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o))
		goto out;
	type = json_string_value(json_object_get(o, "type"));
	chal = json_string_value(json_object_get(o, "challenge"));
	origin = json_string_value(json_object_get(o, "origin"));
	co = json_object_get(o, "crossOrigin");
	if (type == NULL || chal == NULL || origin == NULL ||
	    (co != NULL && !json_is_boolean(co)) || strlen(origin) > 512)
		goto out;
	out->challenge = idp_b64url_decode(a, chal, strlen(chal),
	    &out->challenge_len);
	if (out->challenge == NULL || out->challenge_len < 16 ||
	    out->challenge_len > 64)
		goto out;
	out->type = idp_arena_strdup(a, type);
	out->origin = idp_arena_strdup(a, origin);
	out->cross_origin = json_is_true(co);
	rc = 0;
out:
	json_decref(o);
	return rc;
}

/* An integer item's value (negative ones too); false when not one. */
static bool
int_of(const cbor_item_t *it, int64_t *v)
{
	if (cbor_isa_uint(it)) {
		uint64_t u = cbor_get_int(it);

		if (u > INT32_MAX)
			return false;
		*v = (int64_t)u;
		return true;
	}
	if (cbor_isa_negint(it)) {
		uint64_t u = cbor_get_int(it);

		if (u > INT32_MAX)
			return false;
		*v = -1 - (int64_t)u;
		return true;
	}
	return false;
}

/* The definite byte string under integer key k of COSE map m. */
static const cbor_item_t *
cose_get(const cbor_item_t *m, int64_t k)
{
	struct cbor_pair *p = cbor_map_handle(m);
	size_t n = cbor_map_size(m);
	const cbor_item_t *found = NULL;

	for (size_t i = 0; i < n; i++) {
		int64_t key;

		if (!int_of(p[i].key, &key))
			continue;
		if (key == k) {
			if (found != NULL)
				return NULL;	/* a duplicate key */
			found = p[i].value;
		}
	}
	return found;
}

static bool
bytes_of(const cbor_item_t *it, size_t min, size_t max,
    const unsigned char **b, size_t *n)
{
	if (it == NULL || !cbor_isa_bytestring(it) ||
	    !cbor_bytestring_is_definite(it))
		return false;
	*n = cbor_bytestring_length(it);
	*b = cbor_bytestring_handle(it);
	return *n >= min && *n <= max;
}

/* The COSE key as a JWK for crypto/key.c; NULL when refused. */
static json_t *
cose_to_jwk(struct idp_arena *a, const cbor_item_t *m, int *alg)
{
	const cbor_item_t *kty = cose_get(m, COSE_KTY), *al = cose_get(m,
	    COSE_ALG);
	const unsigned char *x, *y;
	size_t xl, yl;
	int64_t kv, av, crv;

	if (kty == NULL || al == NULL || !int_of(kty, &kv) ||
	    !int_of(al, &av))
		return NULL;
	if (kv == 2 && av == ALG_ES256) {
		const cbor_item_t *c = cose_get(m, COSE_CRV);

		if (c == NULL || !int_of(c, &crv) || crv != 1 ||
		    !bytes_of(cose_get(m, COSE_X), 32, 32, &x, &xl) ||
		    !bytes_of(cose_get(m, COSE_Y), 32, 32, &y, &yl))
			return NULL;
		*alg = ALG_ES256;
		return json_pack("{s:s, s:s, s:s, s:s}", "kty", "EC", "crv",
		    "P-256", "x", idp_b64url_encode(a, x, xl), "y",
		    idp_b64url_encode(a, y, yl));
	}
	if (kv == 3 && av == ALG_RS256) {
		if (!bytes_of(cose_get(m, COSE_N), 256, 1024, &x, &xl) ||
		    !bytes_of(cose_get(m, COSE_E), 1, 8, &y, &yl) ||
		    x[0] == 0)
			return NULL;
		*alg = ALG_RS256;
		return json_pack("{s:s, s:s, s:s, s:s}", "kty", "RSA", "alg",
		    "RS256", "n", idp_b64url_encode(a, x, xl), "e",
		    idp_b64url_encode(a, y, yl));
	}
	return NULL;
}

/* The key as crypto/key.c's, or NULL. */
static struct idp_key *
cose_key(const unsigned char *d, size_t n, size_t *used, int *alg)
{
	struct cbor_load_result res;
	struct idp_arena *a;
	cbor_item_t *it;
	struct idp_key *k = NULL;
	json_t *jwk = NULL;

	if (d == NULL || n == 0 || n > IDP_WEBAUTHN_MAX)
		return NULL;
	it = load(d, n, &res);
	if (it == NULL)
		return NULL;
	a = idp_arena_new(1024);
	if (res.error.code == CBOR_ERR_NONE && cbor_isa_map(it) &&
	    cbor_map_is_definite(it) && cbor_map_size(it) <= 16)
		jwk = cose_to_jwk(a, it, alg);
	if (jwk != NULL && idp_key_from_jwk(jwk, &k) != 0)
		k = NULL;
	if (used != NULL)
		*used = res.read;
	json_decref(jwk);
	idp_arena_free(a);
	cbor_decref(&it);
	return k;
}

int
idp_cose_key_alg(const unsigned char *d, size_t n, size_t *used)
{
	int alg = 0;
	struct idp_key *k = cose_key(d, n, used, &alg);

	if (k == NULL)
		return 0;
	idp_key_free(k);
	return alg;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The extensions (ED): one definite CBOR map filling the rest. */
static bool
extensions_ok(const unsigned char *d, size_t n)
{
	struct cbor_load_result res;
	cbor_item_t *it = load(d, n, &res);
	bool ok = it != NULL && res.error.code == CBOR_ERR_NONE &&
	    res.read == n && cbor_isa_map(it);

	if (it != NULL)
		cbor_decref(&it);
	return ok;
}

int
idp_webauthn_auth_data_parse(const unsigned char *d, size_t n,
    struct idp_webauthn_auth_data *out)
{
	size_t off = 37, used = 0;

	memset(out, 0, sizeof(*out));
	if (d == NULL || n < 37 || n > IDP_WEBAUTHN_MAX)
		return -1;
	memcpy(out->rp_id_hash, d, 32);
	out->flags = d[32];
	out->sign_count = be32(d + 33);
	if (out->flags & IDP_WA_AT) {
		if (n < off + 18)
			return -1;
		memcpy(out->aaguid, d + off, 16);
		out->cred_id_len = (size_t)d[off + 16] << 8 | d[off + 17];
		off += 18;
		if (out->cred_id_len < 16 ||
		    out->cred_id_len > IDP_WEBAUTHN_CRED_ID_MAX ||
		    n - off < out->cred_id_len)
			return -1;
		out->cred_id = d + off;
		off += out->cred_id_len;
		out->alg = idp_cose_key_alg(d + off, n - off, &used);
		if (out->alg == 0 || used == 0 || used > n - off)
			return -1;
		out->cose_key = d + off;
		out->cose_key_len = used;
		off += used;
	}
	if (out->flags & IDP_WA_ED)
		return off < n && extensions_ok(d + off, n - off) ? 0 : -1;
	return off == n ? 0 : -1;
}

int
idp_webauthn_attestation_parse(struct idp_arena *a, const unsigned char *d,
    size_t n, unsigned char **auth_data, size_t *auth_data_len)
{
	const unsigned char *ad = NULL;
	struct cbor_load_result res;
	cbor_item_t *it;
	struct cbor_pair *p;
	bool fmt_none = false, stmt_empty = false, have_ad = false;
	int rc = -1;

	if (d == NULL || n == 0 || n > IDP_WEBAUTHN_MAX)
		return -1;
	it = load(d, n, &res);
	if (it == NULL)
		return -1;
	if (res.error.code != CBOR_ERR_NONE || res.read != n ||
	    !cbor_isa_map(it) || !cbor_map_is_definite(it) ||
	    cbor_map_size(it) != 3)
		goto out;
	p = cbor_map_handle(it);
	for (size_t i = 0; i < 3; i++) {
		const cbor_item_t *k = p[i].key, *v = p[i].value;
		const char *name;
		size_t kl;

		if (!cbor_isa_string(k) || !cbor_string_is_definite(k))
			goto out;
		name = (const char *)cbor_string_handle(k);
		kl = cbor_string_length(k);
		if (kl == 3 && !memcmp(name, "fmt", 3) && !fmt_none)
			fmt_none = cbor_isa_string(v) &&
			    cbor_string_is_definite(v) &&
			    cbor_string_length(v) == 4 &&
			    !memcmp(cbor_string_handle(v), "none", 4);
		else if (kl == 7 && !memcmp(name, "attStmt", 7) && !stmt_empty)
			stmt_empty = cbor_isa_map(v) && cbor_map_size(v) == 0;
		else if (kl == 8 && !memcmp(name, "authData", 8) && !have_ad)
			have_ad = bytes_of(v, 37, IDP_WEBAUTHN_MAX, &ad,
			    auth_data_len);
		else
			goto out;
	}
	if (fmt_none && stmt_empty && have_ad) {
		/* A copy: the item's memory goes below. */
		*auth_data = idp_arena_alloc(a, *auth_data_len);
		memcpy(*auth_data, ad, *auth_data_len);
		rc = 0;
	}
out:
	cbor_decref(&it);
	return rc;
}

/* A DER ECDSA signature as JOSE's r || s, for crypto/key.c. */
static int
der_to_raw(const unsigned char *sig, size_t n, unsigned char raw[64])
{
	const unsigned char *p = sig;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)n);
	const BIGNUM *r, *s;
	int rc = -1;

	if (es == NULL)
		return -1;
	ECDSA_SIG_get0(es, &r, &s);
	if (p == sig + n && BN_bn2binpad(r, raw, 32) == 32 &&
	    BN_bn2binpad(s, raw + 32, 32) == 32)
		rc = 0;
	ECDSA_SIG_free(es);
	return rc;
}

int
idp_webauthn_verify(const unsigned char *cose, size_t cose_len,
    const unsigned char *auth_data, size_t auth_data_len,
    const unsigned char *client_data, size_t client_data_len,
    const unsigned char *sig, size_t sig_len)
{
	unsigned char raw[64];
	unsigned char *msg;
	struct idp_key *k;
	size_t used = 0;
	int alg = 0, rc = -1;

	if (auth_data_len < 37 || auth_data_len > IDP_WEBAUTHN_MAX ||
	    client_data_len > IDP_WEBAUTHN_MAX || sig == NULL ||
	    sig_len == 0 || sig_len > 1024)
		return -1;
	k = cose_key(cose, cose_len, &used, &alg);
	if (k == NULL)
		return -1;
	msg = OPENSSL_malloc(auth_data_len + IDP_SHA256_LEN);
	if (msg == NULL)
		goto out;
	memcpy(msg, auth_data, auth_data_len);
	idp_sha256(client_data, client_data_len, msg + auth_data_len);
	if (alg == ALG_ES256) {
		if (der_to_raw(sig, sig_len, raw) == 0)
			rc = idp_key_verify(k, IDP_ALG_ES256, msg,
			    auth_data_len + IDP_SHA256_LEN, raw, sizeof(raw));
	} else {
		rc = idp_key_verify(k, IDP_ALG_RS256, msg,
		    auth_data_len + IDP_SHA256_LEN, sig, sig_len);
	}
out:
	OPENSSL_free(msg);
	idp_key_free(k);
	ERR_clear_error();
	return rc == 0 ? 0 : -1;
}

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "crypto/jws.h"
#include "oidc/dpop.h"
#include "util/buf.h"
#include "util/str.h"

#define MAX_PORT 65535

const char *const idp_dpop_algs_supported[] = { "ES256", "PS256", "RS256",
	"EdDSA", NULL };

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

bool
idp_dpop_jkt_syntax_ok(const char *s)
{
	return s != NULL && strlen(s) == IDP_JKT_LEN &&
	    strspn(s, b64url_alphabet) == IDP_JKT_LEN;
}

/* --- htu (RFC 3986 §6.2.2, §6.2.3) ------------------------------------ */

static bool
unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-encoding normalised: unreserved characters decoded, other
 * escapes in upper case. -1 on a bad escape or a byte that has no place
 * in a URI. */
static int
path_normalize(struct idp_buf *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		int hi, lo;

		if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '"')
			return -1;
		if (c != '%') {
			idp_buf_addc(b, (char)c);
			continue;
		}
		if (i + 2 >= n)
			return -1;
		hi = hexval((unsigned char)p[i + 1]);
		lo = hexval((unsigned char)p[i + 2]);
		if (hi < 0 || lo < 0)
			return -1;
		c = (unsigned char)(hi * 16 + lo);
		if (unreserved(c))
			idp_buf_addc(b, (char)c);
		else
			idp_buf_addf(b, "%%%02X", c);
		i += 2;
	}
	return 0;
}

/* RFC 3986 §5.2.4 on an absolute path, in place: the output never gets
 * ahead of the input. */
static void
remove_dot_segments(char *path)
{
	char *in = path, *out = path;

	while (*in != '\0') {
		if (!strncmp(in, "/./", 3)) {
			in += 2;
		} else if (!strcmp(in, "/.")) {
			in[1] = '\0';
		} else if (!strncmp(in, "/../", 4) || !strcmp(in, "/..")) {
			if (in[3] == '\0')
				in[2] = '/';
			in += in[3] == '\0' ? 2 : 3;
			while (out > path && *--out != '/')
				;
		} else {
			do
				*out++ = *in++;
			while (*in != '\0' && *in != '/');
		}
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/* host[:port] lower-cased, the default port and an empty port dropped. */
static int
authority_normalize(struct idp_buf *b, const char *auth, size_t n,
    bool https)
{
	const char *host_end = auth + n, *port;
	int64_t pv = 0;

	if (n == 0 || memchr(auth, '@', n) != NULL)
		return -1;
	if (*auth == '[') {
		host_end = memchr(auth, ']', n);
		if (host_end == NULL)
			return -1;
		host_end++;
	} else {
		const char *c = memchr(auth, ':', n);

		host_end = c != NULL ? c : auth + n;
	}
	if (host_end == auth)
		return -1;
	for (const char *p = auth; p < host_end; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return -1;
		idp_buf_addc(b, (char)tolower((unsigned char)*p));
	}
	port = host_end;
	if (port == auth + n)
		return 0;
	if (*port != ':' || (size_t)(auth + n - port - 1) > 5)
		return -1;
	for (const char *p = port + 1; p < auth + n; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		pv = pv * 10 + (*p - '0');
	}
	if (port + 1 == auth + n)
		return 0;
	if (pv > MAX_PORT)
		return -1;
	if (pv != (https ? 443 : 80))
		idp_buf_addf(b, ":%lld", (long long)pv);
	return 0;
}

char *
idp_dpop_htu_normalize(struct idp_arena *a, const char *uri)
{
	const char *sep, *auth, *auth_end, *path_end;
	struct idp_buf b;
	size_t path_at;
	bool https;

	if (uri == NULL || (sep = strstr(uri, "://")) == NULL)
		return NULL;
	if (sep - uri == 5 && !strncasecmp(uri, "https", 5))
		https = true;
	else if (sep - uri == 4 && !strncasecmp(uri, "http", 4))
		https = false;
	else
		return NULL;
	auth = sep + 3;
	auth_end = auth + strcspn(auth, "/?#");
	path_end = auth_end + strcspn(auth_end, "?#");
	idp_buf_init(&b, a, 8192);
	idp_buf_adds(&b, https ? "https://" : "http://");
	if (authority_normalize(&b, auth, (size_t)(auth_end - auth), https)
	    != 0)
		return NULL;
	path_at = b.len;
	if (auth_end == path_end)
		idp_buf_addc(&b, '/');
	else if (path_normalize(&b, auth_end, (size_t)(path_end - auth_end))
	    != 0)
		return NULL;
	if (b.overflow)
		return NULL;
	remove_dot_segments(b.data + path_at);
	return b.data;
}

/* --- nonces (§8) ---------------------------------------------------------- */

static int
nonce_mac(const unsigned char *key, uint64_t window, unsigned char out[24])
{
	static const char label[] = "idp dpop nonce";
	unsigned char msg[sizeof(label) - 1 + 8], mac[IDP_SHA256_LEN];

	for (int i = 0; i < 8; i++)
		out[i] = (unsigned char)(window >> (56 - 8 * i));
	memcpy(msg, label, sizeof(label) - 1);
	memcpy(msg + sizeof(label) - 1, out, 8);
	if (idp_hmac_sha256(key, IDP_DPOP_NONCE_KEY_LEN, msg, sizeof(msg),
	    mac) != 0)
		return -1;
	memcpy(out + 8, mac, 16);
	return 0;
}

char *
idp_dpop_nonce(struct idp_arena *a,
    const unsigned char key[IDP_DPOP_NONCE_KEY_LEN], int64_t now,
    int64_t rotation)
{
	unsigned char raw[24];

	if (rotation <= 0 || now < 0 ||
	    nonce_mac(key, (uint64_t)(now / rotation), raw) != 0)
		return NULL;
	return idp_b64url_encode(a, raw, sizeof(raw));
}

bool
idp_dpop_nonce_ok(const unsigned char key[IDP_DPOP_NONCE_KEY_LEN],
    const char *nonce, int64_t now, int64_t rotation, int64_t *until)
{
	unsigned char raw[24], want[24];
	uint64_t w = 0, cur;
	size_t n;

	if (nonce == NULL || rotation <= 0 || now < 0 ||
	    strlen(nonce) != IDP_DPOP_NONCE_LEN ||
	    strspn(nonce, b64url_alphabet) != IDP_DPOP_NONCE_LEN)
		return false;
	{
		struct idp_arena *tmp = idp_arena_new(128);
		unsigned char *d = idp_b64url_decode(tmp, nonce, strlen(nonce),
		    &n);
		bool ok = d != NULL && n == sizeof(raw);

		if (ok)
			memcpy(raw, d, sizeof(raw));
		idp_arena_free(tmp);
		if (!ok)
			return false;
	}
	for (int i = 0; i < 8; i++)
		w = w << 8 | raw[i];
	cur = (uint64_t)(now / rotation);
	if (w + 1 < cur || w > cur + 1 || nonce_mac(key, w, want) != 0)
		return false;
	if (!idp_ct_eq(raw, sizeof(raw), want, sizeof(want)))
		return false;
	*until = (int64_t)(w + 2) * rotation;
	return true;
}

/* --- the proof (§4.2, §4.3) ------------------------------------------- */

static enum idp_err
bad(const char **why, const char *desc)
{
	return idp_fail_why(why, IDP_ERR_INVALID_DPOP_PROOF, desc);
}

/* The jwk header: a public key of ours to check the signature with. */
static enum idp_err
check_key(const struct idp_jws *j, struct idp_dpop_proof *out,
    const char **why)
{
	static const char *const private_members[] = { "d", "p", "q", "dp",
		"dq", "qi", "oth", "k", NULL };
	json_t *jwk = json_object_get(j->header, "jwk");
	struct idp_key *k = NULL;
	int ok;

	if (!json_is_object(jwk))
		return bad(why, "The DPoP proof has no jwk header.");
	for (const char *const *m = private_members; *m != NULL; m++)
		if (json_object_get(jwk, *m) != NULL)
			return bad(why, "The jwk of the DPoP proof must be a "
			    "public key.");
	if (idp_key_from_jwk(jwk, &k) != 0)
		return bad(why, "The jwk of the DPoP proof is not an RSA "
		    "(2048+), P-256 or Ed25519 public signing key.");
	ok = idp_jws_verify(j, k) == 0 && idp_key_thumbprint(k, out->jkt) == 0;
	idp_key_free(k);
	if (!ok)
		return bad(why, "The DPoP proof's signature does not verify "
		    "with its jwk.");
	return IDP_OK;
}

static enum idp_err
check_claims(struct idp_arena *a, json_t *p, const struct idp_dpop_want *w,
    struct idp_dpop_proof *out, const char **why)
{
	const char *jti = json_string_value(json_object_get(p, "jti"));
	const char *htm = json_string_value(json_object_get(p, "htm"));
	const char *htu = json_string_value(json_object_get(p, "htu"));
	json_t *ath = json_object_get(p, "ath");
	char *have, *want;

	if (jti == NULL || *jti == '\0' || strlen(jti) > IDP_DPOP_JTI_MAX)
		return bad(why, "The DPoP proof needs a jti of 1 to 256 "
		    "characters.");
	if (!json_is_number(json_object_get(p, "iat")) ||
	    !isfinite(json_number_value(json_object_get(p, "iat"))))
		return bad(why, "The DPoP proof needs a numeric iat.");
	if (htm == NULL || strcmp(htm, w->htm) != 0)
		return bad(why, "The htm of the DPoP proof is not the method of "
		    "this request.");
	have = idp_dpop_htu_normalize(a, htu);
	want = idp_dpop_htu_normalize(a, w->htu);
	if (have == NULL || want == NULL || strcmp(have, want) != 0)
		return bad(why, "The htu of the DPoP proof is not the URL of "
		    "this endpoint.");
	if (w->access_token != NULL) {
		unsigned char d[IDP_SHA256_LEN];
		char hash[IDP_B64URL_LEN(IDP_SHA256_LEN) + 1];

		idp_sha256_str(w->access_token, d);
		idp_b64url_encode_to(hash, d, sizeof(d));
		if (!idp_ct_streq(json_string_value(ath), hash))
			return bad(why, "The ath of the DPoP proof is not the "
			    "hash of the access token.");
	} else if (ath != NULL) {
		return bad(why, "The DPoP proof has an ath, but no access token "
		    "was presented.");
	}
	out->jti = jti;
	return IDP_OK;
}

/* Fresh by the nonce when it carries one of ours, else by iat. */
static enum idp_err
check_fresh(json_t *p, const struct idp_dpop_want *w,
    struct idp_dpop_proof *out, const char **why)
{
	json_t *nv = json_object_get(p, "nonce");
	double iat = json_number_value(json_object_get(p, "iat"));
	int64_t until = 0;

	if (nv != NULL && !json_is_string(nv))
		return bad(why, "The nonce of the DPoP proof must be a string.");
	if (w->nonce_key != NULL && nv != NULL) {
		if (!idp_dpop_nonce_ok(w->nonce_key, json_string_value(nv),
		    w->now, w->nonce_rotation, &until))
			return idp_fail_why(why, IDP_ERR_USE_DPOP_NONCE,
			    "The nonce of the DPoP proof is not current: use "
			    "the one in the DPoP-Nonce header.");
		out->fresh_by_nonce = true;
		out->keep_until = until + IDP_DPOP_SKEW;
		return IDP_OK;
	}
	if (w->nonce_key != NULL && w->nonce_required)
		return idp_fail_why(why, IDP_ERR_USE_DPOP_NONCE, "The provider "
		    "requires a nonce in DPoP proofs: use the one in the "
		    "DPoP-Nonce header.");
	/* iat comes from outside: compare, never add to it. */
	if (iat < (double)(w->now - w->max_age) ||
	    iat > (double)(w->now + IDP_DPOP_SKEW))
		return bad(why, "The DPoP proof is too old or dated in the "
		    "future (iat).");
	out->keep_until = (int64_t)iat + w->max_age + 1;
	return IDP_OK;
}

enum idp_err
idp_dpop_check(struct idp_arena *a, const char *proof,
    const struct idp_dpop_want *w, struct idp_dpop_proof *out,
    const char **why)
{
	struct idp_jws j;
	enum idp_err rc;

	memset(out, 0, sizeof(*out));
	if (proof == NULL || idp_jws_parse(a, proof, &j) != 0)
		return bad(why, "The DPoP header is not one signed JWT with an "
		    "RS256, PS256, ES256 or EdDSA signature.");
	if (j.typ == NULL || strcasecmp(j.typ, "dpop+jwt") != 0)
		return bad(why, "The typ of a DPoP proof must be dpop+jwt.");
	out->alg = j.alg;
	if ((rc = check_key(&j, out, why)) != IDP_OK ||
	    (rc = check_claims(a, j.payload, w, out, why)) != IDP_OK)
		return rc;
	return check_fresh(j.payload, w, out, why);
}

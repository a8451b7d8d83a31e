#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jwt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "jwk.h"
#include "oidc.h"
#include "util.h"

/* Longest URL the portal builds (an authorize or logout URL). */
#define URL_MAX		16384

/* Formats a reason into err and returns -1, for one-line early returns. */
static int
fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *
str_member(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

bool
oidc_url_ok(const char *url)
{
	static const char *const local[] = { "http://127.0.0.1",
		"http://[::1]", "http://localhost", NULL };
	const char *authority, *p;
	size_t i, n;
	bool ok = false;

	if (url == NULL)
		return false;
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '#')
			return false;
	if (strncmp(url, "https://", 8) == 0)
		ok = true;
	for (i = 0; !ok && local[i] != NULL; i++) {
		n = strlen(local[i]);
		ok = strncmp(url, local[i], n) == 0 && (url[n] == '\0' ||
		    url[n] == ':' || url[n] == '/' || url[n] == '?');
	}
	if (!ok)
		return false;
	/* A non-empty host, and no user information before it. */
	authority = strstr(url, "//") + 2;
	n = strcspn(authority, "/?");
	return n > 0 && memchr(authority, '@', n) == NULL;
}

static int
take_url(const json_t *doc, const char *name, bool required, char **out,
    char *err, size_t errlen)
{
	const char *v = str_member(doc, name);

	if (v == NULL && !required && json_object_get(doc, name) == NULL)
		return 0;
	if (v == NULL)
		return fail(err, errlen, "%s missing", name);
	/* Discovery §3: endpoints are https URLs (http: this machine). */
	if (!oidc_url_ok(v))
		return fail(err, errlen, "%s is not an acceptable URL", name);
	if ((*out = strdup(v)) == NULL)
		return fail(err, errlen, "out of memory");
	return 0;
}

static bool
array_has(const json_t *a, const char *v)
{
	size_t i;

	for (i = 0; i < json_array_size(a); i++)
		if (json_is_string(json_array_get(a, i)) &&
		    strcmp(json_string_value(json_array_get(a, i)), v) == 0)
			return true;
	return false;
}

int
oidc_discovery_parse(const char *doc, size_t len, const char *issuer,
    struct oidc_provider *op, char *err, size_t errlen)
{
	const json_t *algs, *pkce;
	json_error_t jerr;
	const char *v;
	json_t *d;
	int rc = -1;

	memset(op, 0, sizeof(*op));
	d = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(d)) {
		fail(err, errlen, "discovery document is not a JSON object");
		goto out;
	}
	/*
	 * OIDC Discovery §4.3: the issuer in the document must be exactly
	 * the one we asked. Otherwise one provider could pose as another
	 * and the ID token iss check would compare against its word.
	 */
	if ((v = str_member(d, "issuer")) == NULL || strcmp(v, issuer) != 0) {
		fail(err, errlen, "issuer in the document is \"%.200s\", not "
		    "\"%s\"", v ? v : "(none)", issuer);
		goto out;
	}
	if ((op->op_issuer = strdup(issuer)) == NULL ||
	    take_url(d, "authorization_endpoint", true,
	    &op->op_authorization_endpoint, err, errlen) != 0 ||
	    take_url(d, "token_endpoint", true, &op->op_token_endpoint,
	    err, errlen) != 0 ||
	    take_url(d, "userinfo_endpoint", true, &op->op_userinfo_endpoint,
	    err, errlen) != 0 ||
	    take_url(d, "jwks_uri", true, &op->op_jwks_uri, err, errlen) != 0 ||
	    take_url(d, "end_session_endpoint", false,
	    &op->op_end_session_endpoint, err, errlen) != 0)
		goto out;
	/* RFC 9207 §3: the provider says it puts iss in its responses. */
	op->op_iss_parameter_supported = json_is_true(json_object_get(d,
	    "authorization_response_iss_parameter_supported"));
	/*
	 * RFC 8414 §2: a provider listing PKCE methods without S256 would
	 * ignore our code_challenge. (Many omit the list and support S256.)
	 */
	pkce = json_object_get(d, "code_challenge_methods_supported");
	if (pkce != NULL && !array_has(pkce, "S256")) {
		fail(err, errlen, "provider does not support PKCE S256");
		goto out;
	}
	/* Discovery §3 (required): we can verify RS256 and ES256 only. */
	algs = json_object_get(d, "id_token_signing_alg_values_supported");
	if (!array_has(algs, JWK_ALG_RS256) && !array_has(algs, JWK_ALG_ES256)) {
		fail(err, errlen, "provider signs ID tokens with neither RS256 "
		    "nor ES256");
		goto out;
	}
	rc = 0;
out:
	json_decref(d);
	if (rc != 0)
		oidc_provider_free(op);
	return rc;
}

void
oidc_provider_free(struct oidc_provider *op)
{
	free(op->op_issuer);
	free(op->op_authorization_endpoint);
	free(op->op_token_endpoint);
	free(op->op_userinfo_endpoint);
	free(op->op_jwks_uri);
	free(op->op_end_session_endpoint);
	memset(op, 0, sizeof(*op));
}

static int
sha256(const char *s, unsigned char md[32])
{
	return EVP_Digest(s, strlen(s), md, NULL, EVP_sha256(), NULL) == 1 ?
	    0 : -1;
}

int
oidc_pkce_challenge(const char *verifier,
    char out[OIDC_PKCE_CHALLENGE_LEN + 1])
{
	unsigned char md[32];
	size_t n = strlen(verifier);
	char *s;

	/* RFC 7636 §4.1: 43 to 128 characters of the unreserved set. */
	if (n < 43 || n > 128 || strspn(verifier, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-._~") != n)
		return -1;
	if (sha256(verifier, md) != 0 || (s = b64url_encode(md, 32)) == NULL)
		return -1;
	memcpy(out, s, OIDC_PKCE_CHALLENGE_LEN + 1);
	free(s);
	return 0;
}

/* Appends name=value, percent-encoded, after sep ("?" or "&"). */
static void
add_param(struct buf *b, const char *sep, const char *name, const char *value)
{
	buf_puts(b, sep);
	buf_puts(b, name);
	buf_puts(b, "=");
	buf_urlenc(b, value);
}

/* RFC 6749 §3.1: an endpoint's own query is kept; we add to it. */
static const char *
first_sep(const char *endpoint)
{
	return strchr(endpoint, '?') != NULL ? "&" : "?";
}

char *
oidc_authorize_url(const struct oidc_provider *op,
    const struct oidc_client *oc, const char *state, const char *nonce,
    const char *code_challenge)
{
	const char *ep = op->op_authorization_endpoint;
	struct buf b;

	buf_init(&b, URL_MAX);
	buf_puts(&b, ep);
	/* OIDC Core §3.1.2.1: the code flow, with the openid scope. */
	add_param(&b, first_sep(ep), "response_type", "code");
	add_param(&b, "&", "client_id", oc->oc_client_id);
	add_param(&b, "&", "redirect_uri", oc->oc_redirect_uri);
	add_param(&b, "&", "scope", "openid profile email organisation");
	/* RFC 6749 §10.12: state binds the response to this browser. */
	add_param(&b, "&", "state", state);
	/* OIDC Core §3.1.2.1: nonce binds the ID token to this request. */
	add_param(&b, "&", "nonce", nonce);
	/* RFC 7636 §4.3: only the hash of the verifier leaves the portal. */
	add_param(&b, "&", "code_challenge", code_challenge);
	add_param(&b, "&", "code_challenge_method", "S256");
	return buf_steal(&b);
}

char *
oidc_basic_auth(const char *client_id, const char *client_secret)
{
	struct buf cred, hdr;
	unsigned char *b64 = NULL;
	char *c, *h = NULL;
	size_t n;

	/*
	 * RFC 6749 §2.3.1: id and secret are form-urlencoded first, then
	 * joined by ':' and base64-encoded (RFC 7617). Skipping the first
	 * step breaks secrets containing ':' or non-ASCII characters.
	 */
	buf_init(&cred, 4096);
	buf_urlenc(&cred, client_id);
	buf_puts(&cred, ":");
	buf_urlenc(&cred, client_secret);
	if ((c = buf_steal(&cred)) == NULL)
		return NULL;
	n = strlen(c);
	if ((b64 = malloc(4 * ((n + 2) / 3) + 1)) == NULL)
		goto out;
	EVP_EncodeBlock(b64, (const unsigned char *)c, (int)n);
	buf_init(&hdr, 8192);
	buf_puts(&hdr, "Basic ");
	buf_puts(&hdr, (const char *)b64);
	h = buf_steal(&hdr);
out:
	wipe_free(c);
	wipe_free((char *)b64);
	return h;
}

char *
oidc_token_form(const struct oidc_client *oc, const char *code,
    const char *code_verifier)
{
	struct buf b;

	buf_init(&b, URL_MAX);
	/* RFC 6749 §4.1.3: the same redirect_uri as in the request. */
	add_param(&b, "", "grant_type", "authorization_code");
	add_param(&b, "&", "code", code);
	add_param(&b, "&", "redirect_uri", oc->oc_redirect_uri);
	/* RFC 7636 §4.5: proves we are the party that started the flow. */
	add_param(&b, "&", "code_verifier", code_verifier);
	return buf_steal(&b);
}

int
oidc_token_response_parse(const char *body, size_t len,
    struct oidc_tokens *t, char *err, size_t errlen)
{
	const char *at, *idt, *type;
	json_error_t jerr;
	json_t *r;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	r = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(r)) {
		fail(err, errlen, "token response is not a JSON object");
		goto out;
	}
	at = str_member(r, "access_token");
	idt = str_member(r, "id_token");
	type = str_member(r, "token_type");
	if (at == NULL || *at == '\0') {
		fail(err, errlen, "token response has no access_token");
		goto out;
	}
	/* RFC 6749 §7.1: we only know how to use Bearer tokens (RFC 6750). */
	if (type == NULL || strcasecmp(type, "Bearer") != 0) {
		fail(err, errlen, "token_type is not Bearer");
		goto out;
	}
	/* OIDC Core §3.1.3.3: with scope openid, an ID token is required. */
	if (idt == NULL) {
		fail(err, errlen, "token response has no id_token");
		goto out;
	}
	if ((t->ot_access_token = strdup(at)) == NULL ||
	    (t->ot_id_token = strdup(idt)) == NULL) {
		fail(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	json_decref(r);
	if (rc != 0)
		oidc_tokens_free(t);
	return rc;
}

void
oidc_tokens_free(struct oidc_tokens *t)
{
	wipe_free(t->ot_access_token);
	wipe_free(t->ot_id_token);
	t->ot_access_token = t->ot_id_token = NULL;
}

void
oidc_error_code(const char *body, size_t len, char *out, size_t outlen)
{
	json_error_t jerr;
	const char *v;
	json_t *r;

	out[0] = '\0';
	r = json_loadb(body, len, 0, &jerr);
	v = str_member(r, "error");
	/* RFC 6749 §5.2: error is %x20-21 / %x23-5B / %x5D-7E. */
	if (v != NULL && strlen(v) < outlen && strspn(v,
	    " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ["
	    "]^_`abcdefghijklmnopqrstuvwxyz{|}~") == strlen(v))
		snprintf(out, outlen, "%s", v);
	json_decref(r);
}

/* Decodes one base64url part of a compact JWS into a JSON object. */
static json_t *
part_json(const char *s, size_t len)
{
	unsigned char *raw;
	json_error_t jerr;
	json_t *o;
	size_t n;

	if ((raw = b64url_decode(s, len, &n)) == NULL)
		return NULL;
	/* Duplicate member names make a claim ambiguous: refuse them. */
	o = json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, &jerr);
	free(raw);
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

enum oidc_sig
oidc_id_token_verify(const char *id_token, const json_t *jwks,
    json_t **claims, char *err, size_t errlen)
{
	enum oidc_sig rc = OIDC_SIG_INVALID;
	const char *dot1, *dot2, *alg, *kid;
	const json_t *jwk;
	json_t *hdr = NULL;
	char *pem = NULL;
	jwt_t *jwt = NULL;
	jwt_alg_t want;

	*claims = NULL;
	/* RFC 7515 §7.1: header.payload.signature, nothing else. */
	if ((dot1 = strchr(id_token, '.')) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL ||
	    strchr(dot2 + 1, '.') != NULL) {
		fail(err, errlen, "ID token is not a compact JWS");
		goto out;
	}
	if ((hdr = part_json(id_token, (size_t)(dot1 - id_token))) == NULL) {
		fail(err, errlen, "ID token header is malformed");
		goto out;
	}
	/*
	 * The header's alg only selects among algorithms we accept; it never
	 * decides on its own. libjwt 1.10's jwt_decode() verifies with
	 * whatever alg the header names, so without this check a token with
	 * "none", or "HS256" using our public key as the HMAC secret, would
	 * pass (RFC 8725 §2.1, §3.1).
	 */
	alg = str_member(hdr, "alg");
	if (alg != NULL && strcmp(alg, JWK_ALG_RS256) == 0)
		want = JWT_ALG_RS256;
	else if (alg != NULL && strcmp(alg, JWK_ALG_ES256) == 0)
		want = JWT_ALG_ES256;
	else {
		fail(err, errlen, "ID token alg is not RS256 or ES256");
		goto out;
	}
	/* RFC 7515 §4.1.11: critical extensions we do not know: refuse. */
	if (json_object_get(hdr, "crit") != NULL) {
		fail(err, errlen, "ID token header has crit");
		goto out;
	}
	kid = str_member(hdr, "kid");
	if (kid == NULL && json_object_get(hdr, "kid") != NULL) {
		fail(err, errlen, "ID token kid is not a string");
		goto out;
	}
	/* Keys come from the provider's jwks_uri only, never the header. */
	switch (jwks_select(jwks, alg, kid, &jwk)) {
	case JWKS_FOUND:
		break;
	case JWKS_NOT_FOUND:
		rc = OIDC_SIG_UNKNOWN_KEY;
		fail(err, errlen, "no %s key with this kid in the JWKS", alg);
		goto out;
	case JWKS_AMBIGUOUS:
		fail(err, errlen, "several JWKS keys fit and no kid decides");
		goto out;
	case JWKS_MALFORMED:
		fail(err, errlen, "JWKS has no keys array");
		goto out;
	}
	if ((pem = jwk_to_pem(jwk, alg, err, errlen)) == NULL)
		goto out;
	if (jwt_decode(&jwt, id_token, (const unsigned char *)pem,
	    (int)strlen(pem)) != 0 || jwt_get_alg(jwt) != want) {
		fail(err, errlen, "ID token signature does not verify");
		goto out;
	}
	*claims = part_json(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	if (*claims == NULL) {
		fail(err, errlen, "ID token payload is malformed");
		goto out;
	}
	rc = OIDC_SIG_OK;
out:
	jwt_free(jwt);
	free(pem);
	json_decref(hdr);
	return rc;
}

/* A NumericDate (RFC 7519 §2): an integer or a real number of seconds. */
static bool
numeric_date(const json_t *c, const char *name, long long *out)
{
	const json_t *v = json_object_get(c, name);
	double d;

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (!isfinite(d) || d < -1e15 || d > 1e15)
			return false;
		*out = (long long)d;
		return true;
	}
	return false;
}

int
oidc_id_token_check(const json_t *c, const struct oidc_expect *x, char *err,
    size_t errlen)
{
	char want_hash[OIDC_AT_HASH_LEN + 1];
	const json_t *aud, *azp, *h;
	const char *v;
	long long exp, iat;
	size_t i, naud;
	bool mine = false;

	/* Step 2: iss is exactly our issuer (from discovery). */
	if ((v = str_member(c, "iss")) == NULL || strcmp(v, x->oe_issuer) != 0)
		return fail(err, errlen, "iss is not the issuer");
	/* Step 3: we are an audience; aud is a string or an array. */
	aud = json_object_get(c, "aud");
	if (json_is_string(aud)) {
		naud = 1;
		mine = strcmp(json_string_value(aud), x->oe_client_id) == 0;
	} else if (json_is_array(aud)) {
		naud = json_array_size(aud);
		for (i = 0; i < naud; i++) {
			v = json_string_value(json_array_get(aud, i));
			if (v == NULL)
				return fail(err, errlen, "aud is malformed");
			mine = mine || strcmp(v, x->oe_client_id) == 0;
		}
	} else
		return fail(err, errlen, "aud missing");
	if (!mine)
		return fail(err, errlen, "aud does not contain our client_id");
	/*
	 * Steps 4-5: with several audiences, azp must name us: the token was
	 * issued to us, not to another party that listed us.
	 */
	azp = json_object_get(c, "azp");
	if (naud > 1 && azp == NULL)
		return fail(err, errlen, "several audiences and no azp");
	if (azp != NULL && (!json_is_string(azp) ||
	    strcmp(json_string_value(azp), x->oe_client_id) != 0))
		return fail(err, errlen, "azp is not our client_id");
	/* §2: sub is required, at most 255 ASCII characters. */
	if ((v = str_member(c, "sub")) == NULL || *v == '\0' ||
	    strlen(v) > 255)
		return fail(err, errlen, "sub missing or malformed");
	/* Step 9: not expired (with leeway for clock differences). */
	if (!numeric_date(c, "exp", &exp))
		return fail(err, errlen, "exp missing");
	if (x->oe_now - OIDC_LEEWAY_SECONDS >= exp)
		return fail(err, errlen, "ID token expired");
	/* Step 10: iat present, and not from the future. */
	if (!numeric_date(c, "iat", &iat))
		return fail(err, errlen, "iat missing");
	if (iat > x->oe_now + OIDC_LEEWAY_SECONDS)
		return fail(err, errlen, "iat is in the future");
	/* Step 11: our nonce, so the token answers our request (replay). */
	if (!ct_streq(str_member(c, "nonce"), x->oe_nonce))
		return fail(err, errlen, "nonce does not match");
	/*
	 * §3.1.3.8: at_hash is optional in the code flow; when present it
	 * binds the access token to this ID token (§3.2.2.9).
	 */
	if ((h = json_object_get(c, "at_hash")) != NULL) {
		if (oidc_at_hash(x->oe_access_token, want_hash) != 0)
			return fail(err, errlen, "cannot hash access token");
		if (!ct_streq(json_string_value(h), want_hash))
			return fail(err, errlen, "at_hash does not match");
	}
	return 0;
}

int
oidc_at_hash(const char *access_token, char out[OIDC_AT_HASH_LEN + 1])
{
	unsigned char md[32];
	char *s;

	if (access_token == NULL || sha256(access_token, md) != 0)
		return -1;
	/* The left-most half of the hash of the ASCII token (RS256, ES256). */
	if ((s = b64url_encode(md, 16)) == NULL)
		return -1;
	memcpy(out, s, OIDC_AT_HASH_LEN + 1);
	free(s);
	return 0;
}

int
oidc_userinfo_parse(const char *body, size_t len, const char *sub,
    json_t **claims, char *err, size_t errlen)
{
	json_error_t jerr;
	const char *v;
	json_t *u;

	*claims = NULL;
	u = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(u)) {
		json_decref(u);
		return fail(err, errlen, "UserInfo is not a JSON object");
	}
	/*
	 * OIDC Core §5.3.2: the sub must equal the ID token's, or the
	 * response may belong to someone else (token substitution) and must
	 * not be used.
	 */
	if ((v = str_member(u, "sub")) == NULL || strcmp(v, sub) != 0) {
		json_decref(u);
		return fail(err, errlen, "UserInfo sub differs from ID token");
	}
	*claims = u;
	return 0;
}

char *
oidc_logout_url(const struct oidc_provider *op, const char *client_id,
    const char *id_token_hint, const char *post_logout_redirect_uri)
{
	const char *ep = op->op_end_session_endpoint;
	struct buf b;

	if (ep == NULL)
		return NULL;
	buf_init(&b, URL_MAX);
	buf_puts(&b, ep);
	/*
	 * RP-Initiated Logout §2: id_token_hint says who signs out (so the
	 * provider need not ask), client_id and a registered
	 * post_logout_redirect_uri bring the browser back here.
	 */
	add_param(&b, first_sep(ep), "client_id", client_id);
	if (id_token_hint != NULL)
		add_param(&b, "&", "id_token_hint", id_token_hint);
	add_param(&b, "&", "post_logout_redirect_uri",
	    post_logout_redirect_uri);
	return buf_steal(&b);
}

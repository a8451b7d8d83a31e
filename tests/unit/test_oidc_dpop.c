/* oidc/dpop: DPoP proofs (RFC 9449 §4.3) with the RFC's own examples
 * (§4.1 at the token endpoint, §7.1 with an access token), every rule on
 * proofs made here, htu normalisation (RFC 3986 §6.2.2-6.2.3) and the
 * provider's nonces (§8). */
#include <string.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "oidc/dpop.h"
#include "unit.h"

/* RFC 9449 Figure 3 (§4.1): a proof for POST https://server.example.com/
 * token, and the thumbprint of its key (Figure 9, §6.1). */
#define RFC_PROOF "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0" \
	"eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZl" \
	"dWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUw" \
	"Q2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIi" \
	"wiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rv" \
	"a2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvq" \
	"RMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg"
#define RFC_JKT "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
#define RFC_IAT 1562262616
/* RFC 9449 Figure 13 (§7.1): the same key, GET of a protected resource
 * with the access token of Figure 12. */
#define RFC_RS_PROOF "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7" \
	"Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVV" \
	"FVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERW" \
	"clUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQU" \
	"VCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9y" \
	"Zy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU" \
	"8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRq" \
	"zhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoM" \
	"xhAJpLjA"
#define RFC_AT "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"

#define HTU "https://sso.baliprov.go.id/token"
#define NOW 1700000000

static struct idp_arena *a;
static struct idp_key *ec, *rsa;
static const unsigned char nonce_key[IDP_DPOP_NONCE_KEY_LEN] = "sebuah kunci "
    "nonce untuk uji";

static void
setup(void)
{
	a = idp_arena_new(4096);
}

static void
teardown(void)
{
	idp_arena_free(a);
}

static void
keys_setup(void)
{
	setup();
	ck_assert_int_eq(idp_key_generate(IDP_ALG_ES256, 0, &ec), 0);
	ck_assert_int_eq(idp_key_generate(IDP_ALG_PS256, 2048, &rsa), 0);
}

static void
keys_teardown(void)
{
	idp_key_free(ec);
	idp_key_free(rsa);
	teardown();
}

static struct idp_dpop_want
rfc_want(void)
{
	return (struct idp_dpop_want){ .htm = "POST",
		.htu = "https://server.example.com/token", .now = RFC_IAT + 5,
		.max_age = 60 };
}

static struct idp_dpop_want
want_now(void)
{
	return (struct idp_dpop_want){ .htm = "POST", .htu = HTU, .now = NOW,
		.max_age = 120 };
}

static char *
b64json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT), *out;

	ck_assert_ptr_nonnull(s);
	out = idp_b64url_encode(a, s, strlen(s));
	free(s);
	return out;
}

/* A proof signed by signer whose header carries jwk_of's public key and
 * the members of extra (which may replace typ or alg); payload is taken. */
static char *
proof_by(struct idp_key *signer, struct idp_key *jwk_of, json_t *extra,
    json_t *payload)
{
	json_t *h = json_pack("{s:s, s:s, s:o}", "typ", "dpop+jwt", "alg",
	    idp_alg_name(idp_key_alg(signer)), "jwk",
	    idp_key_public_jwk(jwk_of));
	unsigned char sig[IDP_SIG_MAX];
	size_t siglen = sizeof(sig);
	char *input;

	if (extra != NULL) {
		json_object_update(h, extra);
		json_decref(extra);
	}
	input = idp_arena_printf(a, "%s.%s", b64json(h), b64json(payload));
	json_decref(h);
	json_decref(payload);
	ck_assert_int_eq(idp_key_sign(signer, input, strlen(input), sig,
	    &siglen), 0);
	return idp_arena_printf(a, "%s.%s", input,
	    idp_b64url_encode(a, sig, siglen));
}

static json_t *
claims(int64_t iat)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "jti", "j-1", "htm", "POST",
	    "htu", HTU, "iat", (json_int_t)iat);
}

static enum idp_err
check(const char *proof, const struct idp_dpop_want *w,
    struct idp_dpop_proof *p)
{
	const char *why = NULL;
	enum idp_err rc = idp_dpop_check(a, proof, w, p, &why);

	if (rc != IDP_OK)
		ck_assert_ptr_nonnull(why);
	return rc;
}

START_TEST(rfc_example_token_request)
{
	struct idp_dpop_want w = rfc_want();
	struct idp_dpop_proof p;

	ck_assert_int_eq(check(RFC_PROOF, &w, &p), IDP_OK);
	ck_assert_str_eq(p.jkt, RFC_JKT);
	ck_assert_str_eq(p.jti, "-BwC3ESc6acc2lTc");
	ck_assert_int_eq(p.alg, IDP_ALG_ES256);
	ck_assert(!p.fresh_by_nonce);
	ck_assert_int_eq(p.keep_until, RFC_IAT + 60 + 1);
}
END_TEST

START_TEST(rfc_example_resource_request)
{
	struct idp_dpop_want w = { .htm = "GET",
		.htu = "https://resource.example.org/protectedresource",
		.access_token = RFC_AT, .now = RFC_IAT + 2, .max_age = 60 };
	struct idp_dpop_proof p;

	ck_assert_int_eq(check(RFC_RS_PROOF, &w, &p), IDP_OK);
	ck_assert_str_eq(p.jkt, RFC_JKT);
	/* ath is the hash of that very token. */
	w.access_token = RFC_AT "x";
	ck_assert_int_eq(check(RFC_RS_PROOF, &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
	/* Without a token, a proof with ath is out of place. */
	w.access_token = NULL;
	ck_assert_int_eq(check(RFC_RS_PROOF, &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
}
END_TEST

START_TEST(rfc_example_against_other_requests)
{
	struct idp_dpop_want w = rfc_want();
	struct idp_dpop_proof p;

	w.htm = "GET";
	ck_assert_int_eq(check(RFC_PROOF, &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	w = rfc_want();
	w.htu = "https://server.example.com/par";
	ck_assert_int_eq(check(RFC_PROOF, &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	w = rfc_want();
	w.htu = "https://server.example.com:443/token?x=1#f";
	ck_assert_int_eq(check(RFC_PROOF, &w, &p), IDP_OK);
	/* Too old, and from the future. */
	w = rfc_want();
	w.now = RFC_IAT + 61;
	ck_assert_int_eq(check(RFC_PROOF, &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	w.now = RFC_IAT - IDP_DPOP_SKEW - 1;
	ck_assert_int_eq(check(RFC_PROOF, &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	/* A token endpoint proof carries no ath. */
	w = rfc_want();
	w.access_token = RFC_AT;
	ck_assert_int_eq(check(RFC_PROOF, &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	/* A provider that wants nonces asks for one. */
	w = rfc_want();
	w.nonce_key = nonce_key;
	w.nonce_rotation = 300;
	w.nonce_required = true;
	ck_assert_int_eq(check(RFC_PROOF, &w, &p), IDP_ERR_USE_DPOP_NONCE);
	/* A changed byte of the signature. */
	w = rfc_want();
	{
		char *bad = idp_arena_strdup(a, RFC_PROOF);

		bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'A' ? 'B' : 'A';
		ck_assert_int_eq(check(bad, &w, &p),
		    IDP_ERR_INVALID_DPOP_PROOF);
	}
}
END_TEST

START_TEST(own_proofs_of_each_key_type)
{
	struct idp_dpop_want w = want_now();
	struct idp_dpop_proof p;
	char jkt[IDP_JKT_LEN + 1];

	ck_assert_int_eq(check(proof_by(ec, ec, NULL, claims(NOW)), &w, &p),
	    IDP_OK);
	ck_assert_int_eq(idp_key_thumbprint(ec, jkt), 0);
	ck_assert_str_eq(p.jkt, jkt);
	ck_assert_int_eq(check(proof_by(rsa, rsa, NULL, claims(NOW - 100)), &w,
	    &p), IDP_OK);
	ck_assert_int_eq(idp_key_thumbprint(rsa, jkt), 0);
	ck_assert_str_eq(p.jkt, jkt);
	ck_assert_int_eq(p.alg, IDP_ALG_PS256);
	/* RS256 with the same RSA key. */
	ck_assert_int_eq(check(proof_by(rsa, rsa, json_pack("{s:s}", "alg",
	    "RS256"), claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
}
END_TEST

START_TEST(header_rules)
{
	struct idp_dpop_want w = want_now();
	struct idp_dpop_proof p;
	json_t *priv = idp_key_public_jwk(ec);

	/* typ */
	ck_assert_int_eq(check(proof_by(ec, ec, json_pack("{s:s}", "typ",
	    "JWT"), claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	ck_assert_int_eq(check(proof_by(ec, ec, json_pack("{s:n}", "typ"),
	    claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	ck_assert_int_eq(check(proof_by(ec, ec, json_pack("{s:s}", "typ",
	    "DPoP+JWT"), claims(NOW)), &w, &p), IDP_OK);
	/* alg: none, HMAC and unknown ones are no proof. */
	ck_assert_int_eq(check(proof_by(ec, ec, json_pack("{s:s}", "alg",
	    "none"), claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	ck_assert_int_eq(check(proof_by(ec, ec, json_pack("{s:s}", "alg",
	    "HS256"), claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	/* A key that did not sign it. */
	ck_assert_int_eq(check(proof_by(ec, rsa, json_pack("{s:s}", "alg",
	    "ES256"), claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	/* No jwk, a jwk that is no key, a private key. */
	ck_assert_int_eq(check(proof_by(ec, ec, json_pack("{s:n}", "jwk"),
	    claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	ck_assert_int_eq(check(proof_by(ec, ec, json_pack("{s:{s:s}}", "jwk",
	    "kty", "oct"), claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	json_object_set_new(priv, "d", json_string("AAAA"));
	ck_assert_int_eq(check(proof_by(ec, ec, json_pack("{s:o}", "jwk", priv),
	    claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	/* An unknown critical extension. */
	ck_assert_int_eq(check(proof_by(ec, ec, json_pack("{s:[s]}", "crit",
	    "x"), claims(NOW)), &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	/* Not a JWT at all. */
	ck_assert_int_eq(check("a.b", &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	ck_assert_int_eq(check("", &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
	ck_assert_int_eq(check(NULL, &w, &p), IDP_ERR_INVALID_DPOP_PROOF);
}
END_TEST

START_TEST(claim_rules)
{
	struct idp_dpop_want w = want_now();
	struct idp_dpop_proof p;
	json_t *c;
	char long_jti[IDP_DPOP_JTI_MAX + 2];

	memset(long_jti, 'j', sizeof(long_jti) - 1);
	long_jti[sizeof(long_jti) - 1] = '\0';
	c = claims(NOW);
	json_object_del(c, "jti");
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
	c = claims(NOW);
	json_object_set_new(c, "jti", json_string(long_jti));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
	c = claims(NOW);
	json_object_set_new(c, "iat", json_string("1700000000"));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
	c = claims(NOW);
	json_object_del(c, "htm");
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
	c = claims(NOW);
	json_object_set_new(c, "htm", json_string("post"));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
	c = claims(NOW);
	json_object_set_new(c, "htu", json_string("https://evil.example/token"));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
	c = claims(NOW);
	json_object_set_new(c, "htu", json_integer(1));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
	/* Case and default port of the htu do not matter. */
	c = claims(NOW);
	json_object_set_new(c, "htu", json_string(
	    "HTTPS://SSO.Baliprov.Go.Id:443/token"));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p), IDP_OK);
	/* A real iat is fine; NaN cannot be written in JSON at all. */
	c = claims(NOW);
	json_object_set_new(c, "iat", json_real(NOW - 0.5));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p), IDP_OK);
}
END_TEST

START_TEST(nonces_vouch_for_freshness)
{
	struct idp_dpop_want w = want_now();
	struct idp_dpop_proof p;
	json_t *c;
	char *n;

	w.nonce_key = nonce_key;
	w.nonce_rotation = 300;
	w.nonce_required = true;
	n = idp_dpop_nonce(a, nonce_key, NOW, 300);
	ck_assert_uint_eq(strlen(n), IDP_DPOP_NONCE_LEN);
	/* Without a nonce: ask for one, even for a fresh iat. */
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, claims(NOW)), &w, &p),
	    IDP_ERR_USE_DPOP_NONCE);
	/* With one, an old iat (a phone with a wrong clock) is fine. */
	c = claims(NOW - 86400);
	json_object_set_new(c, "nonce", json_string(n));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p), IDP_OK);
	ck_assert(p.fresh_by_nonce);
	ck_assert_int_eq(p.keep_until, (NOW / 300 + 2) * 300 + IDP_DPOP_SKEW);
	/* Another key's nonce, or a nonce not a string. */
	c = claims(NOW);
	json_object_set_new(c, "nonce", json_string(idp_dpop_nonce(a,
	    (const unsigned char *)"0123456789abcdef0123456789abcdef", NOW,
	    300)));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_USE_DPOP_NONCE);
	c = claims(NOW);
	json_object_set_new(c, "nonce", json_integer(5));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_INVALID_DPOP_PROOF);
	/* Not required: none is fine by iat, a stale one is not. */
	w.nonce_required = false;
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, claims(NOW)), &w, &p),
	    IDP_OK);
	c = claims(NOW);
	json_object_set_new(c, "nonce", json_string(idp_dpop_nonce(a,
	    nonce_key, NOW - 900, 300)));
	ck_assert_int_eq(check(proof_by(ec, ec, NULL, c), &w, &p),
	    IDP_ERR_USE_DPOP_NONCE);
}
END_TEST

START_TEST(nonce_windows)
{
	int64_t until = 0, r = 300, w = NOW / r;
	char *n = idp_dpop_nonce(a, nonce_key, NOW, r);
	char *bad;

	/* Its window, the next and the one before; never two after. */
	ck_assert(idp_dpop_nonce_ok(nonce_key, n, NOW, r, &until));
	ck_assert_int_eq(until, (w + 2) * r);
	ck_assert(idp_dpop_nonce_ok(nonce_key, n, (w + 1) * r + r - 1, r,
	    &until));
	ck_assert(idp_dpop_nonce_ok(nonce_key, n, (w - 1) * r, r, &until));
	ck_assert(!idp_dpop_nonce_ok(nonce_key, n, (w + 2) * r, r, &until));
	ck_assert(!idp_dpop_nonce_ok(nonce_key, n, (w - 2) * r, r, &until));
	/* Another rotation reads another window. */
	ck_assert(!idp_dpop_nonce_ok(nonce_key, n, NOW, 60, &until));
	/* Every instance makes the same nonce. */
	ck_assert_str_eq(n, idp_dpop_nonce(a, nonce_key, w * r, r));
	ck_assert_str_ne(n, idp_dpop_nonce(a, nonce_key, (w + 1) * r, r));
	bad = idp_arena_strdup(a, n);
	bad[20] = bad[20] == 'A' ? 'B' : 'A';
	ck_assert(!idp_dpop_nonce_ok(nonce_key, bad, NOW, r, &until));
	ck_assert(!idp_dpop_nonce_ok(nonce_key, "", NOW, r, &until));
	ck_assert(!idp_dpop_nonce_ok(nonce_key, NULL, NOW, r, &until));
	bad[31] = '\0';
	ck_assert(!idp_dpop_nonce_ok(nonce_key, bad, NOW, r, &until));
	ck_assert(!idp_dpop_nonce_ok(nonce_key, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
	    NOW, r, &until));
}
END_TEST

START_TEST(htu_normalisation)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "https://sso.baliprov.go.id/token",
		  "https://sso.baliprov.go.id/token" },
		{ "HTTPS://SSO.Baliprov.go.id:443/token?x=1#y",
		  "https://sso.baliprov.go.id/token" },
		{ "http://127.0.0.1:80", "http://127.0.0.1/" },
		{ "http://127.0.0.1:8080/", "http://127.0.0.1:8080/" },
		{ "https://x.example:/a", "https://x.example/a" },
		{ "https://x.example:0443/a", "https://x.example/a" },
		{ "https://x.example/%7euser/%2f%41", "https://x.example/~user/%2FA" },
		{ "https://x.example/a/./b/../c/.", "https://x.example/a/c/" },
		{ "https://x.example/../../a", "https://x.example/a" },
		{ "https://x.example/a/..", "https://x.example/" },
		{ "https://x.example/..a/.b", "https://x.example/..a/.b" },
		{ "https://[::1]:8443/p", "https://[::1]:8443/p" },
		{ "https://x.example?q", "https://x.example/" },
	};
	static const char *const bad[] = { "ftp://x.example/", "x.example/a",
		"https://u@x.example/", "https://x.example:99999/",
		"https://x.example:12a/", "https://x.example/%zz",
		"https://x.example/%4", "https:///path", "https://[::1/",
		"https://x.example/a b", "https://x.example/\x01",
		"https://x.ex\x7f/", "", NULL };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = idp_dpop_htu_normalize(a, cases[i].in);

		ck_assert_msg(got != NULL && !strcmp(got, cases[i].out),
		    "%s -> %s, want %s", cases[i].in, got ? got : "NULL",
		    cases[i].out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(idp_dpop_htu_normalize(a, bad[i]) == NULL,
		    "%s accepted", bad[i] ? bad[i] : "NULL");
}
END_TEST

START_TEST(jkt_syntax)
{
	ck_assert(idp_dpop_jkt_syntax_ok(RFC_JKT));
	ck_assert(!idp_dpop_jkt_syntax_ok(RFC_JKT "A"));
	ck_assert(!idp_dpop_jkt_syntax_ok("0ZcOCORZNYy+DWpqq30jZyJGHTN0d2HglBV3u"
	    "iguA4I"));
	ck_assert(!idp_dpop_jkt_syntax_ok(""));
	ck_assert(!idp_dpop_jkt_syntax_ok(NULL));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_dpop");
	TCase *tc = unit_tcase(s, "rfc");
	TCase *own = unit_tcase(s, "rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rfc_example_token_request);
	tcase_add_test(tc, rfc_example_resource_request);
	tcase_add_test(tc, rfc_example_against_other_requests);
	tcase_add_test(tc, nonce_windows);
	tcase_add_test(tc, htu_normalisation);
	tcase_add_test(tc, jkt_syntax);
	tcase_add_checked_fixture(own, keys_setup, keys_teardown);
	tcase_add_test(own, own_proofs_of_each_key_type);
	tcase_add_test(own, header_rules);
	tcase_add_test(own, claim_rules);
	tcase_add_test(own, nonces_vouch_for_freshness);
	return unit_run(s);
}

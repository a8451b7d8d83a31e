/* oidc/request_object: the shape of request objects (RFC 9101 §4: a JWS,
 * never JWE or alg none), every claim rule, and the parameters they carry,
 * starting from the RFC's own example request (§4). */
#include <string.h>

#include "crypto/jws.h"
#include "oidc/request_object.h"
#include "unit.h"

#define NOW 1700000000
#define ISS "https://sso.baliprov.go.id"
#define CID "s6BhdRkqt3"

static struct idp_arena *a;
static struct idp_key *ec;

static void
setup(void)
{
	a = idp_arena_new(4096);
	ck_assert_int_eq(idp_key_generate(IDP_ALG_ES256, 0, &ec), 0);
}

static void
teardown(void)
{
	idp_key_free(ec);
	idp_arena_free(a);
}

/* RFC 9101 §4: the example's claims, aud set to our issuer. */
static json_t *
rfc_claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}",
	    "iss", CID, "aud", ISS, "response_type", "code id_token",
	    "client_id", CID, "redirect_uri", "https://client.example.org/cb",
	    "scope", "openid", "state", "af0ifjsldkj", "nonce", "n-0S6_WzA2Mj",
	    "max_age", 86400);
}

static json_t *
good_claims(void)
{
	json_t *c = rfc_claims();

	json_object_set_new(c, "response_type", json_string("code"));
	json_object_set_new(c, "exp", json_integer(NOW + 60));
	json_object_set_new(c, "iat", json_integer(NOW));
	json_object_set_new(c, "nbf", json_integer(NOW));
	json_object_set_new(c, "jti", json_string("j-1"));
	return c;
}

/* A signed object with typ (or none: NULL), parsed; claims are taken. */
static struct idp_jws
object(const char *typ, json_t *claims)
{
	struct idp_jws j;
	const char *why = NULL;
	char *s = idp_jws_sign(a, ec, typ ? typ : "JWT", claims);

	json_decref(claims);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(idp_request_object_parse(a, s, &j, &why), IDP_OK);
	if (typ == NULL)
		j.typ = NULL;
	return j;
}

static struct idp_ro_want
want(void)
{
	return (struct idp_ro_want){ .client_id = CID, .issuer = ISS,
		.alg = IDP_ALG_NONE, .now = NOW };
}

static enum idp_err
check(const struct idp_jws *j, const struct idp_ro_want *w,
    struct idp_kv *kv, size_t *n)
{
	const char *why = NULL;
	enum idp_err rc = idp_request_object_check(a, j, w, kv, IDP_MAX_PARAMS,
	    n, &why);

	if (rc != IDP_OK) {
		ck_assert_int_eq(rc, IDP_ERR_INVALID_REQUEST_OBJECT);
		ck_assert_ptr_nonnull(why);
	}
	return rc;
}

static const char *
param(const struct idp_kv *kv, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, k))
			return kv[i].val;
	return NULL;
}

START_TEST(rfc_example_needs_an_exp)
{
	struct idp_kv kv[IDP_MAX_PARAMS];
	struct idp_ro_want w = want();
	struct idp_jws j = object("oauth-authz-req+jwt", rfc_claims());
	json_t *c;
	size_t n;

	/* The example has no exp: the provider wants every object to end. */
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_ERR_INVALID_REQUEST_OBJECT);
	c = rfc_claims();
	json_object_set_new(c, "exp", json_integer(NOW + 300));
	j = object("oauth-authz-req+jwt", c);
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_OK);
	/* Its parameters, not its JWT claims. */
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(param(kv, n, "response_type"), "code id_token");
	ck_assert_str_eq(param(kv, n, "client_id"), CID);
	ck_assert_str_eq(param(kv, n, "redirect_uri"),
	    "https://client.example.org/cb");
	ck_assert_str_eq(param(kv, n, "scope"), "openid");
	ck_assert_str_eq(param(kv, n, "state"), "af0ifjsldkj");
	ck_assert_str_eq(param(kv, n, "nonce"), "n-0S6_WzA2Mj");
	ck_assert_str_eq(param(kv, n, "max_age"), "86400");
	ck_assert_ptr_null(param(kv, n, "iss"));
	ck_assert_ptr_null(param(kv, n, "exp"));
}
END_TEST

START_TEST(parameter_shapes)
{
	struct idp_kv kv[IDP_MAX_PARAMS];
	struct idp_ro_want w = want();
	struct idp_jws j;
	json_t *c = good_claims();
	size_t n;

	json_object_set_new(c, "claims", json_pack("{s:{s:{s:b}}}", "userinfo",
	    "email", "essential", 1));
	json_object_set_new(c, "resource", json_pack("[s]",
	    "https://api.baliprov.go.id"));
	json_object_set_new(c, "login_hint", json_null());
	j = object("oauth-authz-req+jwt", c);
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_OK);
	ck_assert_str_eq(param(kv, n, "claims"),
	    "{\"userinfo\":{\"email\":{\"essential\":true}}}");
	ck_assert_str_eq(param(kv, n, "resource"), "https://api.baliprov.go.id");
	ck_assert_ptr_null(param(kv, n, "login_hint"));
	/* What no query parameter can be. */
	c = good_claims();
	json_object_set_new(c, "resource", json_pack("[s, s]", "https://a",
	    "https://b"));
	j = object(NULL, c);
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_ERR_INVALID_REQUEST_OBJECT);
	c = good_claims();
	json_object_set_new(c, "prompt", json_true());
	j = object(NULL, c);
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_ERR_INVALID_REQUEST_OBJECT);
	c = good_claims();
	json_object_set_new(c, "max_age", json_real(1.5));
	j = object(NULL, c);
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_ERR_INVALID_REQUEST_OBJECT);
	/* A NUL inside a string does not even parse. */
	c = good_claims();
	json_object_set_new(c, "state", json_stringn("a\0b", 3));
	{
		const char *why = NULL;
		char *t = idp_jws_sign(a, ec, "JWT", c);

		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(idp_request_object_parse(a, t, &j, &why),
		    IDP_ERR_INVALID_REQUEST_OBJECT);
		json_decref(c);
	}
	c = good_claims();
	for (int i = 0; i < IDP_MAX_PARAMS; i++)
		json_object_set_new(c, idp_arena_printf(a, "x%d", i),
		    json_string("v"));
	j = object(NULL, c);
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_ERR_INVALID_REQUEST_OBJECT);
}
END_TEST

/* good_claims() with member k set to v (json_null(): removed). */
static enum idp_err
with(const char *k, json_t *v, const struct idp_ro_want *w)
{
	struct idp_kv kv[IDP_MAX_PARAMS];
	json_t *c = good_claims();
	struct idp_jws j;
	size_t n;

	if (json_is_null(v))
		json_object_del(c, k);
	else
		json_object_set(c, k, v);
	json_decref(v);
	j = object("oauth-authz-req+jwt", c);
	return check(&j, w, kv, &n);
}

START_TEST(claim_rules)
{
	struct idp_ro_want w = want();
	const enum idp_err bad = IDP_ERR_INVALID_REQUEST_OBJECT;

	ck_assert_int_eq(with("jti", json_null(), &w), IDP_OK);
	ck_assert_int_eq(with("iss", json_null(), &w), bad);
	ck_assert_int_eq(with("iss", json_string("someone-else"), &w), bad);
	ck_assert_int_eq(with("aud", json_null(), &w), bad);
	ck_assert_int_eq(with("aud", json_string(ISS "/token"), &w), bad);
	ck_assert_int_eq(with("aud", json_pack("[s, s]", "x", ISS), &w),
	    IDP_OK);
	ck_assert_int_eq(with("aud", json_pack("[s]", "x"), &w), bad);
	ck_assert_int_eq(with("client_id", json_null(), &w), bad);
	ck_assert_int_eq(with("client_id", json_string("other"), &w), bad);
	ck_assert_int_eq(with("exp", json_null(), &w), bad);
	ck_assert_int_eq(with("exp", json_integer(NOW - IDP_RO_SKEW - 1), &w),
	    bad);
	ck_assert_int_eq(with("exp", json_integer(NOW - 30), &w), IDP_OK);
	ck_assert_int_eq(with("exp", json_integer(NOW + IDP_RO_MAX_LIFETIME +
	    1), &w), bad);
	ck_assert_int_eq(with("exp", json_string("1700000060"), &w), bad);
	ck_assert_int_eq(with("nbf", json_integer(NOW + IDP_RO_SKEW + 1), &w),
	    bad);
	ck_assert_int_eq(with("nbf", json_null(), &w), IDP_OK);
	ck_assert_int_eq(with("iat", json_integer(NOW + IDP_RO_SKEW + 1), &w),
	    bad);
	ck_assert_int_eq(with("iat", json_string("now"), &w), bad);
	ck_assert_int_eq(with("request", json_string("a.b.c"), &w), bad);
	ck_assert_int_eq(with("request_uri", json_string("https://x"), &w),
	    bad);
	/* OIDC Core §6.1: response_type outside must match inside. */
	w.response_type = "code";
	ck_assert_int_eq(with("jti", json_string("j"), &w), IDP_OK);
	w.response_type = "code id_token";
	ck_assert_int_eq(with("jti", json_string("j"), &w), bad);
	ck_assert_int_eq(with("response_type", json_null(), &w), bad);
	/* The client's registered algorithm. */
	w = want();
	w.alg = IDP_ALG_ES256;
	ck_assert_int_eq(with("jti", json_string("j"), &w), IDP_OK);
	w.alg = IDP_ALG_PS256;
	ck_assert_int_eq(with("jti", json_string("j"), &w), bad);
}
END_TEST

START_TEST(typ_rules)
{
	struct idp_kv kv[IDP_MAX_PARAMS];
	struct idp_ro_want w = want();
	struct idp_jws j;
	size_t n;

	j = object(NULL, good_claims());
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_OK);
	j = object("JWT", good_claims());
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_OK);
	j = object("OAUTH-AUTHZ-REQ+JWT", good_claims());
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_OK);
	/* Another kind of JWT is never a request (RFC 9101 §10.8). */
	j = object("at+jwt", good_claims());
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_ERR_INVALID_REQUEST_OBJECT);
	j = object("dpop+jwt", good_claims());
	ck_assert_int_eq(check(&j, &w, kv, &n), IDP_ERR_INVALID_REQUEST_OBJECT);
}
END_TEST

START_TEST(parse_refuses_what_is_no_jws)
{
	struct idp_jws j;
	const char *why = NULL;
	char *big;

	ck_assert_int_eq(idp_request_object_parse(a, "eyJhbGciOiJub25lIn0.e30.",
	    &j, &why), IDP_ERR_INVALID_REQUEST_OBJECT);
	ck_assert_ptr_nonnull(strstr(why, "alg none"));
	ck_assert_int_eq(idp_request_object_parse(a,
	    "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", &j, &why),
	    IDP_ERR_INVALID_REQUEST_OBJECT);
	ck_assert_ptr_nonnull(strstr(why, "Encrypted"));
	ck_assert_int_eq(idp_request_object_parse(a,
	    "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", &j, &why),
	    IDP_ERR_INVALID_REQUEST_OBJECT);
	ck_assert_int_eq(idp_request_object_parse(a, "not a jwt", &j, &why),
	    IDP_ERR_INVALID_REQUEST_OBJECT);
	ck_assert_int_eq(idp_request_object_parse(a, "", &j, &why),
	    IDP_ERR_INVALID_REQUEST_OBJECT);
	ck_assert_int_eq(idp_request_object_parse(a, NULL, &j, &why),
	    IDP_ERR_INVALID_REQUEST_OBJECT);
	big = idp_arena_alloc(a, IDP_JWS_MAX + 2);
	memset(big, 'A', IDP_JWS_MAX + 1);
	big[IDP_JWS_MAX + 1] = '\0';
	ck_assert_int_eq(idp_request_object_parse(a, big, &j, &why),
	    IDP_ERR_INVALID_REQUEST_OBJECT);
	ck_assert_ptr_nonnull(strstr(why, "too long"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_request_object");
	TCase *tc = unit_tcase(s, "rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rfc_example_needs_an_exp);
	tcase_add_test(tc, parameter_shapes);
	tcase_add_test(tc, claim_rules);
	tcase_add_test(tc, typ_rules);
	tcase_add_test(tc, parse_refuses_what_is_no_jws);
	return unit_run(s);
}

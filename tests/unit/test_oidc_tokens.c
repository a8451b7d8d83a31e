/* oidc/tokens: ID token and JWT access token claim sets, at_hash. */
#include <string.h>

#include <openssl/sha.h>

#include "crypto/b64url.h"
#include "crypto/jws.h"
#include "oidc/tokens.h"
#include "unit.h"

/* at_hash computed here independently: left half of SHA-256, base64url. */
static char *
expected_at_hash(struct idp_arena *a, const char *tok)
{
	unsigned char d[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)tok, strlen(tok), d);
	return idp_b64url_encode(a, d, 16);
}

START_TEST(id_token_claims)
{
	struct idp_arena *a = idp_arena_new(1024);
	char *amr[] = { "pwd", NULL };
	json_t *user = json_pack("{s:s, s:s, s:s}", "sub", "u-1", "name",
	    "Ni Luh Putu", "iss", "https://attacker.example");
	struct idp_id_token_in in = { .issuer = "https://sso.example",
		.client_id = "portal", .sub = "u-1", .nonce = "n1",
		.sid = "s-1", .acr = "1", .amr = amr, .auth_time = 1000,
		.iat = 1010, .exp = 1910, .access_token = "tok-123",
		.user_claims = user };
	json_t *o = idp_id_token_claims(a, &in);

	ck_assert_str_eq(json_string_value(json_object_get(o, "iss")),
	    "https://sso.example");	/* protocol claims win */
	ck_assert_str_eq(json_string_value(json_object_get(o, "aud")), "portal");
	ck_assert_str_eq(json_string_value(json_object_get(o, "azp")), "portal");
	ck_assert_str_eq(json_string_value(json_object_get(o, "sub")), "u-1");
	ck_assert_str_eq(json_string_value(json_object_get(o, "nonce")), "n1");
	ck_assert_str_eq(json_string_value(json_object_get(o, "sid")), "s-1");
	ck_assert_str_eq(json_string_value(json_object_get(o, "name")),
	    "Ni Luh Putu");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "auth_time")),
	    1000);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "exp")), 1910);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o,
	    "amr"), 0)), "pwd");
	ck_assert_str_eq(json_string_value(json_object_get(o, "at_hash")),
	    expected_at_hash(a, "tok-123"));
	json_decref(o);
	in.nonce = NULL;
	in.access_token = NULL;
	o = idp_id_token_claims(a, &in);
	ck_assert_ptr_null(json_object_get(o, "nonce"));
	ck_assert_ptr_null(json_object_get(o, "at_hash"));
	json_decref(o);
	json_decref(user);
	idp_arena_free(a);
}
END_TEST

START_TEST(at_hash_vector)
{
	/* OIDC Core §A.3 example: access_token "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
	 * has at_hash "77QmUPtjPfzWtF2AnpK9RQ". */
	struct idp_arena *a = idp_arena_new(256);

	ck_assert_str_eq(idp_jose_half_hash(a,
	    "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
	    "77QmUPtjPfzWtF2AnpK9RQ");
	idp_arena_free(a);
}
END_TEST

START_TEST(jwt_access_token_claims)
{
	char *one[] = { (char[]){ "https://api.example" }, NULL };
	char *two[] = { (char[]){ "https://a.example" },
	    (char[]){ "https://b.example" }, NULL };
	char *none[] = { NULL };
	struct idp_jwt_at_in in = { .issuer = "https://sso.example",
		.aud = one, .sub = "svc", .client_id = "svc",
		.scope = "satudata.read", .jti = "j-1", .iat = 100, .exp = 1000 };
	json_t *o = idp_jwt_at_claims(&in);

	ck_assert_str_eq(json_string_value(json_object_get(o, "aud")),
	    "https://api.example");
	ck_assert_str_eq(json_string_value(json_object_get(o, "client_id")),
	    "svc");
	ck_assert_str_eq(json_string_value(json_object_get(o, "scope")),
	    "satudata.read");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "nbf")), 100);
	ck_assert_ptr_null(json_object_get(o, "auth_time"));
	json_decref(o);
	in.scope = "";
	in.auth_time = 50;
	o = idp_jwt_at_claims(&in);
	ck_assert_ptr_null(json_object_get(o, "scope"));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "auth_time")),
	    50);
	json_decref(o);
	/* RFC 9068 §3: several audiences are an array; none is the client. */
	in.aud = two;
	o = idp_jwt_at_claims(&in);
	ck_assert_uint_eq(json_array_size(json_object_get(o, "aud")), 2);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o,
	    "aud"), 1)), "https://b.example");
	json_decref(o);
	in.aud = none;
	o = idp_jwt_at_claims(&in);
	ck_assert_str_eq(json_string_value(json_object_get(o, "aud")), "svc");
	json_decref(o);
	in.aud = NULL;
	o = idp_jwt_at_claims(&in);
	ck_assert_str_eq(json_string_value(json_object_get(o, "aud")), "svc");
	json_decref(o);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_tokens");
	TCase *tc = unit_tcase(s, "tokens");

	tcase_add_test(tc, id_token_claims);
	tcase_add_test(tc, at_hash_vector);
	tcase_add_test(tc, jwt_access_token_claims);
	return unit_run(s);
}

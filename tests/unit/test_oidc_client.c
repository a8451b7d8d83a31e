/* oidc/client: redirect URI rules, metadata validation (defaults and every
 * refusal), parsing a stored row, and exact redirect URI matching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oidc/client.h"
#include "unit.h"

static struct idp_arena *a;

static void
setup(void)
{
	a = idp_arena_new(1024);
}

static void
teardown(void)
{
	idp_arena_free(a);
	a = NULL;
}

/* ---- idp_uri_check ---- */

static void
uri_ok(const char *uri, bool native)
{
	const char *why = NULL;

	ck_assert_msg(idp_uri_check(uri, native, &why) == 0,
	    "refused (%s): %s", native ? "native" : "web", why);
}

static void
uri_bad(const char *uri, bool native)
{
	const char *why = NULL;

	ck_assert_msg(idp_uri_check(uri, native, &why) == -1,
	    "accepted (%s): %s", native ? "native" : "web",
	    uri ? uri : "(null)");
	ck_assert_ptr_nonnull(why);
	ck_assert_str_ne(why, "");
}

START_TEST(uri_https_ok)
{
	uri_ok("https://rp.example.com/cb", false);
	uri_ok("https://rp.example.com", false);
	uri_ok("https://rp.example.com:8443/oidc/cb?tenant=bali", false);
	uri_ok("https://[2001:db8::1]:8443/cb", false);
	uri_ok("https://rp.example.com/cb", true);
}
END_TEST

START_TEST(uri_http_only_loopback)
{
	uri_ok("http://127.0.0.1/cb", false);
	uri_ok("http://127.0.0.1:8080/cb", false);
	uri_ok("http://127.0.0.1:49152", false);
	uri_ok("http://[::1]:8080/cb", false);
	uri_ok("http://[::1]/cb", false);
	uri_ok("http://localhost:3000/cb", false);
	uri_ok("http://localhost/cb?x=1", true);

	uri_bad("http://rp.example.com/cb", false);
	uri_bad("http://rp.example.com/cb", true);
	uri_bad("http://10.1.2.3/cb", false);
	uri_bad("http://127.0.0.2/cb", false);
	uri_bad("http://0.0.0.0:8080/cb", false);
	uri_bad("http://localhost.evil.example/cb", false);
	uri_bad("http://127.0.0.1.nip.io/cb", false);
	uri_bad("http://[::2]/cb", false);
	uri_bad("http://[::ffff:127.0.0.1]/cb", false);
	uri_bad("http://[::1/cb", false);
}
END_TEST

/* Found by tests/fuzz (redirect_uri): text after a bracketed host made
 * "[::1]89" pass as the loopback host. */
START_TEST(uri_refuses_junk_after_host)
{
	uri_ok("https://rp.example.go.id:8443/cb", false);
	uri_ok("http://[::1]:65535/cb", false);
	uri_ok("https://[2001:db8::1]/cb", false);

	uri_bad("http://[::1]89/cb", false);
	uri_bad("http://[::1]evil.example/cb", false);
	uri_bad("https://[2001:db8::1]x/cb", false);
	uri_bad("http://127.0.0.1:/cb", false);
	uri_bad("http://localhost:80x/cb", false);
	uri_bad("https://rp.example.go.id:123456/cb", false);
	uri_bad("https://rp.example.go.id:-1/cb", false);
	uri_bad("http://[::1]:8080:1/cb", false);
}
END_TEST

START_TEST(uri_refuses_fragments_and_wildcards)
{
	uri_bad("https://rp.example.com/cb#frag", false);
	uri_bad("https://rp.example.com/cb#", false);
	uri_bad("http://127.0.0.1/cb#x", false);
	uri_bad("https://*.example.com/cb", false);
	uri_bad("https://rp.example.com/*", false);
	uri_bad("https://rp.example.com/cb?x=*", false);
}
END_TEST

START_TEST(uri_refuses_userinfo)
{
	uri_bad("https://user@rp.example.com/cb", false);
	uri_bad("https://user:pw@rp.example.com/cb", false);
	uri_bad("https://rp.example.com@evil.example/cb", false);
	uri_bad("http://127.0.0.1@evil.example/cb", false);
	uri_bad("http://127.0.0.1:80@evil.example/cb", false);
	uri_bad("https://@rp.example.com/cb", false);
	/* an '@' in the path or query is not userinfo */
	uri_ok("https://rp.example.com/u/@me?to=a@b", false);
}
END_TEST

START_TEST(uri_refuses_relative_and_hostless)
{
	uri_bad("/cb", false);
	uri_bad("cb", false);
	uri_bad("//rp.example.com/cb", false);
	uri_bad("?x=1", false);
	uri_bad(":/cb", false);
	uri_bad("https://", false);
	uri_bad("https:///cb", false);
	uri_bad("https://:443/cb", false);
	uri_bad("https://?x", false);
	uri_bad("https:/rp.example.com/cb", false);
	uri_bad("https:rp.example.com", false);
	uri_bad("", false);
	uri_bad(NULL, false);
}
END_TEST

START_TEST(uri_refuses_bad_characters)
{
	uri_bad("https://rp.example.com/c b", false);
	uri_bad("https://rp.example.com/cb ", false);
	uri_bad(" https://rp.example.com/cb", false);
	uri_bad("https://rp.example.com/c\tb", false);
	uri_bad("https://rp.example.com/c\nb", false);
	uri_bad("https://rp.example.com/c\x7f", false);
	uri_bad("https://rp.example.com/c\xc3\xa9", false);
	uri_bad("https://r\xc3\xa9.example.com/cb", false);
	uri_bad("https://rp.example.com/c\"b", false);
	uri_bad("https://rp.example.com/c<b>", false);
	uri_bad("https://rp.example.com\\@evil.example/cb", false);
}
END_TEST

START_TEST(uri_refuses_dangerous_schemes)
{
	uri_bad("javascript:alert(1)", false);
	uri_bad("javascript:alert(1)", true);
	uri_bad("data:text/html,x", true);
	uri_bad("file:///etc/passwd", true);
	uri_bad("vbscript:x", true);
	uri_bad("ftp://rp.example.com/cb", false);
	uri_bad("h ttps://rp.example.com/cb", false);
	uri_bad("ht_tp://rp.example.com/cb", true);
}
END_TEST

START_TEST(uri_private_use_scheme_only_native)
{
	/* RFC 8252 §7.1: reverse-domain scheme for native apps */
	uri_ok("id.go.baliprov.app:/cb", true);
	uri_ok("id.go.baliprov.app:/oauth2redirect/bali", true);
	uri_ok("com.example.app:/cb", true);
	uri_bad("id.go.baliprov.app:/cb", false);
	uri_bad("com.example.app:/cb", false);
	/* a scheme without a dot is not reverse-domain */
	uri_bad("myapp:/cb", true);
	uri_bad("myapp://cb", true);
	/* still no fragments or wildcards */
	uri_bad("id.go.baliprov.app:/cb#x", true);
	uri_bad("id.go.baliprov.app:/*", true);
}
END_TEST

START_TEST(uri_length_limit)
{
	static char uri[IDP_URI_MAX + 2];
	const char *pre = "https://rp.example.com/";

	memset(uri, 'a', sizeof(uri) - 1);
	memcpy(uri, pre, strlen(pre));
	uri[IDP_URI_MAX] = '\0';
	uri_ok(uri, false);
	uri[IDP_URI_MAX] = 'a';
	uri[IDP_URI_MAX + 1] = '\0';
	uri_bad(uri, false);
}
END_TEST

/* ---- idp_client_metadata_validate ---- */

static json_t *
validate_ok(const char *text, unsigned flags)
{
	json_t *in = json_loads(text, JSON_DECODE_ANY, NULL), *out = NULL;
	const char *why = NULL;
	enum idp_err rc;

	ck_assert_msg(in != NULL, "bad test JSON: %s", text);
	rc = idp_client_metadata_validate(a, in, flags, &out, &why);
	ck_assert_msg(rc == IDP_OK, "refused (%d, %s): %s", rc, why, text);
	ck_assert_ptr_nonnull(out);
	json_decref(in);
	return out;
}

static void
validate_bad(const char *text, unsigned flags, enum idp_err want)
{
	json_t *in = json_loads(text, JSON_DECODE_ANY, NULL);
	json_t *out = (json_t *)&out;	/* must be reset to NULL */
	const char *why = NULL;
	enum idp_err rc;

	ck_assert_msg(in != NULL, "bad test JSON: %s", text);
	rc = idp_client_metadata_validate(a, in, flags, &out, &why);
	ck_assert_msg(rc == want, "%s: got %d (%s), want %d", text, rc,
	    why ? why : "-", want);
	ck_assert_ptr_null(out);
	ck_assert_msg(why != NULL && *why != '\0', "no why for %s", text);
	json_decref(in);
}

#define RU "\"redirect_uris\":[\"https://rp.example.com/cb\"]"
#define CC "\"grant_types\":[\"client_credentials\"],\"scope\":\"a\""

static const char *
str_member(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

START_TEST(defaults_filled_in)
{
	json_t *o = validate_ok("{" RU ",\"foo\":1,\"first_party\":true}",
	    false);
	json_t *gt = json_object_get(o, "grant_types");
	json_t *rt = json_object_get(o, "response_types");

	ck_assert_uint_eq(json_array_size(gt), 1);
	ck_assert_str_eq(json_string_value(json_array_get(gt, 0)),
	    "authorization_code");
	ck_assert_uint_eq(json_array_size(rt), 1);
	ck_assert_str_eq(json_string_value(json_array_get(rt, 0)), "code");
	ck_assert_str_eq(str_member(o, "token_endpoint_auth_method"),
	    "client_secret_basic");
	ck_assert_str_eq(str_member(o, "id_token_signed_response_alg"),
	    "RS256");
	/* No scope: every standard scope discovery lists (offline_access
	 * only with the refresh_token grant). */
	ck_assert_str_eq(str_member(o, "scope"),
	    "openid profile email phone organisation");
	ck_assert_str_eq(str_member(o, "access_token_format"), "opaque");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o,
	    "redirect_uris"), 0)), "https://rp.example.com/cb");
	/* unknown members are dropped; first_party is not metadata */
	ck_assert_ptr_null(json_object_get(o, "foo"));
	ck_assert_ptr_null(json_object_get(o, "first_party"));
	json_decref(o);
}
END_TEST

START_TEST(full_metadata_kept)
{
	json_t *o = validate_ok("{" RU ",\"grant_types\":["
	    "\"authorization_code\",\"refresh_token\"],"
	    "\"response_types\":[\"code\"],"
	    "\"token_endpoint_auth_method\":\"client_secret_post\","
	    "\"id_token_signed_response_alg\":\"ES256\","
	    "\"access_token_format\":\"jwt\","
	    "\"access_token_signed_response_alg\":\"PS256\","
	    "\"scope\":\"openid openid organisation\","
	    "\"client_name\":\"Dinas Kesehatan\","
	    "\"logo_uri\":\"https://rp.example.com/logo.png\","
	    "\"contacts\":[\"it@example.go.id\"],"
	    "\"post_logout_redirect_uris\":[\"https://rp.example.com/bye\"],"
	    "\"backchannel_logout_uri\":\"https://rp.example.com/bcl\"}", true);

	ck_assert_uint_eq(json_array_size(json_object_get(o, "grant_types")),
	    2);
	ck_assert_str_eq(str_member(o, "token_endpoint_auth_method"),
	    "client_secret_post");
	ck_assert_str_eq(str_member(o, "id_token_signed_response_alg"),
	    "ES256");
	ck_assert_str_eq(str_member(o, "access_token_format"), "jwt");
	ck_assert_str_eq(str_member(o, "access_token_signed_response_alg"),
	    "PS256");
	ck_assert_str_eq(str_member(o, "scope"), "openid organisation");
	ck_assert_str_eq(str_member(o, "client_name"), "Dinas Kesehatan");
	ck_assert_str_eq(str_member(o, "logo_uri"),
	    "https://rp.example.com/logo.png");
	ck_assert_str_eq(str_member(o, "backchannel_logout_uri"),
	    "https://rp.example.com/bcl");
	ck_assert_uint_eq(json_array_size(json_object_get(o,
	    "post_logout_redirect_uris")), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(o, "contacts")), 1);
	json_decref(o);
}
END_TEST

START_TEST(client_credentials_only)
{
	json_t *o = validate_ok("{\"grant_types\":[\"client_credentials\"],"
	    "\"scope\":\"api:read\"}", false);

	ck_assert_uint_eq(json_array_size(json_object_get(o, "response_types")),
	    0);
	ck_assert_ptr_null(json_object_get(o, "redirect_uris"));
	ck_assert_str_eq(str_member(o, "scope"), "api:read");
	json_decref(o);
}
END_TEST

START_TEST(public_native_client)
{
	json_t *o = validate_ok("{\"redirect_uris\":["
	    "\"id.go.baliprov.app:/cb\",\"http://127.0.0.1:51004/cb\"],"
	    "\"token_endpoint_auth_method\":\"none\"}", true);

	ck_assert_str_eq(str_member(o, "token_endpoint_auth_method"), "none");
	json_decref(o);
	/* a confidential client may not use the private-use scheme */
	validate_bad("{\"redirect_uris\":[\"id.go.baliprov.app:/cb\"]}", false,
	    IDP_ERR_INVALID_REDIRECT_URI);
}
END_TEST

START_TEST(private_key_jwt_with_jwks)
{
	struct idp_key *k = NULL;
	json_t *jwk, *in, *out = NULL, *jwks;
	const char *why = NULL;

	ck_assert_int_eq(idp_key_generate(IDP_ALG_ES256, 0, &k), 0);
	jwk = idp_key_public_jwk(k);
	in = json_pack("{s:[s], s:s, s:{s:[o]}}", "redirect_uris",
	    "https://rp.example.com/cb", "token_endpoint_auth_method",
	    "private_key_jwt", "jwks", "keys", jwk);
	ck_assert_int_eq(idp_client_metadata_validate(a, in, true, &out, &why),
	    IDP_OK);
	jwks = json_object_get(out, "jwks");
	ck_assert_uint_eq(json_array_size(json_object_get(jwks, "keys")), 1);
	ck_assert_str_eq(str_member(out, "token_endpoint_auth_method"),
	    "private_key_jwt");
	json_decref(out);
	json_decref(in);
	idp_key_free(k);
	/* a jwks_uri instead of jwks is fine too */
	out = validate_ok("{" RU ",\"token_endpoint_auth_method\":"
	    "\"private_key_jwt\",\"jwks_uri\":\"https://rp.example.com/jwks\"}",
	    true);
	ck_assert_str_eq(str_member(out, "jwks_uri"),
	    "https://rp.example.com/jwks");
	json_decref(out);
}
END_TEST

START_TEST(first_party_only_from_operators)
{
	json_t *o = validate_ok("{" RU ",\"first_party\":true}", false);

	json_decref(o);
	validate_bad("{" RU ",\"first_party\":true}", true,
	    IDP_ERR_INVALID_CLIENT_METADATA);
	validate_bad("{" RU ",\"first_party\":false}", true,
	    IDP_ERR_INVALID_CLIENT_METADATA);
}
END_TEST

START_TEST(redirect_uri_errors)
{
	const enum idp_err e = IDP_ERR_INVALID_REDIRECT_URI;
	char big[4096];
	char *p = big;

	validate_bad("{}", true, e);		/* code grant by default */
	validate_bad("{\"redirect_uris\":null}", true, e);
	validate_bad("{\"redirect_uris\":[]}", true, e);
	validate_bad("{\"redirect_uris\":\"https://rp.example.com/cb\"}", true,
	    e);
	validate_bad("{\"redirect_uris\":[5]}", true, e);
	validate_bad("{\"redirect_uris\":[\"\"]}", true, e);
	validate_bad("{\"redirect_uris\":[\"http://rp.example.com/cb\"]}", true,
	    e);
	validate_bad("{\"redirect_uris\":[\"https://rp.example.com/cb\","
	    "\"https://rp.example.com/cb#x\"]}", true, e);
	validate_bad("{\"redirect_uris\":[\"https://*.example.com/cb\"]}", true,
	    e);
	validate_bad("{\"redirect_uris\":[\"/cb\"]}", true, e);
	validate_bad("{\"grant_types\":[\"authorization_code\","
	    "\"refresh_token\"]}", true, e);
	/* at most 32 */
	p += sprintf(p, "{\"redirect_uris\":[");
	for (int i = 0; i < 33; i++)
		p += sprintf(p, "%s\"https://rp.example.com/cb%d\"",
		    i ? "," : "", i);
	sprintf(p, "]}");
	validate_bad(big, true, e);
}
END_TEST

START_TEST(grant_errors)
{
	const enum idp_err e = IDP_ERR_INVALID_CLIENT_METADATA;

	validate_bad("{" RU ",\"grant_types\":[\"refresh_token\"]}", true, e);
	validate_bad("{" RU ",\"grant_types\":[\"implicit\"]}", true, e);
	validate_bad("{" RU ",\"grant_types\":[\"password\"]}", true, e);
	validate_bad("{" RU ",\"grant_types\":[\"authorization_code\","
	    "\"urn:ietf:params:oauth:grant-type:saml2-bearer\"]}", true, e);
	validate_bad("{" RU ",\"grant_types\":\"authorization_code\"}", true,
	    e);
	validate_bad("{" RU ",\"grant_types\":[1]}", true, e);
	validate_bad("{\"grant_types\":[\"client_credentials\"]}", true, e);
	validate_bad("{" CC "," RU "}", true, e);
	validate_bad("{" CC ",\"response_types\":[\"code\"]}", true, e);
}
END_TEST

#define DEV "\"urn:ietf:params:oauth:grant-type:device_code\""
#define TE "\"urn:ietf:params:oauth:grant-type:token-exchange\""
#define POLICY(r) "\"token_exchange\":[" r "]"

/* RFC 8628: a kiosk or command-line tool, public or confidential, with
 * refresh tokens; no redirect URIs needed. */
START_TEST(device_clients)
{
	const enum idp_err e = IDP_ERR_INVALID_CLIENT_METADATA;
	json_t *o = validate_ok("{\"grant_types\":[" DEV ",\"refresh_token\"],"
	    "\"token_endpoint_auth_method\":\"none\"}", IDP_META_DYNAMIC);

	/* Without scope: every standard scope, offline_access included with
	 * the refresh_token grant. */
	ck_assert_str_eq(json_string_value(json_object_get(o, "scope")),
	    "openid profile email phone organisation offline_access");
	ck_assert_uint_eq(json_array_size(json_object_get(o,
	    "response_types")), 0);
	json_decref(o);
	validate_bad("{\"grant_types\":[" DEV "]," RU "}", 0, e);
}
END_TEST

/* RFC 8693: the policy comes with the grant, from an operator only,
 * within the client's scope, one rule per audience, no unknown members. */
START_TEST(token_exchange_policy)
{
	const enum idp_err e = IDP_ERR_INVALID_CLIENT_METADATA;
	const char *rule = "{\"audience\":\"https://api.example.go.id/\","
	    "\"scopes\":[\"a\"],\"subject_clients\":[\"e-budgeting\"]}";
	char doc[1024];
	json_t *o, *r;

	snprintf(doc, sizeof(doc), "{\"grant_types\":[" TE "],\"scope\":\"a b\","
	    POLICY("%s") "}", rule);
	o = validate_ok(doc, 0);
	r = json_array_get(json_object_get(o, "token_exchange"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "audience")),
	    "https://api.example.go.id/");
	json_decref(o);
	/* A client_id names a service too; subject_clients may be left out. */
	o = validate_ok("{\"grant_types\":[" TE "],\"scope\":\"a\","
	    POLICY("{\"audience\":\"sipd-connector\",\"scopes\":[\"a\"]}") "}",
	    0);
	r = json_array_get(json_object_get(o, "token_exchange"), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(r,
	    "subject_clients")), 0);
	json_decref(o);
	validate_bad(doc, IDP_META_DYNAMIC, e);
	validate_bad("{\"grant_types\":[" TE "],\"scope\":\"a\"}", 0, e);
	validate_bad("{" CC "," POLICY("{\"audience\":\"x-y-z\","
	    "\"scopes\":[\"a\"]}") "}", 0, e);
	validate_bad("{\"grant_types\":[" TE "],\"scope\":\"a\","
	    "\"token_endpoint_auth_method\":\"none\","
	    POLICY("{\"audience\":\"x-y-z\",\"scopes\":[\"a\"]}") "}", 0, e);
	static const char *const bad_rules[] = {
		"{\"audience\":\"x-y-z\",\"scopes\":[\"b\"]}",	/* not in scope */
		"{\"audience\":\"x-y-z\",\"scopes\":[]}",
		"{\"audience\":\"x-y-z\",\"scope\":[\"a\"]}",	/* a typo */
		"{\"audience\":\"https://a.example/#f\",\"scopes\":[\"a\"]}",
		"{\"audience\":\"x\",\"scopes\":[\"a\"]}",
		"{\"audience\":\"x-y-z\",\"scopes\":[\"a\",\"a\"]}",
		"{\"audience\":\"x-y-z\",\"scopes\":[\"a\"],"
		    "\"subject_clients\":[\"-bad\"]}",
		"{\"audience\":\"x-y-z\",\"scopes\":[\"a\"]},"
		    "{\"audience\":\"x-y-z\",\"scopes\":[\"a\"]}",
		"[]", "1", "{}",
		NULL,
	};
	for (const char *const *b = bad_rules; *b; b++) {
		snprintf(doc, sizeof(doc), "{\"grant_types\":[" TE "],"
		    "\"scope\":\"a\"," POLICY("%s") "}", *b);
		validate_bad(doc, 0, e);
	}
	validate_bad("{\"grant_types\":[" TE "],\"scope\":\"a\","
	    "\"token_exchange\":{}}", 0, e);
}
END_TEST

START_TEST(response_type_errors)
{
	const enum idp_err e = IDP_ERR_INVALID_CLIENT_METADATA;

	validate_bad("{" RU ",\"response_types\":[\"token\"]}", true, e);
	validate_bad("{" RU ",\"response_types\":[\"id_token\"]}", true, e);
	validate_bad("{" RU ",\"response_types\":[\"code\",\"id_token\"]}",
	    true, e);
	validate_bad("{" RU ",\"response_types\":[\"code id_token\"]}", true,
	    e);
	validate_bad("{" RU ",\"response_types\":[\"code\",\"code\"]}", true,
	    e);
	validate_bad("{" RU ",\"response_types\":\"code\"}", true, e);
	validate_bad("{" RU ",\"response_types\":[]}", true, e);
}
END_TEST

START_TEST(auth_method_errors)
{
	const enum idp_err e = IDP_ERR_INVALID_CLIENT_METADATA;

	validate_bad("{" CC ",\"token_endpoint_auth_method\":\"none\"}", true,
	    e);
	validate_bad("{" RU ",\"token_endpoint_auth_method\":"
	    "\"client_secret_jwt\"}", true, e);
	validate_bad("{" RU ",\"token_endpoint_auth_method\":"
	    "\"tls_client_auth\"}", true, e);
	validate_bad("{" RU ",\"token_endpoint_auth_method\":1}", true, e);
	validate_bad("{" RU ",\"token_endpoint_auth_method\":"
	    "\"private_key_jwt\"}", true, e);
	validate_bad("{" RU ",\"token_endpoint_auth_method\":"
	    "\"private_key_jwt\",\"jwks_uri\":\"http://rp.example.com/jwks\"}",
	    true, e);
	validate_bad("{" RU ",\"jwks_uri\":\"https://rp.example.com/jwks\","
	    "\"jwks\":{\"keys\":[]}}", true, e);
	validate_bad("{" RU ",\"jwks\":{\"keys\":[]}}", true, e);
	validate_bad("{" RU ",\"jwks\":[]}", true, e);
	validate_bad("{" RU ",\"jwks\":{\"keys\":[{\"kty\":\"oct\","
	    "\"k\":\"c2VjcmV0\"}]}}", true, e);
}
END_TEST

START_TEST(jwks_with_private_key_refused)
{
	struct idp_key *k = NULL;
	json_t *jwk, *in, *out = NULL;
	const char *why = NULL;

	ck_assert_int_eq(idp_key_generate(IDP_ALG_ES256, 0, &k), 0);
	jwk = idp_key_public_jwk(k);
	json_object_set_new(jwk, "d", json_string("AAAA"));
	in = json_pack("{s:[s], s:s, s:{s:[o]}}", "redirect_uris",
	    "https://rp.example.com/cb", "token_endpoint_auth_method",
	    "private_key_jwt", "jwks", "keys", jwk);
	ck_assert_int_eq(idp_client_metadata_validate(a, in, true, &out, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_ptr_null(out);
	json_decref(in);
	idp_key_free(k);
}
END_TEST

START_TEST(alg_errors)
{
	const enum idp_err e = IDP_ERR_INVALID_CLIENT_METADATA;

	validate_bad("{" RU ",\"id_token_signed_response_alg\":\"none\"}", true,
	    e);
	validate_bad("{" RU ",\"id_token_signed_response_alg\":\"HS256\"}",
	    true, e);
	validate_bad("{" RU ",\"id_token_signed_response_alg\":\"RS512\"}",
	    true, e);
	validate_bad("{" RU ",\"id_token_signed_response_alg\":256}", true, e);
	validate_bad("{" RU ",\"access_token_signed_response_alg\":\"none\"}",
	    true, e);
	validate_bad("{" RU ",\"access_token_format\":\"paseto\"}", true, e);
}
END_TEST

START_TEST(scope_and_descriptive_errors)
{
	const enum idp_err e = IDP_ERR_INVALID_CLIENT_METADATA;
	char name[300], t[600];

	validate_bad("{" RU ",\"scope\":\"openid \\\"x\"}", true, e);
	validate_bad("{" RU ",\"scope\":\"openid  profile\"}", true, e);
	validate_bad("{" RU ",\"scope\":\"\"}", true, e);
	validate_bad("{" RU ",\"scope\":[\"openid\"]}", true, e);
	validate_bad("{" RU ",\"client_name\":5}", true, e);
	memset(name, 'n', 201);
	name[201] = '\0';
	snprintf(t, sizeof(t), "{" RU ",\"client_name\":\"%s\"}", name);
	validate_bad(t, true, e);
	name[200] = '\0';
	snprintf(t, sizeof(t), "{" RU ",\"client_name\":\"%s\"}", name);
	json_decref(validate_ok(t, true));
	validate_bad("{" RU ",\"logo_uri\":\"http://evil.example/logo.png\"}",
	    true, e);
	validate_bad("{" RU ",\"policy_uri\":\"javascript:alert(1)\"}", true,
	    e);
	validate_bad("{" RU ",\"tos_uri\":5}", true, e);
	validate_bad("{" RU ",\"client_uri\":\"https://x.example/#top\"}", true,
	    e);
	validate_bad("{" RU ",\"contacts\":\"it@example.go.id\"}", true, e);
	validate_bad("{" RU ",\"contacts\":[\"a\",\"b\",\"c\",\"d\",\"e\","
	    "\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"]}", true, e);
	validate_bad("{" RU ",\"software_id\":[]}", true, e);
	validate_bad("{" RU ",\"backchannel_logout_uri\":"
	    "\"http://rp.example.com/bcl\"}", true, e);
	validate_bad("{" RU ",\"backchannel_logout_uri\":"
	    "\"com.example.app:/bcl\"}", true, e);
	validate_bad("{" RU ",\"post_logout_redirect_uris\":"
	    "[\"http://rp.example.com/bye\"]}", true, e);
}
END_TEST

START_TEST(outbound_uris)
{
	const enum idp_err e = IDP_ERR_INVALID_CLIENT_METADATA;
	const unsigned dev = IDP_META_DYNAMIC | IDP_META_OUTBOUND_LOOPBACK;
	json_t *o;

#define PKJ(uri) "{" CC ",\"token_endpoint_auth_method\":" \
	"\"private_key_jwt\",\"jwks_uri\":\"" uri "\"}"
	validate_bad(PKJ("http://127.0.0.1:8080/jwks"), true, e);
	validate_bad(PKJ("http://localhost:8080/jwks"), true, e);
	validate_bad(PKJ("https://127.0.0.1/jwks"), true, e);
	validate_bad(PKJ("https://127.1/jwks"), true, e);
	validate_bad(PKJ("https://10.0.0.1/jwks"), true, e);
	validate_bad(PKJ("https://169.254.169.254/latest"), true, e);
	validate_bad(PKJ("https://[fd00:ec2::254]/"), true, e);
	validate_bad(PKJ("https://[::ffff:127.0.0.1]/"), true, e);
	validate_bad(PKJ("http://127.0.0.1:8080/jwks"), false, e);
	validate_bad(PKJ("http://rp.example.com/jwks"), dev, e);
	validate_bad(PKJ("https://10.0.0.1/jwks"), dev, e);
	json_decref(validate_ok(PKJ("http://127.0.0.1:8080/jwks"), dev));
	json_decref(validate_ok(PKJ("https://[::1]:8443/jwks"), dev));
	o = validate_ok(PKJ("https://keys.rp.example.com/jwks"), true);
	ck_assert_str_eq(str_member(o, "jwks_uri"),
	    "https://keys.rp.example.com/jwks");
	json_decref(o);
#undef PKJ
	validate_bad("{" RU ",\"backchannel_logout_uri\":"
	    "\"http://127.0.0.1:9/bcl\"}", true, e);
	validate_bad("{" RU ",\"backchannel_logout_uri\":"
	    "\"https://192.168.1.1/bcl\"}", true, e);
	validate_bad("{" RU ",\"backchannel_logout_uri\":5}", true, e);
	json_decref(validate_ok("{" RU ",\"backchannel_logout_uri\":"
	    "\"http://127.0.0.1:9/bcl\"}", dev));
}
END_TEST

START_TEST(integer_and_boolean_members)
{
	const enum idp_err e = IDP_ERR_INVALID_CLIENT_METADATA;
	json_t *o;

	validate_bad("{" RU ",\"default_max_age\":-5}", true, e);
	validate_bad("{" RU ",\"default_max_age\":-1}", true, e);
	validate_bad("{" RU ",\"default_max_age\":31536001}", true, e);
	validate_bad("{" RU ",\"default_max_age\":9223372036854775807}",
	    true, e);
	validate_bad("{" RU ",\"default_max_age\":1.5}", true, e);
	validate_bad("{" RU ",\"default_max_age\":\"60\"}", true, e);
	validate_bad("{" RU ",\"default_max_age\":true}", true, e);
	validate_bad("{" RU ",\"default_max_age\":[60]}", false, e);
	validate_bad("{" RU ",\"require_auth_time\":\"yes\"}", true, e);
	validate_bad("{" RU ",\"require_auth_time\":1}", true, e);
	validate_bad("{" RU ",\"backchannel_logout_session_required\":0}",
	    true, e);
	o = validate_ok("{" RU ",\"default_max_age\":3600,"
	    "\"require_auth_time\":true}", true);
	ck_assert_int_eq(json_integer_value(json_object_get(o,
	    "default_max_age")), 3600);
	ck_assert(json_is_true(json_object_get(o, "require_auth_time")));
	json_decref(o);
	o = validate_ok("{" RU ",\"default_max_age\":0}", true);
	ck_assert_int_eq(json_integer_value(json_object_get(o,
	    "default_max_age")), 0);
	json_decref(o);
	o = validate_ok("{" RU ",\"default_max_age\":31536000,"
	    "\"default_max_age_x\":-5,\"require_auth_time\":null}", true);
	ck_assert_ptr_null(json_object_get(o, "default_max_age_x"));
	ck_assert_ptr_null(json_object_get(o, "require_auth_time"));
	json_decref(o);
}
END_TEST

START_TEST(not_an_object)
{
	validate_bad("[]", true, IDP_ERR_INVALID_CLIENT_METADATA);
	validate_bad("\"x\"", true, IDP_ERR_INVALID_CLIENT_METADATA);
	validate_bad("null", false, IDP_ERR_INVALID_CLIENT_METADATA);
}
END_TEST

/* Known bug: an empty grant_types array is refused, but the empty array
 * string_array() built is never released (LeakSanitizer fails the test). */
START_TEST(empty_grant_types_refused_without_leak)
{
	validate_bad("{" RU ",\"grant_types\":[]}", true,
	    IDP_ERR_INVALID_CLIENT_METADATA);
}
END_TEST

/* ---- stored rows ---- */

static struct idp_client *
client_of(const char *metadata_text, const char *auth)
{
	json_t *md = validate_ok(metadata_text, false);
	struct idp_client_row row;
	struct idp_client *c;

	memset(&row, 0, sizeof(row));
	row.client_id = (char[]){ "rp1" };
	row.auth_method = idp_arena_strdup(a, auth);
	row.metadata = json_dumps(md, JSON_COMPACT);
	row.owner_org = (char[]){ "diskes" };
	row.first_party = true;
	row.enabled = true;
	row.has_secret = true;
	memset(row.secret_digest, 0xab, sizeof(row.secret_digest));
	row.updated_at = 1700000000;
	c = idp_client_from_row(&row);
	free(row.metadata);
	json_decref(md);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* RFC 9126 §6, RFC 9101 §10.5, OIDC Registration §2, RFC 9449 §5.2. */
START_TEST(request_metadata)
{
	static const char ju[] = ",\"jwks_uri\":\"https://rp.example.com/jwks\"";
	struct idp_client *c;
	json_t *o;

	o = validate_ok("{" RU ",\"require_pushed_authorization_requests\":true,"
	    "\"dpop_bound_access_tokens\":false}", true);
	ck_assert(json_is_true(json_object_get(o,
	    "require_pushed_authorization_requests")));
	ck_assert(json_is_false(json_object_get(o, "dpop_bound_access_tokens")));
	json_decref(o);
	c = client_of(idp_arena_printf(a, "{" RU "%s,"
	    "\"require_pushed_authorization_requests\":true,"
	    "\"require_signed_request_object\":true,"
	    "\"request_object_signing_alg\":\"PS256\","
	    "\"dpop_bound_access_tokens\":true}", ju), "client_secret_basic");
	ck_assert(c->require_par);
	ck_assert(c->require_signed_request);
	ck_assert_int_eq(c->request_object_alg, IDP_ALG_PS256);
	ck_assert(c->dpop_bound);
	idp_client_free(c);
	c = client_of("{" RU "}", "client_secret_basic");
	ck_assert(!c->require_par && !c->require_signed_request &&
	    !c->dpop_bound);
	ck_assert_int_eq(c->request_object_alg, IDP_ALG_NONE);
	idp_client_free(c);
	validate_bad("{" RU ",\"require_pushed_authorization_requests\":1}",
	    true, IDP_ERR_INVALID_CLIENT_METADATA);
	validate_bad("{" RU ",\"dpop_bound_access_tokens\":\"yes\"}", true,
	    IDP_ERR_INVALID_CLIENT_METADATA);
	/* Unsigned objects are never accepted; nor unknown algorithms. */
	validate_bad(idp_arena_printf(a, "{" RU "%s,"
	    "\"request_object_signing_alg\":\"none\"}", ju), true,
	    IDP_ERR_INVALID_CLIENT_METADATA);
	validate_bad(idp_arena_printf(a, "{" RU "%s,"
	    "\"request_object_signing_alg\":\"HS256\"}", ju), true,
	    IDP_ERR_INVALID_CLIENT_METADATA);
	/* Signed objects need the client's public keys. */
	validate_bad("{" RU ",\"request_object_signing_alg\":\"ES256\"}", true,
	    IDP_ERR_INVALID_CLIENT_METADATA);
	validate_bad("{" RU ",\"require_signed_request_object\":true}", true,
	    IDP_ERR_INVALID_CLIENT_METADATA);
}
END_TEST

START_TEST(from_row_parses)
{
	struct idp_client *c = client_of("{\"redirect_uris\":["
	    "\"https://rp.example.com/cb\",\"http://127.0.0.1:8080/cb\"],"
	    "\"post_logout_redirect_uris\":[\"https://rp.example.com/bye\"],"
	    "\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
	    "\"scope\":\"openid profile\",\"client_name\":\"Portal\","
	    "\"id_token_signed_response_alg\":\"PS256\","
	    "\"access_token_format\":\"jwt\"}", "client_secret_basic");
	unsigned char d[IDP_SHA256_LEN];

	ck_assert_str_eq(c->client_id, "rp1");
	ck_assert_str_eq(c->name, "Portal");
	ck_assert_int_eq(c->auth, IDP_AUTH_BASIC);
	ck_assert_uint_eq(c->grants, IDP_GRANT_CODE | IDP_GRANT_REFRESH);
	ck_assert_str_eq(c->redirect_uris[0], "https://rp.example.com/cb");
	ck_assert_str_eq(c->redirect_uris[1], "http://127.0.0.1:8080/cb");
	ck_assert_ptr_null(c->redirect_uris[2]);
	ck_assert_str_eq(c->post_logout_redirect_uris[0],
	    "https://rp.example.com/bye");
	ck_assert_str_eq(c->scopes[0], "openid");
	ck_assert_str_eq(c->scopes[1], "profile");
	ck_assert_ptr_null(c->scopes[2]);
	ck_assert_int_eq(c->id_token_alg, IDP_ALG_PS256);
	ck_assert(c->jwt_access_tokens);
	ck_assert_int_eq(c->access_token_alg, IDP_ALG_ES256);
	ck_assert(c->first_party);
	ck_assert(c->enabled);
	ck_assert(c->has_secret);
	memset(d, 0xab, sizeof(d));
	ck_assert_mem_eq(c->secret_digest, d, sizeof(d));
	ck_assert_str_eq(c->owner_org, "diskes");
	ck_assert_int_eq(c->updated_at, 1700000000);
	idp_client_free(c);
	idp_client_free(NULL);
}
END_TEST

START_TEST(from_row_defaults)
{
	struct idp_client *c = client_of("{" RU "}", "none");

	ck_assert_str_eq(c->name, "rp1");	/* no client_name */
	ck_assert_int_eq(c->auth, IDP_AUTH_NONE);
	ck_assert_uint_eq(c->grants, IDP_GRANT_CODE);
	ck_assert_int_eq(c->id_token_alg, IDP_ALG_RS256);
	ck_assert(!c->jwt_access_tokens);
	ck_assert_ptr_null(c->post_logout_redirect_uris[0]);
	ck_assert_ptr_null(c->jwks);
	ck_assert_ptr_null(c->backchannel_logout_uri);
	ck_assert_int_eq(c->default_max_age, -1);
	idp_client_free(c);
	c = client_of("{" RU ",\"default_max_age\":600}", "none");
	ck_assert_int_eq(c->default_max_age, 600);
	idp_client_free(c);
}
END_TEST

static struct idp_client *
raw_row(const char *metadata, const char *auth)
{
	struct idp_client_row row;

	memset(&row, 0, sizeof(row));
	row.client_id = (char[]){ "rp9" };
	row.auth_method = idp_arena_strdup(a, auth);
	row.metadata = idp_arena_strdup(a, metadata);
	return idp_client_from_row(&row);
}

START_TEST(from_row_refuses_broken_rows)
{
	struct idp_client *c;

	ck_assert_ptr_null(raw_row("not json", "client_secret_basic"));
	ck_assert_ptr_null(raw_row("[]", "client_secret_basic"));
	ck_assert_ptr_null(raw_row("\"x\"", "client_secret_basic"));
	ck_assert_ptr_null(raw_row("{\"scope\":\"openid\"}", "magic"));
	ck_assert_ptr_null(raw_row("{\"scope\":\"openid\"}", NULL));
	ck_assert_ptr_null(raw_row("{\"redirect_uris\":[]}", "none"));
	ck_assert_ptr_null(raw_row("{\"scope\":\"a  b\"}", "none"));
	ck_assert_ptr_null(raw_row("{\"scope\":5}", "none"));
	/* an empty scope is an empty list, not an error */
	c = raw_row("{\"scope\":\"\"}", "client_secret_post");
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(c->scopes[0]);
	ck_assert_ptr_null(c->redirect_uris[0]);
	idp_client_free(c);
}
END_TEST

START_TEST(redirect_exact_match_only)
{
	struct idp_client *c = client_of("{\"redirect_uris\":["
	    "\"https://rp.example.com/cb\",\"http://127.0.0.1:8080/cb?a=1\"],"
	    "\"post_logout_redirect_uris\":[\"https://rp.example.com/bye\"]}",
	    "client_secret_basic");
	static const char *const no[] = {
		"https://rp.example.com/cb/",
		"https://rp.example.com/cb?x=1",
		"https://rp.example.com/cb?",
		"https://rp.example.com/cb#",
		"https://rp.example.com/c",
		"https://rp.example.com/cbx",
		"https://rp.example.com/cb/../cb",
		"https://rp.example.com/%63b",
		"https://rp.example.com:443/cb",
		"https://rp.example.com./cb",
		"HTTPS://rp.example.com/cb",
		"https://RP.example.com/cb",
		"https://rp.example.com/CB",
		"https://rp.example.com",
		"https://rp.example.com/",
		"https://rp.example.com/cb ",
		" https://rp.example.com/cb",
		"http://rp.example.com/cb",
		"https://evil.example/https://rp.example.com/cb",
		"http://127.0.0.1:8080/cb",
		"http://127.0.0.1:8080/cb?a=1&b=2",
		"http://127.0.0.1:8081/cb?a=1",
		"http://localhost:8080/cb?a=1",
		"https://rp.example.com/bye",
		"",
		NULL,
	};

	ck_assert(idp_client_redirect_registered(c,
	    "https://rp.example.com/cb"));
	ck_assert(idp_client_redirect_registered(c,
	    "http://127.0.0.1:8080/cb?a=1"));
	for (size_t i = 0; no[i] != NULL; i++)
		ck_assert_msg(!idp_client_redirect_registered(c, no[i]),
		    "matched: \"%s\"", no[i]);
	ck_assert(!idp_client_redirect_registered(c, NULL));
	ck_assert(idp_client_post_logout_registered(c,
	    "https://rp.example.com/bye"));
	ck_assert(!idp_client_post_logout_registered(c,
	    "https://rp.example.com/bye/"));
	ck_assert(!idp_client_post_logout_registered(c,
	    "https://rp.example.com/cb"));
	ck_assert(!idp_client_post_logout_registered(c, NULL));
	idp_client_free(c);
}
END_TEST

START_TEST(auth_method_names)
{
	ck_assert_int_eq(idp_auth_method_parse("client_secret_basic"),
	    IDP_AUTH_BASIC);
	ck_assert_int_eq(idp_auth_method_parse("client_secret_post"),
	    IDP_AUTH_POST);
	ck_assert_int_eq(idp_auth_method_parse("private_key_jwt"),
	    IDP_AUTH_PRIVATE_KEY_JWT);
	ck_assert_int_eq(idp_auth_method_parse("none"), IDP_AUTH_NONE);
	ck_assert_int_eq(idp_auth_method_parse("client_secret_jwt"), 0);
	ck_assert_int_eq(idp_auth_method_parse("None"), 0);
	ck_assert_int_eq(idp_auth_method_parse(""), 0);
	ck_assert_int_eq(idp_auth_method_parse(NULL), 0);
	for (int m = IDP_AUTH_BASIC; m <= IDP_AUTH_NONE; m++)
		ck_assert_int_eq(idp_auth_method_parse(
		    idp_auth_method_name((enum idp_auth_method)m)), m);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("oidc_client");
	TCase *tc;

	tc = unit_tcase(s, "uri_check");
	tcase_add_test(tc, uri_https_ok);
	tcase_add_test(tc, uri_http_only_loopback);
	tcase_add_test(tc, uri_refuses_junk_after_host);
	tcase_add_test(tc, uri_refuses_fragments_and_wildcards);
	tcase_add_test(tc, uri_refuses_userinfo);
	tcase_add_test(tc, uri_refuses_relative_and_hostless);
	tcase_add_test(tc, uri_refuses_bad_characters);
	tcase_add_test(tc, uri_refuses_dangerous_schemes);
	tcase_add_test(tc, uri_private_use_scheme_only_native);
	tcase_add_test(tc, uri_length_limit);

	tc = unit_tcase(s, "metadata");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults_filled_in);
	tcase_add_test(tc, full_metadata_kept);
	tcase_add_test(tc, client_credentials_only);
	tcase_add_test(tc, public_native_client);
	tcase_add_test(tc, private_key_jwt_with_jwks);
	tcase_add_test(tc, first_party_only_from_operators);
	tcase_add_test(tc, redirect_uri_errors);
	tcase_add_test(tc, grant_errors);
	tcase_add_test(tc, device_clients);
	tcase_add_test(tc, token_exchange_policy);
	tcase_add_test(tc, response_type_errors);
	tcase_add_test(tc, auth_method_errors);
	tcase_add_test(tc, jwks_with_private_key_refused);
	tcase_add_test(tc, alg_errors);
	tcase_add_test(tc, scope_and_descriptive_errors);
	tcase_add_test(tc, outbound_uris);
	tcase_add_test(tc, integer_and_boolean_members);
	tcase_add_test(tc, request_metadata);
	tcase_add_test(tc, not_an_object);

	tc = unit_tcase(s, "rows");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, from_row_parses);
	tcase_add_test(tc, from_row_defaults);
	tcase_add_test(tc, from_row_refuses_broken_rows);
	tcase_add_test(tc, redirect_exact_match_only);
	tcase_add_test(tc, auth_method_names);

	tc = unit_tcase(s, "fixed_bugs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_grant_types_refused_without_leak);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

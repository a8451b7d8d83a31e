/* oidc/authz: the authorization request — redirect URI stage, every
 * validation error of stage two, prompt and PKCE rules, the round trip
 * through the pending-login JSON and back into a query to start again. */
#include <string.h>

#include "oidc/authz.h"
#include "store/client.h"
#include "unit.h"

static struct idp_arena *a;
static struct idp_client *conf, *pub;

static struct idp_client *
client(const char *id, const char *method)
{
	struct idp_client_row row = { 0 };
	char *md = idp_arena_printf(a,
	    "{\"redirect_uris\":[\"https://rp.example.go.id/cb\","
	    "\"http://127.0.0.1:8081/callback\"],"
	    "\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
	    "\"scope\":\"openid profile email\","
	    "\"token_endpoint_auth_method\":\"%s\"}", method);
	struct idp_client *c;

	row.client_id = (char *)(uintptr_t)id;
	row.auth_method = (char *)(uintptr_t)method;
	row.metadata = md;
	row.enabled = true;
	c = idp_client_from_row(&row);
	ck_assert_ptr_nonnull(c);
	return c;
}

static void
setup(void)
{
	a = idp_arena_new(1024);
	conf = client("portal", "client_secret_basic");
	pub = client("mobile", "none");
}

static void
teardown(void)
{
	idp_client_free(conf);
	idp_client_free(pub);
	idp_arena_free(a);
}

static struct idp_authz_raw
good(void)
{
	struct idp_authz_raw r = { 0 };

	r.response_type = "code";
	r.client_id = "portal";
	r.redirect_uri = "https://rp.example.go.id/cb";
	r.scope = "openid profile";
	r.state = "xyz";
	r.nonce = "n-0S6_WzA2Mj";
	return r;
}

static enum idp_err
run(const struct idp_client *c, const struct idp_authz_raw *r,
    struct idp_authz *z, bool plain)
{
	struct idp_authz_opts o = { .allow_plain_pkce = plain };
	const char *why = NULL;
	enum idp_err e = idp_authz_validate(a, c, r, &o, z, &why);

	if (e != IDP_OK)
		ck_assert_msg(why != NULL && *why, "an error has a description");
	return e;
}

START_TEST(redirect_stage)
{
	const char *why = NULL;

	ck_assert_int_eq(idp_authz_check_redirect(conf,
	    "https://rp.example.go.id/cb", &why), IDP_OK);
	ck_assert_int_eq(idp_authz_check_redirect(conf,
	    "http://127.0.0.1:8081/callback", &why), IDP_OK);
	/* Exact string match: no prefix, suffix, case or query games. */
	static const char *const bad[] = { "https://rp.example.go.id/cb/",
		"https://rp.example.go.id/cb?x=1", "https://RP.example.go.id/cb",
		"https://rp.example.go.id/c", "https://rp.example.go.id/cb#",
		"http://rp.example.go.id/cb", "https://rp.example.go.id:443/cb",
		"http://127.0.0.1:8082/callback", "", NULL };
	for (const char *const *u = bad; *u; u++)
		ck_assert_msg(idp_authz_check_redirect(conf, *u, &why) != IDP_OK,
		    "%s must not match", *u);
	ck_assert_int_eq(idp_authz_check_redirect(conf, NULL, &why),
	    IDP_ERR_INVALID_REQUEST);
}
END_TEST

START_TEST(valid_request)
{
	struct idp_authz_raw r = good();
	struct idp_authz z;

	r.scope = "openid profile openid";
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	ck_assert_str_eq(z.scope, "openid profile");	/* de-duplicated */
	ck_assert(z.openid);
	ck_assert_int_eq(z.max_age, -1);
	ck_assert_str_eq(z.state, "xyz");
	ck_assert_int_eq(z.pkce, IDP_PKCE_NONE);
}
END_TEST

struct bad_case {
	const char *field;
	const char *value;
	enum idp_err want;
};

static void
set(struct idp_authz_raw *r, const char *f, const char *v)
{
	if (!strcmp(f, "response_type")) r->response_type = v;
	else if (!strcmp(f, "scope")) r->scope = v;
	else if (!strcmp(f, "nonce")) r->nonce = v;
	else if (!strcmp(f, "state")) r->state = v;
	else if (!strcmp(f, "prompt")) r->prompt = v;
	else if (!strcmp(f, "max_age")) r->max_age = v;
	else if (!strcmp(f, "response_mode")) r->response_mode = v;
	else if (!strcmp(f, "request")) r->request = v;
	else if (!strcmp(f, "request_uri")) r->request_uri = v;
	else if (!strcmp(f, "registration")) r->registration = v;
	else if (!strcmp(f, "code_challenge")) r->code_challenge = v;
	else if (!strcmp(f, "code_challenge_method"))
		r->code_challenge_method = v;
	else if (!strcmp(f, "login_hint")) r->login_hint = v;
	else if (!strcmp(f, "resource")) r->resource = v;
	else ck_abort_msg("unknown field %s", f);
}

START_TEST(every_error)
{
	char *long_state = idp_arena_alloc(a, 2050);
	char *long_nonce = idp_arena_alloc(a, 600);
	char *long_hint = idp_arena_alloc(a, 300);
	const struct bad_case cases[] = {
		{ "response_type", NULL, IDP_ERR_INVALID_REQUEST },
		{ "response_type", "token", IDP_ERR_UNSUPPORTED_RESPONSE_TYPE },
		{ "response_type", "code id_token",
		  IDP_ERR_UNSUPPORTED_RESPONSE_TYPE },
		{ "scope", NULL, IDP_ERR_INVALID_SCOPE },
		{ "scope", "", IDP_ERR_INVALID_SCOPE },
		{ "scope", "openid  profile", IDP_ERR_INVALID_SCOPE },
		{ "scope", "admin", IDP_ERR_INVALID_SCOPE },
		{ "scope", "phone idp:admin", IDP_ERR_INVALID_SCOPE },
		{ "resource", "https://api.example/", IDP_ERR_INVALID_TARGET },
		{ "resource", "/relative", IDP_ERR_INVALID_TARGET },
		{ "scope", "openid \"x\"", IDP_ERR_INVALID_SCOPE },
		{ "nonce", "", IDP_ERR_INVALID_REQUEST },
		{ "nonce", long_nonce, IDP_ERR_INVALID_REQUEST },
		{ "state", long_state, IDP_ERR_INVALID_REQUEST },
		{ "prompt", "none login", IDP_ERR_INVALID_REQUEST },
		{ "prompt", "always", IDP_ERR_INVALID_REQUEST },
		{ "prompt", "login  consent", IDP_ERR_INVALID_REQUEST },
		{ "max_age", "-1", IDP_ERR_INVALID_REQUEST },
		{ "max_age", "1e3", IDP_ERR_INVALID_REQUEST },
		{ "max_age", "99999999999", IDP_ERR_INVALID_REQUEST },
		{ "response_mode", "fragment", IDP_ERR_INVALID_REQUEST },
		{ "request", "e30.e30.", IDP_ERR_REQUEST_NOT_SUPPORTED },
		{ "request_uri", "https://x.example/r",
		  IDP_ERR_REQUEST_URI_NOT_SUPPORTED },
		{ "registration", "{}", IDP_ERR_INVALID_REQUEST },
		{ "code_challenge", "too-short", IDP_ERR_INVALID_REQUEST },
		{ "code_challenge_method", "S256", IDP_ERR_INVALID_REQUEST },
		{ "login_hint", long_hint, IDP_ERR_INVALID_REQUEST },
	};

	memset(long_state, 's', 2049);
	long_state[2049] = '\0';
	memset(long_nonce, 'n', 599);
	long_nonce[599] = '\0';
	memset(long_hint, 'h', 299);
	long_hint[299] = '\0';
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct idp_authz_raw r = good();
		struct idp_authz z;
		enum idp_err e;

		set(&r, cases[i].field, cases[i].value);
		e = run(conf, &r, &z, false);
		ck_assert_msg(e == cases[i].want, "%s=%.20s: got %d want %d",
		    cases[i].field, cases[i].value ? cases[i].value : "(null)",
		    e, cases[i].want);
	}
}
END_TEST

/* OIDC Core §3.1.2.1 and RFC 6749 §3.3: values the client may not have,
 * known or not, are dropped and the narrower scope is granted. */
START_TEST(scope_narrowed)
{
	struct idp_authz_raw r = good();
	struct idp_authz z;

	r.scope = "openid admin phone email offline_access idp:admin";
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	ck_assert_str_eq(z.scope, "openid email");
	ck_assert_uint_eq(z.nscopes, 2);
	ck_assert_uint_eq(z.ndropped, 4);
	ck_assert_str_eq(z.scopes_dropped[0], "admin");
	ck_assert_str_eq(z.scopes_dropped[3], "idp:admin");
	ck_assert(z.openid);
	r.scope = "profile";
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	ck_assert(!z.openid);
	ck_assert_uint_eq(z.ndropped, 0);
}
END_TEST

START_TEST(pkce_rules)
{
	const char *ch = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
	struct idp_authz_raw r = good();
	struct idp_authz z;

	/* Public clients must use PKCE. */
	r.client_id = "mobile";
	ck_assert_int_eq(run(pub, &r, &z, false), IDP_ERR_INVALID_REQUEST);
	r.code_challenge = ch;
	r.code_challenge_method = "S256";
	ck_assert_int_eq(run(pub, &r, &z, false), IDP_OK);
	ck_assert_int_eq(z.pkce, IDP_PKCE_S256);
	ck_assert_str_eq(z.code_challenge, ch);
	/* No method means plain (RFC 7636 §4.3), refused unless allowed. */
	r.code_challenge_method = NULL;
	ck_assert_int_eq(run(pub, &r, &z, false), IDP_ERR_INVALID_REQUEST);
	ck_assert_int_eq(run(pub, &r, &z, true), IDP_OK);
	ck_assert_int_eq(z.pkce, IDP_PKCE_PLAIN);
	r.code_challenge_method = "plain";
	ck_assert_int_eq(run(pub, &r, &z, false), IDP_ERR_INVALID_REQUEST);
	r.code_challenge_method = "S512";
	ck_assert_int_eq(run(pub, &r, &z, true), IDP_ERR_INVALID_REQUEST);
	/* Confidential clients may, but need not. */
	r = good();
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
}
END_TEST

START_TEST(prompts_and_max_age)
{
	struct idp_authz_raw r = good();
	struct idp_authz z;

	r.prompt = "login consent select_account";
	r.max_age = "0";
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	ck_assert(z.prompt_login && z.prompt_consent && z.prompt_select_account);
	ck_assert(!z.prompt_none);
	ck_assert_int_eq(z.max_age, 0);
	r.prompt = "none";
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	ck_assert(z.prompt_none);
}
END_TEST

START_TEST(unauthorized_client)
{
	struct idp_client_row row = { 0 };
	struct idp_authz_raw r = good();
	struct idp_authz z;
	struct idp_client *cc;

	row.client_id = (char *)(uintptr_t)"svc";
	row.auth_method = (char *)(uintptr_t)"client_secret_basic";
	row.metadata = (char *)(uintptr_t)"{\"grant_types\":"
	    "[\"client_credentials\"],\"scope\":\"api.read\"}";
	cc = idp_client_from_row(&row);
	ck_assert_ptr_nonnull(cc);
	ck_assert_int_eq(run(cc, &r, &z, false), IDP_ERR_UNAUTHORIZED_CLIENT);
	idp_client_free(cc);
}
END_TEST

START_TEST(json_round_trip)
{
	struct idp_authz_raw r = good();
	struct idp_authz z, back;
	json_t *o;

	r.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
	r.code_challenge_method = "S256";
	r.prompt = "login";
	r.max_age = "300";
	r.login_hint = "wayan.sudirta";
	r.ui_locales = "en";
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	o = idp_authz_to_json(&z);
	ck_assert_int_eq(idp_authz_from_json(a, o, &back), 0);
	json_decref(o);
	ck_assert_str_eq(back.client_id, "portal");
	ck_assert_str_eq(back.redirect_uri, "https://rp.example.go.id/cb");
	ck_assert_str_eq(back.scope, "openid profile");
	ck_assert_str_eq(back.state, "xyz");
	ck_assert_str_eq(back.nonce, "n-0S6_WzA2Mj");
	ck_assert_str_eq(back.code_challenge, r.code_challenge);
	ck_assert_int_eq(back.pkce, IDP_PKCE_S256);
	ck_assert(back.prompt_login && !back.prompt_none);
	ck_assert_int_eq(back.max_age, 300);
	ck_assert_str_eq(back.login_hint, "wayan.sudirta");
	ck_assert(back.openid);
	o = json_pack("{s:s}", "client_id", "x");
	ck_assert_int_eq(idp_authz_from_json(a, o, &back), -1);
	json_decref(o);
}
END_TEST

/* RFC 9126 §5-6, RFC 9101 §10.5: how the request came; RFC 9449 §10:
 * dpop_jkt goes with the code, through the pending login and a restart. */
START_TEST(origin_and_dpop_jkt)
{
	static const char jkt[] = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
	struct idp_authz_opts o = { 0 };
	struct idp_authz_raw r = good();
	struct idp_client *c = client("pushed", "client_secret_basic");
	struct idp_authz z, back;
	const char *why = NULL;
	json_t *j;

	o.require_par = true;
	ck_assert_int_eq(idp_authz_validate(a, conf, &r, &o, &z, &why),
	    IDP_ERR_INVALID_REQUEST);
	o.pushed = true;
	ck_assert_int_eq(idp_authz_validate(a, conf, &r, &o, &z, &why), IDP_OK);
	o = (struct idp_authz_opts){ 0 };
	c->require_par = true;
	ck_assert_int_eq(idp_authz_validate(a, c, &r, &o, &z, &why),
	    IDP_ERR_INVALID_REQUEST);
	c->require_par = false;
	c->require_signed_request = true;
	o.pushed = true;
	ck_assert_int_eq(idp_authz_validate(a, c, &r, &o, &z, &why),
	    IDP_ERR_INVALID_REQUEST);
	o.signed_request = true;
	ck_assert_int_eq(idp_authz_validate(a, c, &r, &o, &z, &why), IDP_OK);
	idp_client_free(c);
	r.dpop_jkt = "not-a-thumbprint";
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_ERR_INVALID_REQUEST);
	r.dpop_jkt = jkt;
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	ck_assert_str_eq(z.dpop_jkt, jkt);
	j = idp_authz_to_json(&z);
	ck_assert_int_eq(idp_authz_from_json(a, j, &back), 0);
	json_decref(j);
	ck_assert_str_eq(back.dpop_jkt, jkt);
	ck_assert_ptr_nonnull(strstr(idp_authz_to_query(a, &z),
	    "&dpop_jkt=0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"));
}
END_TEST

/* An expired login page starts the same request again from what the
 * pending login kept: every parameter, percent-encoded. */
START_TEST(restart_query)
{
	struct idp_authz_raw r = good();
	struct idp_authz z;

	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	ck_assert_str_eq(idp_authz_to_query(a, &z), "response_type=code&"
	    "client_id=portal&redirect_uri=https%3A%2F%2Frp.example.go.id%2Fcb&"
	    "scope=openid%20profile&state=xyz&nonce=n-0S6_WzA2Mj");
	r.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
	r.code_challenge_method = "S256";
	r.prompt = "consent login";
	r.max_age = "0";
	r.login_hint = "ni luh&x";
	r.ui_locales = "en id";
	r.state = "a b/c?d";
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	ck_assert_str_eq(idp_authz_to_query(a, &z), "response_type=code&"
	    "client_id=portal&redirect_uri=https%3A%2F%2Frp.example.go.id%2Fcb&"
	    "scope=openid%20profile&state=a%20b%2Fc%3Fd&nonce=n-0S6_WzA2Mj&"
	    "code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&"
	    "code_challenge_method=S256&prompt=login%20consent&max_age=0&"
	    "login_hint=ni%20luh%26x&ui_locales=en%20id");
	r.prompt = "select_account";
	r.max_age = NULL;
	ck_assert_int_eq(run(conf, &r, &z, false), IDP_OK);
	ck_assert_ptr_nonnull(strstr(idp_authz_to_query(a, &z),
	    "&prompt=select_account&login_hint="));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_authz");
	TCase *tc = unit_tcase(s, "authz");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, redirect_stage);
	tcase_add_test(tc, valid_request);
	tcase_add_test(tc, every_error);
	tcase_add_test(tc, scope_narrowed);
	tcase_add_test(tc, pkce_rules);
	tcase_add_test(tc, prompts_and_max_age);
	tcase_add_test(tc, unauthorized_client);
	tcase_add_test(tc, json_round_trip);
	tcase_add_test(tc, restart_query);
	tcase_add_test(tc, origin_and_dpop_jkt);
	return unit_run(s);
}

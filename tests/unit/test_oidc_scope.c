/* oidc/scope: parsing (RFC 6749 §3.3 syntax, duplicates, limits), joining,
 * the allowed-scope check and the consent subset test. */
#include <stdio.h>
#include <string.h>

#include "oidc/scope.h"
#include "store/client.h"
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

static char **
parse_ok(const char *s, size_t want_n)
{
	char **v = NULL;
	size_t n = 999;

	ck_assert_msg(idp_scope_parse(a, s, &v, &n) == IDP_OK, "refused: %s",
	    s);
	ck_assert_uint_eq(n, want_n);
	ck_assert_ptr_null(v[n]);
	return v;
}

static void
parse_bad(const char *s)
{
	char **v = NULL;
	size_t n = 999;

	ck_assert_msg(idp_scope_parse(a, s, &v, &n) == IDP_ERR_INVALID_SCOPE,
	    "accepted: \"%s\"", s ? s : "(null)");
	ck_assert_ptr_null(v);
	ck_assert_uint_eq(n, 999);
}

START_TEST(parse_keeps_order)
{
	char **v = parse_ok("openid profile email", 3);

	ck_assert_str_eq(v[0], "openid");
	ck_assert_str_eq(v[1], "profile");
	ck_assert_str_eq(v[2], "email");
	v = parse_ok("email openid", 2);
	ck_assert_str_eq(v[0], "email");
	ck_assert_str_eq(v[1], "openid");
}
END_TEST

START_TEST(parse_removes_duplicates)
{
	char **v = parse_ok("openid openid profile openid profile email", 3);

	ck_assert_str_eq(v[0], "openid");
	ck_assert_str_eq(v[1], "profile");
	ck_assert_str_eq(v[2], "email");
	/* Case matters: these are two scopes. */
	v = parse_ok("openid OpenID", 2);
	ck_assert_str_eq(v[1], "OpenID");
}
END_TEST

START_TEST(parse_accepts_full_token_alphabet)
{
	/* %x21 / %x23-5B / %x5D-7E */
	char **v = parse_ok("! #$%&'()*+,-./09:;<=>?@AZ[ ]^_`az{|}~ "
	    "api:read urn:example:scope", 5);

	ck_assert_str_eq(v[0], "!");
	ck_assert_str_eq(v[2], "]^_`az{|}~");
	ck_assert_str_eq(v[4], "urn:example:scope");
}
END_TEST

START_TEST(parse_rejects_bad_characters)
{
	parse_bad("openid \"profile\"");
	parse_bad("open\\id");
	parse_bad("openid pro\tfile");
	parse_bad("openid\x01");
	parse_bad("openid\x7f");
	parse_bad("openid profil\xc3\xa9");
	parse_bad("openid\nprofile");
}
END_TEST

START_TEST(parse_rejects_bad_spacing)
{
	parse_bad(NULL);
	parse_bad("");
	parse_bad(" ");
	parse_bad(" openid");
	parse_bad("openid ");
	parse_bad("openid  profile");
}
END_TEST

START_TEST(parse_limits_items)
{
	char s[IDP_SCOPE_MAX_LEN + 2];
	char *p = s;

	/* 32 distinct items are fine, 33 are too many. */
	for (int i = 0; i < IDP_SCOPE_MAX_ITEMS; i++)
		p += sprintf(p, "%ss%d", i ? " " : "", i);
	parse_ok(s, IDP_SCOPE_MAX_ITEMS);
	strcat(s, " s32");
	parse_bad(s);
}
END_TEST

START_TEST(parse_limits_length)
{
	char s[IDP_SCOPE_MAX_LEN + 2];

	memset(s, 'x', IDP_SCOPE_MAX_LEN);
	s[IDP_SCOPE_MAX_LEN] = '\0';
	parse_ok(s, 1);
	s[IDP_SCOPE_MAX_LEN] = 'x';
	s[IDP_SCOPE_MAX_LEN + 1] = '\0';
	parse_bad(s);
}
END_TEST

START_TEST(token_valid)
{
	ck_assert(idp_scope_token_valid("openid"));
	ck_assert(idp_scope_token_valid("!"));
	ck_assert(idp_scope_token_valid("~"));
	ck_assert(!idp_scope_token_valid(""));
	ck_assert(!idp_scope_token_valid(NULL));
	ck_assert(!idp_scope_token_valid("a b"));
	ck_assert(!idp_scope_token_valid("\""));
	ck_assert(!idp_scope_token_valid("\\"));
	ck_assert(!idp_scope_token_valid("\x7f"));
	ck_assert(!idp_scope_token_valid("\x80"));
}
END_TEST

START_TEST(join)
{
	char *v[] = { (char[]){ "openid" }, (char[]){ "profile" },
	    (char[]){ "email" }, NULL };
	char **p;

	ck_assert_str_eq(idp_scope_join(a, v, 3), "openid profile email");
	ck_assert_str_eq(idp_scope_join(a, v, 1), "openid");
	ck_assert_str_eq(idp_scope_join(a, v, 0), "");
	/* parse and join normalise a scope string */
	p = parse_ok("email email openid", 2);
	ck_assert_str_eq(idp_scope_join(a, p, 2), "email openid");
}
END_TEST

START_TEST(check_allowed)
{
	char *allowed[] = { (char[]){ "openid" }, (char[]){ "profile" },
	    (char[]){ "email" }, NULL };
	char *ok[] = { (char[]){ "profile" }, (char[]){ "openid" }, NULL };
	char *bad[] = { (char[]){ "openid" }, (char[]){ "phone" }, NULL };
	char *prefix[] = { (char[]){ "open" }, NULL };
	char *upper[] = { (char[]){ "OPENID" }, NULL };

	ck_assert_int_eq(idp_scope_check_allowed(ok, 2, allowed), IDP_OK);
	ck_assert_int_eq(idp_scope_check_allowed(ok, 0, allowed), IDP_OK);
	ck_assert_int_eq(idp_scope_check_allowed(bad, 2, allowed),
	    IDP_ERR_INVALID_SCOPE);
	/* n counts: the bad item past n is not looked at */
	ck_assert_int_eq(idp_scope_check_allowed(bad, 1, allowed), IDP_OK);
	ck_assert_int_eq(idp_scope_check_allowed(prefix, 1, allowed),
	    IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_scope_check_allowed(upper, 1, allowed),
	    IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_scope_check_allowed(ok, 2, NULL),
	    IDP_ERR_INVALID_SCOPE);
}
END_TEST

START_TEST(subset)
{
	char *super[] = { (char[]){ "openid" }, (char[]){ "profile" },
	    (char[]){ "email" }, NULL };
	char *sub[] = { (char[]){ "email" }, (char[]){ "openid" }, NULL };
	char *more[] = { (char[]){ "openid" }, (char[]){ "phone" }, NULL };
	char *upper[] = { (char[]){ "OpenID" }, NULL };
	char *empty[] = { NULL };

	ck_assert(idp_scope_subset(sub, super));
	ck_assert(idp_scope_subset(super, super));
	ck_assert(!idp_scope_subset(super, sub));
	ck_assert(!idp_scope_subset(more, super));
	ck_assert(!idp_scope_subset(upper, super));
	ck_assert(idp_scope_subset(empty, super));
	ck_assert(idp_scope_subset(NULL, super));
	ck_assert(idp_scope_subset(empty, empty));
	ck_assert(!idp_scope_subset(sub, empty));
	ck_assert(!idp_scope_subset(sub, NULL));
}
END_TEST

START_TEST(known_scopes)
{
	static const char *const want[] = { "openid", "profile", "email",
	    "phone", "organisation", "offline_access" };
	size_t n = 0;

	while (idp_scopes_known[n] != NULL)
		n++;
	ck_assert_uint_eq(n, 6);
	for (size_t i = 0; i < 6; i++) {
		ck_assert_str_eq(idp_scopes_known[i], want[i]);
		ck_assert(idp_scope_is_standard(want[i]));
	}
	ck_assert(!idp_scope_is_standard("bencana.read"));
	ck_assert(!idp_scope_is_standard("OpenID"));
	ck_assert(!idp_scope_is_standard(NULL));
}
END_TEST

/* A client of the province with API scopes: the store says it may have
 * bencana.read (its manifest's scope, allowed by pusdalops-api) and
 * lapor.read (an approved request); it also registered satudata.read,
 * which nobody allows it, and a value nobody offers. */
static struct idp_client *
api_client(bool first_party, const char *grants)
{
	struct idp_client_row row = { 0 };
	struct idp_client *c;

	row.client_id = (char[]){ "dasbor" };
	row.auth_method = (char[]){ "client_secret_basic" };
	row.metadata = idp_arena_printf(a, "{\"redirect_uris\":"
	    "[\"https://dasbor.baliprov.go.id/cb\"],\"grant_types\":%s,"
	    "\"scope\":\"openid profile offline_access bencana.read "
	    "satudata.read unknown.x\"}", grants);
	row.api_json = (char[]){ "[{\"scope\":\"bencana.read\","
	    "\"server\":\"pusdalops-api\",\"resources\":"
	    "[\"https://pusdalops.example/api\"],\"approved\":false},"
	    "{\"scope\":\"lapor.read\",\"server\":\"lapor\","
	    "\"resources\":[\"https://lapor.example/api\","
	    "\"https://lapor2.example\"],\"approved\":true}]" };
	row.first_party = first_party;
	row.enabled = true;
	c = idp_client_from_row(&row);
	ck_assert_ptr_nonnull(c);
	return c;
}

static enum idp_err
grant(const struct idp_client *c, const char *scope, bool person,
    const char *resource, struct idp_scope_grant *g)
{
	char **v = NULL;
	size_t n = 0;
	const char *why = NULL;
	enum idp_err e;

	if (scope != NULL)
		ck_assert_int_eq(idp_scope_parse(a, scope, &v, &n), IDP_OK);
	e = idp_scope_grant(a, c, v, n, person, resource, g, &why);
	if (e != IDP_OK)
		ck_assert_msg(why != NULL && *why, "an error says why");
	return e;
}

START_TEST(ceiling_from_policy)
{
	struct idp_client *c = api_client(true,
	    "[\"authorization_code\",\"refresh_token\"]");

	/* standard ones registered, API ones allowed now (registered or
	 * approved); satudata.read and unknown.x are not */
	ck_assert_str_eq(idp_scope_join(a, c->scopes, 5),
	    "openid profile offline_access bencana.read lapor.read");
	ck_assert_ptr_null(c->scopes[5]);
	ck_assert_uint_eq(c->napi, 2);
	ck_assert_str_eq(c->api[1].server, "lapor");
	idp_client_free(c);
}
END_TEST

START_TEST(grant_person)
{
	struct idp_client *c = api_client(true,
	    "[\"authorization_code\",\"refresh_token\"]");
	struct idp_scope_grant g;

	ck_assert_int_eq(grant(c, "openid bencana.read satudata.read idp:admin",
	    true, NULL, &g), IDP_OK);
	ck_assert_str_eq(g.scope, "openid bencana.read");
	ck_assert_uint_eq(g.ndropped, 2);
	ck_assert_str_eq(g.dropped[0], "satudata.read");
	ck_assert_str_eq(g.audience[0], "https://pusdalops.example/api");
	ck_assert_ptr_null(g.audience[1]);
	/* identity scopes alone: the provider's own token, no audience */
	ck_assert_int_eq(grant(c, "openid profile", true, NULL, &g), IDP_OK);
	ck_assert_ptr_null(g.audience[0]);
	/* nothing left */
	ck_assert_int_eq(grant(c, "idp:admin satudata.read", true, NULL, &g),
	    IDP_ERR_INVALID_SCOPE);
	/* a resource keeps its server's scopes and the identity ones */
	ck_assert_int_eq(grant(c, "openid bencana.read lapor.read", true,
	    "https://lapor.example/api", &g), IDP_OK);
	ck_assert_str_eq(g.scope, "openid lapor.read");
	ck_assert_str_eq(g.audience[0], "https://lapor.example/api");
	ck_assert_ptr_null(g.audience[1]);
	ck_assert_int_eq(grant(c, "openid", true, "https://lapor.example/api",
	    &g), IDP_ERR_INVALID_SCOPE);
	idp_client_free(c);
}
END_TEST

START_TEST(grant_service)
{
	struct idp_client *c = api_client(true,
	    "[\"client_credentials\",\"authorization_code\"]");
	struct idp_scope_grant g;

	/* the measured escalation: another service's scope and one that
	 * exists nowhere */
	ck_assert_int_eq(grant(c, "satudata.read idp:admin", false, NULL, &g),
	    IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(grant(c, "bencana.read idp:admin", false, NULL, &g),
	    IDP_OK);
	ck_assert_str_eq(g.scope, "bencana.read");
	/* without a person identity scopes mean nothing */
	ck_assert_int_eq(grant(c, "openid profile", false, NULL, &g),
	    IDP_ERR_INVALID_SCOPE);
	/* no scope parameter: the API scopes */
	ck_assert_int_eq(grant(c, NULL, false, NULL, &g), IDP_OK);
	ck_assert_str_eq(g.scope, "bencana.read lapor.read");
	ck_assert_str_eq(idp_scope_join(a, g.audience, 3),
	    "https://pusdalops.example/api https://lapor.example/api "
	    "https://lapor2.example");
	ck_assert_int_eq(grant(c, NULL, false, "https://lapor2.example", &g),
	    IDP_OK);
	ck_assert_str_eq(g.scope, "lapor.read");
	ck_assert_str_eq(g.audience[0], "https://lapor2.example");
	ck_assert_int_eq(grant(c, NULL, false, "https://elsewhere.example",
	    &g), IDP_ERR_INVALID_TARGET);
	ck_assert_int_eq(grant(c, "bencana.read", false,
	    "https://lapor.example/api", &g), IDP_ERR_INVALID_SCOPE);
	ck_assert_int_eq(idp_scope_resource_covered(g.audience, NULL), 0);
	ck_assert_int_eq(grant(c, NULL, false, NULL, &g), IDP_OK);
	ck_assert_int_eq(idp_scope_resource_covered(g.audience,
	    "https://lapor2.example"), 0);
	ck_assert_int_eq(idp_scope_resource_covered(g.audience,
	    "https://lapor2.example/x"), -1);
	idp_client_free(c);
}
END_TEST

/* OIDC Core §11 */
START_TEST(offline_access)
{
	char *none[] = { NULL };
	char *with[] = { (char[]){ "openid" }, (char[]){ "offline_access" },
	    NULL };
	struct idp_client *first = api_client(true,
	    "[\"authorization_code\",\"refresh_token\"]");
	struct idp_client *third = api_client(false,
	    "[\"authorization_code\",\"refresh_token\"]");
	struct idp_client *norefresh = api_client(true,
	    "[\"authorization_code\"]");

	ck_assert(idp_scope_offline_ok(true, false, NULL));
	ck_assert(!idp_scope_offline_ok(false, false, NULL));
	ck_assert(!idp_scope_offline_ok(false, false, none));
	ck_assert(idp_scope_offline_ok(false, true, NULL));
	ck_assert(idp_scope_offline_ok(false, false, with));
	ck_assert(idp_scope_refresh_ok(first, none));
	ck_assert(!idp_scope_refresh_ok(third, none));
	ck_assert(idp_scope_refresh_ok(third, with));
	ck_assert(!idp_scope_refresh_ok(norefresh, with));
	idp_client_free(first);
	idp_client_free(third);
	idp_client_free(norefresh);
}
END_TEST

START_TEST(registration_rules)
{
	char *v[] = { (char[]){ "openid" }, (char[]){ "bencana.read" },
	    (char[]){ "offline_access" }, (char[]){ "idp:admin" }, NULL };
	char **std, **api;
	enum idp_api_scope_state ok[] = { IDP_API_SCOPE_ALLOWED,
	    IDP_API_SCOPE_ALLOWED };
	enum idp_api_scope_state unknown[] = { IDP_API_SCOPE_ALLOWED,
	    IDP_API_SCOPE_UNKNOWN };
	enum idp_api_scope_state denied[] = { IDP_API_SCOPE_NOT_ALLOWED,
	    IDP_API_SCOPE_UNKNOWN };
	const char *why = NULL;
	size_t n;

	idp_scope_split(a, v, &std, &api);
	ck_assert_str_eq(idp_scope_join(a, std, 2), "openid offline_access");
	ck_assert_ptr_null(std[2]);
	ck_assert_str_eq(idp_scope_join(a, api, 2), "bencana.read idp:admin");
	ck_assert_ptr_null(api[2]);
	ck_assert_int_eq(idp_scope_registration_check(a, api, ok, &why),
	    IDP_OK);
	ck_assert_int_eq(idp_scope_registration_check(a, api, unknown, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_str_eq(why, "scope idp:admin does not exist");
	ck_assert_int_eq(idp_scope_registration_check(a, api, denied, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_ptr_nonnull(strstr(why, "scope bencana.read is not allowed"));
	ck_assert_int_eq(idp_scope_registration_check(a, NULL, NULL, &why),
	    IDP_OK);
	api = idp_scope_without(a, v, "offline_access", &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(api[2], "idp:admin");
	ck_assert_ptr_null(api[3]);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("oidc_scope");
	TCase *tc = unit_tcase(s, "scope");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, parse_keeps_order);
	tcase_add_test(tc, parse_removes_duplicates);
	tcase_add_test(tc, parse_accepts_full_token_alphabet);
	tcase_add_test(tc, parse_rejects_bad_characters);
	tcase_add_test(tc, parse_rejects_bad_spacing);
	tcase_add_test(tc, parse_limits_items);
	tcase_add_test(tc, parse_limits_length);
	tcase_add_test(tc, token_valid);
	tcase_add_test(tc, join);
	tcase_add_test(tc, check_allowed);
	tcase_add_test(tc, subset);
	tcase_add_test(tc, known_scopes);
	tcase_add_test(tc, ceiling_from_policy);
	tcase_add_test(tc, grant_person);
	tcase_add_test(tc, grant_service);
	tcase_add_test(tc, offline_access);
	tcase_add_test(tc, registration_rules);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

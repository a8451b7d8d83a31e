/* oidc/claims: which claims each scope releases, "sub" always, and absent
 * values left out rather than sent empty. */
#include <string.h>

#include "oidc/claims.h"
#include "unit.h"

/* A user with every field set; the strings are static so the returned
 * struct stays valid. */
static struct idp_user
full_user(void)
{
	static char sub[] = "5f0c2a4e-8a4b-4d7e-9a51-0e3f6c1d2b9a";
	static char username[] = "made.wirawan";
	static char name[] = "I Made Wirawan", given[] = "Made";
	static char family[] = "Wirawan", email[] = "made@baliprov.go.id";
	static char phone[] = "+62361123456", nip[] = "198001012005011001";
	static char job[] = "Analis", locale[] = "id";
	static char ocode[] = "diskes", oname[] = "Dinas Kesehatan";
	static char okind[] = "opd", oparent[] = "baliprov";
	struct idp_user u;

	memset(&u, 0, sizeof(u));
	u.id = 7;
	u.sub = sub;
	u.username = username;
	u.has_password = true;
	u.name = name;
	u.given_name = given;
	u.family_name = family;
	u.email = email;
	u.email_verified = true;
	u.phone_number = phone;
	u.phone_number_verified = false;
	u.nip = nip;
	u.job_title = job;
	u.locale = locale;
	u.updated_at = 1700000000;
	u.org.code = ocode;
	u.org.name = oname;
	u.org.kind = okind;
	u.org.parent_code = oparent;
	return u;
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
only_known_claims(json_t *o)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		size_t i = 0;

		while (idp_claims_known[i] != NULL &&
		    strcmp(idp_claims_known[i], k) != 0)
			i++;
		ck_assert_msg(idp_claims_known[i] != NULL, "unknown claim %s",
		    k);
	}
}

START_TEST(openid_gives_sub_only)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "openid" }, NULL };
	json_t *o = idp_claims_for_user(&u, scopes);

	ck_assert_uint_eq(json_object_size(o), 1);
	ck_assert_str_eq(str(o, "sub"), u.sub);
	json_decref(o);
	o = idp_claims_for_user(&u, NULL);
	ck_assert_uint_eq(json_object_size(o), 1);
	ck_assert_str_eq(str(o, "sub"), u.sub);
	json_decref(o);
}
END_TEST

START_TEST(sub_without_openid)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "email" }, NULL };
	json_t *o = idp_claims_for_user(&u, scopes);

	ck_assert_str_eq(str(o, "sub"), u.sub);
	ck_assert_str_eq(str(o, "email"), "made@baliprov.go.id");
	json_decref(o);
}
END_TEST

START_TEST(profile_scope)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "openid" }, (char[]){ "profile" }, NULL };
	json_t *o = idp_claims_for_user(&u, scopes);

	ck_assert_str_eq(str(o, "name"), "I Made Wirawan");
	ck_assert_str_eq(str(o, "given_name"), "Made");
	ck_assert_str_eq(str(o, "family_name"), "Wirawan");
	ck_assert_str_eq(str(o, "preferred_username"), "made.wirawan");
	ck_assert_str_eq(str(o, "locale"), "id");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "updated_at")),
	    1700000000);
	ck_assert_uint_eq(json_object_size(o), 7);
	/* nothing of the other scopes */
	ck_assert_ptr_null(json_object_get(o, "email"));
	ck_assert_ptr_null(json_object_get(o, "phone_number"));
	ck_assert_ptr_null(json_object_get(o, "organisation"));
	ck_assert_ptr_null(json_object_get(o, "nip"));
	only_known_claims(o);
	json_decref(o);
}
END_TEST

START_TEST(email_scope)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "openid" }, (char[]){ "email" }, NULL };
	json_t *o = idp_claims_for_user(&u, scopes);

	ck_assert_str_eq(str(o, "email"), "made@baliprov.go.id");
	ck_assert(json_is_true(json_object_get(o, "email_verified")));
	ck_assert_uint_eq(json_object_size(o), 3);
	json_decref(o);
	u.email_verified = false;
	o = idp_claims_for_user(&u, scopes);
	ck_assert(json_is_false(json_object_get(o, "email_verified")));
	json_decref(o);
}
END_TEST

START_TEST(phone_scope)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "phone" }, NULL };
	json_t *o = idp_claims_for_user(&u, scopes);

	ck_assert_str_eq(str(o, "phone_number"), "+62361123456");
	ck_assert(json_is_false(json_object_get(o, "phone_number_verified")));
	ck_assert_uint_eq(json_object_size(o), 3);
	json_decref(o);
}
END_TEST

START_TEST(organisation_scope)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "openid" }, (char[]){ "organisation" },
	    NULL };
	json_t *o = idp_claims_for_user(&u, scopes), *org;

	org = json_object_get(o, "organisation");
	ck_assert(json_is_object(org));
	ck_assert_str_eq(str(org, "code"), "diskes");
	ck_assert_str_eq(str(org, "name"), "Dinas Kesehatan");
	ck_assert_str_eq(str(org, "kind"), "opd");
	ck_assert_str_eq(str(org, "parent"), "baliprov");
	ck_assert_uint_eq(json_object_size(org), 4);
	ck_assert_str_eq(str(o, "nip"), "198001012005011001");
	ck_assert_str_eq(str(o, "job_title"), "Analis");
	ck_assert_uint_eq(json_object_size(o), 4);
	ck_assert_ptr_null(json_object_get(o, "name"));
	json_decref(o);
}
END_TEST

START_TEST(top_level_organisation_has_no_parent)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "organisation" }, NULL };
	json_t *o;

	u.org.parent_code = NULL;
	o = idp_claims_for_user(&u, scopes);
	ck_assert_ptr_null(json_object_get(json_object_get(o, "organisation"),
	    "parent"));
	ck_assert_str_eq(str(json_object_get(o, "organisation"), "code"),
	    "diskes");
	json_decref(o);
}
END_TEST

START_TEST(all_scopes)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "openid" }, (char[]){ "profile" },
	    (char[]){ "email" }, (char[]){ "phone" },
	    (char[]){ "organisation" }, NULL };
	json_t *o = idp_claims_for_user(&u, scopes);

	/* sub + 6 profile + 2 email + 2 phone + organisation, nip, job_title */
	ck_assert_uint_eq(json_object_size(o), 14);
	only_known_claims(o);
	/* never a password or the internal id */
	ck_assert_ptr_null(json_object_get(o, "has_password"));
	ck_assert_ptr_null(json_object_get(o, "id"));
	json_decref(o);
}
END_TEST

START_TEST(absent_values_omitted)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "openid" }, (char[]){ "profile" },
	    (char[]){ "email" }, (char[]){ "phone" },
	    (char[]){ "organisation" }, NULL };
	json_t *o;

	u.name = NULL;
	u.given_name = (char[]){ "" };
	u.locale = NULL;
	u.email = NULL;
	u.phone_number = NULL;
	u.nip = (char[]){ "" };
	u.job_title = NULL;
	memset(&u.org, 0, sizeof(u.org));
	o = idp_claims_for_user(&u, scopes);
	ck_assert_ptr_null(json_object_get(o, "name"));
	ck_assert_ptr_null(json_object_get(o, "given_name"));
	ck_assert_ptr_null(json_object_get(o, "locale"));
	ck_assert_ptr_null(json_object_get(o, "email"));
	ck_assert_ptr_null(json_object_get(o, "email_verified"));
	ck_assert_ptr_null(json_object_get(o, "phone_number"));
	ck_assert_ptr_null(json_object_get(o, "phone_number_verified"));
	ck_assert_ptr_null(json_object_get(o, "organisation"));
	ck_assert_ptr_null(json_object_get(o, "nip"));
	ck_assert_ptr_null(json_object_get(o, "job_title"));
	/* what is there stays */
	ck_assert_str_eq(str(o, "sub"), u.sub);
	ck_assert_str_eq(str(o, "family_name"), "Wirawan");
	ck_assert_str_eq(str(o, "preferred_username"), "made.wirawan");
	json_decref(o);
}
END_TEST

START_TEST(unknown_scopes_release_nothing)
{
	struct idp_user u = full_user();
	char *scopes[] = { (char[]){ "openid" }, (char[]){ "api:read" },
	    (char[]){ "Profile" }, (char[]){ "emails" }, NULL };
	json_t *o = idp_claims_for_user(&u, scopes);

	ck_assert_uint_eq(json_object_size(o), 1);
	json_decref(o);
}
END_TEST


/* ---- idp_claims_release: scopes, the claims request, roles ---- */

static json_t *
released(const char *req, char **granted, char **releasable,
    enum idp_claims_dest d)
{
	static struct idp_user u;
	static char role1[] = "developer@badung.diskominfo";
	static char group1[] = "diskes", group2[] = "badung.diskominfo";
	static char *roles[] = { role1, NULL };
	static char *groups[] = { group1, group2, NULL };
	struct idp_arena *a = idp_arena_new(1024);
	struct idp_claims_req r;
	struct idp_claims_ctx x = { 0 };
	const char *why;
	json_t *o;

	u = full_user();
	x.user = &u;
	x.sub = "pairwise-sub-of-this-client";
	x.granted = granted;
	x.releasable = releasable;
	x.roles = roles;
	x.groups = groups;
	if (req != NULL) {
		ck_assert_int_eq(idp_claims_req_parse(a, req, &r, &why), IDP_OK);
		x.req = &r;
	}
	o = idp_claims_release(&x, d);
	idp_arena_free(a);
	return o;
}

START_TEST(release_without_request_is_the_scopes)
{
	char *g[] = { (char[]){ "openid" }, (char[]){ "email" }, NULL };
	json_t *o = released(NULL, g, g, IDP_CLAIMS_USERINFO);

	ck_assert_str_eq(str(o, "sub"), "pairwise-sub-of-this-client");
	ck_assert_str_eq(str(o, "email"), "made@baliprov.go.id");
	ck_assert_uint_eq(json_object_size(o), 3);
	json_decref(o);
}
END_TEST

START_TEST(release_per_destination)
{
	char *g[] = { (char[]){ "openid" }, NULL };
	char *r[] = { (char[]){ "openid" }, (char[]){ "email" },
	    (char[]){ "profile" }, NULL };
	const char *req = "{\"userinfo\":{\"email\":null},"
	    "\"id_token\":{\"name\":{\"essential\":true}}}";
	json_t *ui = released(req, g, r, IDP_CLAIMS_USERINFO);
	json_t *it = released(req, g, r, IDP_CLAIMS_ID_TOKEN);

	ck_assert_str_eq(str(ui, "email"), "made@baliprov.go.id");
	ck_assert_ptr_null(json_object_get(ui, "name"));
	ck_assert_str_eq(str(it, "name"), "I Made Wirawan");
	ck_assert_ptr_null(json_object_get(it, "email"));
	/* only the claim asked for, not its whole scope */
	ck_assert_ptr_null(json_object_get(ui, "email_verified"));
	ck_assert_ptr_null(json_object_get(it, "given_name"));
	json_decref(ui);
	json_decref(it);
}
END_TEST

START_TEST(release_never_beyond_policy)
{
	char *g[] = { (char[]){ "openid" }, NULL };
	const char *req = "{\"userinfo\":{\"email\":{\"essential\":true},"
	    "\"phone_number\":null,\"roles\":null,\"groups\":null}}";
	json_t *o = released(req, g, g, IDP_CLAIMS_USERINFO);

	/* essential or not, a claim whose scope the client may not have
	 * is left out, without an error (§5.5.1) */
	ck_assert_uint_eq(json_object_size(o), 1);
	ck_assert_str_eq(str(o, "sub"), "pairwise-sub-of-this-client");
	json_decref(o);
}
END_TEST

START_TEST(release_value_must_match)
{
	char *g[] = { (char[]){ "openid" }, (char[]){ "email" }, NULL };
	json_t *o;

	o = released("{\"userinfo\":{\"email\":{\"value\":"
	    "\"made@baliprov.go.id\"}}}", g, g, IDP_CLAIMS_USERINFO);
	ck_assert_str_eq(str(o, "email"), "made@baliprov.go.id");
	json_decref(o);
	o = released("{\"userinfo\":{\"email\":{\"value\":"
	    "\"other@baliprov.go.id\"}}}", g, g, IDP_CLAIMS_USERINFO);
	ck_assert_ptr_null(json_object_get(o, "email"));
	ck_assert_ptr_nonnull(json_object_get(o, "email_verified"));
	json_decref(o);
	o = released("{\"userinfo\":{\"email_verified\":{\"values\":"
	    "[true]}}}", g, g, IDP_CLAIMS_USERINFO);
	ck_assert(json_is_true(json_object_get(o, "email_verified")));
	json_decref(o);
}
END_TEST

START_TEST(release_roles_and_groups)
{
	char *g[] = { (char[]){ "openid" }, (char[]){ "roles" }, NULL };
	char *no[] = { (char[]){ "openid" }, NULL };
	struct idp_claims_ctx x = { 0 };
	json_t *o = released(NULL, g, g, IDP_CLAIMS_ID_TOKEN);

	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o,
	    "roles"), 0)), "developer@badung.diskominfo");
	ck_assert_uint_eq(json_array_size(json_object_get(o, "groups")), 2);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o,
	    "groups"), 0)), "diskes");
	json_decref(o);
	o = released(NULL, no, no, IDP_CLAIMS_ID_TOKEN);
	ck_assert_ptr_null(json_object_get(o, "roles"));
	json_decref(o);
	x.granted = g;
	ck_assert(idp_claims_need_roles(&x));
	x.granted = no;
	x.releasable = no;
	ck_assert(!idp_claims_need_roles(&x));
	ck_assert_str_eq(idp_claim_scope("groups"), "roles");
	ck_assert_str_eq(idp_claim_scope("email_verified"), "email");
	ck_assert_ptr_null(idp_claim_scope("acr"));
	ck_assert_ptr_null(idp_claim_scope("sub"));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("oidc_claims");
	TCase *tc = unit_tcase(s, "claims");

	tcase_add_test(tc, openid_gives_sub_only);
	tcase_add_test(tc, sub_without_openid);
	tcase_add_test(tc, profile_scope);
	tcase_add_test(tc, email_scope);
	tcase_add_test(tc, phone_scope);
	tcase_add_test(tc, organisation_scope);
	tcase_add_test(tc, top_level_organisation_has_no_parent);
	tcase_add_test(tc, all_scopes);
	tcase_add_test(tc, absent_values_omitted);
	tcase_add_test(tc, unknown_scopes_release_nothing);
	tcase_add_test(tc, release_without_request_is_the_scopes);
	tcase_add_test(tc, release_per_destination);
	tcase_add_test(tc, release_never_beyond_policy);
	tcase_add_test(tc, release_value_must_match);
	tcase_add_test(tc, release_roles_and_groups);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

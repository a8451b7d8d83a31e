/* oidc/subject: pairwise subject identifiers (OIDC Core §8.1) — stable,
 * bound to the sector, never a public sub — the subject_type and
 * sector_identifier_uri rules of registration, and the sector identifier
 * document (§8.1.1). */
#include <string.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "oidc/client.h"
#include "oidc/subject.h"
#include "unit.h"

static struct idp_arena *a;

static const unsigned char salt[IDP_PAIRWISE_SALT_LEN] = {
	0x5a, 0x0f, 0x91, 0x33, 0x7c, 0xe2, 0x48, 0x10, 0xab, 0x6d, 0x02,
	0xf4, 0x88, 0x19, 0xc7, 0x3e, 0x61, 0xd0, 0x2b, 0x95, 0x4e, 0x07,
	0xba, 0x73, 0x1c, 0xe8, 0x36, 0x9f, 0x50, 0xa4, 0x0d, 0xc1 };
static const unsigned char salt2[IDP_PAIRWISE_SALT_LEN] = { 1 };

#define PERSON "5f0c2a4e-8a4b-4d7e-9a51-0e3f6c1d2b9a"
#define OTHER "0b6e1c0a-3f77-4a8e-8b7d-2a44c1c0e901"

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

static char *
pw(const char *sector, const char *local, const unsigned char *s)
{
	return idp_pairwise_sub(a, sector, local, s, IDP_PAIRWISE_SALT_LEN);
}

START_TEST(pairwise_is_the_hash_of_section_8_1)
{
	unsigned char in[512], d[IDP_SHA256_LEN];
	size_t n = 0;
	const char *sector = "layanan.badungkab.go.id";

	/* SHA-256(sector_identifier || local_account_id || salt) */
	memcpy(in, sector, strlen(sector));
	n += strlen(sector);
	memcpy(in + n, PERSON, strlen(PERSON));
	n += strlen(PERSON);
	memcpy(in + n, salt, sizeof(salt));
	n += sizeof(salt);
	idp_sha256(in, n, d);
	ck_assert_str_eq(pw(sector, PERSON, salt),
	    idp_b64url_encode(a, d, sizeof(d)));
}
END_TEST

START_TEST(stable_and_bound_to_the_sector)
{
	char *s1 = pw("layanan.badungkab.go.id", PERSON, salt);

	ck_assert_uint_eq(strlen(s1), 43);
	/* the same inputs: the same sub, every time, on every instance */
	ck_assert_str_eq(s1, pw("layanan.badungkab.go.id", PERSON, salt));
	/* another sector, another person, another salt: another sub */
	ck_assert_str_ne(s1, pw("simpeg.baliprov.go.id", PERSON, salt));
	ck_assert_str_ne(s1, pw("layanan.badungkab.go.id", OTHER, salt));
	ck_assert_str_ne(s1, pw("layanan.badungkab.go.id", PERSON, salt2));
	/* never the public sub (a UUID is 36 characters with dashes) */
	ck_assert_str_ne(s1, PERSON);
	ck_assert_ptr_null(strchr(s1, '='));
}
END_TEST

/* Validate metadata; *out owned by the caller. */
static enum idp_err
meta(const char *js, unsigned flags, json_t **out, const char **why)
{
	json_t *in = json_loads(js, 0, NULL);
	enum idp_err rc;

	ck_assert_ptr_nonnull(in);
	*why = NULL;
	rc = idp_client_metadata_validate(a, in, flags, out, why);
	json_decref(in);
	return rc;
}

static const char *
subject_type(json_t *md)
{
	return json_string_value(json_object_get(md, "subject_type"));
}

START_TEST(subject_type_defaults)
{
	const char *why;
	json_t *md;

	/* manifests: public unless they say pairwise */
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"]}",
	    0, &md, &why), IDP_OK);
	ck_assert_str_eq(subject_type(md), "public");
	ck_assert_ptr_null(idp_subject_sector(a, md));
	json_decref(md);
	/* self-registered: pairwise when the sector is known */
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\","
	    "\"https://A.go.id:8443/other\"]}", IDP_META_DYNAMIC, &md, &why),
	    IDP_OK);
	ck_assert_str_eq(subject_type(md), "pairwise");
	ck_assert_str_eq(idp_subject_sector(a, md), "a.go.id");
	json_decref(md);
	/* ... but public without one (two hosts, a native scheme) */
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\","
	    "\"https://b.go.id/cb\"]}", IDP_META_DYNAMIC, &md, &why), IDP_OK);
	ck_assert_str_eq(subject_type(md), "public");
	json_decref(md);
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"id.go.baliprov.app:/cb\"],"
	    "\"token_endpoint_auth_method\":\"none\"}", IDP_META_DYNAMIC, &md,
	    &why), IDP_OK);
	ck_assert_str_eq(subject_type(md), "public");
	json_decref(md);
	/* explicit public is kept */
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"subject_type\":\"public\"}", IDP_META_DYNAMIC, &md, &why),
	    IDP_OK);
	ck_assert_str_eq(subject_type(md), "public");
	json_decref(md);
}
END_TEST

START_TEST(sector_identifier_uri_rules)
{
	const char *why;
	json_t *md;

	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\","
	    "\"https://b.go.id/cb\"],\"subject_type\":\"pairwise\","
	    "\"sector_identifier_uri\":\"https://Sektor.Baliprov.go.id/s.json\"}",
	    0, &md, &why), IDP_OK);
	ck_assert_str_eq(idp_subject_sector(a, md), "sektor.baliprov.go.id");
	json_decref(md);
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\","
	    "\"https://b.go.id/cb\"],\"subject_type\":\"pairwise\"}", 0, &md,
	    &why), IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_ptr_nonnull(strstr(why, "sector_identifier_uri"));
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"subject_type\":\"anonymous\"}", 0, &md, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"subject_type\":1}", 0, &md, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
	static const char *const bad[] = { "http://sektor.go.id/s.json",
		"https://10.0.0.1/s.json", "https://169.254.169.254/latest",
		"https://127.0.0.1/s.json", "ftp://sektor.go.id/s", "s.json" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *js = idp_arena_printf(a, "{\"redirect_uris\":"
		    "[\"https://a.go.id/cb\"],\"subject_type\":\"pairwise\","
		    "\"sector_identifier_uri\":\"%s\"}", bad[i]);

		ck_assert_msg(meta(js, 0, &md, &why) ==
		    IDP_ERR_INVALID_CLIENT_METADATA, "accepted %s", bad[i]);
		ck_assert_msg(!strncmp(why, "sector_identifier_uri", 21), "%s",
		    why);
	}
	/* the development setting lets it name loopback */
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"sector_identifier_uri\":\"http://127.0.0.1:9/s.json\"}",
	    IDP_META_OUTBOUND_LOOPBACK, &md, &why), IDP_OK);
	json_decref(md);
}
END_TEST

START_TEST(userinfo_alg)
{
	const char *why;
	json_t *md;

	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"userinfo_signed_response_alg\":\"ES256\"}", 0, &md, &why),
	    IDP_OK);
	ck_assert_str_eq(json_string_value(json_object_get(md,
	    "userinfo_signed_response_alg")), "ES256");
	json_decref(md);
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"]}",
	    0, &md, &why), IDP_OK);
	ck_assert_ptr_null(json_object_get(md, "userinfo_signed_response_alg"));
	json_decref(md);
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"userinfo_signed_response_alg\":\"none\"}", 0, &md, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"userinfo_signed_response_alg\":\"HS256\"}", 0, &md, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
}
END_TEST

START_TEST(roles_scope_is_first_party_only)
{
	const char *why;
	json_t *md;

	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"scope\":\"openid roles\"}", IDP_META_FIRST_PARTY, &md, &why),
	    IDP_OK);
	json_decref(md);
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"scope\":\"openid roles\"}", 0, &md, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_int_eq(meta("{\"redirect_uris\":[\"https://a.go.id/cb\"],"
	    "\"scope\":\"openid roles\"}", IDP_META_DYNAMIC, &md, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
}
END_TEST

static enum idp_err
doc(const char *body, const char *uris, const char **why)
{
	json_t *u = json_loads(uris, 0, NULL);
	enum idp_err rc;

	*why = NULL;
	rc = idp_sector_doc_check(a, body, body ? strlen(body) : 0, u, why);
	json_decref(u);
	return rc;
}

START_TEST(sector_document)
{
	const char *why;
	const char *two = "[\"https://a.go.id/cb\",\"https://b.go.id/cb\"]";

	ck_assert_int_eq(doc("[\"https://b.go.id/cb\",\"https://x.go.id/\","
	    "\"https://a.go.id/cb\"]", two, &why), IDP_OK);
	ck_assert_int_eq(doc("[\"https://a.go.id/cb\"]", two, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_ptr_nonnull(strstr(why, "https://b.go.id/cb"));
	/* exact strings: no case folding, no trailing slash */
	ck_assert_int_eq(doc("[\"https://A.go.id/cb\",\"https://b.go.id/cb\"]",
	    two, &why), IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_int_eq(doc("[\"https://a.go.id/cb/\",\"https://b.go.id/cb\"]",
	    two, &why), IDP_ERR_INVALID_CLIENT_METADATA);
	static const char *const bad[] = { "", "{}", "\"https://a.go.id/cb\"",
		"[]", "[1]", "[\"https://a.go.id/cb\",null]", "[\"x\"",
		"{\"redirect_uris\":[\"https://a.go.id/cb\"]}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(doc(bad[i], two, &why) ==
		    IDP_ERR_INVALID_CLIENT_METADATA, "accepted %s", bad[i]);
	ck_assert_int_eq(doc(NULL, two, &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
}
END_TEST

START_TEST(sector_document_limits)
{
	size_t n = IDP_SECTOR_DOC_MAX + 10, k;
	char *big = idp_arena_alloc(a, n + 1);
	const char *why;

	memset(big, ' ', n);
	big[0] = '[';
	memcpy(big + 1, "\"https://a.go.id/cb\"", 20);
	big[n - 1] = ']';
	big[n] = '\0';
	ck_assert_int_eq(doc(big, "[\"https://a.go.id/cb\"]", &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
	ck_assert_ptr_nonnull(strstr(why, "64 KiB"));
	/* 257 URIs */
	k = (size_t)snprintf(big, n, "[");
	for (int i = 0; i < 257; i++)
		k += (size_t)snprintf(big + k, n - k, "%s\"https://a.go.id/%d\"",
		    i ? "," : "", i);
	snprintf(big + k, n - k, "]");
	ck_assert_int_eq(doc(big, "[\"https://a.go.id/1\"]", &why),
	    IDP_ERR_INVALID_CLIENT_METADATA);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("oidc_subject");
	TCase *tc = unit_tcase(s, "subject");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pairwise_is_the_hash_of_section_8_1);
	tcase_add_test(tc, stable_and_bound_to_the_sector);
	tcase_add_test(tc, subject_type_defaults);
	tcase_add_test(tc, sector_identifier_uri_rules);
	tcase_add_test(tc, userinfo_alg);
	tcase_add_test(tc, roles_scope_is_first_party_only);
	tcase_add_test(tc, sector_document);
	tcase_add_test(tc, sector_document_limits);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

/* util/err: the error table. Every row is checked against what the RFCs
 * say about its "error" value and HTTP status, and 5xx rows must hide the
 * caller's detail behind a generic sentence. */
#include <stdbool.h>
#include <string.h>

#include "unit.h"
#include "util/err.h"

/* Every "error" value a row may carry, with the status it must have.
 * Where an RFC gives no status (authorization-endpoint errors travel in a
 * redirect), the provider's error page answers 400, and server_error and
 * temporarily_unavailable are 500 and 503: RFC 6749 §4.1.2.1 defines them
 * because a redirect cannot carry those statuses. */
static const struct {
	const char *name;
	int status;
	bool oauth;
	const char *source;
} known[] = {
	{ "invalid_request", 400, true, "RFC 6749 §5.2, RFC 6750 §3.1" },
	{ "invalid_client", 401, true, "RFC 6749 §5.2" },
	{ "invalid_grant", 400, true, "RFC 6749 §5.2" },
	{ "unauthorized_client", 400, true, "RFC 6749 §5.2" },
	{ "unsupported_grant_type", 400, true, "RFC 6749 §5.2" },
	{ "invalid_scope", 400, true, "RFC 6749 §5.2" },
	{ "access_denied", 400, true, "RFC 6749 §4.1.2.1" },
	{ "unsupported_response_type", 400, true, "RFC 6749 §4.1.2.1" },
	{ "server_error", 500, true, "RFC 6749 §4.1.2.1" },
	{ "temporarily_unavailable", 503, true, "RFC 6749 §4.1.2.1" },
	{ "invalid_token", 401, true, "RFC 6750 §3.1" },
	{ "insufficient_scope", 403, true, "RFC 6750 §3.1" },
	{ "unsupported_token_type", 400, true, "RFC 7009 §2.2.1" },
	{ "invalid_redirect_uri", 400, true, "RFC 7591 §3.2.2" },
	{ "invalid_client_metadata", 400, true, "RFC 7591 §3.2.2" },
	{ "login_required", 400, true, "OIDC Core §3.1.2.6" },
	{ "consent_required", 400, true, "OIDC Core §3.1.2.6" },
	{ "interaction_required", 400, true, "OIDC Core §3.1.2.6" },
	{ "account_selection_required", 400, true, "OIDC Core §3.1.2.6" },
	{ "request_not_supported", 400, true, "OIDC Core §3.1.2.6" },
	{ "request_uri_not_supported", 400, true, "OIDC Core §3.1.2.6" },
	{ "invalid_target", 400, true, "RFC 8707 §2" },
	{ "authorization_pending", 400, true, "RFC 8628 §3.5" },
	{ "slow_down", 400, true, "RFC 8628 §3.5" },
	{ "expired_token", 400, true, "RFC 8628 §3.5" },
	{ "invalid_request_object", 400, true, "RFC 9101 §6.2" },
	{ "invalid_request_uri", 400, true, "RFC 9101 §6.2" },
	/* At the token and PAR endpoints; a resource server sends them with
	 * 401 and a DPoP challenge (http/response.c). */
	{ "invalid_dpop_proof", 400, true, "RFC 9449 §5" },
	{ "use_dpop_nonce", 400, true, "RFC 9449 §8" },
	{ "unmet_authentication_requirements", 400, true,
	    "OIDC Unmet Authentication Requirements 1.0 §1" },
	/* The provider's own, for answers outside OAuth (RFC 9110 §15). */
	{ "ok", 200, false, "RFC 9110 §15.3.1" },
	{ "not_found", 404, false, "RFC 9110 §15.5.5" },
	{ "method_not_allowed", 405, false, "RFC 9110 §15.5.6" },
	{ "request_too_large", 413, false, "RFC 9110 §15.5.14" },
	{ "conflict", 409, false, "RFC 9110 §15.5.10" },
	{ "forbidden", 403, false, "RFC 9110 §15.5.4" },
};

static int
known_index(const char *name)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i].name, name))
			return (int)i;
	return -1;
}

START_TEST(every_value_has_exactly_one_row)
{
	size_t n;
	const struct idp_err_info *rows = idp_err_rows(&n);

	ck_assert_uint_ge(n, 30);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++)
			ck_assert_msg(rows[i].err != rows[j].err,
			    "value %d has two rows (%s, %s)", (int)rows[i].err,
			    rows[i].name, rows[j].name);
		/* Lookup by value finds that very row. */
		ck_assert_ptr_eq(idp_err_info(rows[i].err), &rows[i]);
		ck_assert_str_eq(idp_err_str(rows[i].err), rows[i].name);
		ck_assert_int_eq(idp_err_status(rows[i].err), rows[i].status);
	}
}
END_TEST

/* Numbers appear in logs and are never renumbered: pin a few. */
START_TEST(values_keep_their_numbers)
{
	ck_assert_int_eq(IDP_OK, 0);
	ck_assert_int_eq(IDP_ERR_INTERNAL, 1);
	ck_assert_int_eq(IDP_ERR_UNAVAILABLE, 3);
	ck_assert_int_eq(IDP_ERR_BAD_REQUEST, 7);
	ck_assert_int_eq(IDP_ERR_INVALID_REQUEST, 20);
	ck_assert_int_eq(IDP_ERR_INVALID_TOKEN, 32);
	ck_assert_int_eq(IDP_ERR_TEMPORARILY_UNAVAILABLE, 39);
	ck_assert_int_eq(IDP_ERR_FORBIDDEN, 41);
	ck_assert_int_eq(IDP_ERR_AUTHORIZATION_PENDING, 55);
	ck_assert_int_eq(IDP_ERR_SLOW_DOWN, 56);
	ck_assert_int_eq(IDP_ERR_EXPIRED_TOKEN, 57);
	ck_assert_int_eq(IDP_ERR_INVALID_REQUEST_OBJECT, 50);
	ck_assert_int_eq(IDP_ERR_USE_DPOP_NONCE, 53);
}
END_TEST

START_TEST(names_and_statuses_are_the_rfcs)
{
	size_t n;
	const struct idp_err_info *rows = idp_err_rows(&n);

	for (size_t i = 0; i < n; i++) {
		int k = known_index(rows[i].name);

		ck_assert_msg(k >= 0, "value %d: \"%s\" is not an OAuth error "
		    "name nor one of the provider's own", (int)rows[i].err,
		    rows[i].name);
		ck_assert_msg(rows[i].status == known[k].status,
		    "%s is %d, %s says %d", rows[i].name, rows[i].status,
		    known[k].source, known[k].status);
		/* RFC 6749 Appendix A.7: the error is ASCII; ours are
		 * lowercase words joined by '_'. */
		ck_assert_uint_eq(strspn(rows[i].name,
		    "abcdefghijklmnopqrstuvwxyz_"), strlen(rows[i].name));
		if (rows[i].err != IDP_OK)
			ck_assert_msg(rows[i].status >= 400 &&
			    rows[i].status < 600, "%s: status %d is not an "
			    "error", rows[i].name, rows[i].status);
	}
	/* The protocol errors of the 20s and 30s are all OAuth's. */
	for (size_t i = 0; i < n; i++)
		if (rows[i].err >= IDP_ERR_INVALID_REQUEST &&
		    rows[i].err <= IDP_ERR_TEMPORARILY_UNAVAILABLE)
			ck_assert_msg(known[known_index(rows[i].name)].oauth,
			    "%s", rows[i].name);
}
END_TEST

START_TEST(server_errors_hide_the_detail)
{
	static const char detail[] = "duplicate key value violates unique "
	    "constraint \"users_username_key\" (SQLSTATE 23505)";
	size_t n;
	const struct idp_err_info *rows = idp_err_rows(&n);
	int seen = 0;

	for (size_t i = 0; i < n; i++) {
		const char *d = idp_err_public_desc(rows[i].err, detail);

		if (rows[i].status < 500) {
			/* 4xx: the caller's fixed sentence is the description,
			 * and none when the caller has none. */
			ck_assert_ptr_null(rows[i].desc);
			ck_assert_ptr_eq(d, detail);
			ck_assert_ptr_null(idp_err_public_desc(rows[i].err,
			    NULL));
			continue;
		}
		seen++;
		ck_assert_ptr_nonnull(rows[i].desc);
		ck_assert_ptr_eq(d, rows[i].desc);
		ck_assert_ptr_eq(idp_err_public_desc(rows[i].err, NULL),
		    rows[i].desc);
		ck_assert_msg(!strcmp(d, IDP_DESC_SERVER_ERROR) ||
		    !strcmp(d, IDP_DESC_UNAVAILABLE), "%s: \"%s\" is not one "
		    "of the generic sentences", rows[i].name, d);
	}
	ck_assert_int_eq(seen, 4);	/* INTERNAL, NOMEM, UNAVAILABLE x2 */
}
END_TEST

/* A value outside the table is a bug: it answers as one. */
START_TEST(unknown_values_are_server_errors)
{
	const int bad[] = { 8, 19, 43, 999, -1 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum idp_err e = (enum idp_err)bad[i];

		ck_assert_str_eq(idp_err_str(e), "server_error");
		ck_assert_int_eq(idp_err_status(e), 500);
		ck_assert_str_eq(idp_err_public_desc(e, "detail"),
		    IDP_DESC_SERVER_ERROR);
	}
}
END_TEST

START_TEST(fail_why_fills_the_slot)
{
	const char *why = NULL;

	ck_assert_int_eq(idp_fail_why(&why, IDP_ERR_INVALID_SCOPE,
	    "scope is required."), IDP_ERR_INVALID_SCOPE);
	ck_assert_str_eq(why, "scope is required.");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("util_err");
	TCase *tc = unit_tcase(s, "table");

	tcase_add_test(tc, every_value_has_exactly_one_row);
	tcase_add_test(tc, values_keep_their_numbers);
	tcase_add_test(tc, names_and_statuses_are_the_rfcs);
	tcase_add_test(tc, server_errors_hide_the_detail);
	tcase_add_test(tc, unknown_values_are_server_errors);
	tcase_add_test(tc, fail_why_fills_the_slot);
	return unit_run(s);
}

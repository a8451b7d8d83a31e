/* core/roles: which role may do what, and where each role may be held
 * (the pure part; idp_roles_of reads memberships through store/). */
#include <stdint.h>

#include "core/console_gate.h"
#include "core/roles.h"
#include "unit.h"

#define OPS "baliprov.diskominfos"

static struct idp_roles
roles(struct idp_role_grant *v, size_t n)
{
	struct idp_roles r = { .user_id = 7, .v = v, .n = n };

	return r;
}

START_TEST(names_and_places)
{
	const char *why = NULL;

	ck_assert_int_eq(idp_role_parse("developer"), IDP_ROLE_DEVELOPER);
	ck_assert_int_eq(idp_role_parse("auditor"), IDP_ROLE_AUDITOR);
	ck_assert_int_eq(idp_role_parse("Admin"), IDP_ROLE_NONE);
	ck_assert_int_eq(idp_role_parse("none"), IDP_ROLE_NONE);
	ck_assert_int_eq(idp_role_parse(NULL), IDP_ROLE_NONE);
	ck_assert_str_eq(idp_role_name(IDP_ROLE_HELPDESK), "helpdesk");
	ck_assert(idp_role_is_operator(IDP_ROLE_ADMIN));
	ck_assert(!idp_role_is_operator(IDP_ROLE_DEVELOPER));
	ck_assert_int_eq(idp_role_valid_in(IDP_ROLE_DEVELOPER, "badung",
	    OPS, &why), 0);
	ck_assert_int_eq(idp_role_valid_in(IDP_ROLE_ADMIN, OPS, OPS, &why), 0);
	ck_assert_int_eq(idp_role_valid_in(IDP_ROLE_ADMIN, "baliprov.bpbd",
	    OPS, &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_int_eq(idp_role_valid_in(IDP_ROLE_NONE, OPS, OPS, &why), -1);
}
END_TEST

START_TEST(developer)
{
	struct idp_role_grant g[] = { { IDP_ROLE_DEVELOPER, "baliprov.bpbd" } };
	struct idp_roles r = roles(g, 1);

	ck_assert(idp_role_check(&r, IDP_ACT_CLIENT_MANAGE, "baliprov.bpbd"));
	ck_assert(idp_role_check(&r, IDP_ACT_SCOPE_DECIDE, "baliprov.bpbd"));
	ck_assert(!idp_role_check(&r, IDP_ACT_CLIENT_MANAGE, "badung"));
	ck_assert(!idp_role_check(&r, IDP_ACT_SCOPE_DECIDE, NULL));
	ck_assert(!idp_role_check(&r, IDP_ACT_CLIENT_APPROVE, NULL));
	ck_assert(!idp_role_check(&r, IDP_ACT_CONSOLE, NULL));
	ck_assert(!idp_role_check(&r, IDP_ACT_PEOPLE, NULL));
}
END_TEST

START_TEST(operators)
{
	struct idp_role_grant admin[] = { { IDP_ROLE_ADMIN, OPS } };
	struct idp_role_grant help[] = { { IDP_ROLE_HELPDESK, OPS } };
	struct idp_role_grant aud[] = { { IDP_ROLE_AUDITOR, OPS } };
	struct idp_roles a = roles(admin, 1), h = roles(help, 1),
	    u = roles(aud, 1), none = roles(NULL, 0);

	for (int act = IDP_ACT_CLIENT_MANAGE; act <= IDP_ACT_SETTINGS; act++)
		ck_assert(idp_role_check(&a, (enum idp_action)act, "badung"));
	ck_assert(idp_role_check(&h, IDP_ACT_PEOPLE, NULL));
	ck_assert(idp_role_check(&h, IDP_ACT_CONSOLE, NULL));
	ck_assert(!idp_role_check(&h, IDP_ACT_CLIENT_APPROVE, NULL));
	ck_assert(!idp_role_check(&h, IDP_ACT_SETTINGS, NULL));
	ck_assert(!idp_role_check(&h, IDP_ACT_AUDIT_READ, NULL));
	ck_assert(idp_role_check(&u, IDP_ACT_AUDIT_READ, NULL));
	ck_assert(idp_role_check(&u, IDP_ACT_CONSOLE, NULL));
	ck_assert(!idp_role_check(&u, IDP_ACT_PEOPLE, NULL));
	ck_assert(!idp_role_check(&u, IDP_ACT_CLIENT_MANAGE, "badung"));
	for (int act = IDP_ACT_CLIENT_MANAGE; act <= IDP_ACT_SETTINGS; act++) {
		ck_assert(!idp_role_check(&none, (enum idp_action)act, "x"));
		ck_assert(!idp_role_check(NULL, (enum idp_action)act, "x"));
	}
}
END_TEST

/* The console's second-factor rule (core/console_gate.h). */
START_TEST(console_second_factor)
{
	struct idp_config cfg = { .console_require_second_factor = true };
	struct idp_session s = { .amr = (char *)(uintptr_t)"pwd" };

	ck_assert(!idp_amr_has_second_factor("pwd"));
	ck_assert(!idp_amr_has_second_factor(""));
	ck_assert(!idp_amr_has_second_factor(NULL));
	ck_assert(!idp_amr_has_second_factor("otpx pwdotp"));
	ck_assert(idp_amr_has_second_factor("pwd otp"));
	ck_assert(idp_amr_has_second_factor("hwk"));
	ck_assert(idp_amr_has_second_factor("pwd  mfa"));
	ck_assert(!idp_console_second_factor_ok(&cfg, &s));
	ck_assert(!idp_console_second_factor_ok(&cfg, NULL));
	/* The second-factor module decides (core/mfa.h): a session that
	 * used one has mfa_at, whatever its amr says. */
	s.amr = (char *)(uintptr_t)"pwd swk";
	ck_assert(!idp_console_second_factor_ok(&cfg, &s));
	s.mfa_at = 1764547200;
	ck_assert(idp_console_second_factor_ok(&cfg, &s));
	s.mfa_at = 0;
	s.amr = (char *)(uintptr_t)"pwd";
	cfg.console_require_second_factor = false;
	ck_assert(idp_console_second_factor_ok(&cfg, &s));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("core_roles");
	TCase *tc = unit_tcase(s, "roles");

	tcase_add_test(tc, names_and_places);
	tcase_add_test(tc, developer);
	tcase_add_test(tc, operators);
	tcase_add_test(tc, console_second_factor);
	return unit_run(s);
}

/* oidc/refresh: when a refresh token presented again is the retry of a
 * rotation whose answer was lost, one more retry of it, or reuse (RFC 9700
 * §4.14.2): every condition on its own, and the edges of the grace. */
#include <stdbool.h>
#include <stddef.h>

#include "oidc/refresh.h"
#include "unit.h"

/* A retry as a client whose answer was lost in a failover sends it: the
 * same client, the same key, a second after the rotation, the successor
 * never seen, no retry before. */
static struct idp_refresh_replay
lost_answer(void)
{
	return (struct idp_refresh_replay){ .same_client = true,
		.key_matches = true, .rotated_ms_ago = 1000,
		.has_successor = true, .successor_unused = true };
}

START_TEST(lost_answer_is_a_retry)
{
	struct idp_refresh_replay r = lost_answer();
	const char *why = NULL;

	ck_assert_int_eq(idp_refresh_replay(&r, 60, &why), IDP_REPLAY_RETRY);
	ck_assert_ptr_null(why);
	r.rotated_ms_ago = 0;
	ck_assert_int_eq(idp_refresh_replay(&r, 60, &why), IDP_REPLAY_RETRY);
	/* Stamped by a primary whose clock was ahead: just now. */
	r.rotated_ms_ago = -2000;
	ck_assert_int_eq(idp_refresh_replay(&r, 1, &why), IDP_REPLAY_RETRY);
}
END_TEST

START_TEST(without_grace_every_replay_is_reuse)
{
	struct idp_refresh_replay r = lost_answer();
	const char *why = NULL;

	ck_assert_int_eq(idp_refresh_replay(&r, 0, &why), IDP_REPLAY_REUSE);
	ck_assert_str_eq(why, "no grace for retries");
	ck_assert_int_eq(idp_refresh_replay(&r, -5, &why), IDP_REPLAY_REUSE);
	r.retried = true;
	ck_assert_int_eq(idp_refresh_replay(&r, 0, &why), IDP_REPLAY_REUSE);
}
END_TEST

START_TEST(grace_edges)
{
	struct idp_refresh_replay r = lost_answer();
	const char *why = NULL;

	r.rotated_ms_ago = 59999;
	ck_assert_int_eq(idp_refresh_replay(&r, 60, &why), IDP_REPLAY_RETRY);
	r.rotated_ms_ago = 60000;
	ck_assert_int_eq(idp_refresh_replay(&r, 60, &why), IDP_REPLAY_REUSE);
	ck_assert_str_eq(why, "rotated longer ago than the grace");
	r.rotated_ms_ago = 3600 * 1000;
	ck_assert_int_eq(idp_refresh_replay(&r, 300, &why), IDP_REPLAY_REUSE);
}
END_TEST

/* Each condition alone turns the retry into reuse, and says which. */
START_TEST(each_condition_alone)
{
	static const struct {
		size_t off;
		const char *why;
	} cases[] = {
		{ offsetof(struct idp_refresh_replay, same_client),
		  "presented by another client" },
		{ offsetof(struct idp_refresh_replay, key_matches),
		  "bound to another DPoP key" },
		{ offsetof(struct idp_refresh_replay, has_successor),
		  "no successor (it was displaced by a retry, or its rotation "
		  "issued no refresh token)" },
		{ offsetof(struct idp_refresh_replay, successor_unused),
		  "its successor was used" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct idp_refresh_replay r = lost_answer();
		const char *why = NULL;

		*(bool *)((char *)&r + cases[i].off) = false;
		ck_assert_msg(idp_refresh_replay(&r, 60, &why) ==
		    IDP_REPLAY_REUSE, "%s", cases[i].why);
		ck_assert_str_eq(why, cases[i].why);
		/* Retried before or not: still reuse. */
		r.retried = true;
		ck_assert_int_eq(idp_refresh_replay(&r, 60, &why),
		    IDP_REPLAY_REUSE);
	}
}
END_TEST

/* One retry per rotation: a second one, within the grace and with the
 * retry's successor unused, is refused without revoking anything. */
START_TEST(second_retry_is_refused)
{
	struct idp_refresh_replay r = lost_answer();
	const char *why = NULL;

	r.retried = true;
	ck_assert_int_eq(idp_refresh_replay(&r, 60, &why),
	    IDP_REPLAY_REFUSE);
	ck_assert_str_eq(why, "its rotation was retried already");
	/* ... and once the grace is over, reuse as any replay. */
	r.rotated_ms_ago = 61000;
	ck_assert_int_eq(idp_refresh_replay(&r, 60, &why), IDP_REPLAY_REUSE);
}
END_TEST

/* A successor that was used is reuse however soon it comes. */
START_TEST(used_successor_within_grace)
{
	struct idp_refresh_replay r = lost_answer();
	const char *why = NULL;

	r.successor_unused = false;
	r.rotated_ms_ago = 1;
	ck_assert_int_eq(idp_refresh_replay(&r, 300, &why), IDP_REPLAY_REUSE);
	ck_assert_str_eq(why, "its successor was used");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("oidc_refresh");
	TCase *tc = unit_tcase(s, "retry");

	tcase_add_test(tc, lost_answer_is_a_retry);
	tcase_add_test(tc, without_grace_every_replay_is_reuse);
	tcase_add_test(tc, grace_edges);
	tcase_add_test(tc, each_condition_alone);
	tcase_add_test(tc, second_retry_is_refused);
	tcase_add_test(tc, used_successor_within_grace);
	return unit_run(s);
}

#include <string.h>

#include "core/console_gate.h"

bool
idp_amr_has_second_factor(const char *amr)
{
	static const char *const factors[] = { "otp", "hwk", "swk", "sc",
		"fpt", "face", "mfa", NULL };
	const char *p = amr;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, " ");

		for (const char *const *f = factors; *f != NULL; f++)
			if (strlen(*f) == n && strncmp(p, *f, n) == 0)
				return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

bool
idp_console_second_factor_ok(const struct idp_config *cfg,
    const struct idp_session *s)
{
	/* MFA wiring point: when the second-factor module lands, return
	 * its verdict on s here (e.g. idp_mfa_session_used_second_factor(s))
	 * instead of reading the amr. */
	if (s != NULL && idp_amr_has_second_factor(s->amr))
		return true;
	return !cfg->console_require_second_factor;
}

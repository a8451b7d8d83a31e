#include <string.h>

#include "core/console_gate.h"
#include "core/mfa.h"

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
	/* The second-factor module's verdict on the session (core/mfa.h):
	 * the one place that knows what counts. */
	if (idp_session_second_factor(s, NULL))
		return true;
	return !cfg->console_require_second_factor;
}

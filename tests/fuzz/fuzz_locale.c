/* The page language (oidc/authz.c idp_pick_locale): ui_locales first,
 * then the Accept-Language header, then the configured default. The
 * answer is always one of ours. Input: ui_locales on the first line,
 * Accept-Language on the second (a missing line is an absent value). */
#include <string.h>

#include "oidc/authz.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *line[2];
	const char *l;

	fuzz_lines(s, line, 2);
	l = idp_pick_locale(line[0], line[1], "id");
	FUZZ_ASSERT(!strcmp(l, "id") || !strcmp(l, "en"));
	l = idp_pick_locale(line[0], line[1], "en");
	FUZZ_ASSERT(!strcmp(l, "id") || !strcmp(l, "en"));
	/* ui_locales wins whenever it names one of ours. */
	if (line[0] != NULL && idp_pick_locale(line[0], NULL, "x")[0] != 'x')
		FUZZ_ASSERT(!strcmp(l, idp_pick_locale(line[0], NULL, "x")));
	free(s);
	return 0;
}

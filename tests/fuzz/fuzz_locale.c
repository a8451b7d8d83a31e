/* The page language (page/lang.c idp_lang_choose): the lang parameter,
 * then ui_locales, the idp_lang cookie, Accept-Language, the default. The
 * answer is always one of ours, and an explicit choice wins. Also the
 * Accept header test that picks an HTML or a JSON error. Input, one value
 * per line: lang, ui_locales, cookie, Accept-Language, Accept (a missing
 * line is an absent value). */
#include <string.h>

#include "page/lang.h"

#include "fuzz.h"

static int
ours(const char *l)
{
	return l != NULL && (!strcmp(l, "id") || !strcmp(l, "en"));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *line[5];
	struct idp_lang_in in = { 0 };
	enum idp_lang_source src;
	const char *l;

	fuzz_lines(s, line, 5);
	in.param = line[0];
	in.ui_locales = line[1];
	in.cookie = line[2];
	in.accept = line[3];
	for (int i = 0; i < 2; i++) {
		in.fallback = i ? "en" : "id";
		l = idp_lang_choose(&in, &src);
		FUZZ_ASSERT(ours(l));
		if (idp_lang_exact(in.param) != NULL)
			FUZZ_ASSERT(!strcmp(l, idp_lang_exact(in.param)));
		else if (in.ui_locales != NULL &&
		    ours(idp_lang_from_list(in.ui_locales)))
			FUZZ_ASSERT(!strcmp(l, idp_lang_from_list(in.ui_locales)));
	}
	(void)idp_accept_wants_html(line[4]);
	free(s);
	return 0;
}

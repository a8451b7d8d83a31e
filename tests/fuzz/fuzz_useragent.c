/* The User-Agent of a session, as /account/sessions names it
 * (util/useragent.c): any bytes give a known browser and system or
 * "unknown", and the names are short printable text. Input: the header. */
#include <string.h>

#include "util/useragent.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *ua = fuzz_cstr(data, size);
	struct idp_ua u;
	const char *b, *o;

	idp_ua_parse(ua, &u);
	b = idp_ua_browser_name(u.browser);
	o = idp_ua_os_name(u.os);
	FUZZ_ASSERT((b == NULL) == (u.browser == IDP_UA_BROWSER_UNKNOWN));
	FUZZ_ASSERT((o == NULL) == (u.os == IDP_UA_OS_UNKNOWN));
	FUZZ_ASSERT(b == NULL || (strlen(b) > 0 && strlen(b) < 32));
	FUZZ_ASSERT(o == NULL || (strlen(o) > 0 && strlen(o) < 32));
	free(ua);
	return 0;
}

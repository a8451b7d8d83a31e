/* Keycloak realm exports into the import CSV (ctl/keycloak.c
 * kc_convert_realm, idpctl user convert-keycloak). Either a CSV with the
 * header and one line per converted user, or an error and nothing
 * written. Input: the export. */
#include <string.h>

#include "ctl/keycloak.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = NULL, why[512];
	size_t len = 0, lines = 0;
	struct kc_result res;
	FILE *out = open_memstream(&buf, &len);
	int rc;

	if (out == NULL)
		abort();
	rc = kc_convert_realm((const char *)data, size, "org", out, &res, why,
	    sizeof(why));
	fclose(out);
	if (rc == 0) {
		FUZZ_ASSERT(!strncmp(buf, "username,password_hash,name,", 28));
		for (size_t i = 0; i < len; i++)
			lines += buf[i] == '\n';
		/* Quoted fields may hold newlines: at least one per row. */
		FUZZ_ASSERT(lines >= (size_t)res.users + 1);
		FUZZ_ASSERT(res.no_password <= res.users);
	} else {
		FUZZ_ASSERT(len == 0 && why[0] != '\0');
	}
	free(buf);
	return 0;
}

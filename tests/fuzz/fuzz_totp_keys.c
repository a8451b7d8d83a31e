/* A line of the TOTP key file idpctl keys export writes and keys import
 * reads (core/totpkey.c, idp_totp_line_parse): an operator's file, moved
 * between machines. A key line parses only with two positive ids, 1 to 64
 * key bytes and a 64-digit lowercase digest, and writing it out again
 * gives a line that parses to the same. Input: one line. */
#include <stdio.h>
#include <string.h>

#include "core/totpkey.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct idp_totp_line t, u;
	char again[512];
	int n;

	if (idp_totp_line_parse(s, &t) == 1) {
		FUZZ_ASSERT(t.id > 0 && t.user_id > 0);
		FUZZ_ASSERT(t.key_len >= 1 && t.key_len <= sizeof(t.key));
		FUZZ_ASSERT(strlen(t.digest) == 64);
		FUZZ_ASSERT(strspn(t.digest, "0123456789abcdef") == 64);
		n = snprintf(again, sizeof(again), "%lld %lld ", t.id,
		    t.user_id);
		for (size_t i = 0; i < t.key_len; i++)
			n += snprintf(again + n, sizeof(again) - (size_t)n,
			    "%02x", t.key[i]);
		snprintf(again + n, sizeof(again) - (size_t)n, " %s\n",
		    t.digest);
		FUZZ_ASSERT(idp_totp_line_parse(again, &u) == 1);
		FUZZ_ASSERT(u.id == t.id && u.user_id == t.user_id);
		FUZZ_ASSERT(u.key_len == t.key_len);
		FUZZ_ASSERT(memcmp(u.key, t.key, t.key_len) == 0);
		FUZZ_ASSERT(strcmp(u.digest, t.digest) == 0);
	}
	free(s);
	return 0;
}

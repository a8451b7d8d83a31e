/* The device cookie of the sign-in defence (crypto/devcookie.c
 * idp_device_cookie_parse), read from whatever the browser sends. Only
 * genuine, unexpired tokens come back, at most IDP_DEVICE_MAX, each one
 * written in the input exactly as its signature says; and a cookie made
 * from them reads back the same. Input: the cookie value. */
#include <string.h>

#include "crypto/devcookie.h"
#include "util/arena.h"

#include "fuzz.h"

static const unsigned char key[IDP_DEVICE_KEY_LEN] = "fuzz device key, 32 bytes long!";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), tok[IDP_DEVICE_TOKEN_CHARS + 1];
	struct idp_device_token t[IDP_DEVICE_MAX], back[IDP_DEVICE_MAX];
	struct idp_arena *a;
	int n = idp_device_cookie_parse(key, s, 1700000000, t), m;
	char *v;

	FUZZ_ASSERT(n >= 0 && n <= IDP_DEVICE_MAX);
	for (int i = 0; i < n; i++) {
		FUZZ_ASSERT(t[i].user_id > 0 && t[i].expires > 1700000000);
		idp_device_token_make(key, &t[i], tok);
		FUZZ_ASSERT(strstr(s, tok) != NULL);
	}
	if (n > 0) {
		a = idp_arena_new(1024);
		v = idp_device_cookie_value(a, key, &t[0], t + 1, n - 1);
		m = idp_device_cookie_parse(key, v, 1700000000, back);
		FUZZ_ASSERT(m >= 1 && m <= n);
		FUZZ_ASSERT(back[0].user_id == t[0].user_id &&
		    back[0].expires == t[0].expires);
		idp_arena_free(a);
	}
	free(s);
	return 0;
}

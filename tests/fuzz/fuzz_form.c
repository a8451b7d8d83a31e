/* x-www-form-urlencoded bodies (http/request.c idp_parse_form) and the
 * decoding helpers under it (util/str.c): whatever the bytes, every stored
 * parameter is valid UTF-8 without NUL, its length is right, names are
 * unique, and the limit holds. */
#include <string.h>

#include "http/req.h"
#include "util/arena.h"
#include "util/str.h"

#include "fuzz.h"

#define MAXP 16

static void
check_params(const struct idp_kv *kv, size_t n)
{
	FUZZ_ASSERT(n <= MAXP);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(*kv[i].key != '\0');
		FUZZ_ASSERT(idp_utf8_valid(kv[i].key, strlen(kv[i].key)));
		FUZZ_ASSERT(strlen(kv[i].val) == kv[i].len);
		FUZZ_ASSERT(idp_utf8_valid(kv[i].val, kv[i].len));
		for (size_t j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(kv[i].key, kv[j].key) != 0);
	}
}

/* The decoder alone, on the whole input: never longer than its text, and
 * a result it returns holds no NUL. */
static void
check_decode(struct idp_arena *a, const uint8_t *data, size_t size)
{
	size_t len = 0;
	char *d = idp_form_decode(a, (const char *)data, size, &len);

	if (d == NULL)
		return;
	FUZZ_ASSERT(len <= size);
	FUZZ_ASSERT(strlen(d) == len);
	FUZZ_ASSERT(memchr(d, '\0', len) == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(1024);
	struct idp_kv kv[MAXP];
	const char *dup = NULL, *bad = NULL;
	size_t n = 0;
	int rc;

	rc = idp_parse_form(a, (const char *)data, size, kv, MAXP, &n, &dup,
	    &bad);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	check_params(kv, n);
	if (dup != NULL)
		FUZZ_ASSERT(idp_utf8_valid(dup, strlen(dup)));
	if (bad != NULL)
		FUZZ_ASSERT(idp_utf8_valid(bad, strlen(bad)));
	check_decode(a, data, size);
	idp_utf8_valid((const char *)data, size);
	idp_arena_free(a);
	return 0;
}

/* Request targets (http/request.c idp_parse_target) and the first bytes of
 * a head (http/head.c idp_head_plausible): whatever the bytes, an accepted
 * path starts with '/', has the length it says, holds no NUL, control
 * byte or invalid UTF-8; every query parameter is valid UTF-8; and a head
 * judged plausible stays plausible when cut shorter (bytes still to come
 * can only make it worse, never better). */
#include <string.h>

#include "http/head.h"
#include "http/req.h"
#include "util/arena.h"
#include "util/str.h"

#include "fuzz.h"

static void
check_target(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(1024);
	struct idp_req *rq = idp_arena_zalloc(a, sizeof(*rq));

	rq->arena = a;
	if (idp_parse_target(rq, (const char *)data, size) == IDP_OK) {
		FUZZ_ASSERT(rq->path != NULL && rq->path[0] == '/');
		FUZZ_ASSERT(strlen(rq->path) == rq->path_len);
		FUZZ_ASSERT(idp_utf8_valid(rq->path, rq->path_len));
		for (size_t i = 0; i < rq->path_len; i++)
			FUZZ_ASSERT((unsigned char)rq->path[i] >= 0x20 &&
			    rq->path[i] != 0x7f);
		FUZZ_ASSERT(rq->path_len <= size);
		for (size_t i = 0; i < rq->nquery; i++) {
			FUZZ_ASSERT(strlen(rq->query[i].val) == rq->query[i].len);
			FUZZ_ASSERT(idp_utf8_valid(rq->query[i].val,
			    rq->query[i].len));
		}
	}
	idp_arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_target(data, size);
	if (idp_head_plausible((const char *)data, size))
		for (size_t cut = 0; cut < size; cut += 1 + cut / 4)
			FUZZ_ASSERT(idp_head_plausible((const char *)data, cut));
	return 0;
}

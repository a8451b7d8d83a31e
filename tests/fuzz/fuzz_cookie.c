/* What reads cookie values. libmicrohttpd splits the Cookie header (RFC
 * 6265 §5.4) into name/value pairs; the provider then looks names up and
 * takes a value only when it is one of its tokens (http/request.c
 * idp_req_cookie_token), for the session and browser cookies. The input
 * is the pairs as the server hands them over: one "name=value" per line,
 * in header order. */
#include <string.h>

#include "crypto/random.h"
#include "http/req.h"

#include "fuzz.h"

static const char *const names[] = { "idp_session", "idp_browser", "", "x" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char *line[IDP_MAX_PARAMS];
	struct idp_req rq;
	size_t n;

	memset(&rq, 0, sizeof(rq));
	n = fuzz_lines(s, line, IDP_MAX_PARAMS);
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(line[i], '=');

		if (eq != NULL)
			*eq = '\0';
		rq.cookies[rq.ncookies].key = line[i];
		rq.cookies[rq.ncookies].val = eq ? eq + 1 : "";
		rq.cookies[rq.ncookies].len = strlen(rq.cookies[rq.ncookies].val);
		rq.ncookies++;
	}
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		const char *first = NULL, *v;

		for (size_t i = 0; i < rq.ncookies && first == NULL; i++)
			if (strcmp(rq.cookies[i].key, names[k]) == 0)
				first = rq.cookies[i].val;
		FUZZ_ASSERT(idp_req_cookie(&rq, names[k]) == first);
		v = idp_req_cookie_token(&rq, names[k]);
		/* Only the first of a name counts (RFC 6265 §5.4: the most
		 * specific path first), and only when it is a token. */
		FUZZ_ASSERT(v == NULL || v == first);
		if (v != NULL) {
			FUZZ_ASSERT(strlen(v) == IDP_TOKEN_CHARS);
			FUZZ_ASSERT(strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789-_") ==
			    IDP_TOKEN_CHARS);
		} else if (first != NULL) {
			FUZZ_ASSERT(!idp_token_syntax_ok(first));
		}
	}
	free(s);
	return 0;
}

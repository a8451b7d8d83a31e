/* Shared by the fuzz targets of tests/fuzz/: the libFuzzer entry points
 * and small helpers that cut an input into NUL-terminated fields. A target
 * must not keep state between inputs (besides what its init made) and
 * must free everything, so LeakSanitizer can judge each input. */
#ifndef IDP_TESTS_FUZZ_H
#define IDP_TESTS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/key.h"
#include "http/req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A property of the code under test failed: abort, so libFuzzer (and the
 * corpus replay) report the input. */
#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: fuzz assertion failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* The input as a C string (cut at its first NUL, as HTTP and JSON
 * strings are); free() it. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Cut s in place at each '\n' into at most max fields; the missing ones
 * are NULL. Returns the number found. Seeds stay readable text: one field
 * per line. */
static inline size_t
fuzz_lines(char *s, char **field, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < max; i++)
		field[i] = NULL;
	while (s != NULL && n < max) {
		char *nl = n + 1 < max ? strchr(s, '\n') : NULL;

		field[n++] = s;
		if (nl != NULL)
			*nl = '\0';
		s = nl != NULL ? nl + 1 : NULL;
	}
	return n;
}

/* A request whose form holds the x-www-form-urlencoded text, parsed as
 * http/ parses bodies; look parameters up with idp_req_param. */
static inline void
fuzz_form_request(struct idp_arena *a, const char *text, size_t n,
    struct idp_req *rq)
{
	const char *dup = NULL, *bad = NULL;

	memset(rq, 0, sizeof(*rq));
	rq->arena = a;
	rq->method = IDP_POST;
	rq->has_form = true;
	(void)idp_parse_form(a, text, n, rq->form, IDP_MAX_PARAMS, &rq->nform,
	    &dup, &bad);
}

/* Fresh keys for targets that verify signatures: nothing an input holds
 * can have been signed with them. */
static inline void
fuzz_keys(enum idp_alg rsa_alg, struct idp_key **rsa, struct idp_key **ec)
{
	if (idp_key_generate(rsa_alg, 2048, rsa) != 0 ||
	    idp_key_generate(IDP_ALG_ES256, 0, ec) != 0)
		abort();
}

#endif

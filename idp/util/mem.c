#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "util/mem.h"

void
idp_oom(void)
{
	static const char msg[] = "idp: out of memory\n";

	(void)!write(2, msg, sizeof(msg) - 1);
	abort();
}

void
idp_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		explicit_bzero(p, n);
}

void
idp_mem_init(void)
{
	json_set_alloc_funcs(idp_xmalloc, free);
}

void *
idp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		idp_oom();
	return p;
}

void *
idp_xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (p == NULL)
		idp_oom();
	return p;
}

char *
idp_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		idp_oom();
	return p;
}

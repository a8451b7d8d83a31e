/* Small memory helpers shared by every layer. */
#ifndef IDP_UTIL_MEM_H
#define IDP_UTIL_MEM_H

#include <stddef.h>

/* Print one line and abort: used where allocation failure cannot be
 * answered sensibly (see arena.h). */
__attribute__((noreturn)) void idp_oom(void);

/* Wipe memory that held a secret; the compiler may not elide it. */
void idp_wipe(void *p, size_t n);

/* Once, first thing in main(): jansson allocates through idp_xmalloc, so
 * running out of memory in JSON ends the process like everywhere else and
 * a json_* call never fails for want of memory. */
void idp_mem_init(void);

void *idp_xmalloc(size_t n);
void *idp_xcalloc(size_t n, size_t m);
char *idp_xstrdup(const char *s);

#endif

/* Per-request (and per-command) memory: allocate freely, free everything at
 * once. Arena memory is never freed piece by piece. Destroying an arena runs
 * its cleanups (for objects of other libraries) and wipes every chunk, so a
 * password or token copied into it does not linger in freed memory. */
#ifndef IDP_UTIL_ARENA_H
#define IDP_UTIL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct idp_arena;

struct idp_arena *idp_arena_new(size_t first_chunk);
void idp_arena_free(struct idp_arena *a);	/* accepts NULL */

/* Abort on out-of-memory: a request that cannot get a few KiB cannot answer
 * either, and checking every call would hide the protocol logic. The limit
 * that matters is enforced earlier: request size limits. */
void *idp_arena_alloc(struct idp_arena *a, size_t n);
void *idp_arena_zalloc(struct idp_arena *a, size_t n);
char *idp_arena_strdup(struct idp_arena *a, const char *s);
char *idp_arena_strndup(struct idp_arena *a, const char *s, size_t n);
void *idp_arena_memdup(struct idp_arena *a, const void *p, size_t n);
char *idp_arena_printf(struct idp_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *idp_arena_vprintf(struct idp_arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Run fn(p) when the arena is destroyed, in reverse order of registration. */
void idp_arena_on_free(struct idp_arena *a, void (*fn)(void *), void *p);

/* Bytes handed out so far (for limits and tests). */
size_t idp_arena_used(const struct idp_arena *a);

#endif

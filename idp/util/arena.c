#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/mem.h"

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *p;
};

struct idp_arena {
	struct chunk *head;
	struct cleanup *cleanups;
	size_t chunk_size;
	size_t total;
};

static struct chunk *
chunk_new(size_t size)
{
	struct chunk *c = malloc(sizeof(*c) + size);

	if (c == NULL)
		idp_oom();
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct idp_arena *
idp_arena_new(size_t first_chunk)
{
	struct idp_arena *a = calloc(1, sizeof(*a));

	if (a == NULL)
		idp_oom();
	if (first_chunk < 256)
		first_chunk = 256;
	a->chunk_size = first_chunk;
	a->head = chunk_new(first_chunk);
	return a;
}

void
idp_arena_free(struct idp_arena *a)
{
	struct chunk *c, *next;
	struct cleanup *cl, *cnext;

	if (a == NULL)
		return;
	for (cl = a->cleanups; cl != NULL; cl = cnext) {
		cnext = cl->next;
		cl->fn(cl->p);
	}
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		idp_wipe(c->data, c->used);
		free(c);
	}
	free(a);
}

void *
idp_arena_alloc(struct idp_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	struct chunk *c = a->head;
	size_t need = (n + align - 1) & ~(align - 1);
	void *p;

	if (need < n)
		idp_oom();
	if (c->size - c->used < need) {
		/* Large requests get a chunk of their own; small ones a new
		 * chunk twice the last, so a request needs few mallocs. */
		size_t sz = a->chunk_size * 2;

		if (sz < need)
			sz = need;
		a->chunk_size = sz;
		c = chunk_new(sz);
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	a->total += need;
	return p;
}

void *
idp_arena_zalloc(struct idp_arena *a, size_t n)
{
	void *p = idp_arena_alloc(a, n);

	memset(p, 0, n);
	return p;
}

char *
idp_arena_strndup(struct idp_arena *a, const char *s, size_t n)
{
	char *p = idp_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
idp_arena_strdup(struct idp_arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	return idp_arena_strndup(a, s, strlen(s));
}

void *
idp_arena_memdup(struct idp_arena *a, const void *p, size_t n)
{
	void *q = idp_arena_alloc(a, n ? n : 1);

	if (n)
		memcpy(q, p, n);
	return q;
}

char *
idp_arena_vprintf(struct idp_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		idp_oom();
	p = idp_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
idp_arena_printf(struct idp_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = idp_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
idp_arena_on_free(struct idp_arena *a, void (*fn)(void *), void *p)
{
	struct cleanup *cl = idp_arena_alloc(a, sizeof(*cl));

	cl->fn = fn;
	cl->p = p;
	cl->next = a->cleanups;
	a->cleanups = cl;
}

size_t
idp_arena_used(const struct idp_arena *a)
{
	return a->total;
}

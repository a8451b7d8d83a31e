#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/addrcount.h"
#include "util/mem.h"

struct slot {
	unsigned char addr[16];
	size_t len;		/* 0: empty */
	size_t count;
};

struct idp_addrcount {
	struct slot *s;
	size_t mask;
};

static size_t
hash(const unsigned char *a, size_t len)
{
	uint64_t h = 1469598103934665603u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ a[i]) * 1099511628211u;
	return (size_t)(h ^ (h >> 29));
}

struct idp_addrcount *
idp_addrcount_new(size_t max)
{
	struct idp_addrcount *t = idp_xcalloc(1, sizeof(*t));
	size_t n = 16;

	while (n < 2 * max)
		n *= 2;
	t->s = idp_xcalloc(n, sizeof(*t->s));
	t->mask = n - 1;
	return t;
}

void
idp_addrcount_free(struct idp_addrcount *t)
{
	if (t == NULL)
		return;
	free(t->s);
	free(t);
}

static size_t
find(const struct idp_addrcount *t, const unsigned char *a, size_t len)
{
	size_t i = hash(a, len) & t->mask;

	while (t->s[i].len != 0 &&
	    (t->s[i].len != len || memcmp(t->s[i].addr, a, len) != 0))
		i = (i + 1) & t->mask;
	return i;
}

/* Linear probing without tombstones: close the gap by moving later
 * entries of the same run back when they may live there. */
static void
remove_at(struct idp_addrcount *t, size_t i)
{
	size_t j = i;

	t->s[i].len = 0;
	for (;;) {
		size_t home;

		j = (j + 1) & t->mask;
		if (t->s[j].len == 0)
			return;
		home = hash(t->s[j].addr, t->s[j].len) & t->mask;
		/* Move j to i unless its home lies cyclically in (i, j]. */
		if ((i < j) ? (home <= i || home > j) : (home <= i && home > j)) {
			t->s[i] = t->s[j];
			t->s[j].len = 0;
			i = j;
		}
	}
}

void
idp_addrcount_add(struct idp_addrcount *t, const unsigned char *addr,
    size_t len, int delta)
{
	size_t i;

	if (len == 0 || len > sizeof(t->s[0].addr))
		return;
	i = find(t, addr, len);
	if (t->s[i].len == 0) {
		if (delta < 0)
			return;
		memcpy(t->s[i].addr, addr, len);
		t->s[i].len = len;
		t->s[i].count = 0;
	}
	if (delta < 0 && --t->s[i].count == 0)
		remove_at(t, i);
	else if (delta > 0)
		t->s[i].count++;
}

size_t
idp_addrcount_get(const struct idp_addrcount *t, const unsigned char *addr,
    size_t len)
{
	size_t i;

	if (len == 0 || len > sizeof(t->s[0].addr))
		return 0;
	i = find(t, addr, len);
	return t->s[i].len != 0 ? t->s[i].count : 0;
}

/* util/arena: alignment, copies, printf, cleanups, large allocations. */
#include <signal.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "util/arena.h"

#define ALIGN alignof(max_align_t)

START_TEST(alloc_is_aligned)
{
	struct idp_arena *a = idp_arena_new(0);
	static const size_t sizes[] = { 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31,
	    33, 63, 100, 255, 257, 1000, 4097 };

	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			unsigned char *p = idp_arena_alloc(a, sizes[i]);

			ck_assert_ptr_nonnull(p);
			ck_assert_msg((uintptr_t)p % ALIGN == 0,
			    "alloc(%zu) returned %p, not %zu-aligned",
			    sizes[i], (void *)p, (size_t)ALIGN);
			/* The whole block is usable (ASan checks). */
			memset(p, 0xa5, sizes[i]);
		}
	}
	ck_assert_msg((uintptr_t)idp_arena_zalloc(a, 3) % ALIGN == 0,
	    "zalloc not aligned");
	ck_assert_msg((uintptr_t)idp_arena_strdup(a, "x") % ALIGN == 0,
	    "strdup not aligned");
	idp_arena_free(a);
}
END_TEST

START_TEST(allocations_do_not_overlap)
{
	struct idp_arena *a = idp_arena_new(256);
	enum { N = 5000 };
	static unsigned char *p[N];
	static size_t len[N];

	/* Sizes vary and cross many chunk boundaries; every block keeps its
	 * own pattern until the end. */
	for (size_t i = 0; i < N; i++) {
		len[i] = 1 + (i * 7919) % 97;
		p[i] = idp_arena_alloc(a, len[i]);
		memset(p[i], (int)(i & 0xff), len[i]);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t j = 0; j < len[i]; j++)
			ck_assert_int_eq(p[i][j], (int)(i & 0xff));
	idp_arena_free(a);
}
END_TEST

/* Each allocation adds its size rounded up to the alignment: at least n,
 * a multiple of the alignment, and never more than one max_align_t of
 * padding. */
static void
used_grows_by(struct idp_arena *a, size_t n)
{
	size_t before = idp_arena_used(a), d;

	(void)idp_arena_alloc(a, n);
	d = idp_arena_used(a) - before;
	ck_assert_msg(d >= n && d % ALIGN == 0 && d <= n + sizeof(max_align_t),
	    "alloc(%zu) added %zu to used", n, d);
}

START_TEST(used_counts_aligned_bytes)
{
	struct idp_arena *a = idp_arena_new(1024);

	ck_assert_uint_eq(idp_arena_used(a), 0);
	used_grows_by(a, 1);
	used_grows_by(a, ALIGN);
	used_grows_by(a, ALIGN + 1);
	used_grows_by(a, 3 * sizeof(max_align_t));
	used_grows_by(a, 5000);		/* in a chunk of its own */
	idp_arena_free(a);
}
END_TEST

START_TEST(zalloc_zeroes)
{
	struct idp_arena *a = idp_arena_new(256);
	unsigned char *p;

	/* Dirty the first chunk, then ask for zeroed memory in a new one. */
	memset(idp_arena_alloc(a, 200), 0xff, 200);
	p = idp_arena_zalloc(a, 3000);
	for (size_t i = 0; i < 3000; i++)
		ck_assert_int_eq(p[i], 0);
	idp_arena_free(a);
}
END_TEST

START_TEST(strdup_copies)
{
	struct idp_arena *a = idp_arena_new(256);
	char src[] = "hello";
	char *d = idp_arena_strdup(a, src);

	ck_assert_str_eq(d, "hello");
	ck_assert_ptr_ne(d, src);
	src[0] = 'J';
	ck_assert_str_eq(d, "hello");	/* a copy, not the caller's buffer */
	ck_assert_ptr_null(idp_arena_strdup(a, NULL));
	ck_assert_str_eq(idp_arena_strdup(a, ""), "");
	idp_arena_free(a);
}
END_TEST

START_TEST(strndup_stops_at_n)
{
	struct idp_arena *a = idp_arena_new(256);
	char *d = idp_arena_strndup(a, "abcdef", 3);

	ck_assert_str_eq(d, "abc");
	ck_assert_uint_eq(strlen(d), 3);
	ck_assert_str_eq(idp_arena_strndup(a, "abc", 0), "");
	/* Source need not be NUL-terminated within n. */
	{
		const char raw[4] = { 'w', 'x', 'y', 'z' };

		ck_assert_str_eq(idp_arena_strndup(a, raw, 4), "wxyz");
	}
	idp_arena_free(a);
}
END_TEST

START_TEST(memdup_copies_binary)
{
	struct idp_arena *a = idp_arena_new(256);
	const unsigned char bin[5] = { 0, 1, 0, 0xff, 0 };
	unsigned char *d = idp_arena_memdup(a, bin, sizeof(bin));

	ck_assert_mem_eq(d, bin, sizeof(bin));
	ck_assert_ptr_ne(d, bin);
	/* Zero bytes still gives a usable, distinct pointer. */
	ck_assert_ptr_nonnull(idp_arena_memdup(a, bin, 0));
	idp_arena_free(a);
}
END_TEST

START_TEST(printf_formats)
{
	struct idp_arena *a = idp_arena_new(256);
	char *s = idp_arena_printf(a, "%s=%d;%03u;%c", "k", -42, 7u, 'z');

	ck_assert_str_eq(s, "k=-42;007;z");
	ck_assert_str_eq(idp_arena_printf(a, "%s", ""), "");
	idp_arena_free(a);
}
END_TEST

START_TEST(printf_longer_than_chunk)
{
	struct idp_arena *a = idp_arena_new(256);
	char *s = idp_arena_printf(a, "<%0*d>", 5000, 1);

	ck_assert_uint_eq(strlen(s), 5002);
	ck_assert_int_eq(s[0], '<');
	ck_assert_int_eq(s[1], '0');
	ck_assert_int_eq(s[5000], '1');
	ck_assert_int_eq(s[5001], '>');
	idp_arena_free(a);
}
END_TEST

static char order[16];
static size_t norder;

static void
record(void *p)
{
	order[norder++] = *(const char *)p;
	order[norder] = '\0';
}

START_TEST(cleanups_run_in_reverse_on_free)
{
	struct idp_arena *a = idp_arena_new(256);
	static char tags[] = "123";

	norder = 0;
	order[0] = '\0';
	idp_arena_on_free(a, record, &tags[0]);
	idp_arena_on_free(a, record, &tags[1]);
	/* Many allocations between registrations move to new chunks. */
	for (int i = 0; i < 100; i++)
		(void)idp_arena_alloc(a, 100);
	idp_arena_on_free(a, record, &tags[2]);
	ck_assert_uint_eq(norder, 0);	/* nothing runs before free */
	idp_arena_free(a);
	ck_assert_str_eq(order, "321");
}
END_TEST

static void
free_ptr(void *p)
{
	free(p);
}

START_TEST(cleanup_frees_foreign_memory)
{
	struct idp_arena *a = idp_arena_new(256);

	/* LeakSanitizer fails the test if the cleanup does not run. */
	idp_arena_on_free(a, free_ptr, malloc(100));
	idp_arena_free(a);
}
END_TEST

START_TEST(free_null_is_harmless)
{
	idp_arena_free(NULL);
}
END_TEST

START_TEST(large_allocations)
{
	struct idp_arena *a = idp_arena_new(256);
	size_t big = 4u << 20;
	unsigned char *p = idp_arena_alloc(a, big);
	unsigned char *q;

	ck_assert_msg((uintptr_t)p % ALIGN == 0, "large block not aligned");
	memset(p, 0x5a, big);
	ck_assert_uint_ge(idp_arena_used(a), big);
	/* Small allocations afterwards still work and do not land in the
	 * large block. */
	q = idp_arena_alloc(a, 10);
	memset(q, 0x11, 10);
	ck_assert_int_eq(p[0], 0x5a);
	ck_assert_int_eq(p[big - 1], 0x5a);
	/* A second large block, bigger than everything before. */
	p = idp_arena_alloc(a, 2 * big);
	memset(p, 0x77, 2 * big);
	ck_assert_int_eq(q[9], 0x11);
	idp_arena_free(a);
}
END_TEST

START_TEST(impossible_size_aborts)
{
	struct idp_arena *a = idp_arena_new(256);

	/* Rounding SIZE_MAX up to the alignment wraps; the arena must notice
	 * instead of handing out a tiny block. */
	(void)idp_arena_alloc(a, SIZE_MAX);
	idp_arena_free(a);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("util_arena");
	TCase *tc = unit_tcase(s, "arena");

	tcase_add_test(tc, alloc_is_aligned);
	tcase_add_test(tc, allocations_do_not_overlap);
	tcase_add_test(tc, used_counts_aligned_bytes);
	tcase_add_test(tc, zalloc_zeroes);
	tcase_add_test(tc, strdup_copies);
	tcase_add_test(tc, strndup_stops_at_n);
	tcase_add_test(tc, memdup_copies_binary);
	tcase_add_test(tc, printf_formats);
	tcase_add_test(tc, printf_longer_than_chunk);
	tcase_add_test(tc, cleanups_run_in_reverse_on_free);
	tcase_add_test(tc, cleanup_frees_foreign_memory);
	tcase_add_test(tc, free_null_is_harmless);
	tcase_add_test(tc, large_allocations);
	tcase_add_test_raise_signal(tc, impossible_size_aborts, SIGABRT);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

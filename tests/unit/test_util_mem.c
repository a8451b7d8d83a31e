/* util/mem: jansson allocates through the provider's allocator, so running
 * out of memory in JSON follows the same rule as everywhere (idp_oom). */
#include <string.h>

#include <jansson.h>

#include "unit.h"
#include "util/mem.h"

START_TEST(jansson_uses_idp_xmalloc)
{
	json_malloc_t m = NULL;
	json_free_t f = NULL;
	json_t *o;
	char *s;

	idp_mem_init();
	json_get_alloc_funcs(&m, &f);
	ck_assert_ptr_eq((void *)m, (void *)idp_xmalloc);
	ck_assert_ptr_eq((void *)f, (void *)free);
	/* What jansson hands out is still released with free(). */
	o = json_pack("{s:s, s:[i,i]}", "sub", "pegawai", "n", 1, 2);
	ck_assert_ptr_nonnull(o);
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	ck_assert_str_eq(s, "{\"n\":[1,2],\"sub\":\"pegawai\"}");
	free(s);
	json_decref(o);
}
END_TEST

START_TEST(xalloc_never_returns_null)
{
	char *p = idp_xmalloc(0), *q = idp_xcalloc(0, 0), *r;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(q);
	r = idp_xstrdup("rahasia");
	ck_assert_str_eq(r, "rahasia");
	idp_wipe(r, strlen(r));
	ck_assert_int_eq(r[0], 0);
	ck_assert_int_eq(r[6], 0);
	free(p);
	free(q);
	free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("util_mem");
	TCase *tc = unit_tcase(s, "mem");

	tcase_add_test(tc, jansson_uses_idp_xmalloc);
	tcase_add_test(tc, xalloc_never_returns_null);
	return unit_run(s);
}

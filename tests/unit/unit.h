/* Shared by the Check programs in tests/unit/: running a suite, test cases
 * with a timeout generous enough for ASan, and temporary directories.
 *
 * Test cases tagged "known_bug" assert the behaviour a module should have
 * but does not yet; tests/unit/meson.build leaves them out of the main run
 * and runs them separately as expected failures. */
#ifndef IDP_TESTS_UNIT_H
#define IDP_TESTS_UNIT_H

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Generous: key generation under ASan is slow on a loaded machine. The
 * tests never measure time; this only stops a hung test. */
#define UNIT_TIMEOUT 300

static inline TCase *
unit_tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, UNIT_TIMEOUT);
	suite_add_tcase(s, tc);
	return tc;
}

static inline TCase *
unit_tcase_known_bug(Suite *s, const char *name)
{
	TCase *tc = unit_tcase(s, name);

	tcase_set_tags(tc, "known_bug");
	return tc;
}

static inline int
unit_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static inline void
unit_rmtree(const char *dir)
{
	ck_assert_int_eq(nftw(dir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* One directory per program run holds every test's temporary directory.
 * The runner removes it at the end: a failed assertion ends a forked test
 * with _exit(), before its teardown. */
static inline char *
unit_root(void)
{
	static char root[256];

	return root;
}

static inline int
unit_run(Suite *s)
{
	const char *tmp = getenv("TMPDIR");
	char *root = unit_root();
	SRunner *sr;
	int failed;

	snprintf(root, 256, "%s/idp-unit-XXXXXX",
	    tmp != NULL && *tmp ? tmp : "/tmp");
	if (mkdtemp(root) == NULL) {
		perror(root);
		return EXIT_FAILURE;
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (nftw(root, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
		perror(root);
		failed++;
	}
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* A fresh directory for one test; the name is written to buf. */
static inline void
unit_tmpdir(char *buf, size_t n)
{
	int len = snprintf(buf, n, "%s/t-XXXXXX", unit_root());

	ck_assert(len > 0 && (size_t)len < n);
	ck_assert_ptr_nonnull(mkdtemp(buf));
}

/* Create path with exactly mode (umask does not apply) holding text. */
static inline void
unit_write_file(const char *path, const char *text, mode_t mode)
{
	size_t n = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	ck_assert_msg(fd >= 0, "cannot create %s", path);
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	ck_assert_int_eq(close(fd), 0);
}

#endif

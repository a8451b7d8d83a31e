/* util/log: idp_logq quoting (log lines cannot be forged), level parsing,
 * and the shape of the line idp_log writes. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "util/log.h"

static struct idp_arena *a;

static void
setup(void)
{
	a = idp_arena_new(256);
}

static void
teardown(void)
{
	idp_arena_free(a);
	a = NULL;
}

START_TEST(null_is_dash)
{
	ck_assert_str_eq(idp_logq(a, NULL), "-");
}
END_TEST

START_TEST(empty_is_quoted)
{
	ck_assert_str_eq(idp_logq(a, ""), "\"\"");
}
END_TEST

START_TEST(plain_stays_plain)
{
	ck_assert_str_eq(idp_logq(a, "alice"), "alice");
	ck_assert_str_eq(idp_logq(a, "rp-1.example_client:42/x"),
	    "rp-1.example_client:42/x");
}
END_TEST

START_TEST(spaces_are_quoted)
{
	ck_assert_str_eq(idp_logq(a, "a b"), "\"a b\"");
	ck_assert_str_eq(idp_logq(a, " "), "\" \"");
}
END_TEST

START_TEST(quotes_and_backslashes_are_escaped)
{
	ck_assert_str_eq(idp_logq(a, "a\"b"), "\"a\\\"b\"");
	ck_assert_str_eq(idp_logq(a, "a\\b"), "\"a\\\\b\"");
	ck_assert_str_eq(idp_logq(a, "\""), "\"\\\"\"");
	/* A value cannot close its quotes and start a new key. */
	ck_assert_str_eq(idp_logq(a, "x\" level=error"),
	    "\"x\\\" level=error\"");
}
END_TEST

START_TEST(equals_is_quoted)
{
	ck_assert_str_eq(idp_logq(a, "a=b"), "\"a=b\"");
	ck_assert_str_eq(idp_logq(a, "="), "\"=\"");
}
END_TEST

START_TEST(control_chars_are_hex_escaped)
{
	ck_assert_str_eq(idp_logq(a, "a\nb"), "\"a\\x0ab\"");
	ck_assert_str_eq(idp_logq(a, "\r"), "\"\\x0d\"");
	ck_assert_str_eq(idp_logq(a, "\t"), "\"\\x09\"");
	ck_assert_str_eq(idp_logq(a, "\x1b[31m"), "\"\\x1b[31m\"");
	ck_assert_str_eq(idp_logq(a, "\x7f"), "\"\\x7f\"");
	ck_assert_str_eq(idp_logq(a, "\x01"), "\"\\x01\"");
}
END_TEST

START_TEST(forged_line_stays_one_line)
{
	const char *q = idp_logq(a, "bob\nts=2024-01-01T00:00:00Z level=info "
	    "event=login.ok user=admin");

	ck_assert_ptr_null(strchr(q, '\n'));
	ck_assert_ptr_null(strchr(q, '\r'));
	ck_assert_int_eq(q[0], '"');
	ck_assert_int_eq(q[strlen(q) - 1], '"');
}
END_TEST

START_TEST(utf8_is_quoted_not_mangled)
{
	ck_assert_str_eq(idp_logq(a, "Ni Luh \xc3\xa9"),
	    "\"Ni Luh \xc3\xa9\"");
}
END_TEST

START_TEST(cut_at_160)
{
	char in[201], want[163];
	const char *q;

	memset(in, 'a', 200);
	in[200] = '\0';
	q = idp_logq(a, in);
	/* Cut values are quoted so a reader can tell. */
	want[0] = '"';
	memset(want + 1, 'a', 160);
	want[161] = '"';
	want[162] = '\0';
	ck_assert_str_eq(q, want);

	in[161] = '\0';		/* 161 bytes: cut, quoted */
	ck_assert_str_eq(idp_logq(a, in), want);

	in[160] = '\0';		/* exactly 160: whole, plain */
	ck_assert_uint_eq(strlen(idp_logq(a, in)), 160);
	ck_assert_str_eq(idp_logq(a, in), in);
}
END_TEST

START_TEST(cut_counts_input_bytes)
{
	char in[301];
	const char *q;

	memset(in, '"', 300);
	in[300] = '\0';
	q = idp_logq(a, in);
	/* 160 input bytes, each escaped to two, plus the quotes. */
	ck_assert_uint_eq(strlen(q), 2 + 2 * 160);
	ck_assert_int_eq(q[1], '\\');
	ck_assert_int_eq(q[2], '"');

	memset(in, '\n', 300);
	q = idp_logq(a, in);
	ck_assert_uint_eq(strlen(q), 2 + 4 * 160);
	ck_assert_ptr_null(strchr(q, '\n'));
}
END_TEST

START_TEST(level_parse)
{
	enum idp_log_level l = IDP_LOG_ERROR;

	ck_assert_int_eq(idp_log_level_parse("debug", &l), 0);
	ck_assert_int_eq(l, IDP_LOG_DEBUG);
	ck_assert_int_eq(idp_log_level_parse("info", &l), 0);
	ck_assert_int_eq(l, IDP_LOG_INFO);
	ck_assert_int_eq(idp_log_level_parse("warn", &l), 0);
	ck_assert_int_eq(l, IDP_LOG_WARN);
	ck_assert_int_eq(idp_log_level_parse("error", &l), 0);
	ck_assert_int_eq(l, IDP_LOG_ERROR);
	ck_assert_int_eq(idp_log_level_parse("loud", &l), -1);
	ck_assert_int_eq(idp_log_level_parse("INFO", &l), -1);
	ck_assert_int_eq(idp_log_level_parse("warning", &l), -1);
	ck_assert_int_eq(idp_log_level_parse("", &l), -1);
	ck_assert_int_eq(l, IDP_LOG_ERROR);
}
END_TEST

START_TEST(level_filters)
{
	idp_log_set_level(IDP_LOG_WARN);
	ck_assert(!idp_log_enabled(IDP_LOG_DEBUG));
	ck_assert(!idp_log_enabled(IDP_LOG_INFO));
	ck_assert(idp_log_enabled(IDP_LOG_WARN));
	ck_assert(idp_log_enabled(IDP_LOG_ERROR));
	idp_log_set_level(IDP_LOG_DEBUG);
	ck_assert(idp_log_enabled(IDP_LOG_DEBUG));
}
END_TEST

/* Run fn with stderr sent to a temporary file; return what it wrote. */
static char *
capture_stderr(void (*fn)(void), size_t *len)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	static char out[8192];
	size_t n;

	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fileno(tmp), 2), 2);
	fn();
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	*len = n;
	return out;
}

static void
log_two(void)
{
	idp_log_set_level(IDP_LOG_INFO);
	IDP_DEBUG("test.hidden", " k=%d", 1);
	IDP_WARN("test.event", " client_id=%s n=%d", "rp1", 7);
}

START_TEST(log_line_shape)
{
	size_t n;
	char *out = capture_stderr(log_two, &n);

	/* The debug line is filtered; the warn line is one complete line. */
	ck_assert_ptr_null(strstr(out, "test.hidden"));
	ck_assert_msg(strncmp(out, "ts=", 3) == 0, "line: %s", out);
	ck_assert_ptr_nonnull(strstr(out,
	    "Z level=warn event=test.event client_id=rp1 n=7\n"));
	ck_assert_ptr_eq(strchr(out, '\n'), out + n - 1);
}
END_TEST

static void
log_long(void)
{
	static char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	idp_log_set_level(IDP_LOG_INFO);
	IDP_INFO("test.long", " v=%s", big);
}

START_TEST(log_long_line_is_cut_but_ends_with_newline)
{
	size_t n;
	char *out = capture_stderr(log_long, &n);

	ck_assert_uint_gt(n, 1000);
	ck_assert_uint_le(n, 2048);
	ck_assert_int_eq(out[n - 1], '\n');
	ck_assert_ptr_eq(strchr(out, '\n'), out + n - 1);
}
END_TEST

/* log_format = json: the same keys, values as strings, every escape of
 * idp_logq undone, and bytes that are not text escaped again. */
START_TEST(kv_to_json)
{
	char out[512];
	int n;

	n = idp_log_kv_json("ts=2026-12-01T08:00:00.000Z level=info "
	    "event=login.success req=ab12 username=\"a b\\\"c\\\\d\" "
	    "name=\"Ni Luh \xc3\x96\" bad=\"\\x01\\xff\" empty=\"\"", out,
	    sizeof(out));
	ck_assert_int_gt(n, 0);
	ck_assert_str_eq(out, "{\"ts\":\"2026-12-01T08:00:00.000Z\","
	    "\"level\":\"info\",\"event\":\"login.success\",\"req\":\"ab12\","
	    "\"username\":\"a b\\\"c\\\\d\",\"name\":\"Ni Luh \xc3\x96\","
	    "\"bad\":\"\\u0001\\u00ff\",\"empty\":\"\"}");
	ck_assert_int_eq((int)strlen(out), n);
	ck_assert_int_eq(idp_log_kv_json("a=b c=d", out, 8), -1);
	ck_assert_int_eq(idp_log_kv_json("", out, sizeof(out)), 2);
	ck_assert_str_eq(out, "{}");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("util_log");
	TCase *tc;

	tc = unit_tcase(s, "logq");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, null_is_dash);
	tcase_add_test(tc, empty_is_quoted);
	tcase_add_test(tc, plain_stays_plain);
	tcase_add_test(tc, spaces_are_quoted);
	tcase_add_test(tc, quotes_and_backslashes_are_escaped);
	tcase_add_test(tc, equals_is_quoted);
	tcase_add_test(tc, control_chars_are_hex_escaped);
	tcase_add_test(tc, forged_line_stays_one_line);
	tcase_add_test(tc, utf8_is_quoted_not_mangled);
	tcase_add_test(tc, cut_at_160);
	tcase_add_test(tc, cut_counts_input_bytes);

	tc = unit_tcase(s, "log");
	tcase_add_test(tc, level_parse);
	tcase_add_test(tc, level_filters);
	tcase_add_test(tc, log_line_shape);
	tcase_add_test(tc, log_long_line_is_cut_but_ends_with_newline);
	tcase_add_test(tc, kv_to_json);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

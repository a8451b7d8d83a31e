#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static atomic_int log_level = IDP_LOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void
idp_log_set_level(enum idp_log_level l)
{
	atomic_store(&log_level, (int)l);
}

int
idp_log_level_parse(const char *s, enum idp_log_level *out)
{
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum idp_log_level)i;
			return 0;
		}
	}
	return -1;
}

int
idp_log_enabled(enum idp_log_level l)
{
	return (int)l >= atomic_load(&log_level);
}

void
idp_log(enum idp_log_level l, const char *event, const char *fmt, ...)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, m;

	if (!idp_log_enabled(l))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line),
	    "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s event=%s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, level_names[l], event);
	if (n < 0)
		return;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* One write per line: lines from threads never interleave. */
	(void)!write(2, line, (size_t)n);
}

const char *
idp_logq(struct idp_arena *a, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char *out, *o;
	size_t i, n;
	int plain = 1;

	if (s == NULL)
		return "-";
	n = strnlen(s, 160);
	if (n == 0)
		return "\"\"";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f)
			plain = 0;
	}
	if (plain && s[n] == '\0')
		return s;
	o = out = idp_arena_alloc(a, n * 4 + 3);
	*o++ = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c < ' ' || c == 0x7f) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

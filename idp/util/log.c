#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/str.h"

static atomic_int log_level = IDP_LOG_INFO;
/* Configuration, set once at start like the level. */
static atomic_bool log_json;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void
idp_log_set_level(enum idp_log_level l)
{
	atomic_store(&log_level, (int)l);
}

void
idp_log_set_json(bool on)
{
	atomic_store(&log_json, on);
}

/* One JSON string's characters (no quotes) for the n bytes at s. */
static size_t
json_chars(char *o, size_t room, const unsigned char *s, size_t n)
{
	/* UTF-8 text stays as it is (names of people); other bytes are
	 * escaped one by one. */
	bool utf8 = idp_utf8_valid((const char *)s, n);
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		char e[7];
		size_t m = 0;

		if (c == '"' || c == '\\') {
			e[m++] = '\\';
			e[m++] = (char)c;
		} else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) {
			/* As \u00XX: a crafted value cannot make the line
			 * invalid JSON. */
			memcpy(e, "\\u00", 4);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			m = 6;
		} else {
			e[m++] = (char)c;
		}
		if (k + m >= room)
			return (size_t)-1;
		memcpy(o + k, e, m);
		k += m;
	}
	return k;
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : -1;
}

/* The value at *p (bare up to a space, or quoted), unescaped into v. */
static size_t
kv_value(const char **p, unsigned char *v, size_t room)
{
	const char *s = *p;
	size_t n = 0;

	if (*s != '"') {
		while (*s && *s != ' ' && n < room)
			v[n++] = (unsigned char)*s++;
		*p = s;
		return n;
	}
	for (s++; *s && *s != '"' && n < room; s++) {
		if (*s == '\\' && s[1] == 'x' && hexval(s[2]) >= 0 &&
		    hexval(s[3]) >= 0) {
			v[n++] = (unsigned char)(hexval(s[2]) * 16 +
			    hexval(s[3]));
			s += 3;
		} else if (*s == '\\' && s[1] != '\0') {
			v[n++] = (unsigned char)*++s;
		} else {
			v[n++] = (unsigned char)*s;
		}
	}
	*p = *s == '"' ? s + 1 : s;
	return n;
}

int
idp_log_kv_json(const char *kv, char *out, size_t n)
{
	unsigned char v[2048];
	const char *p = kv;
	size_t o = 0, m;

	if (n < 3)
		return -1;
	out[o++] = '{';
	while (*p) {
		const char *key, *eq;
		size_t vn;

		while (*p == ' ')
			p++;
		key = p;
		if ((eq = strchr(p, '=')) == NULL || eq == p)
			break;
		p = eq + 1;
		vn = kv_value(&p, v, sizeof(v));
		if (o + 4 >= n)
			return -1;
		if (o > 1)
			out[o++] = ',';
		out[o++] = '"';
		if ((m = json_chars(out + o, n - o, (const unsigned char *)key,
		    (size_t)(eq - key))) == (size_t)-1)
			return -1;
		o += m;
		if (o + 4 >= n)
			return -1;
		memcpy(out + o, "\":\"", 3);
		o += 3;
		if ((m = json_chars(out + o, n - o, v, vn)) == (size_t)-1)
			return -1;
		o += m;
		if (o + 2 >= n)
			return -1;
		out[o++] = '"';
		while (*p == ' ')
			p++;
	}
	if (o + 2 > n)
		return -1;
	out[o++] = '}';
	out[o] = '\0';
	return (int)o;
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
	line[n] = '\0';
	if (atomic_load(&log_json)) {
		char js[4096];
		int k = idp_log_kv_json(line, js, sizeof(js) - 1);

		if (k > 0) {
			js[k++] = '\n';
			(void)!write(2, js, (size_t)k);
			return;
		}
	}
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

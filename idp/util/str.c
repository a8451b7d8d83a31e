#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

int
idp_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end = NULL;
	long long v;

	if (s == NULL || *s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
idp_parse_bool(const char *s, bool *out)
{
	if (s == NULL)
		return -1;
	if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on") ||
	    !strcmp(s, "1")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off") ||
	    !strcmp(s, "0")) {
		*out = false;
		return 0;
	}
	return -1;
}

bool
idp_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t k;
		uint32_t cp;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i <= k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

int
idp_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
idp_pct_decode(struct idp_arena *a, const char *s, size_t n, bool plus_space,
    size_t *outlen)
{
	char *out = idp_arena_alloc(a, n + 1);
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+' && plus_space) {
			c = ' ';
		} else if (c == '%') {
			int h, l;

			if (n - i < 3)
				return NULL;
			h = idp_hexval(s[i + 1]);
			l = idp_hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return NULL;
			c = (char)(h * 16 + l);
			i += 2;
		}
		if (c == '\0')
			return NULL;
		out[o++] = c;
	}
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}

char *
idp_form_decode(struct idp_arena *a, const char *s, size_t n, size_t *outlen)
{
	return idp_pct_decode(a, s, n, true, outlen);
}

int
idp_split_spaces(struct idp_arena *a, const char *s, char ***out,
    size_t *count)
{
	size_t n = 1, i = 0;
	const char *p;
	char **v;

	for (p = s; *p; p++)
		if (*p == ' ')
			n++;
	v = idp_arena_alloc(a, (n + 1) * sizeof(*v));
	p = s;
	while (1) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == 0)
			return -1;
		v[i++] = idp_arena_strndup(a, p, len);
		if (e == NULL)
			break;
		p = e + 1;
	}
	v[i] = NULL;
	*out = v;
	if (count != NULL)
		*count = i;
	return 0;
}

bool
idp_list_has(char *const *list, const char *item)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, item) == 0)
			return true;
	return false;
}

bool
idp_space_list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *p = list;

	if (list == NULL || n == 0)
		return false;
	while ((p = strstr(p, item)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

bool
idp_str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

bool
idp_has_prefix(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
idp_local_path_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 512 || s[0] != '/' || s[1] == '/')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 ||
		    (unsigned char)s[i] >= 0x7f || s[i] == '\\')
			return false;
	return true;
}

bool
idp_email_addr_ok(const char *v)
{
	const char *at = v != NULL ? strchr(v, '@') : NULL;

	if (at == NULL || strlen(v) > 254 || at == v || strchr(at + 1, '@') ||
	    strchr(at + 1, '.') == NULL || at[1] == '.' ||
	    v[strlen(v) - 1] == '.')
		return false;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("<>\"'(),;:\\[]", *p) != NULL)
			return false;
	return true;
}

/* n decimal digits at s, as a number; -1 when one is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The zone after a time: "", "Z" or "+HH:MM"/"-HH:MM", in seconds east. */
static int
zone_offset(const char *s, int64_t *off)
{
	int h, m;

	*off = 0;
	if (*s == '\0' || (s[0] == 'Z' && s[1] == '\0'))
		return 0;
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':' ||
	    (h = digits(s + 1, 2)) < 0 || (m = digits(s + 4, 2)) < 0 ||
	    h > 14 || m > 59)
		return -1;
	*off = (int64_t)(h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
	return 0;
}

int
idp_parse_time(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int y, mo, d, h = 0, mi = 0, se = 0;
	int64_t off = 0, days;
	const char *z;

	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-' ||
	    (y = digits(s, 4)) < 1970 || (mo = digits(s + 5, 2)) < 1 ||
	    mo > 12 || (d = digits(s + 8, 2)) < 1 || d > mdays[mo - 1])
		return -1;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 || y % 400 == 0)))
		return -1;
	z = s + 10;
	if (*z == 'T' || *z == ' ') {
		if (strlen(z) < 6 || z[3] != ':' || (h = digits(z + 1, 2)) < 0 ||
		    h > 23 || (mi = digits(z + 4, 2)) < 0 || mi > 59)
			return -1;
		z += 6;
		if (*z == ':') {
			if ((se = digits(z + 1, 2)) < 0 || se > 59)
				return -1;
			z += 3;
		}
	}
	if (zone_offset(z, &off) != 0)
		return -1;
	/* Days from the civil date (H. Hinnant's algorithm). */
	{
		int yy = mo <= 2 ? y - 1 : y;
		int era = yy / 400, yoe = yy - era * 400;
		int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = (int64_t)era * 146097 + doe - 719468;
	}
	*out = days * 86400 + h * 3600 + mi * 60 + se - off;
	return 0;
}

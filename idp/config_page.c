/* The configuration keys of the pages: the provider's name, the helpdesk
 * people are sent to when something goes wrong, and the time zone times
 * are shown in. Part of config.c's loader (idp_config_set asks here). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "util/mem.h"
#include "util/str.h"

static int
set_name(char **dst, const char *key, const char *v, bool may_be_empty,
    char *err, size_t errlen)
{
	size_t n = strlen(v);

	if ((n == 0 && !may_be_empty) || n > 80 || !idp_utf8_valid(v, n))
		goto bad;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			goto bad;
	free(*dst);
	*dst = idp_xstrdup(v);
	return 0;
bad:
	snprintf(err, errlen, "%s: must be %s80 bytes of UTF-8 text without "
	    "control characters", key, may_be_empty ? "up to " : "1 to ");
	return -1;
}

/* As people dial it: digits with spaces, +, -, ( ), at least 3 digits. */
static bool
phone_ok(const char *v)
{
	int digits = 0;

	if (strlen(v) > 32)
		return false;
	for (const char *p = v; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (strchr(" +-().", *p) == NULL)
			return false;
	}
	return digits >= 3;
}

static int
day_of(const char *s, size_t n)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri",
		"sat", "sun" };

	for (int i = 0; i < 7; i++)
		if (n == 3 && !strncasecmp(s, days[i], 3))
			return i;
	return -1;
}

/* "HH:MM" -> minutes, or -1. 24:00 closes a day. */
static int
minutes_of(const char *s)
{
	int h, m;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/* One range: "mon-fri 08:00-16:00" or "sat 08:00-12:00". */
static int
parse_range(const char *s, size_t n, struct idp_hours *h)
{
	char r[32];
	const char *sp, *dash;
	int first, last, open, close;

	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n >= sizeof(r) || h->n == IDP_HOURS_MAX)
		return -1;
	memcpy(r, s, n);
	r[n] = '\0';
	sp = strchr(r, ' ');
	if (sp == NULL || strlen(sp + 1) != 11 || sp[6] != '-')
		return -1;
	dash = memchr(r, '-', (size_t)(sp - r));
	first = day_of(r, (size_t)((dash ? dash : sp) - r));
	last = dash ? day_of(dash + 1, (size_t)(sp - dash - 1)) : first;
	open = minutes_of(sp + 1);
	close = minutes_of(sp + 7);
	if (first < 0 || last < first || open < 0 || close <= open)
		return -1;
	h->r[h->n].first_day = first;
	h->r[h->n].last_day = last;
	h->r[h->n].open = open;
	h->r[h->n].close = close;
	h->n++;
	return 0;
}

static int
set_hours(struct idp_hours *h, const char *v, char *err, size_t errlen)
{
	struct idp_hours out = { 0 };
	const char *p = v + strspn(v, " ");

	/* Ranges separated by commas; empty means "not configured". */
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		const char *rest = p + n + (p[n] == ',');

		if (parse_range(p, n, &out) != 0 ||
		    (p[n] == ',' && rest[strspn(rest, " ")] == '\0')) {
			snprintf(err, errlen, "helpdesk_hours: \"%s\" is not "
			    "like \"mon-fri 08:00-16:00, sat 08:00-12:00\" (at "
			    "most %d ranges)", v, IDP_HOURS_MAX);
			return -1;
		}
		p = rest;
	}
	*h = out;
	return 0;
}

/* A tzdata name whose file exists: tzset() would silently fall back to
 * UTC for an unknown one, and pages would then show wrong times. */
static int
set_zone(struct idp_config *cfg, const char *v, char *err, size_t errlen)
{
	const char *dir = getenv("TZDIR");
	char path[512], magic[4];
	FILE *f;
	size_t n = strlen(v);
	bool ok = n > 0 && n <= 64 && v[0] != '/' && strstr(v, "..") == NULL;

	for (const char *p = v; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || strchr("/_+-", *p) != NULL;
	if (ok) {
		snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir :
		    "/usr/share/zoneinfo", v);
		f = fopen(path, "rb");
		ok = f != NULL && fread(magic, 1, 4, f) == 4 &&
		    memcmp(magic, "TZif", 4) == 0;
		if (f != NULL)
			fclose(f);
	}
	if (!ok) {
		snprintf(err, errlen, "time_zone: \"%s\" is not a time zone of "
		    "tzdata (such as Asia/Makassar; package tzdata)", v);
		return -1;
	}
	free(cfg->time_zone);
	cfg->time_zone = idp_xstrdup(v);
	return 0;
}

int
idp_config_set_page(struct idp_config *cfg, const char *key, const char *v,
    char *err, size_t errlen)
{
	if (!strcmp(key, "provider_name") || !strcmp(key, "helpdesk_name"))
		return set_name(key[0] == 'p' ? &cfg->provider_name :
		    &cfg->helpdesk_name, key, v, false, err, errlen);
	if (!strcmp(key, "helpdesk_phone") || !strcmp(key, "helpdesk_email")) {
		bool phone = key[9] == 'p';

		if (*v != '\0' && !(phone ? phone_ok(v) : idp_email_addr_ok(v))) {
			snprintf(err, errlen, "%s: \"%s\" is not %s", key, v,
			    phone ? "a telephone number (digits, spaces, + - ( "
			    "), at most 32 characters)" : "an email address");
			return -1;
		}
		return set_name(phone ? &cfg->helpdesk_phone :
		    &cfg->helpdesk_email, key, v, true, err, errlen);
	}
	if (!strcmp(key, "helpdesk_hours"))
		return set_hours(&cfg->helpdesk_hours, v, err, errlen);
	if (!strcmp(key, "time_zone"))
		return set_zone(cfg, v, err, errlen);
	return 1;
}

void
idp_config_free_page(struct idp_config *cfg)
{
	free(cfg->provider_name);
	free(cfg->helpdesk_name);
	free(cfg->helpdesk_phone);
	free(cfg->helpdesk_email);
	free(cfg->time_zone);
}

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "page/when.h"

static const char *const months_id[] = { "Januari", "Februari", "Maret",
	"April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
	"November", "Desember" };
static const char *const months_en[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };
static const char *const days_id[] = { "Senin", "Selasa", "Rabu", "Kamis",
	"Jumat", "Sabtu", "Minggu" };
static const char *const days_en[] = { "Monday", "Tuesday", "Wednesday",
	"Thursday", "Friday", "Saturday", "Sunday" };

static bool
english(const char *lang)
{
	return lang != NULL && strcmp(lang, "en") == 0;
}

void
idp_when_use_zone(const char *zone)
{
	char tz[80];

	/* A leading ':' makes glibc read the tzdata file, never parse the
	 * name as a POSIX TZ rule. */
	snprintf(tz, sizeof(tz), ":%s", zone);
	setenv("TZ", tz, 1);
	tzset();
}

static struct tm
local(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	return tm;
}

void
idp_when_zone_label(char *out, size_t n, int64_t t)
{
	struct tm tm = local(t);
	char z[16] = "";

	strftime(z, sizeof(z), "%Z", &tm);
	if (z[0] == '+' || z[0] == '-' || z[0] == '\0')
		snprintf(out, n, "UTC%s", z);
	else
		snprintf(out, n, "%s", z);
}

void
idp_when_text(char *out, size_t n, int64_t t, const char *lang)
{
	struct tm tm = local(t);
	char zone[24];

	idp_when_zone_label(zone, sizeof(zone), t);
	snprintf(out, n, "%d %s %d, %02d%c%02d %s", tm.tm_mday,
	    (english(lang) ? months_en : months_id)[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, english(lang) ? ':' : '.',
	    tm.tm_min, zone);
}

void
idp_when_iso(char *out, size_t n, int64_t t)
{
	struct tm tm = local(t);
	char off[8] = "+0000";

	strftime(off, sizeof(off), "%z", &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d%.3s:%.2s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, off, off + 3);
}

static void
clock_time(struct idp_buf *b, int minutes, const char *lang)
{
	idp_buf_addf(b, "%02d%c%02d", minutes / 60, english(lang) ? ':' : '.',
	    minutes % 60);
}

void
idp_when_hours(struct idp_buf *b, const struct idp_hours *h,
    const char *lang, int64_t now)
{
	const char *const *days = english(lang) ? days_en : days_id;
	char zone[24];

	idp_when_zone_label(zone, sizeof(zone), now);
	for (int i = 0; i < h->n; i++) {
		if (i > 0)
			idp_buf_adds(b, "; ");
		idp_buf_adds(b, days[h->r[i].first_day % 7]);
		if (h->r[i].last_day != h->r[i].first_day) {
			idp_buf_adds(b, "\xe2\x80\x93");	/* en dash */
			idp_buf_adds(b, days[h->r[i].last_day % 7]);
		}
		idp_buf_addc(b, ' ');
		clock_time(b, h->r[i].open, lang);
		idp_buf_adds(b, "\xe2\x80\x93");
		clock_time(b, h->r[i].close, lang);
		idp_buf_addc(b, ' ');
		idp_buf_adds(b, zone);
	}
}

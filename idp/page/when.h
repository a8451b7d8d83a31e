/* Times as people read them, in the provider's time zone (time_zone in the
 * configuration, Asia/Makassar — WITA — by default). The zone is applied
 * to the process once at start (idp_when_use_zone); localtime_r then reads
 * it without further locking. */
#ifndef IDP_PAGE_WHEN_H
#define IDP_PAGE_WHEN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "util/buf.h"

/* Set TZ to the tzdata zone and load it. Call before any thread starts:
 * setenv is not safe while other threads read the environment. */
void idp_when_use_zone(const char *zone);

/* "14 Maret 2025, 08.05 WITA" (id) or "14 March 2025, 08:05 WITA" (en). */
void idp_when_text(char *out, size_t n, int64_t t, const char *lang);
/* "2025-03-14T08:05:00+08:00", for <time datetime>. */
void idp_when_iso(char *out, size_t n, int64_t t);
/* The zone's abbreviation at t ("WITA"); "UTC+08" where tzdata has only
 * an offset. */
void idp_when_zone_label(char *out, size_t n, int64_t t);
/* Opening hours: "Senin–Jumat 08.00–16.00 WITA; Sabtu 08.00–12.00
 * WITA". */
void idp_when_hours(struct idp_buf *b, const struct idp_hours *h,
    const char *lang, int64_t now);

#endif

/* One line per event, key=value, to stderr (journald or the demo's log
 * file picks it up). Every line starts with ts, level and event. Callers
 * pass values through idp_logq() when a user could have chosen them, so a
 * crafted username cannot forge a log line. Never pass a password, code,
 * token, secret or Authorization header here. */
#ifndef IDP_UTIL_LOG_H
#define IDP_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

enum idp_log_level { IDP_LOG_DEBUG, IDP_LOG_INFO, IDP_LOG_WARN, IDP_LOG_ERROR };

void idp_log_set_level(enum idp_log_level l);
/* log_format = json: each line one JSON object with the same keys. */
void idp_log_set_json(bool on);
/* A key=value line (without its newline) as a JSON object into out (n
 * bytes, NUL-terminated): values are strings, quoted values unescaped
 * (\" \\ \xNN), bytes that are not UTF-8 text escaped. Returns the
 * length, or -1 when out is too small. Pure: for the logger and tests. */
int idp_log_kv_json(const char *kv, char *out, size_t n);
int idp_log_level_parse(const char *s, enum idp_log_level *out);
int idp_log_enabled(enum idp_log_level l);

/* fmt continues the line with " key=value" pairs. */
void idp_log(enum idp_log_level l, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A value safe to put after "key=": quoted and escaped when needed, cut at
 * 160 bytes. NULL becomes "-". */
const char *idp_logq(struct idp_arena *a, const char *s);

#define IDP_DEBUG(ev, ...) idp_log(IDP_LOG_DEBUG, ev, __VA_ARGS__)
#define IDP_INFO(ev, ...) idp_log(IDP_LOG_INFO, ev, __VA_ARGS__)
#define IDP_WARN(ev, ...) idp_log(IDP_LOG_WARN, ev, __VA_ARGS__)
#define IDP_ERROR(ev, ...) idp_log(IDP_LOG_ERROR, ev, __VA_ARGS__)

#endif

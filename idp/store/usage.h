/* How a client is used, for its developers (the developer portal): daily
 * counts of sign-ins, token requests and token errors, and its last
 * errors. Written in batches by core/usage.c, never per request. */
#ifndef IDP_STORE_USAGE_H
#define IDP_STORE_USAGE_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

#define IDP_USAGE_ERRORS_KEPT 20

struct idp_usage_count {
	const char *client_id;
	const char *day;		/* YYYY-MM-DD */
	long long signins;
	long long tokens;
	long long errors;
};
/* Add to the day's counts (a client that no longer exists is skipped). */
enum idp_err idp_store_usage_add(struct idp_dbconn *c,
    const struct idp_usage_count *u);

struct idp_usage_error {
	const char *client_id;
	int64_t at;
	const char *endpoint;
	const char *error;
	const char *description;
};
/* Record an error; only the newest IDP_USAGE_ERRORS_KEPT of the client
 * stay. */
enum idp_err idp_store_usage_error_add(struct idp_dbconn *c,
    const struct idp_usage_error *e);
/* Daily rows older than keep_days. */
enum idp_err idp_store_usage_purge(struct idp_dbconn *c, int keep_days);

struct idp_usage_day {
	char *day;			/* YYYY-MM-DD */
	long long signins;
	long long tokens;
	long long errors;
};
/* The ndays days up to today (YYYY-MM-DD), oldest first, zeros where
 * nothing was counted: *out has ndays entries. */
enum idp_err idp_store_usage_days(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, const char *today, int ndays,
    struct idp_usage_day **out);
/* The newest errors of a client, newest first. */
enum idp_err idp_store_usage_errors(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, int limit, struct idp_usage_error **out, int *n);

#endif

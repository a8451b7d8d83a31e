/* The operator console's questions of the database (endpoint/admin*.c):
 * organisations with their people, clients with status and last use,
 * live sessions per service, and the SPBE evidence report. */
#ifndef IDP_STORE_CONSOLE_H
#define IDP_STORE_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct idp_org_count {
	char *code, *name, *kind, *parent;	/* parent NULL at the top */
	long long people;			/* this organisation's own */
};
enum idp_err idp_store_console_orgs(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_org_count **out, int *n);

struct idp_client_view {
	char *client_id, *name, *approval, *owner;	/* owner may be NULL */
	bool enabled;
	int64_t created_at;
	int64_t last_used;			/* 0: never */
};
/* status NULL for all, or pending, active (approved and enabled),
 * disabled (rejected or not enabled). */
enum idp_err idp_store_console_clients(struct idp_dbconn *c,
    struct idp_arena *a, const char *status, struct idp_client_view **out,
    int *n);
/* IDP_ERR_NOT_FOUND: no such client. */
enum idp_err idp_store_client_set_enabled(struct idp_dbconn *c,
    const char *client_id, bool enabled);

struct idp_service_sessions {
	char *client_id, *name;
	long long sessions, people;
};
/* Live sessions per service reached through them, and in *total / *people
 * every live session and the people holding them. */
enum idp_err idp_store_console_sessions(struct idp_dbconn *c,
    struct idp_arena *a, struct idp_service_sessions **out, int *n,
    long long *total, long long *people);

/* The SPBE evidence: per approved service, over the last `days` days. */
struct idp_spbe_service {
	char *client_id, *name, *owner;		/* owner: organisation name */
	int64_t integrated_at;			/* approval, else creation */
	long long active_people, signins, second_factor;
};
struct idp_spbe_kind {
	char *group;	/* provincial, regencies_cities, desa_adat,
			 * health_facilities, central_agencies, none */
	long long people, active_people;
};
struct idp_spbe_day {
	int64_t day;	/* midnight in the zone, seconds */
	long long signins;
};
struct idp_spbe {
	struct idp_spbe_service *svc;
	int nsvc;
	struct idp_spbe_kind *kinds;
	int nkinds;
	struct idp_spbe_day *days;
	int ndays;
};
/* zone: tzdata name for the days. */
enum idp_err idp_store_console_spbe(struct idp_dbconn *c, struct idp_arena *a,
    int days, const char *zone, struct idp_spbe *out);

#endif

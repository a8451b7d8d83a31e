/* The directory as operators see it: people search over the whole
 * province (the console's People page), and erasing a person (idpctl user
 * delete, the console). */
#ifndef IDP_STORE_PEOPLE_H
#define IDP_STORE_PEOPLE_H

#include <stdbool.h>

#include "store/db.h"
#include "util/arena.h"

struct idp_person_hit {
	long long id;
	char *username;
	char *name;
	char *nip;		/* may be NULL */
	char *email;		/* may be NULL */
	char *org_code;		/* may be NULL */
	char *org_name;
	bool disabled;
};

#define IDP_PEOPLE_QUERY_MAX 100
/* Matches are counted up to this many; more is "more than 200". */
#define IDP_PEOPLE_COUNT_CAP 200

struct idp_people_query {
	const char *q;		/* NULL or "" for everyone */
	long long after;	/* > 0: the page after this person */
	long long before;	/* > 0 (and no after): the page before */
	int limit;		/* rows of a page */
};

struct idp_people_page {
	struct idp_person_hit *hits;
	int n;
	bool has_prev, has_next;
	/* Matches, counted up to IDP_PEOPLE_COUNT_CAP + 1. */
	long long total;
};

/* People whose NIP starts with q when q is digits only; whose username or
 * e-mail starts with q when q looks like one (letters, digits and . _ @ -
 * with a dot, @ or _ among them); else whose name, username or
 * e-mail contains q (case-insensitive); everyone for an empty q.
 * Ordered by name, then id; a page of limit rows from the start or next
 * to a person (keyset pagination: no page costs more than the first).
 * Erased people are left out. */
enum idp_err idp_store_people_search(struct idp_dbconn *c,
    struct idp_arena *a, const struct idp_people_query *q,
    struct idp_people_page *out);

/* Erase what identifies the person (sql/085_console.sql says what): in
 * the caller's durable transaction, after their sessions were ended and
 * their grants revoked (core/session_end.h). IDP_ERR_NOT_FOUND when there
 * is no such person or they were erased before. */
enum idp_err idp_store_user_erase(struct idp_dbconn *c, long long user_id);

/* Disable or enable by id (the console); IDP_ERR_NOT_FOUND when erased
 * or unknown. */
enum idp_err idp_store_user_set_disabled_id(struct idp_dbconn *c,
    long long user_id, bool disabled);

#endif

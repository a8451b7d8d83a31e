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

/* People whose NIP starts with q when q is digits only; whose username or
 * e-mail starts with q when q looks like one (letters, digits and . _ @ -
 * with a dot, @ or _ among them); else whose name, username or
 * e-mail contains q (case-insensitive); everyone for an empty q.
 * Ordered by name; limit rows from offset, and the number of matches in
 * *total. Erased people are left out. */
enum idp_err idp_store_people_search(struct idp_dbconn *c,
    struct idp_arena *a, const char *q, int limit, int offset,
    struct idp_person_hit **out, int *n, long long *total);

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

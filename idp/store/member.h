/* Memberships: a person's roles in organisations (developer of an
 * organisation; admin, helpdesk, auditor of the operators'
 * organisation). What a role allows is core/roles.h's. */
#ifndef IDP_STORE_MEMBER_H
#define IDP_STORE_MEMBER_H

#include <stdint.h>

#include "store/db.h"
#include "store/directory.h"
#include "util/arena.h"

struct idp_member {
	long long user_id;
	char *username;
	char *name;
	char *org;		/* organisation code */
	char *role;
	int64_t created_at;
};

/* IDP_ERR_NOT_FOUND: no such user (or disabled) or organisation;
 * IDP_ERR_CONFLICT: the membership exists. */
enum idp_err idp_store_member_add(struct idp_dbconn *c, const char *username,
    const char *org, const char *role, long long *user_id);
/* IDP_ERR_NOT_FOUND when there was no such membership. */
enum idp_err idp_store_member_remove(struct idp_dbconn *c,
    const char *username, const char *org, const char *role,
    long long *user_id);
/* Filtered by organisation code and username (NULL: any). */
enum idp_err idp_store_member_list(struct idp_dbconn *c, struct idp_arena *a,
    const char *org, const char *username, struct idp_member **out, int *n);
/* Every role of a person who is not disabled (user_id, name, username
 * are left empty). */
enum idp_err idp_store_member_roles(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, struct idp_member **out, int *n);

/* The organisations where a person who is not disabled holds role, by
 * name (code, name and kind filled in). */
enum idp_err idp_store_member_orgs(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, const char *role, struct idp_org **out, int *n);

#endif

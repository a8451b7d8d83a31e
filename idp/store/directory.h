/* Organisations and users. */
#ifndef IDP_STORE_DIRECTORY_H
#define IDP_STORE_DIRECTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct idp_org {
	char *code;
	char *name;
	char *kind;
	char *parent_code;	/* NULL at the top */
};

struct idp_user {
	long long id;
	char *sub;
	char *username;
	bool has_password;	/* a password credential exists */
	char *name;
	char *given_name;
	char *family_name;
	char *email;
	bool email_verified;
	char *phone_number;
	bool phone_number_verified;
	char *nip;
	char *job_title;
	char *locale;
	bool disabled;
	int64_t updated_at;
	struct idp_org org;	/* all NULL when the user has none */
};

/* Fields for a new user; NULL for absent ones. */
struct idp_user_new {
	const char *username;
	const char *password_hash;	/* NULL: no password yet */
	const char *name;
	const char *given_name;
	const char *family_name;
	const char *email;
	bool email_verified;
	const char *phone_number;
	const char *nip;
	const char *job_title;
	const char *org_code;
	const char *locale;
};

bool idp_org_kind_valid(const char *kind);
enum idp_err idp_store_org_upsert(struct idp_dbconn *c, const char *code,
    const char *name, const char *kind, const char *parent_code,
    bool *created);
enum idp_err idp_store_org_list(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_org **out, int *n);

/* IDP_ERR_NOT_FOUND when no user has that name (case-insensitive). */
enum idp_err idp_store_user_by_username(struct idp_dbconn *c,
    struct idp_arena *a, const char *username, struct idp_user **out);
enum idp_err idp_store_user_by_id(struct idp_dbconn *c, struct idp_arena *a,
    long long id, struct idp_user **out);
enum idp_err idp_store_user_by_sub(struct idp_dbconn *c, struct idp_arena *a,
    const char *sub, struct idp_user **out);
/* IDP_ERR_CONFLICT when the username, NIP or e-mail is taken (also as
 * another person's username, NIP or verified e-mail: login_identifiers),
 * IDP_ERR_NOT_FOUND when org_code names no organisation. */
enum idp_err idp_store_user_insert(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_user_new *u, char **sub);
/* The person a login form names by username, NIP or verified email
 * (case-insensitive), with their password hash (NULL when none) and its
 * credential id (0). IDP_ERR_NOT_FOUND when nobody has that identifier.
 * Setting passwords and factors: store/credential.h. */
enum idp_err idp_store_user_by_login(struct idp_dbconn *c,
    struct idp_arena *a, const char *identifier, struct idp_user **out,
    char **hash, long long *cred_id);
enum idp_err idp_store_user_set_disabled(struct idp_dbconn *c,
    const char *username, bool disabled);
/* Page through users ordered by username; org_code NULL for all. */
enum idp_err idp_store_user_list(struct idp_dbconn *c, struct idp_arena *a,
    const char *org_code, int limit, int offset, struct idp_user **out,
    int *n);

#endif

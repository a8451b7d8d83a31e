/* For store/ only: the columns of a user row and their reader, shared by
 * the statements of store/ modules that join users. */
#ifndef IDP_STORE_USER_ROWS_H
#define IDP_STORE_USER_ROWS_H

#include "store/directory.h"
#include "store/sql.h"

/* Needs the aliases users u, organisations o (the user's), p (its
 * parent). */
#define IDP_USER_COLS \
	"u.id, u.sub::text, u.username, EXISTS (SELECT 1 FROM credentials k0 " \
	"WHERE k0.user_id = u.id AND k0.kind = 'password'), u.name, " \
	"u.given_name, u.family_name, u.email, u.email_verified, " \
	"u.phone_number, u.phone_number_verified, u.nip, u.job_title, " \
	"u.locale, u.disabled, floor(extract(epoch from u.updated_at))::bigint, " \
	"o.code, o.name, o.kind, p.code "
#define IDP_USER_NCOLS 20
#define IDP_USER_JOIN \
	"LEFT JOIN organisations o ON o.id = u.organisation_id " \
	"LEFT JOIN organisations p ON p.id = o.parent_id "
void idp_store_user_read(struct idp_arena *a, const PGresult *r, int row,
    int col, struct idp_user *u);

#endif

/* For store/ only: the statement table of each store/ module, all
 * prepared on every pooled connection when it connects. */
#ifndef IDP_STORE_STATEMENTS_H
#define IDP_STORE_STATEMENTS_H

#include "store/sql.h"

extern const struct idp_stmt idp_api_stmts[];
extern const struct idp_stmt idp_audit_stmts[];
extern const struct idp_stmt idp_client_stmts[];
extern const struct idp_stmt idp_consent_stmts[];
extern const struct idp_stmt idp_credential_stmts[];
extern const struct idp_stmt idp_device_stmts[];
extern const struct idp_stmt idp_directory_stmts[];
extern const struct idp_stmt idp_dpop_stmts[];
extern const struct idp_stmt idp_exchange_stmts[];
extern const struct idp_stmt idp_iat_stmts[];
extern const struct idp_stmt idp_keys_stmts[];
extern const struct idp_stmt idp_member_stmts[];
extern const struct idp_stmt idp_mfa_stmts[];
extern const struct idp_stmt idp_outbox_stmts[];
extern const struct idp_stmt idp_par_stmts[];
extern const struct idp_stmt idp_purge_stmts[];
extern const struct idp_stmt idp_reset_stmts[];
extern const struct idp_stmt idp_session_stmts[];
extern const struct idp_stmt idp_throttle_stmts[];
extern const struct idp_stmt idp_subject_stmts[];
extern const struct idp_stmt idp_token_stmts[];
extern const struct idp_stmt idp_usersession_stmts[];

/* All of the above, NULL-terminated. */
extern const struct idp_stmt *const idp_stmt_tables[];

#endif

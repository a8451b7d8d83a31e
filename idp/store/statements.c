#include "store/statements.h"

const struct idp_stmt *const idp_stmt_tables[] = {
	idp_api_stmts,
	idp_audit_stmts,
	idp_client_stmts,
	idp_consent_stmts,
	idp_credential_stmts,
	idp_device_stmts,
	idp_directory_stmts,
	idp_exchange_stmts,
	idp_iat_stmts,
	idp_keys_stmts,
	idp_member_stmts,
	idp_outbox_stmts,
	idp_purge_stmts,
	idp_reset_stmts,
	idp_session_stmts,
	idp_throttle_stmts,
	idp_token_stmts,
	idp_usage_stmts,
	idp_usersession_stmts,
	NULL,
};

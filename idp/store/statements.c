#include "store/audit.h"
#include "store/client.h"
#include "store/directory.h"
#include "store/keys.h"
#include "store/purge.h"
#include "store/statements.h"

const struct idp_stmt *const idp_stmt_tables[] = {
	idp_audit_stmts,
	idp_client_stmts,
	idp_directory_stmts,
	idp_keys_stmts,
	idp_purge_stmts,
	NULL,
};

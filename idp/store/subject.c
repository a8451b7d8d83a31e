#include "store/statements.h"
#include "store/subject.h"

const struct idp_stmt idp_subject_stmts[] = {
	{ "pairwise_salt",
	  "SELECT encode(salt, 'hex') FROM pairwise_salt WHERE id", 0 },
	{ NULL, NULL, 0 },
};

enum idp_err
idp_store_pairwise_salt(struct idp_dbconn *c,
    unsigned char out[IDP_STORE_SALT_LEN])
{
	PGresult *r = NULL;
	enum idp_err rc = idp_db_exec_row(c, "pairwise_salt", NULL, 0, &r);
	const char *hex;

	if (rc != IDP_OK)
		return rc;
	hex = idp_db_val(r, 0, 0);
	if (idp_db_hex32(hex, out) != 0)
		rc = IDP_ERR_INTERNAL;
	PQclear(r);
	return rc;
}

/* Access tokens issued by token exchange (RFC 8693, sql/056): rows of
 * access_tokens for the exchanging client, the subject's person and grant,
 * one audience and the act claim. */
#ifndef IDP_STORE_EXCHANGE_H
#define IDP_STORE_EXCHANGE_H

#include <stdint.h>

#include "crypto/digest.h"
#include "store/db.h"

struct idp_exchanged {
	const unsigned char *digest;	/* of the opaque token or the JWT */
	const char *client_id;
	long long user_id;
	const char *grant_id;		/* the subject token's */
	const char *scope;
	int64_t ttl;
	const char *audience;
	const char *act;		/* JSON object, or NULL */
};
/* IDP_ERR_NOT_FOUND when the grant was revoked meanwhile. */
enum idp_err idp_store_exchange_insert(struct idp_dbconn *c,
    const struct idp_exchanged *x);

#endif

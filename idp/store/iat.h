/* Initial access tokens (RFC 7591 §3): issued by an operator with idpctl,
 * presented by service developers to /register. Stored as SHA-256. */
#ifndef IDP_STORE_IAT_H
#define IDP_STORE_IAT_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/digest.h"
#include "store/db.h"
#include "util/arena.h"

struct idp_iat {
	long long id;
	char *description;
	char *owner_org;
	int uses_left;		/* -1 for unlimited */
	int64_t created_at;
	int64_t expires_at;
	bool revoked;
	bool auto_approve;	/* its clients need no operator approval */
};

enum idp_err idp_store_iat_create(struct idp_dbconn *c,
    const unsigned char digest[IDP_SHA256_LEN], const char *description,
    const char *owner_org, int uses, int64_t ttl, bool auto_approve,
    long long *id);
/* Spend one use of a live token; IDP_ERR_NOT_FOUND when unknown, expired,
 * revoked or used up. Fills id, description, owner_org (may be NULL) and
 * auto_approve of *out, in the arena. */
enum idp_err idp_store_iat_use(struct idp_dbconn *c, struct idp_arena *a,
    const unsigned char digest[IDP_SHA256_LEN], struct idp_iat *out);
enum idp_err idp_store_iat_list(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_iat **out, int *n);
enum idp_err idp_store_iat_revoke(struct idp_dbconn *c, long long id);

#endif

/* What DPoP (RFC 9449) keeps in the database: the proofs seen (§11.1)
 * and the key of the nonces (§8), shared by every instance. */
#ifndef IDP_STORE_DPOP_H
#define IDP_STORE_DPOP_H

#include <stdint.h>

#include "store/db.h"

/* Remember a proof's jti for its key until the unix time until.
 * IDP_ERR_CONFLICT when the same key used it before (a replay). */
enum idp_err idp_store_dpop_jti(struct idp_dbconn *c, const char *jkt,
    const char *jti, int64_t until);

/* The provider's 32-byte secret called name: the stored one, or fresh
 * when there was none yet (then fresh is stored). */
enum idp_err idp_store_provider_secret(struct idp_dbconn *c, const char *name,
    const unsigned char fresh[32], unsigned char out[32]);

#endif

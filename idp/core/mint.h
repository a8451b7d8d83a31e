/* Minting what the provider hands out: random opaque tokens (with the
 * digest that is stored) and signed JWTs (ID tokens, RFC 9068 access
 * tokens) with the active key of the wanted algorithm. */
#ifndef IDP_CORE_MINT_H
#define IDP_CORE_MINT_H

#include <jansson.h>

#include "crypto/digest.h"
#include "crypto/key.h"
#include "crypto/random.h"
#include "http/req.h"

struct idp_secret {
	char value[IDP_TOKEN_CHARS + 1];	/* given to the client once */
	unsigned char digest[IDP_SHA256_LEN];	/* what the database keeps */
};

void idp_mint_secret(struct idp_secret *s);
void idp_secret_wipe(struct idp_secret *s);

/* Sign claims with the active key for alg (RS256 when alg has none).
 * typ is "JWT" or "at+jwt". NULL when no key is loaded. */
char *idp_mint_jwt(struct idp_req *rq, enum idp_alg alg, const char *typ,
    json_t *claims);

#endif

#include <string.h>

#include "core/ctx.h"
#include "core/mint.h"
#include "core/published.h"
#include "crypto/jws.h"
#include "util/mem.h"

void
idp_mint_secret(struct idp_secret *s)
{
	idp_random_token_to(s->value);
	idp_sha256_str(s->value, s->digest);
}

void
idp_secret_wipe(struct idp_secret *s)
{
	idp_wipe(s, sizeof(*s));
}

char *
idp_mint_jwt(struct idp_req *rq, enum idp_alg alg, const char *typ,
    json_t *claims)
{
	const struct idp_published *p = idp_pubring_get(rq->ctx->pub,
	    rq->arena);
	const struct idp_key *k;

	if (p == NULL)
		return NULL;
	k = idp_keyset_active(p->keys, alg);
	if (k == NULL)
		k = idp_keyset_active(p->keys, IDP_ALG_RS256);
	if (k == NULL)
		return NULL;
	return idp_jws_sign(rq->arena, k, typ, claims);
}

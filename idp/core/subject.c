#include "core/ctx.h"
#include "core/subject.h"
#include "oidc/subject.h"
#include "store/subject.h"

const char *
idp_subject_of(struct idp_req *rq, const struct idp_client *c,
    const char *public_sub)
{
	const struct idp_ctx *ctx = rq->ctx;

	if (c == NULL || c->sector == NULL || public_sub == NULL)
		return public_sub;
	return idp_pairwise_sub(rq->arena, c->sector, public_sub,
	    ctx->pairwise_salt, sizeof(ctx->pairwise_salt));
}

const char *
idp_subject_for(struct idp_req *rq, const struct idp_client *c,
    const struct idp_user *u)
{
	return idp_subject_of(rq, c, u->sub);
}

enum idp_err
idp_subject_salt_load(struct idp_ctx *ctx, struct idp_dbconn *c)
{
	return idp_store_pairwise_salt(c, ctx->pairwise_salt);
}

/* The subject a client is given for a person (OIDC Core §8): the one
 * function every sub a client sees comes from — ID tokens, userinfo,
 * introspection, JWT access tokens, the hints a client sends back
 * (id_token_hint, login_hint, a claims request for sub), and logout
 * tokens. Public clients get the person's sub; pairwise clients the
 * pairwise sub of their sector (oidc/subject.h), with the salt idp read
 * from PostgreSQL at start. */
#ifndef IDP_CORE_SUBJECT_H
#define IDP_CORE_SUBJECT_H

#include "http/req.h"
#include "oidc/client.h"
#include "store/db.h"
#include "store/directory.h"

/* In the request's arena, or the person's own sub (borrowed) for a
 * public client. */
const char *idp_subject_for(struct idp_req *rq, const struct idp_client *c,
    const struct idp_user *u);

/* The same from a person's public sub alone. */
const char *idp_subject_of(struct idp_req *rq, const struct idp_client *c,
    const char *public_sub);

/* Read the salt into the context, once at start. IDP_ERR_NOT_FOUND
 * when the migrations have not made it. */
struct idp_ctx;
enum idp_err idp_subject_salt_load(struct idp_ctx *ctx, struct idp_dbconn *c);

#endif

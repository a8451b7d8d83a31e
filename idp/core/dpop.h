/* DPoP (RFC 9449) at the provider's endpoints: the proof a request
 * carries, checked by oidc/dpop.c's rules and against the proofs every
 * instance has seen (the database), the nonces handed out in DPoP-Nonce,
 * and the binding of an access token presented at userinfo. */
#ifndef IDP_CORE_DPOP_H
#define IDP_CORE_DPOP_H

#include <stdbool.h>

#include "core/bearer.h"
#include "core/ctx.h"
#include "http/req.h"
#include "oidc/client.h"

/* Read the nonce key into ctx, creating it when no instance has yet.
 * At start, with the database up. */
enum idp_err idp_dpop_init(struct idp_ctx *ctx, char *why, size_t whylen);

/* The request's DPoP proof, if it has a DPoP header: on success
 * rq->dpop_jkt is the thumbprint of its key (it stays NULL without a
 * header), its jti is remembered, and the response carries a current
 * DPoP-Nonce. access_token: the token the proof comes with (ath), or NULL
 * at the token and PAR endpoints. Fails with IDP_ERR_INVALID_DPOP_PROOF
 * or IDP_ERR_USE_DPOP_NONCE and *why, or a database error. */
enum idp_err idp_dpop_request(struct idp_req *rq, struct idp_resp *rs,
    const char *access_token, const char **why);

/* At the token endpoint (§5): the request's proof, and one is required
 * when client c registered dpop_bound_access_tokens (§5.2:
 * IDP_ERR_INVALID_REQUEST otherwise). */
enum idp_err idp_dpop_token_request(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const char **why);

/* RFC 9449 §7: the access token t, presented with the DPoP scheme or not
 * (dpop_scheme), may be used: a DPoP-bound token only with the DPoP
 * scheme and a proof of its key, an unbound one only as a bearer token.
 * Fails with IDP_ERR_INVALID_TOKEN, IDP_ERR_INVALID_DPOP_PROOF or
 * IDP_ERR_USE_DPOP_NONCE and *why, or a database error. */
enum idp_err idp_dpop_resource(struct idp_req *rq, struct idp_resp *rs,
    bool dpop_scheme, const char *token, const struct idp_token_info *t,
    const char **why);

#endif

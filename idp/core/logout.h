/* Back-channel logout (OpenID Connect Back-Channel Logout 1.0): the
 * outbox kind "logout". The rows are written by the statement that ends
 * sessions (store/usersession.c, store/session.c), one per ended session
 * and service it reached that registered a backchannel_logout_uri, label
 * the client_id. Delivery signs the logout token then (oidc/logout.h: a
 * fresh iat and a short exp on every try, the same jti), with the active
 * key of the client's id_token_signed_response_alg, and POSTs it as
 * logout_token through the outbound fetcher (core/fetch.h) within
 * logout_timeout seconds, up to logout_delivery_concurrency calls at once
 * from the kind's own outbox thread (libcurl multi). 2xx: delivered; 4xx, 3xx or a refused address:
 * failed for good, with the status; no answer, 5xx or too many calls at
 * once: retried with the outbox's backoff until logout_give_up. */
#ifndef IDP_CORE_LOGOUT_H
#define IDP_CORE_LOGOUT_H

#include "core/ctx.h"
#include "core/outbox.h"

#define IDP_LOGOUT_KIND "logout"

/* Fill k (which must outlive the outbox) for idp_outbox_add_kind. */
void idp_logout_kind(struct idp_outbox_kind *k, struct idp_ctx *ctx);

/* The outcome of a service's answer: pure, for tests. */
enum idp_outbox_state idp_logout_outcome(int fetch_result, long status);

#endif

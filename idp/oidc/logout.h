/* The rules of OpenID Connect Back-Channel Logout 1.0 and Front-Channel
 * Logout 1.0 as pure functions: what an outbox row of kind "logout" holds
 * (written by store/ when sessions end), the logout token's claim set
 * (§2.4), and the URI a front-channel iframe loads (§2). No I/O. */
#ifndef IDP_OIDC_LOGOUT_H
#define IDP_OIDC_LOGOUT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "util/arena.h"

#define IDP_LOGOUT_EVENT "http://schemas.openid.net/event/backchannel-logout"
#define IDP_LOGOUT_TOKEN_TTL 120	/* seconds: exp - iat, kept short */

/* What the row says: whom and which session the token names, its jti
 * (the same on every retry, so a service can tell a repeat) and the
 * algorithm of the client's ID tokens. */
struct idp_logout_notice {
	const char *sub;
	const char *sid;
	const char *jti;
	const char *alg;	/* NULL: RS256 */
	/* subject_type, sector_identifier_uri and redirect_uris of the
	 * client (idp_subject_sector), or NULL: the sub is the public one.
	 * Borrowed from the arena. */
	json_t *subject;
};

/* Parse a row's payload: a JSON object with the string members sub, sid,
 * jti (each 1-255 bytes), optionally alg (a string) and subject (an
 * object). -1 on anything else; what it returns lives in a. */
int idp_logout_notice_parse(struct idp_arena *a, const char *payload,
    struct idp_logout_notice *out);

/* The claim set of §2.4: iss, aud (the client_id), iat, exp (iat +
 * IDP_LOGOUT_TOKEN_TTL), jti, sub, sid and events with the back-channel
 * logout member as an empty object; never nonce. A new reference. */
json_t *idp_logout_token_claims(const char *issuer, const char *client_id,
    const struct idp_logout_notice *n, int64_t now);

/* frontchannel_logout_uri with iss and sid added to its query (§2: when
 * the client asked for them with frontchannel_logout_session_required;
 * this provider always adds them, which the spec allows). NULL when the
 * result would pass max bytes. */
char *idp_frontchannel_uri(struct idp_arena *a, const char *uri,
    const char *issuer, const char *sid, size_t max);

#endif

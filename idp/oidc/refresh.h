/* Refresh token rotation (RFC 6749 §6, RFC 9700 §4.14.2): a refresh token
 * is used once, and one presented again means that someone else holds a
 * copy, so its whole family (the grant) is revoked. One presentation is
 * not reuse: the retry of a rotation whose answer never reached the client
 * (PostgreSQL failed over, an idp node died, the connection was cut after
 * the commit). It is told apart by what only such a retry looks like:
 * the same client comes back with the old token within
 * refresh_token_reuse_grace seconds of its rotation, and the successor
 * that rotation issued was never presented (docs/security.md). Pure: no
 * I/O. */
#ifndef IDP_OIDC_REFRESH_H
#define IDP_OIDC_REFRESH_H

#include <stdbool.h>
#include <stdint.h>

/* What the store says of a token presented after its rotation. */
struct idp_refresh_replay {
	bool same_client;	/* presented by the client it was issued to */
	bool key_matches;	/* no DPoP binding, or the request's key */
	int64_t rotated_ms_ago;	/* since the rotation that used it */
	bool has_successor;	/* that rotation issued a refresh token */
	bool successor_unused;	/* ... never presented, not revoked */
	bool retried;		/* a retry of that rotation was answered */
};

enum idp_replay {
	IDP_REPLAY_REUSE,	/* a second holder: revoke the grant */
	IDP_REPLAY_RETRY,	/* answer it, the unused successor revoked */
	IDP_REPLAY_REFUSE,	/* one retry was answered already: refuse
				 * this one, the grant stays */
};

/* What a presentation of a used refresh token is (grace seconds, 0:
 * never a retry); for REUSE and REFUSE *why says in a few words why.
 * Each rotation is retried once: of two retries at once, or one after
 * the other, the first is answered; the second, whose successor may be
 * in the hands of the first, only loses its request. */
enum idp_replay idp_refresh_replay(const struct idp_refresh_replay *r,
    int64_t grace, const char **why);

#endif

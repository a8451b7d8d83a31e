/* The one exception to the reuse rule of refresh tokens (oidc/refresh.h). */
#include "oidc/refresh.h"

static enum idp_replay
because(const char **why, enum idp_replay kind, const char *what)
{
	*why = what;
	return kind;
}

enum idp_replay
idp_refresh_replay(const struct idp_refresh_replay *r, int64_t grace,
    const char **why)
{
	const enum idp_replay reuse = IDP_REPLAY_REUSE;

	if (grace <= 0)
		return because(why, reuse, "no grace for retries");
	if (!r->same_client)
		return because(why, reuse, "presented by another client");
	if (!r->key_matches)
		return because(why, reuse, "bound to another DPoP key");
	/* Negative (stamped by a primary whose clock ran ahead of this
	 * one's) counts as just now. */
	if (r->rotated_ms_ago >= grace * 1000)
		return because(why, reuse, "rotated longer ago than the grace");
	if (!r->has_successor)
		return because(why, reuse,
		    "no successor (it was displaced by a retry, or its "
		    "rotation issued no refresh token)");
	if (!r->successor_unused)
		return because(why, reuse, "its successor was used");
	if (r->retried)
		return because(why, IDP_REPLAY_REFUSE,
		    "its rotation was retried already");
	return IDP_REPLAY_RETRY;
}

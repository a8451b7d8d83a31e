/* The sign-in defence, one set of rules for every secret a person types:
 * passwords, TOTP codes, recovery codes, helpdesk reset codes, reset
 * requests, and the user codes of the device grant (docs/security.md, "Guessing"). Failures are counted per
 * account and per source address, in leaky buckets that drain
 * throttle_*_free failures per throttle_window; past the allowance each
 * further attempt must wait throttle_base_delay * 2^k seconds, at most
 * throttle_max_delay, and is refused before its secret is checked ("try
 * again in N seconds"): no worker sleeps. A browser with a device cookie
 * for the account (crypto/devcookie.h) is counted on its own instead, so
 * guessing from elsewhere never slows the person on their own browser;
 * unknown accounts are counted by the name typed, exactly like known ones.
 *
 * Use, for any secret:
 *
 *	struct idp_throttle t = { .scope = IDP_THROTTLE_TOTP,
 *	    .user_id = user->id };
 *	if ((rc = idp_throttle_begin(rq, &t)) != IDP_OK)
 *		return rc;
 *	if (!t.allowed)
 *		-> say "try again in t.wait seconds" (the refusal is audited)
 *	... check the secret (on a hashing thread if it is slow) ...
 *	failed:    idp_throttle_failed(rq, &t);
 *	succeeded: idp_throttle_succeeded(rq, rs, &t);   (rs: renew the
 *	           device cookie once the person is fully signed in; NULL not)
 *
 * Put idp_throttle_details(&t) into the audit row of the outcome. begin
 * counts the attempt as failed at once (a burst of concurrent guesses
 * counts in full and only the allowed ones are checked); succeeded gives
 * it back. Between begin and the end the request may suspend; the struct
 * must live in the request's arena. */
#ifndef IDP_CORE_THROTTLE_H
#define IDP_CORE_THROTTLE_H

#include <stdbool.h>

#include <jansson.h>

#include "crypto/devcookie.h"
#include "http/req.h"
#include "store/throttle.h"

#define IDP_DEVICE_COOKIE "idp_device"

enum idp_throttle_scope {
	IDP_THROTTLE_LOGIN,
	IDP_THROTTLE_TOTP,
	IDP_THROTTLE_RECOVERY_CODE,
	IDP_THROTTLE_RESET_CODE,
	IDP_THROTTLE_RESET_REQUEST,
	IDP_THROTTLE_USER_CODE,		/* device grant user codes, RFC 8628 §5.1 */
};

struct idp_throttle {
	/* In. */
	enum idp_throttle_scope scope;
	long long user_id;	/* the account; 0 when none is known */
	const char *name;	/* with user_id 0: the identifier typed, so an
				 * unknown account is counted like a known
				 * one; NULL: no account, the address only */
	/* Out, from idp_throttle_begin. */
	bool allowed;
	int wait;		/* seconds, when not allowed */
	double level;		/* failures counted on the busiest key */
	bool known_device;	/* counted on this browser's device cookie */
	/* Private. */
	struct idp_throttle_key keys[IDP_THROTTLE_KEYS_MAX];
	int nkeys;
	struct idp_device_token dev[IDP_DEVICE_MAX];
	int ndev;
	int dev_match;		/* index in dev of this account's, or -1 */
};

/* "login", "totp", "recovery_code", "reset_code", "reset_request",
 * "user_code". */
const char *idp_throttle_scope_name(enum idp_throttle_scope s);

/* The source address as counted: IPv4 as is, IPv6 cut to its /64 (one
 * subscriber's prefix); NULL for "-". */
const char *idp_throttle_address(struct idp_arena *a, const char *ip);

enum idp_err idp_throttle_begin(struct idp_req *rq, struct idp_throttle *t)
	__attribute__((warn_unused_result));
enum idp_err idp_throttle_failed(struct idp_req *rq, struct idp_throttle *t)
	__attribute__((warn_unused_result));
enum idp_err idp_throttle_succeeded(struct idp_req *rq, struct idp_resp *rs,
    struct idp_throttle *t) __attribute__((warn_unused_result));

/* {"level": N, "known_device": bool} for the caller's audit row. */
json_t *idp_throttle_details(const struct idp_throttle *t);

#endif

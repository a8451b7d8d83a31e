/* What an operator does to a person, from the console and from idpctl
 * alike: each action is one durable transaction with its audit row, which
 * names the operator (a change that cannot be audited is not made).
 *
 *   disable: the person can no longer sign in; every session ends and
 *     every grant is revoked. enable: they can again (sessions stay ended).
 *   end sessions: every session ends, with the grants issued through them.
 *   reset code: core/reset.h, read to the person over the phone.
 *   erase (idpctl user delete): sessions end, every grant is revoked, and
 *     what identifies the person is erased (store/people.h); the row, its
 *     sub and the audit log stay. */
#ifndef IDP_CORE_HELPDESK_H
#define IDP_CORE_HELPDESK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/reset.h"
#include "store/audit.h"
#include "store/db.h"

/* Who acts: actor (and actor_user_id when a person of the console),
 * ip and request_id when from a request; details_json is extra details
 * ("via") or NULL. event, user_id and client_id are set by the action. */
struct idp_operator {
	const char *actor;
	long long actor_user_id;
	const char *ip;
	const char *request_id;
	const char *via;	/* idpctl's OS user under --as, or NULL */
	int64_t logout_give_up;	/* how long the services' logout tokens
				 * are retried (logout_give_up) */
};

/* What an action ended (each may be NULL): sessions, grants revoked, and
 * the back-channel logout tokens queued for the services. */
struct idp_ended {
	int sessions;
	int grants;
	int logout_tokens;
};

/* The audit row of an operator's action (details is taken, NULL for
 * none; op->via is added to it), in the caller's transaction if any. */
enum idp_err idp_operator_audit(struct idp_dbconn *c,
    const struct idp_operator *op, const char *event, long long user_id,
    json_t *details);

enum idp_err idp_helpdesk_set_disabled(struct idp_dbconn *c,
    const struct idp_operator *op, long long user_id, bool disabled,
    struct idp_ended *ended);
enum idp_err idp_helpdesk_end_sessions(struct idp_dbconn *c,
    const struct idp_operator *op, long long user_id, struct idp_ended *ended);
enum idp_err idp_helpdesk_reset_code(struct idp_dbconn *c,
    const struct idp_operator *op, long long user_id, int64_t ttl,
    char shown[IDP_RESET_CODE_SHOWN + 1]);
enum idp_err idp_helpdesk_erase(struct idp_dbconn *c,
    const struct idp_operator *op, long long user_id);

#endif

/* The operator console under /admin (admin.c: the gate and the people
 * pages; admin_lists.c: organisations, clients, sessions; admin_keys.c:
 * keys and their rotation, sign-out deliveries;
 * admin_audit.c: the audit log and the SPBE report). Every request passes
 * the gate first: a signed-in person, an operator role (core/roles.h),
 * a second factor (core/console_gate.h), and on POST the form's CSRF
 * token; then each page checks the action it needs. */
#ifndef IDP_ENDPOINT_ADMIN_H
#define IDP_ENDPOINT_ADMIN_H

#include <jansson.h>

#include "core/roles.h"
#include "http/req.h"
#include "page/page.h"
#include "store/db.h"
#include "store/session.h"

struct admin {
	struct idp_req *rq;
	struct idp_resp *rs;
	struct idp_session *s;
	struct idp_roles roles;
	struct idp_dbconn *db;
	const char *csrf;	/* for this session's console forms */
};

enum {
	AM_CONSOLE, AM_HOME_INTRO, AM_NAV, AM_PEOPLE, AM_ORGS, AM_CLIENTS,
	AM_SESSIONS, AM_AUDIT, AM_KEYS, AM_REPORT, AM_FORBIDDEN,
	AM_FORBIDDEN_WHY, AM_NEED_FACTOR, AM_NEED_FACTOR_WHY, AM_ARG,
	AM_SEARCH, AM_SEARCH_HINT, AM_SEARCH_BUTTON, AM_FOUND, AM_NAME,
	AM_USERNAME, AM_NIP, AM_EMAIL, AM_ORG, AM_STATE, AM_ACTIVE,
	AM_DISABLED, AM_PERSON, AM_SUB, AM_ROLES, AM_FACTORS, AM_NONE,
	AM_LIVE_SESSIONS, AM_STARTED, AM_LAST_USED, AM_ADDRESS, AM_SERVICES,
	AM_SIGNINS, AM_WHEN, AM_EVENT, AM_SERVICE, AM_CONSENTS, AM_SCOPES,
	AM_GRANTED, AM_ACTIONS, AM_RESET_CODE, AM_END_SESSIONS, AM_DISABLE,
	AM_ENABLE, AM_CODE_IS, AM_CODE_HOW, AM_ENDED, AM_DISABLED_DONE,
	AM_ENABLED_DONE, AM_CONFIRM_END, AM_CONFIRM_DISABLE, AM_CONFIRM_WHAT,
	AM_CANCEL, AM_BACK_PERSON, AM_NOBODY, AM_ROLE_YOU,
	AM_KIND, AM_PEOPLE_COUNT, AM_MORE_CHILDREN, AM_STATUS, AM_OWNER,
	AM_LAST, AM_PENDING, AM_APPROVE, AM_REJECT, AM_ACTIVATE,
	AM_REASON, AM_REASON_HINT, AM_APPROVED_DONE, AM_REJECTED_DONE,
	AM_CLIENT_DISABLED, AM_CLIENT_ENABLED, AM_ALL, AM_NEVER,
	AM_SESSIONS_TOTAL, AM_PEOPLE_SIGNED_IN, AM_KID, AM_ALG, AM_CREATED,
	AM_PUBLISHED_UNTIL, AM_KEYS_NOTE, AM_FILTER, AM_SINCE, AM_UNTIL,
	AM_TIME_HINT, AM_CSV, AM_ACTOR, AM_DETAILS, AM_OLDER, AM_BAD_FILTER,
	AM_REPORT_INTRO, AM_INTEGRATED, AM_ACTIVE_30, AM_SIGNINS_DAY,
	AM_SECOND_SHARE, AM_KINDS, AM_GROUP, AM_CHART_TITLE, AM_CHART_DESC,
	AM_DAY, AM_G_PROVINCIAL, AM_G_REGENCIES, AM_G_DESA, AM_G_HEALTH,
	AM_G_CENTRAL, AM_G_NONE, AM_SERVICES_N, AM_SIGNINS_30,
	AM_FOUND_MORE,
	AM_ROTATED, AM_KEY_NEXT, AM_KEY_RETIRED, AM_ROTATE, AM_ROTATE_WHEN,
	AM_ROTATE_NEXT, AM_ROTATE_NOW, AM_CONFIRM_ROTATE, AM_ROTATE_WHAT_NEXT,
	AM_ROTATE_WHAT_NOW, AM_DELIVERIES, AM_DELIVERIES_INTRO,
	AM_DELIVERIES_ALL, AM_SHOW_FAILING, AM_SHOW_ALL, AM_PENDING_N,
	AM_DELIVERED, AM_FAILED, AM_OLDEST, AM_LAST_ERROR, AM_DELIVERIES_NONE,
	AM_DELIVERIES_EMPTY, AM_ROTATE_FILES,
	AM_COUNT
};
extern const struct idp_msg idp_admin_msgs[];
extern const size_t idp_admin_nmsgs;
#define AM(k) (&idp_admin_msgs[k])

/* Start a console page: layout, heading, the navigation for the
 * operator's roles. */
void idp_admin_page(struct admin *ad, struct idp_page *pg,
    const struct idp_msg *title, const char *arg);
/* The 403 page: not allowed to do this. */
enum idp_err idp_admin_forbidden(struct admin *ad);
bool idp_admin_may(const struct admin *ad, enum idp_action act);
/* The audit row of a console action, naming the operator. */
void idp_admin_audit(struct admin *ad, const char *event, long long user_id,
    const char *client_id, json_t *details);

enum idp_err idp_admin_orgs(struct admin *ad);
enum idp_err idp_admin_clients(struct admin *ad);
enum idp_err idp_admin_sessions(struct admin *ad);
enum idp_err idp_admin_keys(struct admin *ad);
enum idp_err idp_admin_deliveries(struct admin *ad);
enum idp_err idp_admin_audit_page(struct admin *ad);
enum idp_err idp_admin_report(struct admin *ad);

#endif

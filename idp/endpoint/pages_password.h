/* The pages of passwords: asking for a reset link ("Lupa kata sandi?"),
 * the answer that is the same whether or not the account exists, the
 * helpdesk code form, the new-password form both routes end on, and the
 * password change on /account (pages_password.c); the list of the
 * person's sessions (pages_sessions.c). */
#ifndef IDP_ENDPOINT_PAGES_PASSWORD_H
#define IDP_ENDPOINT_PAGES_PASSWORD_H

#include <stdbool.h>

#include "http/req.h"
#include "oidc/pwpolicy.h"
#include "page/lang.h"
#include "store/usersession.h"

/* What the new-password fields say. */
struct idp_newpw_note {
	enum idp_pw_verdict verdict;	/* IDP_PW_OK: nothing */
	bool mismatch;			/* the two fields differ */
	bool current_wrong;		/* the change form's current password */
	bool throttled;			/* too many wrong current passwords */
};

enum idp_err idp_page_reset_ask(struct idp_req *rq, struct idp_resp *rs,
    const char *csrf, const char *who, bool missing);
enum idp_err idp_page_reset_sent(struct idp_req *rq, struct idp_resp *rs);
enum idp_err idp_page_reset_code(struct idp_req *rq, struct idp_resp *rs,
    const char *csrf, const char *username, bool refused);
enum idp_err idp_page_reset_new(struct idp_req *rq, struct idp_resp *rs,
    const char *csrf, const char *ticket, const char *username,
    const struct idp_newpw_note *note);
enum idp_err idp_page_password_change(struct idp_req *rq, struct idp_resp *rs,
    const char *csrf, const char *username, const struct idp_newpw_note *note);

struct idp_sessions_page {
	const struct idp_session_row *rows;
	int n;
	long long current;		/* this browser's session */
	const char *csrf;
};
enum idp_err idp_page_sessions(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_sessions_page *p);
/* The question before sessions end: one (id) or all others (id 0). */
enum idp_err idp_page_sessions_confirm(struct idp_req *rq,
    struct idp_resp *rs, const char *csrf, const struct idp_session_row *one);

/* "Chrome di Android" / "Chrome on Android" for a User-Agent. */
const char *idp_pages_device(struct idp_req *rq, const char *lang,
    const char *user_agent);

extern const struct idp_msg idp_password_msgs[];
extern const size_t idp_password_nmsgs;
extern const struct idp_msg idp_sessions_msgs[];
extern const size_t idp_sessions_nmsgs;

#endif

/* The parts of the sign-in flow shared by /authorize, /login and /consent:
 * cookies, the pending login, and finishing an authorization (consent
 * check, code, redirect). */
#ifndef IDP_ENDPOINT_FLOW_H
#define IDP_ENDPOINT_FLOW_H

#include <stdbool.h>

#include "crypto/digest.h"
#include "http/req.h"
#include "oidc/authz.h"
#include "oidc/client.h"
#include "page/trouble.h"
#include "store/session.h"

#define IDP_BROWSER_COOKIE "idp_browser"

/* The live SSO session of this browser, or NULL (no cookie, expired,
 * ended, user disabled). Database errors are returned. */
enum idp_err idp_flow_session(struct idp_req *rq, struct idp_session **out);

/* Set-Cookie for the session (value) or to clear it (NULL). */
void idp_flow_set_session_cookie(struct idp_req *rq, struct idp_resp *rs,
    const char *value);

/* The browser binding of pending logins: the idp_browser cookie, set when
 * absent. Returns its value and writes its digest. */
const char *idp_flow_browser(struct idp_req *rq, struct idp_resp *rs,
    unsigned char digest[IDP_SHA256_LEN]);

/* The CSRF token of a form: HMAC(login id, "csrf|" browser cookie). */
char *idp_flow_csrf(struct idp_req *rq, const char *login_id,
    const char *browser);

/* A CSRF token for forms of a signed-in person (account, logout): an HMAC
 * keyed with the session cookie, which only that browser holds. NULL
 * without a session cookie. */
char *idp_flow_session_csrf(struct idp_req *rq, const char *purpose);
bool idp_flow_session_csrf_ok(struct idp_req *rq, const char *purpose);

/* A pending login for z, bound to this browser; its id and the CSRF
 * token for its form, in the arena. */
enum idp_err idp_flow_pending(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_authz *z, long long session_id, const char **login_id,
    const char **csrf);
/* A local sign-in: a pending login for the provider's own pages (no
 * client, no authorization request) that ends at next, a path that
 * idp_local_path_ok accepted. */
enum idp_err idp_flow_pending_local(struct idp_req *rq, struct idp_resp *rs,
    const char *next, const char **login_id, const char **csrf);

struct idp_pending {
	const char *login_id;
	unsigned char digest[IDP_SHA256_LEN];
	struct idp_login *login;
	struct idp_authz authz;		/* an authorization's request */
	const struct idp_client *client;	/* NULL: a local sign-in */
	const char *next;		/* a local sign-in's target */
	bool renewed;			/* see IDP_PENDING_RENEW */
};

/* Check the form's CSRF token (POST). */
#define IDP_PENDING_CSRF 1u
/* An expired page whose browser and CSRF token check out is replaced by
 * a new pending login for the same request (p->renewed), so the person
 * keeps what they typed and only enters the password again. */
#define IDP_PENDING_RENEW 2u

/* A page of pending login p that cannot be used (expired, used, another
 * browser's, a bad form): says so and, when p is not NULL, offers to start
 * the same request again and names the service. Returns the error. */
enum idp_err idp_flow_trouble(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_pending *p, enum idp_trouble_kind kind,
    const char *detail);

/* Load the pending login named by the form (or query, for GET /login) and
 * check the browser binding. On failure the page that says what to do is
 * already in rs: an expired or used page offers to start the same request
 * again, when the row still tells it. */
enum idp_err idp_flow_load_pending(struct idp_req *rq, struct idp_resp *rs,
    unsigned flags, struct idp_pending *p);

/* Finish an authorization for a signed-in person: ask consent when a
 * third-party client needs it (unless consent_done), then issue the code
 * and redirect. pending may be NULL (no page was shown). */
enum idp_err idp_flow_finish(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const struct idp_authz *z,
    const struct idp_session *s, struct idp_pending *pending,
    bool consent_done);

/* After the password of a local sign-in: the login is done, and the
 * browser goes to its next path (303). */
enum idp_err idp_flow_finish_local(struct idp_req *rq, struct idp_resp *rs,
    struct idp_pending *pending);
/* A new SSO session for a person who proved who they are: the password
 * (auth_time) and maybe a second factor (mfa_at, 0: none), with the RFC
 * 8176 methods and acr to record. A fresh cookie and sid; the session
 * the browser had before ends (its clients carry over when it was the
 * same person's). s is filled for idp_flow_finish. */
struct idp_sign_in {
	const struct idp_user *user;
	int64_t auth_time;
	int64_t mfa_at;
	const char *amr;
	const char *acr;
};
enum idp_err idp_flow_sign_in(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_sign_in *in, struct idp_session *s);

/* OIDC Core §11: drop offline_access from z unless the client is
 * first-party, the request has prompt=consent, or the person consented
 * to offline access for this client before (oidc/scope.h). */
enum idp_err idp_flow_offline(struct idp_req *rq, const struct idp_client *c,
    struct idp_authz *z, long long user_id);

/* Before a code is issued for session s: the claims request's sub must
 * be the person's (OIDC Core §3.1.2.2), and an essential acr must be met
 * (§5.5.1.1, unmet_authentication_requirements). *acr is the class to
 * assert (oidc/acr.h). On failure the error response is in rs. */
enum idp_err idp_flow_claims_check(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const struct idp_authz *z,
    const struct idp_session *s, const char **acr);

/* The error response for z (RFC 6749 §4.1.2.1), in its response mode. */
enum idp_err idp_flow_error(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_authz *z, enum idp_err e, const char *desc);

/* Audit a security event; failures to audit are logged, not fatal. */
void idp_flow_audit(struct idp_req *rq, const char *event, long long user_id,
    const char *client_id, json_t *details);
/* The same for a change someone made: actor names them (store/audit.h:
 * "iat:<id>" for a registration, a username for a person, whose id is
 * actor_user_id). */
void idp_flow_audit_by(struct idp_req *rq, const char *event,
    long long user_id, const char *client_id, const char *actor,
    long long actor_user_id, json_t *details);

#endif

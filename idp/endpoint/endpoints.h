/* One handler per endpoint; the route table in http/router.c lists them.
 * Handlers read top to bottom like the section of the RFC they implement,
 * and contain no SQL, no OpenSSL and no libmicrohttpd. */
#ifndef IDP_ENDPOINT_ENDPOINTS_H
#define IDP_ENDPOINT_ENDPOINTS_H

#include "http/req.h"

/* discovery.c */
enum idp_err idp_discovery_handle(struct idp_req *rq, struct idp_resp *rs);
/* jwks.c */
enum idp_err idp_jwks_handle(struct idp_req *rq, struct idp_resp *rs);
/* health.c */
enum idp_err idp_healthz_handle(struct idp_req *rq, struct idp_resp *rs);
enum idp_err idp_readyz_handle(struct idp_req *rq, struct idp_resp *rs);
/* authorize.c */
enum idp_err idp_authorize_handle(struct idp_req *rq, struct idp_resp *rs);
/* The authorization request in rq's parameters (for par.c too). */
struct idp_authz_raw;
void idp_authorize_collect(struct idp_req *rq, struct idp_authz_raw *r);
/* par.c: pushed authorization requests, RFC 9126 */
enum idp_err idp_par_handle(struct idp_req *rq, struct idp_resp *rs);
/* login.c */
enum idp_err idp_login_handle(struct idp_req *rq, struct idp_resp *rs);
/* consent.c */
enum idp_err idp_consent_handle(struct idp_req *rq, struct idp_resp *rs);
/* token.c */
enum idp_err idp_token_handle(struct idp_req *rq, struct idp_resp *rs);
/* userinfo.c */
enum idp_err idp_userinfo_handle(struct idp_req *rq, struct idp_resp *rs);
/* introspect.c */
enum idp_err idp_introspect_handle(struct idp_req *rq, struct idp_resp *rs);
/* revoke.c */
enum idp_err idp_revoke_handle(struct idp_req *rq, struct idp_resp *rs);
/* register.c */
enum idp_err idp_register_handle(struct idp_req *rq, struct idp_resp *rs);
enum idp_err idp_register_manage_handle(struct idp_req *rq,
    struct idp_resp *rs);
/* account.c */
enum idp_err idp_account_handle(struct idp_req *rq, struct idp_resp *rs);
enum idp_err idp_account_password_handle(struct idp_req *rq,
    struct idp_resp *rs);
enum idp_err idp_account_sessions_handle(struct idp_req *rq,
    struct idp_resp *rs);
/* The second factor: the sign-in's second step (factor.c) and the
 * person's factors (account_mfa.c). */
enum idp_err idp_login_factor_handle(struct idp_req *rq, struct idp_resp *rs);
enum idp_err idp_account_mfa_handle(struct idp_req *rq, struct idp_resp *rs);
/* /reset, /reset/code, /reset/new (endpoint/reset.c) */
enum idp_err idp_reset_handle(struct idp_req *rq, struct idp_resp *rs);
/* logout.c */
enum idp_err idp_logout_handle(struct idp_req *rq, struct idp_resp *rs);
/* device.c: the device authorization endpoint (RFC 8628 §3.1) */
enum idp_err idp_device_authorization_handle(struct idp_req *rq,
    struct idp_resp *rs);
/* device_page.c: /device, where the person types the user code */
enum idp_err idp_device_page_handle(struct idp_req *rq, struct idp_resp *rs);
/* static.c */
enum idp_err idp_static_css_handle(struct idp_req *rq, struct idp_resp *rs);

#endif

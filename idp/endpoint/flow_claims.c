/* What a claims request (OIDC Core §5.5) demands of the sign-in itself,
 * checked when the person is signed in and before a code is issued. */
#include "core/release.h"
#include "core/subject.h"
#include "endpoint/flow.h"
#include "oidc/acr.h"
#include "util/log.h"
#include "util/str.h"

enum idp_err
idp_flow_claims_check(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_client *c, const struct idp_authz *z,
    const struct idp_session *s, const char **acr)
{
	const struct idp_claim_ask *ask;

	*acr = s->acr;
	if (z->claims == NULL)
		return IDP_OK;
	/* §3.1.2.2: never a token for another person than the one the
	 * request names, as this client knows them. */
	if (z->claims_sub != NULL && !idp_str_eq(z->claims_sub,
	    idp_subject_for(rq, c, &s->user)))
		return idp_flow_error(rq, rs, z, z->prompt_none ?
		    IDP_ERR_LOGIN_REQUIRED : IDP_ERR_ACCESS_DENIED,
		    "The signed-in person is not the one the claims request "
		    "names.");
	ask = idp_release_acr_ask(rq, z->claims);
	if (idp_acr_choose(ask, s->acr, acr) == IDP_ACR_UNMET) {
		/* A second factor would be asked for here (step-up). */
		IDP_INFO("authorize.acr_unmet", " req=%s client=%s have=%s",
		    rq->id, idp_logq(rq->arena, c->client_id),
		    idp_logq(rq->arena, s->acr));
		return idp_flow_error(rq, rs, z,
		    IDP_ERR_UNMET_AUTHENTICATION_REQUIREMENTS,
		    "The sign-in cannot meet the essential acr of the "
		    "request.");
	}
	return IDP_OK;
}

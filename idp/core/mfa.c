#include <string.h>

#include "core/mfa.h"
#include "core/session_end.h"
#include "oidc/acr.h"
#include "util/arena.h"

bool
idp_session_second_factor(const struct idp_session *s, int64_t *at)
{
	if (s == NULL || s->mfa_at <= 0)
		return false;
	if (at != NULL)
		*at = s->mfa_at;
	return true;
}

bool
idp_mfa_has_factor(const struct idp_mfa_state *st)
{
	return st->totp > 0 || st->passkeys > 0;
}

unsigned
idp_mfa_reasons(const struct idp_mfa_state *st, const struct idp_client *c,
    const struct idp_authz *z)
{
	unsigned why = 0;

	if (idp_mfa_has_factor(st))
		why |= IDP_MFA_PERSON;
	if (c != NULL && c->require_mfa)
		why |= IDP_MFA_CLIENT;
	if (st->org_requires)
		why |= IDP_MFA_ORG;
	if (z != NULL && z->acr_mfa)
		why |= IDP_MFA_ACR;
	return why;
}

const char *
idp_mfa_amr(struct idp_arena *a, const char *password_amr, const char *second)
{
	const char *pwd = password_amr != NULL && *password_amr != '\0' ?
	    password_amr : "pwd";

	if (second == NULL)
		return idp_arena_strdup(a, pwd);
	return idp_arena_printf(a, "%s %s mfa", pwd, second);
}

const char *
idp_mfa_acr(bool second_factor)
{
	return second_factor ? IDP_ACR_MFA : IDP_ACR_PASSWORD;
}

enum idp_err
idp_mfa_reset_tx(struct idp_dbconn *c, struct idp_mfa_reset *r)
{
	struct idp_session_end end = { 0 };
	enum idp_err rc;

	if ((rc = idp_store_mfa_remove_all(c, r->user_id, &r->factors))
	    != IDP_OK)
		return rc;
	end.user_id = r->user_id;
	end.scope = IDP_END_ALL;
	end.grants = IDP_GRANTS_OF_SESSIONS;
	end.reason = "mfa_reset";
	end.request_id = r->request_id;
	if ((rc = idp_session_end_tx(c, &end)) != IDP_OK)
		return rc;
	r->sessions = end.sessions;
	r->revoked = end.revoked;
	return IDP_OK;
}

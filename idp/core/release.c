#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/release.h"
#include "core/reqdb.h"
#include "core/roles.h"
#include "core/subject.h"
#include "util/str.h"

/* For a first-party client, which shows no consent screen, a claim may be
 * asked for one by one under any scope of its policy; a third-party one
 * gets such claims only within the scopes the person consented to. */
static char *const *
releasable(struct idp_arena *a, const struct idp_client *c,
    char *const *granted)
{
	size_t n = 0, k = 0;
	char **v;

	if (!c->first_party)
		return granted;
	while (c->scopes[n] != NULL)
		n++;
	for (char *const *g = granted; g != NULL && *g != NULL; g++)
		n++;
	v = idp_arena_zalloc(a, (n + 1) * sizeof(*v));
	for (char **s = c->scopes; *s != NULL; s++)
		v[k++] = *s;
	for (char *const *g = granted; g != NULL && *g != NULL; g++)
		if (!idp_list_has(v, *g))
			v[k++] = *g;
	return v;
}

static void
add_unique(struct idp_arena *a, char **v, size_t *n, const char *s)
{
	if (s != NULL && !idp_list_has(v, s))
		v[(*n)++] = idp_arena_strdup(a, s);
}

/* roles ("role@org") and groups (organisation codes, the person's own
 * first) from the memberships that count (core/roles.h). */
static enum idp_err
memberships(struct idp_req *rq, const struct idp_user *u,
    struct idp_claims_ctx *x)
{
	struct idp_roles r;
	struct idp_dbconn *db;
	char **roles, **groups;
	size_t nr = 0, ng = 0;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &db)) != IDP_OK ||
	    (rc = idp_roles_of(db, rq->arena, rq->ctx->cfg->operator_org,
	    u->id, &r)) != IDP_OK)
		return rc;
	roles = idp_arena_zalloc(rq->arena, (r.n + 1) * sizeof(char *));
	groups = idp_arena_zalloc(rq->arena, (r.n + 2) * sizeof(char *));
	add_unique(rq->arena, groups, &ng, u->org.code);
	for (size_t i = 0; i < r.n; i++) {
		add_unique(rq->arena, roles, &nr, idp_arena_printf(rq->arena,
		    "%s@%s", idp_role_name(r.v[i].role), r.v[i].org));
		add_unique(rq->arena, groups, &ng, r.v[i].org);
	}
	x->roles = roles;
	x->groups = groups;
	return IDP_OK;
}

enum idp_err
idp_release_claims(struct idp_req *rq, const struct idp_release *r,
    enum idp_claims_dest d, json_t **out)
{
	struct idp_claims_ctx x = { 0 };
	struct idp_claims_req req;
	const char *why = NULL;
	enum idp_err rc;

	*out = NULL;
	x.user = r->user;
	x.sub = idp_subject_for(rq, r->client, r->user);
	x.granted = r->scopes;
	x.releasable = releasable(rq->arena, r->client, r->scopes);
	if (r->claims != NULL) {
		if (idp_claims_req_parse(rq->arena, r->claims, &req, &why)
		    != IDP_OK)
			return IDP_ERR_INTERNAL;	/* our own text */
		x.req = &req;
	}
	if (idp_claims_need_roles(&x) &&
	    (rc = memberships(rq, r->user, &x)) != IDP_OK)
		return rc;
	*out = idp_claims_release(&x, d);
	return IDP_OK;
}

const struct idp_claim_ask *
idp_release_acr_ask(struct idp_req *rq, const char *claims)
{
	struct idp_claims_req *req;
	const char *why = NULL;

	if (claims == NULL)
		return NULL;
	req = idp_arena_zalloc(rq->arena, sizeof(*req));
	if (idp_claims_req_parse(rq->arena, claims, req, &why) != IDP_OK)
		return NULL;
	return idp_claims_req_find(req, IDP_CLAIMS_ID_TOKEN, "acr");
}

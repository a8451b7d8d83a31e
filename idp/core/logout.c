#include <time.h>

#include "config.h"
#include "core/ctx.h"
#include "core/fetch.h"
#include "core/logout.h"
#include "core/published.h"
#include "crypto/jws.h"
#include "crypto/keyset.h"
#include "oidc/logout.h"
#include "oidc/subject.h"
#include "util/buf.h"
#include "util/log.h"

#define FORM_MAX 16384

enum idp_outbox_state
idp_logout_outcome(int fetch_result, long status)
{
	switch (fetch_result) {
	case IDP_FETCH_OK:
		if (status >= 200 && status < 300)
			return IDP_OUTBOX_DELIVERED;
		/* §2.8: a 4xx says the token or the request is wrong; the
		 * same token will not do better later. No redirects are
		 * followed, so a 3xx is a wrong URI. */
		if (status >= 300 && status < 500)
			return IDP_OUTBOX_FAILED;
		return IDP_OUTBOX_RETRY;
	case IDP_FETCH_REFUSED:
		return IDP_OUTBOX_FAILED;
	default:	/* busy, no answer, an endless answer */
		return IDP_OUTBOX_RETRY;
	}
}

/* The signed token, or NULL with r filled in. */
static const char *
sign(struct idp_ctx *ctx, struct idp_arena *a, const struct idp_outbox_msg *m,
    struct idp_outbox_result *r)
{
	const struct idp_published *p = idp_pubring_get(ctx->pub, a);
	struct idp_logout_notice n;
	const struct idp_key *k = NULL;
	enum idp_alg alg;
	const char *sector;
	json_t *claims;
	char *jwt;

	r->outcome = IDP_OUTBOX_FAILED;
	if (idp_logout_notice_parse(a, m->payload, &n) != 0) {
		r->error = "the row does not hold a logout notice";
		return NULL;
	}
	alg = n.alg != NULL ? idp_alg_parse(n.alg) : IDP_ALG_RS256;
	if (p != NULL && alg != IDP_ALG_NONE)
		k = idp_keyset_active(p->keys, alg);
	if (k == NULL && p != NULL)
		k = idp_keyset_active(p->keys, IDP_ALG_RS256);
	if (k == NULL) {
		r->outcome = IDP_OUTBOX_RETRY;	/* keys come back */
		r->error = "no signing key loaded";
		return NULL;
	}
	if ((sector = idp_subject_sector(a, n.subject)) != NULL)
		n.sub = idp_pairwise_sub(a, sector, n.sub, ctx->pairwise_salt,
		    sizeof(ctx->pairwise_salt));	/* core/subject.h */
	claims = idp_logout_token_claims(ctx->cfg->issuer, m->label, &n,
	    (int64_t)time(NULL));
	if (claims == NULL) {
		r->error = "the logout token could not be built";
		return NULL;
	}
	jwt = idp_jws_sign(a, k, "logout+jwt", claims);
	json_decref(claims);
	if (jwt == NULL) {
		r->outcome = IDP_OUTBOX_RETRY;
		r->error = "the logout token could not be signed";
	}
	return jwt;
}

/* The POST of the signed token (§2.5), or false with r filled in. */
static bool
call(void *arg, struct idp_arena *a, const struct idp_outbox_msg *m,
    struct idp_fetch *c, struct idp_fetch_caller *who,
    struct idp_outbox_result *r)
{
	struct idp_ctx *ctx = arg;
	const char *jwt = sign(ctx, a, m, r);
	struct idp_buf form;

	if (jwt == NULL)
		return false;
	idp_buf_init(&form, a, FORM_MAX);
	idp_buf_adds(&form, "logout_token=");
	idp_buf_add_urlenc(&form, jwt);
	if (form.overflow) {
		r->outcome = IDP_OUTBOX_FAILED;
		r->error = "the logout token is too long";
		return false;
	}
	who->client_id = m->label;
	c->method = IDP_FETCH_POST_FORM;
	c->purpose = "backchannel_logout_uri";
	c->uri = m->target;
	c->form = form.data;
	c->max_bytes = 0;	/* §2.8: only the status counts */
	c->background = true;
	c->timeout_ms = ctx->cfg->logout_timeout * 1000;
	return true;
}

static void
judge(void *arg, struct idp_arena *a, const struct idp_outbox_msg *m,
    enum idp_fetch_result res, const struct idp_fetch *c,
    struct idp_outbox_result *r)
{
	(void)arg;
	(void)m;
	r->status = c->status;
	r->outcome = idp_logout_outcome(res, c->status);
	if (res == IDP_FETCH_OK && r->outcome != IDP_OUTBOX_DELIVERED)
		r->error = idp_arena_printf(a, "HTTP %ld", c->status);
	else
		r->error = c->why;
}

void
idp_logout_kind(struct idp_outbox_kind *k, struct idp_ctx *ctx)
{
	*k = (struct idp_outbox_kind){ .name = IDP_LOGOUT_KIND, .arg = ctx,
		.timeout = ctx->cfg->logout_timeout, .call = call,
		.judge = judge,
		.concurrency = ctx->cfg->logout_delivery_concurrency };
}

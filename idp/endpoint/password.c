#include <string.h>
#include <time.h>

#include "config.h"
#include "core/ctx.h"
#include "core/mint.h"
#include "core/outbox.h"
#include "core/pwdict.h"
#include "core/reqdb.h"
#include "endpoint/flow.h"
#include "endpoint/password.h"
#include "store/credential.h"
#include "store/outbox.h"
#include "store/reset.h"
#include "store/session.h"
#include "util/log.h"
#include "util/mem.h"

bool
idp_password_acceptable(struct idp_req *rq, const struct idp_user *u,
    struct idp_newpw_note *note)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	const char *p1 = idp_req_form(rq, "new_password");
	const char *p2 = idp_req_form(rq, "new_password2");
	struct idp_pw_context pc = { u->username, u->name, u->email, u->nip,
		cfg->provider_name, cfg->password_min_length };

	memset(note, 0, sizeof(*note));
	note->verdict = idp_password_check(rq->arena, cfg->password_dictionary,
	    p1, p1 ? strlen(p1) : 0, &pc);
	if (note->verdict == IDP_PW_OK && (p2 == NULL || strcmp(p1, p2) != 0))
		note->mismatch = true;
	return note->verdict == IDP_PW_OK && !note->mismatch;
}

struct idp_pw_job *
idp_password_job(struct idp_req *rq, struct idp_user *u, const char *current,
    const char *fresh)
{
	struct idp_pw_job *j = idp_arena_zalloc(rq->arena, sizeof(*j));

	j->user = u;
	if (current != NULL) {
		j->current = idp_arena_strdup(rq->arena, current);
		j->current_len = strlen(current);
	}
	j->fresh = idp_arena_strdup(rq->arena, fresh);
	j->fresh_len = strlen(fresh);
	j->params = rq->ctx->cfg->argon2;
	return j;
}

void
idp_password_job_run(void *arg)
{
	struct idp_pw_job *j = arg;

	if (j->current != NULL) {
		j->current_ok = j->current_hash != NULL &&
		    idp_pwhash_verify(j->current_hash, j->current,
		    j->current_len) == 0;
		idp_wipe(j->current, j->current_len);
	}
	if (j->current == NULL || j->current_ok)
		j->hashed = idp_pwhash_str(&j->params, j->fresh, j->fresh_len,
		    j->hash) == 0;
	idp_wipe(j->fresh, j->fresh_len);
}

static enum idp_err
commit_steps(struct idp_req *rq, struct idp_dbconn *c,
    struct idp_password_set *s)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_mail_vars mv = { s->user, NULL, 0, (int64_t)time(NULL) };
	unsigned char d[IDP_SHA256_LEN];
	long long uid = 0;
	enum idp_err rc;

	if (s->ticket != NULL) {
		idp_sha256_str(s->ticket, d);
		if ((rc = idp_store_reset_link_use(c, d, &uid)) != IDP_OK)
			return rc;
		if (uid != s->user->id)
			return IDP_ERR_NOT_FOUND;
	}
	/* The store's own function, so that the credentials table, when it
	 * takes the hash, changes this one call. */
	if ((rc = idp_store_user_set_password(c, s->user->username, s->hash))
	    != IDP_OK)
		return rc;
	if (s->end.user_id != 0 && (rc = idp_session_end_tx(c, &s->end))
	    != IDP_OK)
		return rc;
	rc = idp_mail_put(c, rq->arena, cfg, s->mail, &mv, 0);
	if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND)
		return rc;
	idp_flow_audit(rq, s->event, s->user->id, NULL, json_pack(
	    "{s:i, s:i, s:b}", "sessions_ended", s->end.sessions,
	    "grants_revoked", s->end.revoked, "mailed", rc == IDP_OK));
	return IDP_OK;
}

enum idp_err
idp_password_commit(struct idp_req *rq, struct idp_password_set *s)
{
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_store_tx_begin_durable(c)) != IDP_OK)
		return rc;
	s->end.request_id = rq->id;
	if ((rc = commit_steps(rq, c, s)) != IDP_OK ||
	    (rc = idp_db_commit(c)) != IDP_OK) {
		idp_db_rollback(c);
		return rc;
	}
	idp_outbox_wake(rq->ctx->outbox);
	IDP_INFO(s->event, " req=%s ip=%s user=%s sessions_ended=%d "
	    "grants_revoked=%d", rq->id, rq->ip, s->user->sub,
	    s->end.sessions, s->end.revoked);
	return IDP_OK;
}

enum idp_err
idp_password_sign_in(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_user *u)
{
	struct idp_sign_in in = { 0 };
	struct idp_session s;
	enum idp_err rc;

	in.user = u;
	in.auth_time = (int64_t)time(NULL);
	in.amr = "pwd";
	in.acr = "1";
	if ((rc = idp_flow_sign_in(rq, rs, &in, &s)) != IDP_OK)
		return rc;
	idp_flow_audit(rq, "login.success", u->id, NULL, json_pack(
	    "{s:s, s:s}", "sid", s.sid, "via", "password_reset"));
	return IDP_OK;
}

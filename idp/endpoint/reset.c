/* Password reset, two routes that end on one form.
 *
 *   GET/POST /reset       "Lupa kata sandi?": a username or email; the
 *                         answer is the same page whether or not the
 *                         account exists, after the same work (one
 *                         transaction with an audit row); when it
 *                         does and has an address, a single-use link
 *                         (256 bits, stored as a digest, reset_link_ttl)
 *                         is mailed through the outbox, written in that
 *                         same transaction.
 *   GET/POST /reset/code  the username and the code the helpdesk read
 *                         out (idpctl user reset-code): checked in one
 *                         locked statement, at most reset_code_tries
 *                         wrong ones; a good code becomes a ticket.
 *   GET/POST /reset/new   the link's or the ticket's new-password form;
 *                         the hash runs on a hashing thread, then one
 *                         transaction uses up the ticket, sets the
 *                         password, ends every session, revokes every
 *                         grant, audits and mails; the person is signed
 *                         in afresh.
 * Forms carry a CSRF token tied to the idp_browser cookie. Reset requests
 * and code tries are bounded per account (five links an hour, the tries of
 * a code), and both go through the sign-in throttle (core/throttle.h,
 * scopes reset_request and reset_code): counted per name typed and per
 * address, so spraying requests or guessing codes slows down. */
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/mail.h"
#include "core/outbox.h"
#include "core/reqdb.h"
#include "core/reset.h"
#include "core/throttle.h"
#include "crypto/random.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "endpoint/password.h"
#include "http/response.h"
#include "page/page.h"
#include "page/trouble.h"
#include "store/outbox.h"
#include "store/reset.h"
#include "util/log.h"
#include "util/mem.h"

#define CSRF_RESET "reset"

static const char *
csrf_new(struct idp_req *rq, struct idp_resp *rs)
{
	unsigned char d[IDP_SHA256_LEN];

	return idp_flow_csrf(rq, CSRF_RESET, idp_flow_browser(rq, rs, d));
}

static bool
csrf_ok(struct idp_req *rq)
{
	const char *b = idp_req_cookie_token(rq, IDP_BROWSER_COOKIE);

	return rq->has_form && b != NULL && idp_ct_streq(idp_req_form(rq,
	    "csrf_token"), idp_flow_csrf(rq, CSRF_RESET, b));
}

static enum idp_err
bad_form(struct idp_req *rq, struct idp_resp *rs, const char *retry)
{
	struct idp_trouble t = { 0 };

	t.kind = IDP_TROUBLE_BAD_FORM;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "The reset form is not valid.";
	t.retry = retry;
	return idp_page_trouble(rq, rs, &t);
}

static enum idp_err
expired(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_trouble t = { 0 };

	t.kind = IDP_TROUBLE_RESET_EXPIRED;
	t.err = IDP_ERR_INVALID_REQUEST;
	t.detail = "The reset link is used, expired or unknown.";
	t.retry = "/reset";
	return idp_page_trouble(rq, rs, &t);
}

/* The person a username or an email address names; NULL when none (or
 * disabled). */
static enum idp_err
find_person(struct idp_req *rq, struct idp_dbconn *c, const char *who,
    struct idp_user **u)
{
	enum idp_err rc = idp_store_user_by_username(c, rq->arena, who, u);

	if (rc == IDP_ERR_NOT_FOUND && strchr(who, '@') != NULL)
		rc = idp_store_user_by_email(c, rq->arena, who, u);
	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK && (*u)->disabled)) {
		*u = NULL;
		return IDP_OK;
	}
	return rc;
}

/* Inside the transaction: the link and its mail, when there is someone to
 * mail. *mailed tells. */
static enum idp_err
link_and_mail(struct idp_req *rq, struct idp_dbconn *c,
    const struct idp_user *u, bool *mailed)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_mail_vars mv = { u, NULL, cfg->reset_link_ttl, 0 };
	struct idp_secret link;
	bool created = false;
	enum idp_err rc;

	*mailed = false;
	if (!idp_mail_enabled(cfg) || u->email == NULL)
		return IDP_OK;
	rc = idp_reset_issue_link(c, u->id, cfg->reset_link_ttl, "self",
	    strcmp(rq->ip, "-") ? rq->ip : NULL, &link, &created);
	if (rc == IDP_OK && created) {
		mv.link = idp_arena_printf(rq->arena, "%s/reset/new?token=%s",
		    cfg->issuer, link.value);
		rc = idp_mail_put(c, rq->arena, cfg, IDP_MAIL_RESET_LINK, &mv,
		    cfg->reset_link_ttl);
		*mailed = rc == IDP_OK;
		if (rc == IDP_ERR_NOT_FOUND)
			rc = IDP_OK;
	}
	idp_secret_wipe(&link);
	return rc;
}

static enum idp_err
request_link(struct idp_req *rq, struct idp_resp *rs)
{
	const char *who = idp_req_form(rq, "who");
	struct idp_throttle *t = idp_arena_zalloc(rq->arena, sizeof(*t));
	struct idp_user *u = NULL;
	struct idp_dbconn *c;
	bool mailed = false;
	enum idp_err rc;

	if (!csrf_ok(rq))
		return bad_form(rq, rs, "/reset");
	if (who == NULL || *who == '\0')
		return idp_page_reset_ask(rq, rs, csrf_new(rq, rs), who, true);
	if (strlen(who) > 254)
		return idp_page_reset_sent(rq, rs);
	/* Every request counts, for the name typed whether or not it is
	 * someone's, so the throttle says nothing about who exists. A
	 * refused one gets the same page and sends nothing. */
	t->scope = IDP_THROTTLE_RESET_REQUEST;
	t->name = who;
	if ((rc = idp_throttle_begin(rq, t)) != IDP_OK ||
	    (rc = idp_throttle_failed(rq, t)) != IDP_OK)
		return rc;
	if (!t->allowed)
		return idp_page_reset_sent(rq, rs);
	/* The same work either way: one transaction, a lookup and an audit
	 * row; a known address adds two small inserts. It commits
	 * asynchronously like a sign-in: a request lost to a crash of
	 * PostgreSQL in the last instant is one the person makes again, and
	 * no request waits for a WAL flush behind a login storm. */
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	if ((rc = find_person(rq, c, who, &u)) == IDP_OK && u != NULL)
		rc = link_and_mail(rq, c, u, &mailed);
	if (rc == IDP_OK) {
		idp_flow_audit(rq, "password_reset.requested", u ? u->id : 0,
		    NULL, json_pack("{s:b, s:b}", "known", u != NULL, "mailed",
		    mailed));
		rc = idp_db_commit(c);
	}
	if (rc != IDP_OK) {
		idp_db_rollback(c);
		return rc;
	}
	if (mailed)
		idp_outbox_wake(rq->ctx->outbox);
	IDP_INFO("password_reset.requested", " req=%s ip=%s mailed=%s",
	    rq->id, rq->ip, mailed ? "yes" : "no");
	return idp_page_reset_sent(rq, rs);
}

/* A good code becomes a ticket for the new-password form, in the same
 * transaction as the try, so a code is never used up without one. */
static enum idp_err
code_try(struct idp_req *rq, struct idp_dbconn *c, const struct idp_user *u,
    const char *digits, struct idp_secret *ticket, bool *ok)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	unsigned char d[IDP_SHA256_LEN];
	bool created = false;
	enum idp_err rc;

	idp_reset_code_digest(u->id, digits, d);
	if ((rc = idp_store_tx_begin_durable(c)) != IDP_OK)
		return rc;
	rc = idp_store_reset_code_try(c, u->id, d, cfg->reset_code_tries, ok);
	if (rc == IDP_ERR_NOT_FOUND) {
		*ok = false;
		rc = IDP_OK;
	}
	if (rc == IDP_OK && *ok)
		rc = idp_reset_issue_link(c, u->id, cfg->reset_link_ttl, "code",
		    NULL, ticket, &created);
	if (rc == IDP_OK)
		idp_flow_audit(rq, *ok ? "password_reset.code_accepted" :
		    "password_reset.code_refused", u->id, NULL, NULL);
	if (rc != IDP_OK || (rc = idp_db_commit(c)) != IDP_OK)
		idp_db_rollback(c);
	return rc;
}

static enum idp_err
check_code(struct idp_req *rq, struct idp_resp *rs)
{
	const char *username = idp_req_form(rq, "username");
	char digits[IDP_RESET_CODE_DIGITS + 1];
	struct idp_throttle *t = idp_arena_zalloc(rq->arena, sizeof(*t));
	struct idp_secret ticket = { 0 };
	struct idp_user *u = NULL;
	struct idp_dbconn *c;
	bool ok = false;
	enum idp_err rc = IDP_OK;

	if (!csrf_ok(rq))
		return bad_form(rq, rs, "/reset/code");
	if (username != NULL && strlen(username) > 128)
		username = NULL;
	if (username != NULL && *username != '\0' &&
	    idp_reset_code_parse(idp_req_form(rq, "code"), digits) == 0) {
		if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
		    (rc = find_person(rq, c, username, &u)) != IDP_OK)
			return rc;
		t->scope = IDP_THROTTLE_RESET_CODE;
		t->user_id = u != NULL ? u->id : 0;
		t->name = username;
		if ((rc = idp_throttle_begin(rq, t)) == IDP_OK && t->allowed &&
		    u != NULL)
			rc = code_try(rq, c, u, digits, &ticket, &ok);
		idp_wipe(digits, sizeof(digits));
		if (rc == IDP_OK && t->allowed)
			rc = ok ? idp_throttle_succeeded(rq, NULL, t) :
			    idp_throttle_failed(rq, t);
	}
	if (rc != IDP_OK)
		return rc;
	if (!ok) {
		IDP_INFO("password_reset.code_refused", " req=%s ip=%s "
		    "username=%s", rq->id, rq->ip, idp_logq(rq->arena,
		    username));
		return idp_page_reset_code(rq, rs, csrf_new(rq, rs), username,
		    true);
	}
	rc = idp_page_reset_new(rq, rs, csrf_new(rq, rs), idp_arena_strdup(
	    rq->arena, ticket.value), u->username, NULL);
	idp_secret_wipe(&ticket);
	return rc;
}

/* The person a ticket (a link's token) belongs to, or NULL. */
static enum idp_err
ticket_user(struct idp_req *rq, const char *ticket, struct idp_user **u)
{
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *c;
	long long id = 0;
	enum idp_err rc;

	*u = NULL;
	if (ticket == NULL || !idp_token_syntax_ok(ticket))
		return IDP_OK;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	idp_sha256_str(ticket, d);
	rc = idp_store_reset_link_user(c, d, &id);
	if (rc == IDP_OK)
		rc = idp_store_user_by_id(c, rq->arena, id, u);
	if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_OK && (*u)->disabled)) {
		*u = NULL;
		rc = IDP_OK;
	}
	return rc;
}

static enum idp_err
reset_done(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_pw_job *j = rq->async_arg;
	struct idp_password_set set = { 0 };
	enum idp_err rc;

	if (!j->hashed)
		return IDP_ERR_INTERNAL;
	set.user = j->user;
	set.hash = j->hash;
	set.ticket = j->ticket;
	set.end.user_id = j->user->id;
	set.end.scope = IDP_END_ALL;
	set.end.grants = IDP_GRANTS_ALL;
	set.end.reason = "password_reset";
	set.event = "password.reset";
	set.mail = IDP_MAIL_PASSWORD_RESET;
	rc = idp_password_commit(rq, &set);
	if (rc == IDP_ERR_NOT_FOUND)
		return expired(rq, rs);
	if (rc != IDP_OK || (rc = idp_password_sign_in(rq, rs, j->user)) !=
	    IDP_OK)
		return rc;
	idp_page_see_other(rq, rs, "/account", "password_reset");
	return IDP_OK;
}

static enum idp_err
new_password(struct idp_req *rq, struct idp_resp *rs)
{
	const char *ticket = rq->method == IDP_POST ? idp_req_form(rq,
	    "ticket") : idp_req_query(rq, "token");
	struct idp_newpw_note note = { 0 };
	struct idp_user *u = NULL;
	struct idp_pw_job *j;
	enum idp_err rc;

	/* The link's token must not travel on in a Referer. */
	idp_resp_header(rs, "Referrer-Policy", "no-referrer");
	if (rq->method == IDP_POST && !csrf_ok(rq))
		return bad_form(rq, rs, "/reset");
	if ((rc = ticket_user(rq, ticket, &u)) != IDP_OK)
		return rc;
	if (u == NULL)
		return expired(rq, rs);
	if (rq->method != IDP_POST)
		return idp_page_reset_new(rq, rs, csrf_new(rq, rs), ticket,
		    u->username, NULL);
	if (!idp_password_acceptable(rq, u, &note))
		return idp_page_reset_new(rq, rs, csrf_new(rq, rs), ticket,
		    u->username, &note);
	j = idp_password_job(rq, u, NULL, idp_req_form(rq, "new_password"));
	j->ticket = ticket;
	idp_reqdb_release(rq);
	rq->async_run = idp_password_job_run;
	rq->async_arg = j;
	rq->cont = reset_done;
	rs->suspend = true;
	return IDP_OK;
}

enum idp_err
idp_reset_handle(struct idp_req *rq, struct idp_resp *rs)
{
	if (!strcmp(rq->path, "/reset/new"))
		return new_password(rq, rs);
	if (!strcmp(rq->path, "/reset/code"))
		return rq->method == IDP_POST ? check_code(rq, rs) :
		    idp_page_reset_code(rq, rs, csrf_new(rq, rs), NULL, false);
	if (rq->method == IDP_POST)
		return request_link(rq, rs);
	return idp_page_reset_ask(rq, rs, csrf_new(rq, rs), NULL, false);
}

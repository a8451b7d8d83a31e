/* Setting up an authenticator app and making recovery codes, for the
 * sign-in's second step (factor.c) and for /account/mfa. The secret is
 * made here, stored with the pending factor, shown once on the page (QR
 * code and text) and never logged; every copy of it in request memory is
 * wiped with the arena. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "core/ctx.h"
#include "core/mail.h"
#include "core/reqdb.h"
#include "core/throttle.h"
#include "core/totpkey.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "crypto/totp.h"
#include "endpoint/factor.h"
#include "store/credential.h"
#include "store/outbox.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

const char *
idp_factor_otpauth_uri(struct idp_req *rq, const struct idp_user *user,
    const char *secret)
{
	const char *issuer = rq->ctx->cfg->provider_name;
	struct idp_buf b;

	/* Key Uri Format (Google Authenticator): label issuer:account. */
	idp_buf_init(&b, rq->arena, 2048);
	idp_buf_adds(&b, "otpauth://totp/");
	idp_buf_add_urlenc(&b, issuer);
	idp_buf_addc(&b, ':');
	idp_buf_add_urlenc(&b, user->username);
	idp_buf_adds(&b, "?secret=");
	idp_buf_adds(&b, secret);
	idp_buf_adds(&b, "&issuer=");
	idp_buf_add_urlenc(&b, issuer);
	idp_buf_adds(&b, "&algorithm=SHA1&digits=6&period=30");
	return b.overflow ? NULL : b.data;
}

enum idp_err
idp_factor_enrol_start(struct idp_req *rq, const struct idp_user *user,
    struct idp_totp_enrol_page *page)
{
	struct idp_credential cr = { 0 }, *list = NULL;
	unsigned char *key = idp_arena_alloc(rq->arena, IDP_TOTP_KEY_LEN);
	struct idp_dbconn *c;
	long long id = 0;
	int n = 0;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_store_cred_list(c, rq->arena, user->id, IDP_CRED_TOTP,
	    &list, &n)) != IDP_OK)
		return rc;
	for (int i = 0; i < n; i++)
		if (list[i].confirmed_at > 0)
			return IDP_ERR_CONFLICT;
	/* One app per person: a set-up that was never finished goes. */
	if (n > 0 && (rc = idp_store_cred_remove(c, user->id, IDP_CRED_TOTP,
	    0)) != IDP_OK)
		return rc;
	if (idp_random_bytes(key, IDP_TOTP_KEY_LEN) != 0)
		return IDP_ERR_INTERNAL;
	cr.user_id = user->id;
	cr.kind = IDP_CRED_TOTP;
	if ((rc = idp_totp_key_put(rq->ctx->kek, rq->arena, key,
	    IDP_TOTP_KEY_LEN, &cr)) != IDP_OK ||
	    (rc = idp_store_cred_add(c, &cr, false, &id)) != IDP_OK) {
		idp_wipe(key, IDP_TOTP_KEY_LEN);
		return rc;
	}
	page->enrol_id = idp_arena_printf(rq->arena, "%lld", id);
	page->secret = idp_base32_encode(rq->arena, key, IDP_TOTP_KEY_LEN);
	page->uri = idp_factor_otpauth_uri(rq, user, page->secret);
	idp_wipe(key, IDP_TOTP_KEY_LEN);
	IDP_INFO("mfa.totp_enrol_started", " req=%s user=%s", rq->id,
	    user->sub);
	return page->uri != NULL ? IDP_OK : IDP_ERR_INTERNAL;
}

enum idp_err
idp_factor_recovery_new(struct idp_dbconn *c, long long user_id,
    char (*codes)[16])
{
	unsigned char d[IDP_SHA256_LEN];
	char norm[IDP_RECOVERY_CHARS + 1];
	enum idp_err rc;

	rc = idp_store_cred_remove(c, user_id, IDP_CRED_RECOVERY_CODE, 0);
	if (rc != IDP_OK && rc != IDP_ERR_NOT_FOUND)
		return rc;
	for (int i = 0; i < IDP_RECOVERY_COUNT; i++) {
		struct idp_credential cr = { 0 };

		idp_recovery_new(codes[i]);
		if (idp_recovery_parse(codes[i], norm) != 0)
			return IDP_ERR_INTERNAL;
		idp_sha256(norm, strlen(norm), d);
		idp_wipe(norm, sizeof(norm));
		cr.user_id = user_id;
		cr.kind = IDP_CRED_RECOVERY_CODE;
		cr.recovery_digest.data = d;
		cr.recovery_digest.len = sizeof(d);
		if ((rc = idp_store_cred_add(c, &cr, true, NULL)) != IDP_OK)
			return rc;
	}
	return IDP_OK;
}

void
idp_factor_changed(struct idp_req *rq, const struct idp_user *user,
    const char *event, bool added, json_t *details)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_mail_vars mv = { user, NULL, 0, (int64_t)time(NULL) };
	struct idp_dbconn *c;
	enum idp_err rc = IDP_ERR_NOT_FOUND;

	if (idp_reqdb(rq, &c) == IDP_OK)
		rc = idp_mail_put(c, rq->arena, cfg, added ?
		    IDP_MAIL_MFA_ADDED : IDP_MAIL_MFA_REMOVED, &mv, 0);
	if (rc == IDP_OK)
		idp_outbox_wake(rq->ctx->outbox);
	else if (rc != IDP_ERR_NOT_FOUND)
		IDP_WARN("mail.lost", " req=%s event=%s", rq->id, event);
	if (details == NULL)
		details = json_object();
	json_object_set_new(details, "mailed", json_boolean(rc == IDP_OK));
	idp_flow_audit(rq, event, user->id, NULL, details);
	IDP_INFO(event, " req=%s user=%s", rq->id, user->sub);
}

/* The pending factor enrol_id of the person. */
static enum idp_err
pending_of(struct idp_req *rq, long long user_id, const char *enrol_id,
    struct idp_credential **out)
{
	struct idp_credential *list = NULL;
	struct idp_dbconn *c;
	int64_t id = 0;
	int n = 0;
	enum idp_err rc;

	*out = NULL;
	if (enrol_id == NULL || idp_parse_i64(enrol_id, 1, INT64_MAX, &id) != 0)
		return IDP_ERR_NOT_FOUND;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_cred_list_open(rq->ctx->kek, c, rq->arena, user_id,
	    IDP_CRED_TOTP, &list, &n)) != IDP_OK)
		return rc;
	for (int i = 0; i < n; i++)
		if (list[i].id == id && list[i].confirmed_at == 0)
			*out = &list[i];
	return *out != NULL ? IDP_OK : IDP_ERR_NOT_FOUND;
}

enum idp_err
idp_factor_enrol_confirm(struct idp_req *rq, const struct idp_user *user,
    const char *enrol_id, const char *typed, char (*codes)[16],
    enum idp_factor_note *note, int *wait)
{
	struct idp_credential *cred;
	struct idp_throttle *t;
	struct idp_dbconn *c;
	int64_t step = -1;
	enum idp_err rc;

	if ((rc = pending_of(rq, user->id, enrol_id, &cred)) != IDP_OK)
		return rc;
	/* The step of the code accepted is recorded below, so that the same
	 * code does not sign in as well. */
	if ((rc = idp_factor_totp_begin(rq, user->id, &t)) != IDP_OK)
		return rc;
	if (!t->allowed) {
		idp_wipe(cred->totp_secret.data, cred->totp_secret.len);
		*note = IDP_FACTOR_THROTTLED;
		*wait = t->wait;
		return IDP_OK;
	}
	rc = idp_factor_totp_check(rq, user->id, cred, typed, t, &step, note);
	if (rc != IDP_OK || *note != IDP_FACTOR_NOTE_NONE)
		return rc;
	if (step < 0)
		return IDP_ERR_INTERNAL;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	if ((rc = idp_store_cred_confirm(c, user->id, cred->id)) != IDP_OK ||
	    (rc = idp_store_cred_mark_used(c, user->id, cred->id, step))
	    != IDP_OK ||
	    (rc = idp_factor_recovery_new(c, user->id, codes)) != IDP_OK ||
	    (rc = idp_db_commit(c)) != IDP_OK) {
		idp_db_rollback(c);
		return rc == IDP_ERR_NOT_FOUND || rc == IDP_ERR_CONFLICT ?
		    IDP_ERR_NOT_FOUND : rc;
	}
	idp_factor_changed(rq, user, "mfa.totp_enrolled", true, json_pack(
	    "{s:I}", "credential", (json_int_t)cred->id));
	return IDP_OK;
}

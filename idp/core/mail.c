#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/fetch.h"
#include "core/mail.h"
#include "core/mime.h"
#include "crypto/random.h"
#include "page/when.h"
#include "store/outbox.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"

#define MAIL_KIND "mail"

/* One template in both languages: subject, then paragraphs; "%N" (a
 * digit) is replaced by argument N. */
struct tmpl {
	const char *label;
	const char *subject[2];
	const char *paras[2][5];
};

/* 1 name, 2 username, 3 provider, 4 link, 5 minutes, 6 time, 7 help */
static const struct tmpl tmpls[] = {
	[IDP_MAIL_RESET_LINK] = { "password_reset",
	  { "Atur ulang kata sandi %3", "Reset your %3 password" },
	  { { "Halo %1,",
	      "Kami menerima permintaan untuk mengatur ulang kata sandi akun "
	      "%2 di %3. Buka tautan di bawah ini untuk membuat kata sandi "
	      "baru. Tautan ini berlaku %5 menit dan hanya dapat dipakai "
	      "sekali.",
	      "%4",
	      "Jika Anda tidak memintanya, abaikan email ini: kata sandi Anda "
	      "tidak berubah.%7", NULL },
	    { "Hello %1,",
	      "We received a request to reset the password of the account %2 "
	      "at %3. Open the link below to choose a new password. The link "
	      "is valid for %5 minutes and works once.",
	      "%4",
	      "If you did not ask for this, ignore this email: your password "
	      "stays the same.%7", NULL } } },
	[IDP_MAIL_PASSWORD_CHANGED] = { "password_changed",
	  { "Kata sandi %3 Anda diubah", "Your %3 password was changed" },
	  { { "Halo %1,",
	      "Kata sandi akun %2 di %3 diubah pada %6.",
	      "Jika Anda yang mengubahnya, tidak ada yang perlu dilakukan. "
	      "Jika bukan Anda, segera hubungi helpdesk agar akun Anda "
	      "diamankan.%7", NULL },
	    { "Hello %1,",
	      "The password of the account %2 at %3 was changed on %6.",
	      "If you changed it, there is nothing to do. If you did not, call "
	      "the helpdesk at once so that your account is secured.%7",
	      NULL } } },
	[IDP_MAIL_PASSWORD_RESET] = { "password_reset_done",
	  { "Kata sandi %3 Anda diatur ulang",
	    "Your %3 password was reset" },
	  { { "Halo %1,",
	      "Kata sandi akun %2 di %3 diatur ulang pada %6. Anda sudah "
	      "dikeluarkan dari semua perangkat lain.",
	      "Jika bukan Anda, segera hubungi helpdesk.%7", NULL },
	    { "Hello %1,",
	      "The password of the account %2 at %3 was reset on %6. You were "
	      "signed out on every other device.",
	      "If this was not you, call the helpdesk at once.%7", NULL } } },
	[IDP_MAIL_MFA_ADDED] = { "mfa_added",
	  { "Verifikasi dua langkah %3 ditambahkan",
	    "Two-step verification added to your %3 account" },
	  { { "Halo %1,",
	      "Cara verifikasi dua langkah baru (aplikasi autentikator atau "
	      "passkey) ditambahkan ke akun %2 di %3 pada %6.",
	      "Jika bukan Anda, segera hubungi helpdesk.%7", NULL },
	    { "Hello %1,",
	      "A new two-step verification method (an authenticator app or a "
	      "passkey) was added to the account %2 at %3 on %6.",
	      "If this was not you, call the helpdesk at once.%7", NULL } } },
	[IDP_MAIL_MFA_REMOVED] = { "mfa_removed",
	  { "Verifikasi dua langkah %3 dihapus",
	    "Two-step verification removed from your %3 account" },
	  { { "Halo %1,",
	      "Cara verifikasi dua langkah dihapus dari akun %2 di %3 pada %6.",
	      "Jika bukan Anda, segera hubungi helpdesk.%7", NULL },
	    { "Hello %1,",
	      "A two-step verification method was removed from the account %2 "
	      "at %3 on %6.",
	      "If this was not you, call the helpdesk at once.%7", NULL } } },
};

bool
idp_mail_enabled(const struct idp_config *cfg)
{
	return cfg->smtp_url != NULL && *cfg->smtp_url != '\0';
}

static const char *
helpdesk_line(struct idp_arena *a, const struct idp_config *cfg, bool en)
{
	const char *phone = cfg->helpdesk_phone, *mail = cfg->helpdesk_email;

	if (*phone == '\0' && *mail == '\0')
		return "";
	return idp_arena_printf(a, en ? " Helpdesk: %s %s%s%s." :
	    " Helpdesk: %s %s%s%s.", cfg->helpdesk_name, phone,
	    *phone && *mail ? ", " : "", mail);
}

/* Paragraph text with its arguments; html: escaped, the link a link. */
static void
expand(struct idp_buf *b, const char *p, const char *const *args, bool html)
{
	for (; *p; p++) {
		int k;

		if (p[0] != '%' || p[1] < '1' || p[1] > '7') {
			idp_buf_addc(b, *p);
			continue;
		}
		k = p[1] - '1';
		p++;
		if (!html) {
			idp_buf_adds(b, args[k]);
		} else if (k == 3) {
			idp_buf_adds(b, "<a href=\"");
			idp_buf_add_html(b, args[k]);
			idp_buf_adds(b, "\">");
			idp_buf_add_html(b, args[k]);
			idp_buf_adds(b, "</a>");
		} else {
			idp_buf_add_html(b, args[k]);
		}
	}
}

char *
idp_mail_compose(struct idp_arena *a, const struct idp_config *cfg,
    enum idp_mail_template t, const struct idp_mail_vars *v)
{
	const struct tmpl *tp = &tmpls[t];
	bool en = v->user->locale != NULL && !strcmp(v->user->locale, "en");
	char when[80] = "", minutes[24];
	char id[IDP_TOKEN_CHARS + 1], bnd[IDP_TOKEN_CHARS + 1];
	const char *args[7];
	struct idp_buf text, html, subj;
	struct idp_mail m = { 0 };
	const char *at = strchr(cfg->mail_from, '@');

	idp_when_text(when, sizeof(when), v->when, en ? "en" : "id");
	snprintf(minutes, sizeof(minutes), "%lld",
	    (long long)(v->valid_for / 60));
	args[0] = v->user->name;
	args[1] = v->user->username;
	args[2] = cfg->provider_name;
	args[3] = v->link ? v->link : "";
	args[4] = minutes;
	args[5] = when;
	args[6] = helpdesk_line(a, cfg, en);
	idp_buf_init(&text, a, 64 * 1024);
	idp_buf_init(&html, a, 64 * 1024);
	idp_buf_init(&subj, a, 1024);
	expand(&subj, tp->subject[en], args, false);
	idp_buf_addf(&html, "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
	    "<meta charset=\"utf-8\"><title>", en ? "en" : "id");
	idp_buf_add_html(&html, subj.data);
	idp_buf_adds(&html, "</title></head>\n<body style=\"font-family:"
	    "sans-serif;font-size:16px;line-height:1.5;max-width:36em\">\n");
	for (int i = 0; i < 5 && tp->paras[en][i] != NULL; i++) {
		expand(&text, tp->paras[en][i], args, false);
		idp_buf_adds(&text, "\n\n");
		idp_buf_adds(&html, "<p>");
		expand(&html, tp->paras[en][i], args, true);
		idp_buf_adds(&html, "</p>\n");
	}
	idp_buf_addf(&text, "-- \n%s\n", cfg->provider_name);
	idp_buf_adds(&html, "<p>-- <br>");
	idp_buf_add_html(&html, cfg->provider_name);
	idp_buf_adds(&html, "</p>\n</body></html>\n");
	if (text.overflow || html.overflow || subj.overflow || at == NULL)
		return NULL;
	idp_random_token_to(id);
	idp_random_token_to(bnd);
	m.from_name = cfg->provider_name;
	m.from_addr = cfg->mail_from;
	m.to_name = v->user->name;
	m.to_addr = v->user->email;
	m.subject = subj.data;
	m.text = text.data;
	m.html = html.data;
	m.lang = en ? "en" : "id";
	m.date = (int64_t)time(NULL);
	m.message_id = idp_arena_printf(a, "%s%s", id, at);
	m.boundary = idp_arena_printf(a, "=_idp_%s", bnd);
	return idp_mime_build(a, &m);
}

enum idp_err
idp_mail_put(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_config *cfg, enum idp_mail_template t,
    const struct idp_mail_vars *v, int64_t give_up)
{
	struct idp_outbox_new n = { 0 };

	if (!idp_mail_enabled(cfg) || v->user->email == NULL ||
	    !idp_mime_addr_ok(v->user->email))
		return IDP_ERR_NOT_FOUND;
	n.kind = MAIL_KIND;
	n.label = tmpls[t].label;
	n.target = v->user->email;
	n.payload = idp_mail_compose(a, cfg, t, v);
	n.user_id = v->user->id;
	n.give_up = give_up > 0 && give_up < cfg->mail_give_up ? give_up :
	    cfg->mail_give_up;
	if (n.payload == NULL)
		return IDP_ERR_INTERNAL;
	return idp_store_outbox_put(c, &n);
}

/* SMTP replies 5xx are permanent (the address does not exist, the relay
 * refuses the message), except 530/535 (authentication), which an
 * operator fixes: those are retried like the 4xx and network errors. */
static void
deliver(void *arg, struct idp_arena *a, const struct idp_outbox_msg *m,
    struct idp_outbox_result *r)
{
	struct idp_ctx *ctx = arg;
	const struct idp_config *cfg = ctx->cfg;
	const char *at = strchr(cfg->mail_from, '@');
	struct idp_fetch_caller who = { "-", NULL, NULL, NULL, NULL };
	struct idp_fetch call = { 0 };
	enum idp_fetch_result fr;

	call.method = IDP_FETCH_SMTP;
	call.purpose = "smtp";
	call.uri = idp_arena_printf(a, "%s/%s", cfg->smtp_url, at + 1);
	call.background = true;
	call.timeout_ms = cfg->smtp_timeout * 1000;
	call.mail_from = idp_arena_printf(a, "<%s>", cfg->mail_from);
	call.mail_rcpt = idp_arena_printf(a, "<%s>", m->target);
	call.upload = m->payload;
	if (*cfg->smtp_user != '\0') {
		call.user = cfg->smtp_user;
		call.password = cfg->smtp_password;
	}
	fr = idp_fetch(ctx->fetch, a, &who, &call);
	r->status = call.status;
	r->error = call.why;
	if (fr == IDP_FETCH_OK)
		r->outcome = IDP_OUTBOX_DELIVERED;
	else if (fr == IDP_FETCH_REFUSED || (call.status >= 500 &&
	    call.status < 600 && call.status != 530 && call.status != 535))
		r->outcome = IDP_OUTBOX_FAILED;
	else
		r->outcome = IDP_OUTBOX_RETRY;
}

void
idp_mail_kind(struct idp_outbox_kind *k, struct idp_ctx *ctx)
{
	*k = (struct idp_outbox_kind){ .name = MAIL_KIND, .deliver = deliver,
		.arg = ctx, .timeout = ctx->cfg->smtp_timeout };
}

/* The person's own pages: the account page, the question before a consent
 * is withdrawn, the sign-out question and the signed-out page. */
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "endpoint/pages.h"
#include "page/form.h"
#include "page/page.h"

enum {
	M_ACCOUNT_TITLE,
	M_SIGNED_IN_AS,
	M_USERNAME,
	M_ORG,
	M_SINCE,
	M_CONSENTS,
	M_NO_CONSENTS,
	M_WITHDRAW,
	M_WITHDRAWN,
	M_LOGOUT,
	M_WITHDRAW_TITLE,
	M_WITHDRAW_WHAT,
	M_CANCEL,
	M_LOGOUT_TITLE,
	M_LOGOUT_WHAT,
	M_SIGNED_OUT_TITLE,
	M_SIGNED_OUT_WHAT,
	M_SIGNED_OUT_SHARED,
	M_SIGN_IN_AGAIN,
	M_SECURITY,
	M_CHANGE_PASSWORD,
	M_SESSIONS,
	M_PASSWORD_CHANGED,
	M_PASSWORD_RESET,
	M_MFA,
	M_COUNT
};

const struct idp_msg idp_account_msgs[] = {
	[M_ACCOUNT_TITLE] = { "Akun saya", "My account" },
	[M_SIGNED_IN_AS] = { "Anda masuk sebagai %s.",
	    "You are signed in as %s." },
	[M_USERNAME] = { "Nama pengguna", "Username" },
	[M_ORG] = { "Instansi", "Institution" },
	[M_SINCE] = { "Masuk sejak", "Signed in since" },
	[M_CONSENTS] = { "Aplikasi pihak ketiga yang Anda izinkan",
	    "Third-party applications you allowed" },
	[M_NO_CONSENTS] = { "Tidak ada izin yang tersimpan.",
	    "No permissions are stored." },
	[M_WITHDRAW] = { "Cabut izin", "Withdraw permission" },
	[M_WITHDRAWN] = { "Izin sudah dicabut. Aplikasi itu harus meminta izin "
	    "lagi saat Anda memakainya.", "The permission is withdrawn. The "
	    "application must ask again when you next use it." },
	[M_LOGOUT] = { "Keluar", "Sign out" },
	[M_WITHDRAW_TITLE] = { "Cabut izin untuk %s?",
	    "Withdraw the permission of %s?" },
	[M_WITHDRAW_WHAT] = { "Aplikasi ini tidak dapat lagi mengakses data "
	    "Anda, dan akses yang sudah diberikan berhenti saat ini juga.",
	    "The application can no longer reach your data, and the access "
	    "it was given stops at once." },
	[M_CANCEL] = { "Batal", "Cancel" },
	[M_LOGOUT_TITLE] = { "Keluar dari %s?", "Sign out of %s?" },
	[M_LOGOUT_WHAT] = { "Anda akan keluar dari semua layanan yang Anda "
	    "buka melalui SSO di peramban ini.", "You will be signed out of "
	    "every service you opened through the SSO in this browser." },
	[M_SIGNED_OUT_TITLE] = { "Anda sudah keluar", "You have signed out" },
	[M_SIGNED_OUT_WHAT] = { "Anda sudah keluar dari %s di peramban ini.",
	    "You have signed out of %s in this browser." },
	[M_SIGNED_OUT_SHARED] = { "Jika komputer ini dipakai bersama, tutup "
	    "peramban sebelum Anda pergi.", "If this computer is shared, close "
	    "the browser before you leave." },
	[M_SIGN_IN_AGAIN] = { "Masuk lagi", "Sign in again" },
	[M_SECURITY] = { "Keamanan", "Security" },
	[M_CHANGE_PASSWORD] = { "Ubah kata sandi", "Change your password" },
	[M_SESSIONS] = { "Sesi aktif di perangkat Anda",
	    "Active sessions on your devices" },
	[M_PASSWORD_CHANGED] = { "Kata sandi Anda sudah diubah.",
	    "Your password is changed." },
	[M_PASSWORD_RESET] = { "Kata sandi baru Anda sudah disimpan. Anda "
	    "sudah keluar dari semua perangkat lain.", "Your new password is "
	    "saved. You are signed out everywhere else." },
	[M_MFA] = { "Verifikasi dua langkah (aplikasi autentikator, passkey)",
	    "Two-step verification (authenticator app, passkeys)" },
};
const size_t idp_account_nmsgs = M_COUNT;

#define M(k) (&idp_account_msgs[k])

static const struct idp_flash flashes[] = {
	{ "consent_withdrawn", M(M_WITHDRAWN) },
	{ "password_changed", M(M_PASSWORD_CHANGED) },
	{ "password_reset", M(M_PASSWORD_RESET) },
	{ NULL, NULL },
};

static void
logout_form(struct idp_page *pg, const char *csrf)
{
	idp_form_begin(pg, "/logout", csrf);
	idp_form_hidden(pg, "confirm", "yes");
	idp_form_button(pg, "secondary", NULL, NULL, M(M_LOGOUT));
	idp_form_end(pg);
}

static void
consent_item(struct idp_page *pg, const struct idp_account_consent *c,
    const char *csrf)
{
	idp_page_raw(pg, "<section class=\"item\">");
	idp_page_raw(pg, "<h3>");
	idp_page_text(pg, c->client_name);
	idp_page_raw(pg, "</h3>");
	idp_pages_scopes(pg, c->scopes);
	idp_form_begin(pg, "/account", csrf);
	idp_form_hidden(pg, "action", "withdraw");
	idp_form_hidden(pg, "client_id", c->client_id);
	idp_form_button(pg, "secondary", NULL, NULL, M(M_WITHDRAW));
	idp_form_end(pg);
	idp_page_raw(pg, "</section>");
}

enum idp_err
idp_page_account(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_account_page *p)
{
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, NULL);
	pg.self = "/account";
	idp_page_head(&pg, M(M_ACCOUNT_TITLE), NULL);
	idp_page_flash(&pg, flashes);
	idp_page_para(&pg, NULL, M(M_SIGNED_IN_AS), p->user->name);
	idp_page_dl_begin(&pg);
	idp_page_dl_text(&pg, M(M_USERNAME), p->user->username);
	if (p->user->org.name != NULL)
		idp_page_dl_text(&pg, M(M_ORG), p->user->org.name);
	idp_page_dl_time(&pg, M(M_SINCE), p->auth_time);
	idp_page_dl_end(&pg);
	idp_page_heading(&pg, 2, M(M_CONSENTS), NULL);
	if (p->nconsents == 0)
		idp_page_para(&pg, "muted", M(M_NO_CONSENTS), NULL);
	for (size_t i = 0; i < p->nconsents; i++)
		consent_item(&pg, &p->consents[i], p->csrf_account);
	idp_page_heading(&pg, 2, M(M_SECURITY), NULL);
	idp_page_raw(&pg, "<ul class=\"links\"><li>");
	idp_page_link(&pg, NULL, "/account/password", M(M_CHANGE_PASSWORD),
	    NULL);
	idp_page_raw(&pg, "</li><li>");
	idp_page_link(&pg, NULL, "/account/mfa", M(M_MFA), NULL);
	idp_page_raw(&pg, "</li><li>");
	idp_page_link(&pg, NULL, "/account/sessions", M(M_SESSIONS), NULL);
	idp_page_raw(&pg, "</li></ul>");
	logout_form(&pg, p->csrf_logout);
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_page_withdraw(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_withdraw_page *p)
{
	const struct idp_hidden hidden[] = { { "action", "withdraw" },
		{ "client_id", p->client_id }, { NULL, NULL } };
	const struct idp_confirm c = { "/account", p->csrf_token, hidden,
		M(M_WITHDRAW), M(M_CANCEL), "/account" };
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, NULL);
	idp_page_head(&pg, M(M_WITHDRAW_TITLE), p->client_name);
	idp_page_para(&pg, NULL, M(M_WITHDRAW_WHAT), NULL);
	idp_form_confirm(&pg, &c);
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_page_logout_confirm(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_logout_page *p)
{
	const struct idp_hidden hidden[] = { { "client_id", p->client_id },
		{ "post_logout_redirect_uri", p->post_logout_redirect_uri },
		{ "state", p->state }, { "ui_locales", p->ui_locales },
		{ NULL, NULL } };
	const struct idp_confirm c = { "/logout", p->csrf_token, hidden,
		M(M_LOGOUT), M(M_CANCEL), "/account" };
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, p->ui_locales);
	if (p->post_logout_redirect_uri != NULL)
		idp_csp_form_action(&pg.csp, p->post_logout_redirect_uri);
	idp_page_head(&pg, M(M_LOGOUT_TITLE), rq->ctx->cfg->provider_name);
	idp_page_para(&pg, NULL, M(M_SIGNED_IN_AS), p->user->name);
	idp_page_para(&pg, NULL, M(M_LOGOUT_WHAT), NULL);
	idp_form_confirm(&pg, &c);
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_page_signed_out(struct idp_req *rq, struct idp_resp *rs,
    const char *ui_locales)
{
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, ui_locales);
	idp_page_head(&pg, M(M_SIGNED_OUT_TITLE), NULL);
	idp_page_para(&pg, NULL, M(M_SIGNED_OUT_WHAT),
	    rq->ctx->cfg->provider_name);
	idp_page_para(&pg, NULL, M(M_SIGNED_OUT_SHARED), NULL);
	idp_page_raw(&pg, "<div class=\"actions\">");
	idp_page_link(&pg, "button", "/login?next=%2Faccount",
	    M(M_SIGN_IN_AGAIN), NULL);
	idp_page_raw(&pg, "</div>");
	return idp_page_send(&pg, 200);
}

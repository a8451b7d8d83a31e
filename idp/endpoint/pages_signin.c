/* The sign-in pages: the login form (for a service, or for the provider's
 * own pages) and the consent question of third-party services. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "endpoint/pages.h"
#include "page/form.h"
#include "page/html.h"
#include "page/page.h"

enum {
	M_LOGIN_TITLE,
	M_LOGIN_INTRO,
	M_LOGIN_LOCAL_INTRO,
	M_USERNAME,
	M_PASSWORD,
	M_SUBMIT,
	M_SIGNED_IN_AS,
	M_BAD_CREDENTIALS,
	M_THROTTLED,
	M_THROTTLED_SECOND,
	M_THROTTLED_MINUTES,
	M_NEED_USERNAME,
	M_NEED_PASSWORD,
	M_RESTARTED,
	M_CONSENT_TITLE,
	M_CONSENT_AS,
	M_CONSENT_INTRO,
	M_ALLOW,
	M_DENY,
	M_CONSENT_NOTE,
	M_POLICY,
	M_TOS,
	M_SCOPE_OPENID,
	M_SCOPE_PROFILE,
	M_SCOPE_EMAIL,
	M_SCOPE_PHONE,
	M_SCOPE_ORGANISATION,
	M_SCOPE_OFFLINE,
	M_SCOPE_OTHER,
	M_SCOPE_API,
	M_SCOPE_API_OF,
	M_VERIFIED,
	M_CONSENT_INTRO_OURS,
	M_ABOUT,
	M_OWNER,
	M_OWNER_UNKNOWN,
	M_SITE,
	M_CONTACTS,
	M_FORGOT,
	M_COUNT
};

const struct idp_msg idp_signin_msgs[] = {
	[M_LOGIN_TITLE] = { "Masuk ke %s", "Sign in to %s" },
	[M_LOGIN_INTRO] = { "Gunakan akun %s Anda.", "Use your %s account." },
	[M_LOGIN_LOCAL_INTRO] = { "Masuk dengan akun %s Anda untuk membuka "
	    "halaman yang Anda minta.", "Sign in with your %s account to open "
	    "the page you asked for." },
	[M_USERNAME] = { "Nama pengguna, NIP atau email",
	    "Username, NIP or email" },
	[M_PASSWORD] = { "Kata sandi", "Password" },
	[M_SUBMIT] = { "Masuk", "Sign in" },
	[M_SIGNED_IN_AS] = { "Saat ini masuk sebagai %s. Masuk lagi atau "
	    "gunakan akun lain.", "Currently signed in as %s. Sign in again "
	    "or use another account." },
	[M_BAD_CREDENTIALS] = { "Nama pengguna, NIP, email atau kata sandi "
	    "salah.", "The username, NIP, email or password is incorrect." },
	[M_THROTTLED] = { "Terlalu banyak percobaan masuk yang gagal. Coba "
	    "lagi dalam %s detik.", "Too many failed sign-in attempts. Try "
	    "again in %s seconds." },
	[M_THROTTLED_SECOND] = { "Terlalu banyak percobaan masuk yang gagal. "
	    "Coba lagi dalam 1 detik.", "Too many failed sign-in attempts. Try "
	    "again in 1 second." },
	[M_THROTTLED_MINUTES] = { "Terlalu banyak percobaan masuk yang gagal. "
	    "Coba lagi dalam %s menit, atau hubungi helpdesk.", "Too many "
	    "failed sign-in attempts. Try again in %s minutes, or call the "
	    "helpdesk." },
	[M_NEED_USERNAME] = { "Isi nama pengguna, NIP atau email Anda.",
	    "Enter your username, NIP or email." },
	[M_NEED_PASSWORD] = { "Isi kata sandi Anda.", "Enter your password." },
	[M_RESTARTED] = { "Halaman masuk tadi sudah kedaluwarsa. Masukkan kata "
	    "sandi Anda sekali lagi untuk melanjutkan.", "The sign-in page had "
	    "expired. Enter your password once more to go on." },
	[M_CONSENT_TITLE] = { "%s meminta izin", "%s asks for permission" },
	[M_CONSENT_AS] = { "Anda masuk sebagai %s.",
	    "You are signed in as %s." },
	[M_CONSENT_INTRO] = { "Aplikasi ini tidak dikelola oleh Pemerintah "
	    "Provinsi Bali. Jika Anda mengizinkan, aplikasi ini dapat:",
	    "This application is not run by the Bali Provincial Government. "
	    "If you allow it, it can:" },
	[M_ALLOW] = { "Izinkan", "Allow" },
	[M_DENY] = { "Tolak", "Deny" },
	[M_CONSENT_NOTE] = { "Anda dapat mencabut izin ini kapan saja di "
	    "halaman akun Anda.", "You can withdraw this permission at any "
	    "time on your account page." },
	[M_POLICY] = { "Kebijakan privasi", "Privacy policy" },
	[M_TOS] = { "Ketentuan layanan", "Terms of service" },
	[M_SCOPE_OPENID] = { "Mengetahui identitas Anda (pengenal akun)",
	    "Know who you are (your account identifier)" },
	[M_SCOPE_PROFILE] = { "Melihat nama dan nama pengguna Anda",
	    "See your name and username" },
	[M_SCOPE_EMAIL] = { "Melihat alamat email Anda",
	    "See your email address" },
	[M_SCOPE_PHONE] = { "Melihat nomor telepon Anda",
	    "See your phone number" },
	[M_SCOPE_ORGANISATION] = { "Melihat instansi, NIP dan jabatan Anda",
	    "See your institution, civil servant number and job title" },
	[M_SCOPE_OFFLINE] = { "Tetap terhubung saat Anda tidak sedang "
	    "memakainya, sampai Anda mencabut izin ini", "Stay connected "
	    "while you are not using it, until you withdraw this permission" },
	[M_SCOPE_OTHER] = { "Akses: %s", "Access: %s" },
	[M_SCOPE_API] = { "Memakai layanan %s atas nama Anda",
	    "Use the service %s on your behalf" },
	[M_SCOPE_API_OF] = { "Izin %s dari layanan %s",
	    "Permission %s of the service %s" },
	[M_VERIFIED] = { "Layanan resmi Pemerintah Provinsi Bali",
	    "An official service of the Bali Provincial Government" },
	[M_CONSENT_INTRO_OURS] = { "Jika Anda mengizinkan, layanan ini dapat:",
	    "If you allow it, this service can:" },
	[M_ABOUT] = { "Tentang aplikasi ini", "About this application" },
	[M_OWNER] = { "Pengelola", "Run by" },
	[M_OWNER_UNKNOWN] = { "Tidak diketahui", "Unknown" },
	[M_SITE] = { "Situs", "Website" },
	[M_CONTACTS] = { "Kontak", "Contact" },
	[M_FORGOT] = { "Lupa kata sandi?", "Forgot your password?" },
};
const size_t idp_signin_nmsgs = M_COUNT;

#define M(k) (&idp_signin_msgs[k])

/* The notes that are errors of the whole form (both fields refer to them);
 * a missing field is marked on the field itself. */
static const char *
note_of(struct idp_page *pg, const struct idp_login_page *p)
{
	int m = p->note == IDP_LOGIN_BAD_CREDENTIALS ? M_BAD_CREDENTIALS : -1;
	char n[16];

	if (p->note == IDP_LOGIN_RESTARTED) {
		idp_page_raw(pg, "<p class=\"flash\" role=\"status\" "
		    "id=\"login-note\">");
		idp_page_t(pg, M(M_RESTARTED), NULL);
		idp_page_raw(pg, "</p>");
		return "login-note";
	}
	if (p->note == IDP_LOGIN_THROTTLED) {
		/* Minutes, rounded up, once seconds get hard to read. */
		m = p->wait > 120 ? M_THROTTLED_MINUTES : p->wait <= 1 ?
		    M_THROTTLED_SECOND : M_THROTTLED;
		snprintf(n, sizeof(n), "%d", p->wait > 120 ?
		    (p->wait + 59) / 60 : p->wait);
	}
	if (m < 0)
		return NULL;
	idp_page_raw(pg, "<p class=\"error\" role=\"alert\" "
	    "id=\"login-error\">");
	idp_page_t(pg, M(m), m == M_BAD_CREDENTIALS ||
	    m == M_THROTTLED_SECOND ? NULL : n);
	idp_page_raw(pg, "</p>");
	return "login-error";
}

/* The mark of a service the province runs itself (first_party): a tick
 * drawn inline (decorative) and the words, which are what counts. */
static void
verified(struct idp_page *pg)
{
	idp_page_raw(pg, "<p class=\"verified\"><svg aria-hidden=\"true\" "
	    "focusable=\"false\" width=\"20\" height=\"20\" "
	    "viewBox=\"0 0 20 20\"><circle cx=\"10\" cy=\"10\" r=\"10\" "
	    "fill=\"#116329\"/><path d=\"M5.5 10.5l3 3 6-7\" fill=\"none\" "
	    "stroke=\"#fff\" stroke-width=\"2.2\"/></svg> ");
	idp_page_t(pg, M(M_VERIFIED), NULL);
	idp_page_raw(pg, "</p>");
}

/* The login page by GET, in whichever language: /login?login=ID. */
static const char *
self_of(struct idp_req *rq, const char *login_id)
{
	struct idp_buf b;

	idp_buf_init(&b, rq->arena, 1024);
	idp_buf_adds(&b, "/login?login=");
	idp_buf_add_urlenc(&b, login_id);
	return b.overflow ? NULL : b.data;
}

enum idp_err
idp_page_login(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_login_page *p)
{
	const char *provider = rq->ctx->cfg->provider_name;
	bool missing = p->note == IDP_LOGIN_MISSING;
	bool has_name = p->username != NULL && *p->username != '\0';
	struct idp_field user = { 0 }, pass = { 0 };
	struct idp_page pg;
	const char *note;

	idp_page_init(&pg, rq, rs, p->ui_locales);
	pg.self = self_of(rq, p->login_id);
	if (p->redirect_uri != NULL)
		idp_csp_form_action(&pg.csp, p->redirect_uri);
	idp_page_head(&pg, M(M_LOGIN_TITLE), p->client ? p->client->name :
	    provider);
	if (p->client != NULL)
		idp_page_logo(&pg, p->client->logo_uri);
	if (p->client != NULL && p->client->first_party)
		verified(&pg);
	idp_page_para(&pg, NULL, M(p->client ? M_LOGIN_INTRO :
	    M_LOGIN_LOCAL_INTRO), provider);
	if (p->current_user != NULL)
		idp_page_para(&pg, "muted", M(M_SIGNED_IN_AS), p->current_user);
	note = note_of(&pg, p);
	idp_form_begin(&pg, "/login", p->csrf_token);
	idp_form_hidden(&pg, "login", p->login_id);
	user.name = "username";
	user.label = M(M_USERNAME);
	user.error = missing && !has_name ? M(M_NEED_USERNAME) : NULL;
	user.describedby = note;
	user.value = p->username;
	user.autocomplete = "username";
	user.maxlength = 254;
	user.required = true;
	user.autofocus = !has_name;
	idp_form_field(&pg, &user);
	pass.name = "password";
	pass.type = "password";
	pass.label = M(M_PASSWORD);
	pass.error = missing && p->password_missing ? M(M_NEED_PASSWORD) : NULL;
	pass.describedby = note;
	pass.autocomplete = "current-password";
	pass.maxlength = 1024;
	pass.required = true;
	pass.autofocus = has_name;
	idp_form_field(&pg, &pass);
	idp_form_button(&pg, NULL, NULL, NULL, M(M_SUBMIT));
	idp_form_end(&pg);
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, NULL, "/reset", M(M_FORGOT), NULL);
	idp_page_raw(&pg, "</p>");
	if (p->note != IDP_LOGIN_THROTTLED)
		return idp_page_send(&pg, 200);
	idp_resp_header(rs, "Retry-After", idp_arena_printf(rq->arena, "%d",
	    p->wait));
	return idp_page_send(&pg, 429);
}

/* An API scope as its resource server's manifest describes it, with the
 * scope and the service in small print; without a description, what the
 * service is. */
static bool
api_item(struct idp_page *pg, const struct idp_client *c, const char *scope)
{
	const struct idp_api_scope *s = NULL;
	const char *server;

	for (size_t i = 0; c != NULL && i < c->napi; i++)
		if (!strcmp(c->api[i].scope, scope))
			s = &c->api[i];
	if (s == NULL)
		return false;
	server = s->server_name != NULL ? s->server_name : s->server;
	if (s->description != NULL && *s->description != '\0')
		idp_page_text(pg, s->description);
	else
		idp_page_t(pg, M(M_SCOPE_API), server);
	idp_page_raw(pg, " <span class=\"muted\">(");
	idp_page_t2(pg, M(M_SCOPE_API_OF), scope, server);
	idp_page_raw(pg, ")</span>");
	return true;
}

static void
scope_item(struct idp_page *pg, const struct idp_client *c,
    const char *scope)
{
	static const struct {
		const char *name;
		int msg;
	} known[] = {
		{ "openid", M_SCOPE_OPENID }, { "profile", M_SCOPE_PROFILE },
		{ "email", M_SCOPE_EMAIL }, { "phone", M_SCOPE_PHONE },
		{ "organisation", M_SCOPE_ORGANISATION },
		{ "offline_access", M_SCOPE_OFFLINE },
	};

	idp_page_raw(pg, "<li>");
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (!strcmp(known[i].name, scope)) {
			idp_page_t(pg, M(known[i].msg), NULL);
			idp_page_raw(pg, "</li>");
			return;
		}
	}
	if (!api_item(pg, c, scope))
		idp_page_t(pg, M(M_SCOPE_OTHER), scope);
	idp_page_raw(pg, "</li>");
}

void
idp_pages_client_scopes(struct idp_page *pg, const struct idp_client *c,
    char *const *scopes)
{
	idp_page_raw(pg, "<ul class=\"scopes\">");
	for (char *const *s = scopes; s != NULL && *s != NULL; s++)
		scope_item(pg, c, *s);
	idp_page_raw(pg, "</ul>");
}

void
idp_pages_scopes(struct idp_page *pg, char *const *scopes)
{
	idp_pages_client_scopes(pg, NULL, scopes);
}

/* Who runs a third-party application and how to reach them: its owner
 * organisation, the host of its client_uri (only when shown, see
 * oidc/client.h) and its contacts. */
static void
about(struct idp_page *pg, const struct idp_client *c)
{
	idp_page_raw(pg, "<section class=\"about\" aria-labelledby=\"about\">"
	    "<h2 id=\"about\">");
	idp_page_t(pg, M(M_ABOUT), NULL);
	idp_page_raw(pg, "</h2>");
	idp_page_dl_begin(pg);
	idp_page_dl_text(pg, M(M_OWNER), c->owner_org_name != NULL ?
	    c->owner_org_name : idp_page_str(pg, M(M_OWNER_UNKNOWN)));
	if (c->client_uri != NULL && c->client_uri_host != NULL) {
		idp_page_raw(pg, "<div><dt>");
		idp_page_t(pg, M(M_SITE), NULL);
		idp_page_raw(pg, "</dt><dd>");
		idp_page_raw(pg, "<a");
		idp_html_href(&pg->b, c->client_uri);
		idp_page_raw(pg, ">");
		idp_page_text(pg, c->client_uri_host);
		idp_page_raw(pg, "</a></dd></div>");
	}
	if (c->contacts != NULL && c->contacts[0] != NULL) {
		idp_page_raw(pg, "<div><dt>");
		idp_page_t(pg, M(M_CONTACTS), NULL);
		idp_page_raw(pg, "</dt><dd><ul class=\"plain\">");
		for (char **k = c->contacts; *k != NULL; k++) {
			idp_page_raw(pg, "<li>");
			idp_page_text(pg, *k);
			idp_page_raw(pg, "</li>");
		}
		idp_page_raw(pg, "</ul></dd></div>");
	}
	idp_page_dl_end(pg);
	idp_page_raw(pg, "</section>");
}

enum idp_err
idp_page_consent(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_consent_page *p)
{
	const struct idp_client *c = p->client;
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, p->ui_locales);
	idp_csp_form_action(&pg.csp, p->redirect_uri);
	idp_page_head(&pg, M(M_CONSENT_TITLE), c->name);
	idp_page_logo(&pg, c->logo_uri);
	if (c->first_party)
		verified(&pg);
	idp_page_para(&pg, NULL, M(M_CONSENT_AS), p->user->name);
	idp_page_para(&pg, NULL, M(c->first_party ? M_CONSENT_INTRO_OURS :
	    M_CONSENT_INTRO), NULL);
	idp_pages_client_scopes(&pg, c, p->scopes);
	if (c->policy_uri != NULL || c->tos_uri != NULL) {
		idp_page_raw(&pg, "<p class=\"muted\">");
		if (c->policy_uri != NULL)
			idp_page_link(&pg, NULL, c->policy_uri, M(M_POLICY),
			    NULL);
		if (c->policy_uri != NULL && c->tos_uri != NULL)
			idp_page_raw(&pg, " \xc2\xb7 ");
		if (c->tos_uri != NULL)
			idp_page_link(&pg, NULL, c->tos_uri, M(M_TOS), NULL);
		idp_page_raw(&pg, "</p>");
	}
	/* Who asks, before the person answers. */
	if (!c->first_party)
		about(&pg, c);
	idp_form_begin(&pg, "/consent", p->csrf_token);
	idp_form_hidden(&pg, "login", p->login_id);
	idp_page_raw(&pg, "<div class=\"actions\">");
	idp_form_button(&pg, NULL, "decision", "allow", M(M_ALLOW));
	idp_form_button(&pg, "secondary", "decision", "deny", M(M_DENY));
	idp_page_raw(&pg, "</div>");
	idp_form_end(&pg);
	idp_page_para(&pg, "muted", M(M_CONSENT_NOTE), NULL);
	return idp_page_send(&pg, 200);
}

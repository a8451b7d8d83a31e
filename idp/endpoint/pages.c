#include <stdio.h>
#include <string.h>
#include <time.h>

#include "endpoint/pages.h"
#include "http/response.h"
#include "util/buf.h"

struct msg {
	const char *key;
	const char *id;
	const char *en;
};

static const struct msg msgs[] = {
	{ "title_login", "Masuk", "Sign in" },
	{ "heading_login", "Masuk ke %s", "Sign in to %s" },
	{ "intro_login", "Gunakan akun SSO Pemerintah Provinsi Bali Anda.",
	  "Use your Bali Provincial Government SSO account." },
	{ "username", "Nama pengguna", "Username" },
	{ "password", "Kata sandi", "Password" },
	{ "submit_login", "Masuk", "Sign in" },
	{ "signed_in_as", "Saat ini masuk sebagai %s. Masuk lagi atau gunakan "
	  "akun lain.", "Currently signed in as %s. Sign in again or use "
	  "another account." },
	{ IDP_MSG_BAD_CREDENTIALS, "Nama pengguna atau kata sandi salah.",
	  "The username or password is incorrect." },
	{ IDP_MSG_THROTTLED, "Terlalu banyak percobaan gagal. Coba lagi "
	  "dalam 15 menit.", "Too many failed attempts. Try again in 15 "
	  "minutes." },
	{ IDP_MSG_MISSING, "Isi nama pengguna dan kata sandi.",
	  "Enter your username and password." },
	{ "title_consent", "Izin akses", "Permission" },
	{ "heading_consent", "%s meminta izin", "%s asks for permission" },
	{ "intro_consent", "Aplikasi ini bukan dikelola oleh Pemerintah "
	  "Provinsi Bali. Jika Anda mengizinkan, aplikasi ini dapat:",
	  "This application is not run by the Bali Provincial Government. If "
	  "you allow it, it can:" },
	{ "consent_as", "Anda masuk sebagai %s.", "You are signed in as %s." },
	{ "allow", "Izinkan", "Allow" },
	{ "deny", "Tolak", "Deny" },
	{ "consent_note", "Anda dapat mencabut izin ini kapan saja di "
	  "halaman akun Anda.", "You can withdraw this permission at any "
	  "time on your account page." },
	{ "scope_openid", "Mengetahui identitas Anda (pengenal akun)",
	  "Know who you are (your account identifier)" },
	{ "scope_profile", "Melihat nama dan nama pengguna Anda",
	  "See your name and username" },
	{ "scope_email", "Melihat alamat email Anda", "See your e-mail address" },
	{ "scope_phone", "Melihat nomor telepon Anda", "See your phone number" },
	{ "scope_organisation", "Melihat instansi, NIP dan jabatan Anda",
	  "See your institution, civil servant number and job title" },
	{ "scope_other", "Akses: %s", "Access: %s" },
	{ "expired", "Halaman masuk ini sudah kedaluwarsa atau tidak berlaku. "
	  "Kembali ke aplikasi dan coba lagi.", "This sign-in page has "
	  "expired or is not valid. Go back to the application and try "
	  "again." },
	{ "bad_form", "Formulir tidak valid. Kembali ke aplikasi dan coba "
	  "lagi.", "The form is not valid. Go back to the application and "
	  "try again." },
	{ "title_message", "Pemberitahuan", "Notice" },
	{ "title_account", "Akun saya", "My account" },
	{ "account_intro", "Anda masuk sebagai %s.", "You are signed in as %s." },
	{ "account_org", "Instansi", "Institution" },
	{ "account_since", "Masuk sejak (UTC)", "Signed in since (UTC)" },
	{ "account_consents", "Aplikasi pihak ketiga yang Anda izinkan",
	  "Third-party applications you allowed" },
	{ "account_none", "Tidak ada izin yang tersimpan.",
	  "No permissions are stored." },
	{ "withdraw", "Cabut izin", "Withdraw" },
	{ "logout", "Keluar", "Sign out" },
	{ "signed_out", "Anda sudah keluar dari SSO Provinsi Bali.",
	  "You have signed out of the Bali Province SSO." },
	{ "not_signed_in", "Anda belum masuk. Masuklah melalui salah satu "
	  "layanan terlebih dahulu.", "You are not signed in. Sign in through "
	  "one of the services first." },
	{ "logout_confirm", "Keluar dari semua layanan SSO Provinsi Bali?",
	  "Sign out of every Bali Province SSO service?" },
	{ "bad_logout", "Permintaan keluar tidak valid: alamat kembali tidak "
	  "terdaftar.", "The sign-out request is not valid: the return address "
	  "is not registered." },
	{ "footer", "Layanan SSO Pemerintah Provinsi Bali",
	  "Bali Provincial Government SSO" },
	{ NULL, NULL, NULL },
};

static const char *
t(const char *locale, const char *key)
{
	for (const struct msg *m = msgs; m->key; m++)
		if (!strcmp(m->key, key))
			return strcmp(locale, "en") == 0 ? m->en : m->id;
	return key;
}

/* A message with one %s filled with escaped text. */
static void
add_fmt(struct idp_buf *b, const char *fmt, const char *arg)
{
	const char *p = strstr(fmt, "%s");

	if (p == NULL) {
		idp_buf_add_html(b, fmt);
		return;
	}
	idp_buf_add_html(b, idp_arena_strndup(b->arena, fmt,
	    (size_t)(p - fmt)));
	idp_buf_add_html(b, arg);
	idp_buf_add_html(b, p + 2);
}

static void
head(struct idp_buf *b, const char *locale, const char *title)
{
	idp_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"");
	idp_buf_adds(b, strcmp(locale, "en") == 0 ? "en" : "id");
	idp_buf_adds(b, "\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"><title>");
	idp_buf_add_html(b, title);
	idp_buf_adds(b, "</title><link rel=\"stylesheet\" "
	    "href=\"/static/idp.css\"></head><body><main class=\"card\">");
}

static void
foot(struct idp_buf *b, const char *locale)
{
	idp_buf_adds(b, "<p class=\"muted\">");
	idp_buf_add_html(b, t(locale, "footer"));
	idp_buf_adds(b, "</p></main></body></html>\n");
}

static void
client_header(struct idp_buf *b, const struct idp_client *c)
{
	if (c->logo_uri != NULL) {
		idp_buf_adds(b, "<img class=\"logo\" alt=\"\" src=\"");
		idp_buf_add_html(b, c->logo_uri);
		idp_buf_adds(b, "\">");
	}
}

static void
hidden(struct idp_buf *b, const char *name, const char *value)
{
	idp_buf_adds(b, "<input type=\"hidden\" name=\"");
	idp_buf_adds(b, name);
	idp_buf_adds(b, "\" value=\"");
	idp_buf_add_html(b, value);
	idp_buf_adds(b, "\">");
}

static void
finish(struct idp_req *rq, struct idp_resp *rs, struct idp_buf *b, int status)
{
	if (b->overflow) {
		idp_resp_error_page(rq, rs, IDP_ERR_INTERNAL, NULL);
		return;
	}
	idp_resp_html(rs, status, b->data, b->len);
}

void
idp_page_login(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_login_page *p)
{
	const char *l = p->locale;
	struct idp_buf b;

	idp_buf_init(&b, rq->arena, 64 * 1024);
	head(&b, l, t(l, "title_login"));
	idp_buf_adds(&b, "<p class=\"lang\"><a href=\"/login?login=");
	idp_buf_add_urlenc(&b, p->login_id);
	idp_buf_adds(&b, strcmp(l, "en") == 0 ? "&amp;lang=id\" lang=\"id\">"
	    "Bahasa Indonesia</a></p>" : "&amp;lang=en\" lang=\"en\">"
	    "English</a></p>");
	client_header(&b, p->client);
	idp_buf_adds(&b, "<h1>");
	add_fmt(&b, t(l, "heading_login"), p->client->name);
	idp_buf_adds(&b, "</h1><p>");
	idp_buf_add_html(&b, t(l, "intro_login"));
	idp_buf_adds(&b, "</p>");
	if (p->current_user != NULL) {
		idp_buf_adds(&b, "<p class=\"muted\">");
		add_fmt(&b, t(l, "signed_in_as"), p->current_user);
		idp_buf_adds(&b, "</p>");
	}
	if (p->error != NULL) {
		idp_buf_adds(&b, "<p class=\"error\" role=\"alert\" "
		    "id=\"login-error\">");
		idp_buf_add_html(&b, t(l, p->error));
		idp_buf_adds(&b, "</p>");
	}
	idp_buf_adds(&b, "<form method=\"post\" action=\"/login\">");
	hidden(&b, "login", p->login_id);
	hidden(&b, "csrf_token", p->csrf_token);
	idp_buf_adds(&b, "<label for=\"username\">");
	idp_buf_add_html(&b, t(l, "username"));
	idp_buf_adds(&b, "</label><input type=\"text\" id=\"username\" "
	    "name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" "
	    "spellcheck=\"false\" required maxlength=\"128\"");
	if (p->error != NULL)
		idp_buf_adds(&b, " aria-describedby=\"login-error\"");
	idp_buf_adds(&b, p->username ? " value=\"" : " autofocus value=\"");
	idp_buf_add_html(&b, p->username ? p->username : "");
	idp_buf_adds(&b, "\"><label for=\"password\">");
	idp_buf_add_html(&b, t(l, "password"));
	idp_buf_adds(&b, "</label><input type=\"password\" id=\"password\" "
	    "name=\"password\" autocomplete=\"current-password\" required "
	    "maxlength=\"1024\"");
	if (p->username)
		idp_buf_adds(&b, " autofocus");
	idp_buf_adds(&b, "><button type=\"submit\">");
	idp_buf_add_html(&b, t(l, "submit_login"));
	idp_buf_adds(&b, "</button></form>");
	foot(&b, l);
	finish(rq, rs, &b, 200);
}

static void
scope_item(struct idp_buf *b, const char *l, const char *scope)
{
	static const char *const known[] = { "openid", "profile", "email",
		"phone", "organisation", NULL };
	char key[32];

	idp_buf_adds(b, "<li>");
	for (const char *const *k = known; *k; k++) {
		if (!strcmp(*k, scope)) {
			snprintf(key, sizeof(key), "scope_%s", scope);
			idp_buf_add_html(b, t(l, key));
			idp_buf_adds(b, "</li>");
			return;
		}
	}
	add_fmt(b, t(l, "scope_other"), scope);
	idp_buf_adds(b, "</li>");
}

void
idp_page_consent(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_consent_page *p)
{
	const char *l = p->locale;
	struct idp_buf b;

	idp_buf_init(&b, rq->arena, 64 * 1024);
	head(&b, l, t(l, "title_consent"));
	client_header(&b, p->client);
	idp_buf_adds(&b, "<h1>");
	add_fmt(&b, t(l, "heading_consent"), p->client->name);
	idp_buf_adds(&b, "</h1><p>");
	add_fmt(&b, t(l, "consent_as"), p->user->name);
	idp_buf_adds(&b, "</p><p>");
	idp_buf_add_html(&b, t(l, "intro_consent"));
	idp_buf_adds(&b, "</p><ul class=\"scopes\">");
	for (char *const *s = p->scopes; s != NULL && *s != NULL; s++)
		scope_item(&b, l, *s);
	idp_buf_adds(&b, "</ul>");
	if (p->client->policy_uri != NULL || p->client->tos_uri != NULL) {
		idp_buf_adds(&b, "<p class=\"muted\">");
		if (p->client->policy_uri != NULL) {
			idp_buf_adds(&b, "<a rel=\"noopener\" href=\"");
			idp_buf_add_html(&b, p->client->policy_uri);
			idp_buf_adds(&b, strcmp(l, "en") ? "\">Kebijakan privasi"
			    "</a> " : "\">Privacy policy</a> ");
		}
		if (p->client->tos_uri != NULL) {
			idp_buf_adds(&b, "<a rel=\"noopener\" href=\"");
			idp_buf_add_html(&b, p->client->tos_uri);
			idp_buf_adds(&b, strcmp(l, "en") ? "\">Ketentuan layanan"
			    "</a>" : "\">Terms of service</a>");
		}
		idp_buf_adds(&b, "</p>");
	}
	idp_buf_adds(&b, "<form method=\"post\" action=\"/consent\">");
	hidden(&b, "login", p->login_id);
	hidden(&b, "csrf_token", p->csrf_token);
	idp_buf_adds(&b, "<button type=\"submit\" name=\"decision\" "
	    "value=\"allow\">");
	idp_buf_add_html(&b, t(l, "allow"));
	idp_buf_adds(&b, "</button><button type=\"submit\" class=\"secondary\" "
	    "name=\"decision\" value=\"deny\">");
	idp_buf_add_html(&b, t(l, "deny"));
	idp_buf_adds(&b, "</button></form><p class=\"muted\">");
	idp_buf_add_html(&b, t(l, "consent_note"));
	idp_buf_adds(&b, "</p>");
	foot(&b, l);
	finish(rq, rs, &b, 200);
}

void
idp_page_message(struct idp_req *rq, struct idp_resp *rs, int status,
    const char *locale, const char *key)
{
	struct idp_buf b;

	idp_buf_init(&b, rq->arena, 16 * 1024);
	head(&b, locale, t(locale, "title_message"));
	idp_buf_adds(&b, "<h1>");
	idp_buf_add_html(&b, t(locale, "title_message"));
	idp_buf_adds(&b, "</h1><p>");
	idp_buf_add_html(&b, t(locale, key));
	idp_buf_adds(&b, "</p>");
	foot(&b, locale);
	finish(rq, rs, &b, status);
}

static void
logout_form(struct idp_buf *b, const char *l, const char *csrf,
    const char *client_id, const char *uri, const char *state)
{
	idp_buf_adds(b, "<form method=\"post\" action=\"/logout\">");
	hidden(b, "csrf_token", csrf);
	hidden(b, "confirm", "yes");
	if (client_id != NULL)
		hidden(b, "client_id", client_id);
	if (uri != NULL)
		hidden(b, "post_logout_redirect_uri", uri);
	if (state != NULL)
		hidden(b, "state", state);
	idp_buf_adds(b, "<button type=\"submit\">");
	idp_buf_add_html(b, t(l, "logout"));
	idp_buf_adds(b, "</button></form>");
}

void
idp_page_account(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_account_page *p)
{
	const char *l = p->locale;
	char when[32] = "-";
	time_t at = (time_t)p->auth_time;
	struct tm tm;
	struct idp_buf b;

	gmtime_r(&at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	idp_buf_init(&b, rq->arena, 64 * 1024);
	head(&b, l, t(l, "title_account"));
	idp_buf_adds(&b, "<h1>");
	idp_buf_add_html(&b, t(l, "title_account"));
	idp_buf_adds(&b, "</h1><p>");
	add_fmt(&b, t(l, "account_intro"), p->user->name);
	idp_buf_adds(&b, "</p><dl>");
	if (p->user->org.name != NULL) {
		idp_buf_adds(&b, "<dt>");
		idp_buf_add_html(&b, t(l, "account_org"));
		idp_buf_adds(&b, "</dt><dd>");
		idp_buf_add_html(&b, p->user->org.name);
		idp_buf_adds(&b, "</dd>");
	}
	idp_buf_adds(&b, "<dt>");
	idp_buf_add_html(&b, t(l, "account_since"));
	idp_buf_adds(&b, "</dt><dd>");
	idp_buf_add_html(&b, when);
	idp_buf_adds(&b, "</dd></dl><h2>");
	idp_buf_add_html(&b, t(l, "account_consents"));
	idp_buf_adds(&b, "</h2>");
	if (p->nconsents == 0) {
		idp_buf_adds(&b, "<p class=\"muted\">");
		idp_buf_add_html(&b, t(l, "account_none"));
		idp_buf_adds(&b, "</p>");
	}
	for (size_t i = 0; i < p->nconsents; i++) {
		const struct idp_account_consent *c = &p->consents[i];

		idp_buf_adds(&b, "<section><h3>");
		idp_buf_add_html(&b, c->client_name);
		idp_buf_adds(&b, "</h3><ul class=\"scopes\">");
		for (char *const *s = c->scopes; s != NULL && *s; s++)
			scope_item(&b, l, *s);
		idp_buf_adds(&b, "</ul><form method=\"post\" "
		    "action=\"/account\">");
		hidden(&b, "csrf_token", p->csrf_account);
		hidden(&b, "action", "withdraw");
		hidden(&b, "client_id", c->client_id);
		idp_buf_adds(&b, "<button type=\"submit\" class=\"secondary\">");
		idp_buf_add_html(&b, t(l, "withdraw"));
		idp_buf_adds(&b, "</button></form></section>");
	}
	logout_form(&b, l, p->csrf_logout, NULL, NULL, NULL);
	foot(&b, l);
	finish(rq, rs, &b, 200);
}

void
idp_page_logout_confirm(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_logout_page *p)
{
	const char *l = p->locale;
	struct idp_buf b;

	idp_buf_init(&b, rq->arena, 32 * 1024);
	head(&b, l, t(l, "logout"));
	idp_buf_adds(&b, "<h1>");
	idp_buf_add_html(&b, t(l, "logout_confirm"));
	idp_buf_adds(&b, "</h1><p>");
	add_fmt(&b, t(l, "account_intro"), p->user->name);
	idp_buf_adds(&b, "</p>");
	logout_form(&b, l, p->csrf_token, p->client_id,
	    p->post_logout_redirect_uri, p->state);
	foot(&b, l);
	finish(rq, rs, &b, 200);
}

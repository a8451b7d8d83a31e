/* The second-factor pages (pages_factor.h). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "endpoint/pages_factor.h"
#include "page/form.h"
#include "page/page.h"
#include "page/qr.h"

enum {
	M_TITLE, M_INTRO, M_INTRO_SERVICE, M_CODE, M_CODE_HINT, M_VERIFY,
	M_WRONG, M_USED, M_WRONG_RECOVERY, M_THROTTLED, M_PASSKEY_FAILED,
	M_RECOVERY_TITLE, M_RECOVERY, M_RECOVERY_HINT, M_USE_RECOVERY,
	M_PASSKEY, M_PASSKEY_HOW, M_NO_JS, M_ENROL_NEEDED, M_ENROL_ORG,
	M_ENROL_START, M_ENROL_TITLE, M_ENROL_STEP1, M_ENROL_STEP2, M_QR,
	M_SECRET, M_ENROL_STEP3, M_ENROL_CONFIRM, M_CODES_TITLE, M_CODES_WHAT,
	M_CODES_ONCE, M_CONTINUE, M_BACK_ACCOUNT, M_MFA_TITLE, M_MFA_INTRO,
	M_APP, M_APP_ON, M_APP_OFF, M_APP_ADD, M_REMOVE, M_CODES_LEFT,
	M_CODES_NEW, M_PASSKEYS, M_NO_PASSKEYS, M_PASSKEY_ADD, M_USED_LAST,
	M_NEVER, M_REMOVE_TITLE, M_REMOVE_WHAT, M_CANCEL, M_ORG_RULE,
	M_HELP_LOST, M_LOST, M_FLASH_TOTP, M_FLASH_PASSKEY, M_FLASH_REMOVED,
	M_COUNT
};

const struct idp_msg idp_factor_msgs[] = {
	[M_TITLE] = { "Verifikasi dua langkah", "Two-step verification" },
	[M_INTRO] = { "Kata sandi Anda benar. Sekarang buktikan bahwa ini "
	    "memang Anda.", "Your password is right. Now show that it is "
	    "really you." },
	[M_INTRO_SERVICE] = { "%s meminta verifikasi dua langkah.",
	    "%s asks for two-step verification." },
	[M_CODE] = { "Kode dari aplikasi autentikator",
	    "Code from the authenticator app" },
	[M_CODE_HINT] = { "6 angka, misalnya 123 456. Kode berganti tiap 30 "
	    "detik.", "6 digits, for example 123 456. The code changes every "
	    "30 seconds." },
	[M_VERIFY] = { "Verifikasi", "Verify" },
	[M_WRONG] = { "Kode itu salah atau sudah lewat. Ketik kode yang "
	    "sekarang tampil di aplikasi.", "That code is wrong or has "
	    "expired. Type the code the app shows now." },
	[M_USED] = { "Kode itu sudah dipakai. Tunggu kode berikutnya di "
	    "aplikasi, lalu ketik kode baru itu.", "That code was used "
	    "already. Wait for the next code in the app and type it." },
	[M_WRONG_RECOVERY] = { "Kode pemulihan itu salah atau sudah dipakai.",
	    "That recovery code is wrong or was used already." },
	[M_THROTTLED] = { "Terlalu banyak kode yang salah. Coba lagi dalam %s "
	    "detik.", "Too many wrong codes. Try again in %s seconds." },
	[M_PASSKEY_FAILED] = { "Passkey tidak dapat diverifikasi. Coba lagi "
	    "atau pakai cara lain.", "The passkey could not be verified. Try "
	    "again or use another way." },
	[M_RECOVERY_TITLE] = { "Tidak punya ponsel Anda?",
	    "Don't have your phone?" },
	[M_RECOVERY] = { "Kode pemulihan", "Recovery code" },
	[M_RECOVERY_HINT] = { "Salah satu kode yang Anda simpan saat "
	    "memasang verifikasi, misalnya abcde-fghjk. Tiap kode hanya "
	    "sekali.", "One of the codes you kept when you set up "
	    "verification, for example abcde-fghjk. Each works once." },
	[M_USE_RECOVERY] = { "Pakai kode pemulihan", "Use the recovery code" },
	[M_PASSKEY] = { "Masuk dengan passkey", "Sign in with a passkey" },
	[M_PASSKEY_HOW] = { "Atau pakai passkey di perangkat ini atau kunci "
	    "keamanan Anda.", "Or use a passkey on this device or your "
	    "security key." },
	[M_NO_JS] = { "Passkey memerlukan JavaScript di peramban ini.",
	    "Passkeys need JavaScript in this browser." },
	[M_ENROL_NEEDED] = { "Layanan ini meminta verifikasi dua langkah, dan "
	    "akun Anda belum memilikinya. Pasang sekarang; hanya perlu "
	    "beberapa menit.", "This service asks for two-step verification "
	    "and your account does not have it yet. Set it up now; it takes a "
	    "few minutes." },
	[M_ENROL_ORG] = { "Instansi Anda mewajibkan verifikasi dua langkah.",
	    "Your institution requires two-step verification." },
	[M_ENROL_START] = { "Pasang aplikasi autentikator",
	    "Set up an authenticator app" },
	[M_ENROL_TITLE] = { "Pasang aplikasi autentikator",
	    "Set up an authenticator app" },
	[M_ENROL_STEP1] = { "1. Pasang aplikasi autentikator di ponsel Anda, "
	    "misalnya Google Authenticator, Microsoft Authenticator, FreeOTP "
	    "atau Aegis.", "1. Install an authenticator app on your phone, "
	    "for example Google Authenticator, Microsoft Authenticator, "
	    "FreeOTP or Aegis." },
	[M_ENROL_STEP2] = { "2. Di aplikasi, pilih tambah akun dan pindai kode "
	    "QR ini. Tidak bisa memindai? Ketik kunci di bawahnya.", "2. In "
	    "the app, add an account and scan this QR code. Cannot scan? "
	    "Type the key below it." },
	[M_QR] = { "Kode QR untuk aplikasi autentikator",
	    "QR code for the authenticator app" },
	[M_SECRET] = { "Kunci (ketik tanpa spasi)",
	    "Key (type it without spaces)" },
	[M_ENROL_STEP3] = { "3. Ketik kode 6 angka yang ditampilkan aplikasi.",
	    "3. Type the 6-digit code the app shows." },
	[M_ENROL_CONFIRM] = { "Aktifkan", "Turn on" },
	[M_CODES_TITLE] = { "Simpan kode pemulihan Anda",
	    "Keep your recovery codes" },
	[M_CODES_WHAT] = { "Jika ponsel Anda hilang, masuklah dengan salah "
	    "satu kode ini. Tiap kode hanya dapat dipakai sekali. Tulis atau "
	    "cetak, dan simpan di tempat yang aman.", "If you lose your phone, "
	    "sign in with one of these codes. Each works once. Write them down "
	    "or print them and keep them somewhere safe." },
	[M_CODES_ONCE] = { "Kode ini hanya ditampilkan sekarang.",
	    "These codes are shown only now." },
	[M_CONTINUE] = { "Saya sudah menyimpannya, lanjutkan",
	    "I have kept them, continue" },
	[M_BACK_ACCOUNT] = { "Kembali ke akun saya", "Back to my account" },
	[M_MFA_TITLE] = { "Verifikasi dua langkah", "Two-step verification" },
	[M_MFA_INTRO] = { "Selain kata sandi, Anda membuktikan diri dengan "
	    "ponsel atau passkey. Orang yang mengetahui kata sandi Anda tetap "
	    "tidak dapat masuk.", "Besides the password, you prove who you are "
	    "with your phone or a passkey. Someone who knows your password "
	    "still cannot sign in." },
	[M_APP] = { "Aplikasi autentikator", "Authenticator app" },
	[M_APP_ON] = { "Aktif sejak", "On since" },
	[M_APP_OFF] = { "Belum dipasang.", "Not set up." },
	[M_APP_ADD] = { "Pasang aplikasi autentikator",
	    "Set up an authenticator app" },
	[M_REMOVE] = { "Hapus", "Remove" },
	[M_CODES_LEFT] = { "Kode pemulihan yang belum dipakai: %s",
	    "Recovery codes not used yet: %s" },
	[M_CODES_NEW] = { "Buat kode pemulihan baru", "Make new recovery codes" },
	[M_PASSKEYS] = { "Passkey", "Passkeys" },
	[M_NO_PASSKEYS] = { "Belum ada passkey.", "No passkeys yet." },
	[M_PASSKEY_ADD] = { "Tambah passkey", "Add a passkey" },
	[M_USED_LAST] = { "Terakhir dipakai", "Last used" },
	[M_NEVER] = { "Belum pernah dipakai", "Never used" },
	[M_REMOVE_TITLE] = { "Hapus %s?", "Remove %s?" },
	[M_REMOVE_WHAT] = { "Setelah dihapus, cara ini tidak dapat lagi "
	    "dipakai untuk masuk.", "Once removed, it can no longer be used to "
	    "sign in." },
	[M_CANCEL] = { "Batal", "Cancel" },
	[M_ORG_RULE] = { "Instansi Anda mewajibkan verifikasi dua langkah; "
	    "sisakan setidaknya satu cara.", "Your institution requires "
	    "two-step verification; keep at least one way." },
	[M_HELP_LOST] = { "Ponsel hilang dan tidak punya kode pemulihan? "
	    "Hubungi helpdesk untuk mengatur ulang verifikasi dua langkah.",
	    "Lost your phone and have no recovery code? Call the helpdesk to "
	    "reset two-step verification." },
	[M_LOST] = { "Kode pemulihan", "Recovery codes" },
	[M_FLASH_TOTP] = { "Aplikasi autentikator sudah aktif. Mulai sekarang "
	    "Anda diminta kodenya saat masuk.", "The authenticator app is on. "
	    "From now on you are asked for its code when you sign in." },
	[M_FLASH_PASSKEY] = { "Passkey sudah ditambahkan.",
	    "The passkey is added." },
	[M_FLASH_REMOVED] = { "Sudah dihapus.", "Removed." },
};
const size_t idp_factor_nmsgs = M_COUNT;

#define M(k) (&idp_factor_msgs[k])

/* Reads the options of the form #passkey-form (data-options), runs the
 * ceremony, and posts its result in the form's hidden fields. */
const char idp_webauthn_js[] =
"(function(){"
"var f=document.getElementById('passkey-form');"
"if(!f||!window.PublicKeyCredential)return;"
"function d(s){s=s.replace(/-/g,'+').replace(/_/g,'/');"
"while(s.length%4)s+='=';"
"return Uint8Array.from(atob(s),function(c){return c.charCodeAt(0);});}"
"function e(a){a=new Uint8Array(a);var s='';"
"for(var i=0;i<a.length;i++)s+=String.fromCharCode(a[i]);"
"return btoa(s).replace(/\\+/g,'-').replace(/\\//g,'_').replace(/=+$/,'');}"
"var b=document.getElementById('passkey-button');b.hidden=false;"
"var n=document.getElementById('passkey-nojs');if(n)n.hidden=true;"
"b.addEventListener('click',function(){"
"var o=JSON.parse(f.getAttribute('data-options')),p=o.publicKey;"
"p.challenge=d(p.challenge);if(p.user)p.user.id=d(p.user.id);"
"(p.excludeCredentials||[]).concat(p.allowCredentials||[])"
".forEach(function(c){c.id=d(c.id);});"
"var q=o.mode==='create'?navigator.credentials.create({publicKey:p}):"
"navigator.credentials.get({publicKey:p});"
"q.then(function(c){var r=c.response,x=f.elements;"
"x.credential_id.value=e(c.rawId);x.client_data.value=e(r.clientDataJSON);"
"if(r.attestationObject)x.attestation.value=e(r.attestationObject);"
"if(r.authenticatorData){x.authenticator_data.value=e(r.authenticatorData);"
"x.signature.value=e(r.signature);}"
"f.submit();},function(){"
"document.getElementById('passkey-error').hidden=false;});});"
"})();";

const char *
idp_webauthn_js_hash(struct idp_arena *a)
{
	unsigned char d[IDP_SHA256_LEN];

	idp_sha256(idp_webauthn_js, strlen(idp_webauthn_js), d);
	return idp_b64_encode(a, d, sizeof(d));
}

static void
begin(struct idp_page *pg, const struct idp_factor_form *f)
{
	idp_form_begin(pg, f->action, f->csrf);
	if (f->login_id != NULL)
		idp_form_hidden(pg, "login", f->login_id);
}

static void
init(struct idp_page *pg, struct idp_req *rq, struct idp_resp *rs,
    const struct idp_factor_form *f)
{
	idp_page_init(pg, rq, rs, f->ui_locales);
	pg->self = NULL;	/* POST results; the switch would lose state */
	if (f->redirect_uri != NULL)
		idp_csp_form_action(&pg->csp, f->redirect_uri);
}

/* An error above a form, tied to its field; returns its id or NULL. */
static const char *
note_of(struct idp_page *pg, enum idp_factor_note note, int wait)
{
	static const int map[] = { [IDP_FACTOR_NOTE_NONE] = -1,
		[IDP_FACTOR_WRONG_CODE] = M_WRONG,
		[IDP_FACTOR_USED_CODE] = M_USED,
		[IDP_FACTOR_WRONG_RECOVERY] = M_WRONG_RECOVERY,
		[IDP_FACTOR_THROTTLED] = M_THROTTLED,
		[IDP_FACTOR_PASSKEY_FAILED] = M_PASSKEY_FAILED };
	char n[16];

	if (map[note] < 0)
		return NULL;
	snprintf(n, sizeof(n), "%d", wait > 0 ? wait : 1);
	idp_page_raw(pg, "<p class=\"error\" role=\"alert\" id=\"factor-error\">");
	idp_page_t(pg, M(map[note]), note == IDP_FACTOR_THROTTLED ? n : NULL);
	idp_page_raw(pg, "</p>");
	return "factor-error";
}

static void
code_field(struct idp_page *pg, const char *describedby, bool autofocus)
{
	struct idp_field f = { 0 };

	f.name = "code";
	f.label = M(M_CODE);
	f.hint = M(M_CODE_HINT);
	f.describedby = describedby;
	f.autocomplete = "one-time-code";
	f.inputmode = "numeric";
	f.maxlength = 12;
	f.required = true;
	f.autofocus = autofocus;
	idp_form_field(pg, &f);
}

/* The passkey button: hidden until the script finds WebAuthn. */
static void
passkey_form(struct idp_page *pg, const struct idp_factor_form *f,
    const char *options, const struct idp_msg *label, const char *action)
{
	static const char *const fields[] = { "credential_id", "client_data",
		"attestation", "authenticator_data", "signature", NULL };

	if (idp_csp_script_hash(&pg->csp, idp_webauthn_js_hash(pg->rq->arena))
	    != 0)
		return;
	idp_page_raw(pg, "<form method=\"post\" id=\"passkey-form\" action=\"");
	idp_page_text(pg, f->action);
	idp_page_raw(pg, "\" data-options=\"");
	idp_page_text(pg, options);
	idp_page_raw(pg, "\">");
	idp_form_hidden(pg, "csrf_token", f->csrf);
	idp_form_hidden(pg, "lang", pg->lang);
	if (f->login_id != NULL)
		idp_form_hidden(pg, "login", f->login_id);
	idp_form_hidden(pg, "action", action);
	for (const char *const *k = fields; *k; k++)
		idp_form_hidden(pg, *k, "");
	idp_page_raw(pg, "<button type=\"button\" class=\"secondary\" "
	    "id=\"passkey-button\" hidden>");
	idp_page_t(pg, label, NULL);
	idp_page_raw(pg, "</button><p class=\"muted\" id=\"passkey-nojs\">");
	idp_page_t(pg, M(M_NO_JS), NULL);
	idp_page_raw(pg, "</p><p class=\"error\" role=\"alert\" "
	    "id=\"passkey-error\" hidden>");
	idp_page_t(pg, M(M_PASSKEY_FAILED), NULL);
	idp_page_raw(pg, "</p></form><script>");
	idp_page_raw(pg, idp_webauthn_js);
	idp_page_raw(pg, "</script>");
}

static enum idp_err
send(struct idp_page *pg, enum idp_factor_note note, int wait)
{
	if (note == IDP_FACTOR_THROTTLED) {
		idp_resp_header(pg->rs, "Retry-After", idp_arena_printf(
		    pg->rq->arena, "%d", wait > 0 ? wait : 1));
		return idp_page_send(pg, 429);
	}
	return idp_page_send(pg, note == IDP_FACTOR_NOTE_NONE ? 200 : 400);
}

static void
enrol_offer(struct idp_page *pg, const struct idp_factor_page *p)
{
	idp_page_para(pg, NULL, M(M_ENROL_NEEDED), NULL);
	begin(pg, &p->f);
	idp_form_hidden(pg, "action", "enrol");
	idp_form_button(pg, NULL, NULL, NULL, M(M_ENROL_START));
	idp_form_end(pg);
}

enum idp_err
idp_page_factor(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_factor_page *p)
{
	struct idp_field rf = { 0 };
	struct idp_page pg;
	const char *note;

	init(&pg, rq, rs, &p->f);
	idp_page_head(&pg, M(M_TITLE), NULL);
	if (p->service != NULL)
		idp_page_para(&pg, NULL, M(M_INTRO_SERVICE), p->service);
	if (p->must_enrol) {
		enrol_offer(&pg, p);
		return idp_page_send(&pg, 200);
	}
	idp_page_para(&pg, NULL, M(M_INTRO), NULL);
	note = note_of(&pg, p->note, p->wait);
	if (p->totp) {
		begin(&pg, &p->f);
		idp_form_hidden(&pg, "action", "totp");
		code_field(&pg, note, true);
		idp_form_button(&pg, NULL, NULL, NULL, M(M_VERIFY));
		idp_form_end(&pg);
	}
	if (p->passkey && p->webauthn_request != NULL) {
		idp_page_para(&pg, NULL, M(M_PASSKEY_HOW), NULL);
		passkey_form(&pg, &p->f, p->webauthn_request, M(M_PASSKEY),
		    "passkey");
	}
	if (p->recovery) {
		idp_page_heading(&pg, 2, M(M_RECOVERY_TITLE), NULL);
		begin(&pg, &p->f);
		idp_form_hidden(&pg, "action", "recovery");
		rf.name = "recovery_code";
		rf.label = M(M_RECOVERY);
		rf.hint = M(M_RECOVERY_HINT);
		rf.autocomplete = "off";
		rf.maxlength = 40;
		rf.required = true;
		idp_form_field(&pg, &rf);
		idp_form_button(&pg, "secondary", NULL, NULL,
		    M(M_USE_RECOVERY));
		idp_form_end(&pg);
	}
	idp_page_para(&pg, "muted", M(M_HELP_LOST), NULL);
	return send(&pg, p->note, p->wait);
}

/* The key in groups of four, as apps that ask for it show it. */
static const char *
grouped(struct idp_arena *a, const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = idp_arena_alloc(a, n + n / 4 + 1);

	for (size_t i = 0; i < n; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

enum idp_err
idp_page_totp_enrol(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_totp_enrol_page *p)
{
	struct idp_page pg;
	const char *note;

	init(&pg, rq, rs, &p->f);
	idp_page_head(&pg, M(M_ENROL_TITLE), NULL);
	idp_page_para(&pg, NULL, M(M_ENROL_STEP1), NULL);
	idp_page_para(&pg, NULL, M(M_ENROL_STEP2), NULL);
	idp_page_raw(&pg, "<div class=\"qr-box\">");
	if (idp_page_qr(&pg, p->uri, M(M_QR)) != 0)
		return IDP_ERR_INTERNAL;
	idp_page_raw(&pg, "</div>");
	idp_page_dl_begin(&pg);
	idp_page_raw(&pg, "<div><dt>");
	idp_page_t(&pg, M(M_SECRET), NULL);
	idp_page_raw(&pg, "</dt><dd><code class=\"secret\">");
	idp_page_text(&pg, grouped(rq->arena, p->secret));
	idp_page_raw(&pg, "</code></dd></div>");
	idp_page_dl_end(&pg);
	idp_page_raw(&pg, "<p class=\"muted\"><code class=\"uri\">");
	idp_page_text(&pg, p->uri);
	idp_page_raw(&pg, "</code></p>");
	idp_page_para(&pg, NULL, M(M_ENROL_STEP3), NULL);
	note = note_of(&pg, p->note, p->wait);
	begin(&pg, &p->f);
	idp_form_hidden(&pg, "action", "enrol_confirm");
	idp_form_hidden(&pg, "enrol", p->enrol_id);
	code_field(&pg, note, p->note != IDP_FACTOR_NOTE_NONE);
	idp_form_button(&pg, NULL, NULL, NULL, M(M_ENROL_CONFIRM));
	idp_form_end(&pg);
	return send(&pg, p->note, p->wait);
}

enum idp_err
idp_page_recovery_codes(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_recovery_page *p)
{
	struct idp_page pg;

	init(&pg, rq, rs, &p->f);
	idp_page_head(&pg, M(M_CODES_TITLE), NULL);
	idp_page_para(&pg, NULL, M(M_CODES_WHAT), NULL);
	idp_page_raw(&pg, "<ol class=\"codes\">");
	for (size_t i = 0; i < p->ncodes; i++) {
		idp_page_raw(&pg, "<li><code>");
		idp_page_text(&pg, p->codes[i]);
		idp_page_raw(&pg, "</code></li>");
	}
	idp_page_raw(&pg, "</ol>");
	idp_page_para(&pg, "muted", M(M_CODES_ONCE), NULL);
	if (p->signin) {
		begin(&pg, &p->f);
		idp_form_hidden(&pg, "action", "continue");
		idp_form_button(&pg, NULL, NULL, NULL, M(M_CONTINUE));
		idp_form_end(&pg);
	} else {
		idp_page_raw(&pg, "<div class=\"actions\">");
		idp_page_link(&pg, "button", "/account/mfa",
		    M(M_CONTINUE), NULL);
		idp_page_raw(&pg, "</div>");
	}
	/* Codes shown once must not come back from a cache. */
	return idp_page_send(&pg, 200);
}

static void
remove_button(struct idp_page *pg, const char *csrf, const char *what,
    long long id)
{
	char ib[24];

	snprintf(ib, sizeof(ib), "%lld", id);
	idp_form_begin(pg, "/account/mfa", csrf);
	idp_form_hidden(pg, "action", what);
	idp_form_hidden(pg, "id", ib);
	idp_form_button(pg, "secondary", NULL, NULL, M(M_REMOVE));
	idp_form_end(pg);
}

static void
action_button(struct idp_page *pg, const char *csrf, const char *action,
    const struct idp_msg *label)
{
	idp_form_begin(pg, "/account/mfa", csrf);
	idp_form_hidden(pg, "action", action);
	idp_form_button(pg, NULL, NULL, NULL, label);
	idp_form_end(pg);
}

static void
passkey_item(struct idp_page *pg, const struct idp_credential *k,
    const char *csrf)
{
	idp_page_raw(pg, "<section class=\"item\"><h3>");
	idp_page_text(pg, k->label != NULL ? k->label : "Passkey");
	idp_page_raw(pg, "</h3>");
	idp_page_dl_begin(pg);
	if (k->last_used_at > 0)
		idp_page_dl_time(pg, M(M_USED_LAST), k->last_used_at);
	else
		idp_page_dl_text(pg, M(M_USED_LAST), idp_page_str(pg,
		    M(M_NEVER)));
	idp_page_dl_end(pg);
	remove_button(pg, csrf, "remove_passkey", k->id);
	idp_page_raw(pg, "</section>");
}

enum idp_err
idp_page_mfa_account(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_mfa_account_page *p)
{
	static const struct idp_flash flashes[] = {
		{ "totp_on", &idp_factor_msgs[M_FLASH_TOTP] },
		{ "passkey_added", &idp_factor_msgs[M_FLASH_PASSKEY] },
		{ "factor_removed", &idp_factor_msgs[M_FLASH_REMOVED] },
		{ "passkey_failed", &idp_factor_msgs[M_PASSKEY_FAILED] },
		{ "org_requires", &idp_factor_msgs[M_ORG_RULE] },
		{ NULL, NULL } };
	struct idp_factor_form f = { "/account/mfa", p->csrf, NULL, NULL,
		NULL };
	struct idp_page pg;
	char left[16];

	idp_page_init(&pg, rq, rs, NULL);
	pg.self = "/account/mfa";
	idp_page_head(&pg, M(M_MFA_TITLE), NULL);
	idp_page_flash(&pg, flashes);
	idp_page_para(&pg, NULL, M(M_MFA_INTRO), NULL);
	if (p->org_requires)
		idp_page_para(&pg, "muted", M(M_ORG_RULE), NULL);
	idp_page_heading(&pg, 2, M(M_APP), NULL);
	if (p->totp != NULL) {
		idp_page_dl_begin(&pg);
		idp_page_dl_time(&pg, M(M_APP_ON), p->totp->confirmed_at);
		idp_page_dl_end(&pg);
		remove_button(&pg, p->csrf, "remove_totp", p->totp->id);
	} else {
		idp_page_para(&pg, "muted", M(M_APP_OFF), NULL);
		action_button(&pg, p->csrf, "enrol", M(M_APP_ADD));
	}
	idp_page_heading(&pg, 2, M(M_PASSKEYS), NULL);
	if (p->npasskeys == 0)
		idp_page_para(&pg, "muted", M(M_NO_PASSKEYS), NULL);
	for (size_t i = 0; i < p->npasskeys; i++)
		passkey_item(&pg, &p->passkeys[i], p->csrf);
	if (p->webauthn_create != NULL)
		passkey_form(&pg, &f, p->webauthn_create, M(M_PASSKEY_ADD),
		    "add_passkey");
	if (p->totp != NULL || p->npasskeys > 0) {
		idp_page_heading(&pg, 2, M(M_LOST), NULL);
		snprintf(left, sizeof(left), "%d", p->recovery_left);
		idp_page_para(&pg, NULL, M(M_CODES_LEFT), left);
		action_button(&pg, p->csrf, "recovery_new", M(M_CODES_NEW));
	}
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, NULL, "/account", M(M_BACK_ACCOUNT), NULL);
	idp_page_raw(&pg, "</p>");
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_page_mfa_remove(struct idp_req *rq, struct idp_resp *rs,
    const char *csrf, const char *what, long long id)
{
	char ib[24];
	const struct idp_hidden hidden[] = { { "action", what },
		{ "id", ib }, { NULL, NULL } };
	const struct idp_confirm c = { "/account/mfa", csrf, hidden,
		M(M_REMOVE), M(M_CANCEL), "/account/mfa" };
	struct idp_page pg;

	snprintf(ib, sizeof(ib), "%lld", id);
	idp_page_init(&pg, rq, rs, NULL);
	idp_page_head(&pg, M(M_REMOVE_TITLE), idp_page_str(&pg,
	    !strcmp(what, "remove_totp") ? M(M_APP) : M(M_PASSKEYS)));
	idp_page_para(&pg, NULL, M(M_REMOVE_WHAT), NULL);
	idp_form_confirm(&pg, &c);
	return idp_page_send(&pg, 200);
}

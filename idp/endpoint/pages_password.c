/* The password pages: reset by mail or by helpdesk code, the new password,
 * and the change on /account. The policy's refusals are said in the
 * person's language with what to do instead. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/mail.h"
#include "endpoint/pages_password.h"
#include "page/form.h"
#include "page/page.h"

enum {
	M_ASK_TITLE, M_ASK_INTRO, M_WHO, M_WHO_HINT, M_WHO_MISSING, M_SEND,
	M_HAVE_CODE, M_NO_MAIL, M_SENT_TITLE, M_SENT_WHAT, M_SENT_NEXT,
	M_BACK_LOGIN, M_CODE_TITLE, M_CODE_INTRO, M_USERNAME, M_CODE,
	M_CODE_HINT, M_CODE_REFUSED, M_NEXT, M_NEW_TITLE, M_NEW_INTRO,
	M_NEW_PW, M_NEW_PW_HINT, M_NEW_PW2, M_SAVE, M_CHANGE_TITLE,
	M_CURRENT, M_CURRENT_WRONG, M_THROTTLED, M_KEEP, M_MISMATCH,
	M_PW_EMPTY, M_PW_UNTYPABLE, M_PW_SHORT, M_PW_LONG, M_PW_COMMON,
	M_PW_REPETITIVE, M_PW_PERSONAL, M_BACK_ACCOUNT, M_ASK_CODE_LINK,
	M_COUNT
};

const struct idp_msg idp_password_msgs[] = {
	[M_ASK_TITLE] = { "Lupa kata sandi?", "Forgot your password?" },
	[M_ASK_INTRO] = { "Tulis nama pengguna atau alamat email akun Anda. "
	    "Jika akun itu punya alamat email, kami kirimkan tautan untuk "
	    "membuat kata sandi baru.", "Enter the username or email address "
	    "of your account. If the account has an email address, we send "
	    "it a link to choose a new password." },
	[M_WHO] = { "Nama pengguna atau email", "Username or email" },
	[M_WHO_HINT] = { "Misalnya wayan.sudarsana atau nama@baliprov.go.id",
	    "For example wayan.sudarsana or name@baliprov.go.id" },
	[M_WHO_MISSING] = { "Isi nama pengguna atau alamat email Anda.",
	    "Enter your username or email address." },
	[M_SEND] = { "Kirim tautan", "Send the link" },
	[M_HAVE_CODE] = { "Tidak punya email? Minta kode atur ulang ke helpdesk, "
	    "lalu masukkan di sini.", "No email? Ask the helpdesk for a reset "
	    "code and enter it here." },
	[M_ASK_CODE_LINK] = { "Saya punya kode dari helpdesk",
	    "I have a code from the helpdesk" },
	[M_NO_MAIL] = { "Pengiriman email belum diaktifkan di layanan ini. "
	    "Minta kode atur ulang ke helpdesk.", "This service does not send "
	    "email yet. Ask the helpdesk for a reset code." },
	[M_SENT_TITLE] = { "Periksa email Anda", "Check your email" },
	[M_SENT_WHAT] = { "Jika nama atau alamat itu milik sebuah akun yang "
	    "punya alamat email, tautan untuk membuat kata sandi baru sudah "
	    "dikirim ke sana. Tautan itu berlaku sebentar dan hanya sekali.",
	    "If that name or address belongs to an account with an email "
	    "address, a link to choose a new password was sent there. It "
	    "works once and only for a short time." },
	[M_SENT_NEXT] = { "Tidak ada email dalam beberapa menit? Periksa folder "
	    "spam, atau minta kode atur ulang ke helpdesk.", "No email within "
	    "a few minutes? Look in the spam folder, or ask the helpdesk for a "
	    "reset code." },
	[M_BACK_LOGIN] = { "Kembali ke halaman masuk", "Back to sign-in" },
	[M_CODE_TITLE] = { "Atur ulang dengan kode helpdesk",
	    "Reset with a helpdesk code" },
	[M_CODE_INTRO] = { "Masukkan nama pengguna Anda dan kode 10 angka yang "
	    "dibacakan helpdesk.", "Enter your username and the 10-digit code "
	    "the helpdesk read to you." },
	[M_USERNAME] = { "Nama pengguna", "Username" },
	[M_CODE] = { "Kode atur ulang", "Reset code" },
	[M_CODE_HINT] = { "10 angka, boleh dengan spasi: 482 193 5760",
	    "10 digits, spaces allowed: 482 193 5760" },
	[M_CODE_REFUSED] = { "Nama pengguna atau kode salah, atau kode sudah "
	    "tidak berlaku. Periksa lagi; setelah 5 kali salah kode berhenti "
	    "berlaku dan Anda perlu kode baru dari helpdesk.", "The username "
	    "or code is wrong, or the code no longer works. Check them; after "
	    "5 wrong tries the code stops working and you need a new one "
	    "from the helpdesk." },
	[M_NEXT] = { "Lanjut", "Continue" },
	[M_NEW_TITLE] = { "Buat kata sandi baru", "Choose a new password" },
	[M_NEW_INTRO] = { "Untuk akun %s. Setelah disimpan, Anda keluar dari "
	    "semua perangkat lain dan masuk lagi di sini.", "For the account "
	    "%s. Once it is saved, you are signed out everywhere else and "
	    "signed in here." },
	[M_NEW_PW] = { "Kata sandi baru", "New password" },
	[M_NEW_PW_HINT] = { "Minimal %s karakter. Kalimat pendek yang mudah "
	    "Anda ingat paling baik; spasi boleh.", "At least %s characters. "
	    "A short sentence you can remember works best; spaces are "
	    "allowed." },
	[M_NEW_PW2] = { "Ulangi kata sandi baru", "New password again" },
	[M_SAVE] = { "Simpan kata sandi", "Save the password" },
	[M_CHANGE_TITLE] = { "Ubah kata sandi", "Change your password" },
	[M_CURRENT] = { "Kata sandi sekarang", "Current password" },
	[M_CURRENT_WRONG] = { "Kata sandi sekarang salah. Ketik lagi.",
	    "The current password is wrong. Type it again." },
	[M_THROTTLED] = { "Terlalu banyak percobaan gagal. Coba lagi dalam 15 "
	    "menit.", "Too many failed attempts. Try again in 15 minutes." },
	[M_KEEP] = { "Tetap masuk di perangkat lain (tidak disarankan jika "
	    "kata sandi Anda mungkin diketahui orang lain)", "Stay signed in on "
	    "other devices (not advised if someone else may know your "
	    "password)" },
	[M_MISMATCH] = { "Kedua kata sandi baru tidak sama. Ketik keduanya "
	    "lagi.", "The two new passwords differ. Type both again." },
	[M_PW_EMPTY] = { "Isi kata sandi baru.", "Enter a new password." },
	[M_PW_UNTYPABLE] = { "Kata sandi memuat karakter yang tidak dapat "
	    "diketik. Ketik ulang dengan papan ketik Anda.", "The password has "
	    "characters that cannot be typed. Type it again with your "
	    "keyboard." },
	[M_PW_SHORT] = { "Kata sandi terlalu pendek: minimal %s karakter. "
	    "Tambahkan beberapa kata.", "The password is too short: at least "
	    "%s characters. Add a few words." },
	[M_PW_LONG] = { "Kata sandi terlalu panjang: paling banyak 256 "
	    "karakter.", "The password is too long: at most 256 characters." },
	[M_PW_COMMON] = { "Kata sandi ini terlalu umum dan mudah ditebak. "
	    "Pilih yang lain, misalnya beberapa kata yang tidak berhubungan.",
	    "This password is too common and easy to guess. Choose another, "
	    "for example a few unrelated words." },
	[M_PW_REPETITIVE] = { "Kata sandi ini berisi karakter berulang atau "
	    "berurutan dan mudah ditebak. Pilih yang lain.", "This password "
	    "repeats characters or runs in sequence and is easy to guess. "
	    "Choose another." },
	[M_PW_PERSONAL] = { "Kata sandi tidak boleh memuat nama pengguna, "
	    "nama Anda, atau nama layanan ini. Pilih yang lain.", "The "
	    "password must not contain your username, your name or the name "
	    "of this service. Choose another." },
	[M_BACK_ACCOUNT] = { "Kembali ke akun saya", "Back to my account" },
};
const size_t idp_password_nmsgs = M_COUNT;

#define M(k) (&idp_password_msgs[k])

static const struct idp_msg *
verdict_msg(enum idp_pw_verdict v)
{
	static const int map[] = {
		[IDP_PW_OK] = -1, [IDP_PW_EMPTY] = M_PW_EMPTY,
		[IDP_PW_UNTYPABLE] = M_PW_UNTYPABLE,
		[IDP_PW_TOO_SHORT] = M_PW_SHORT, [IDP_PW_TOO_LONG] = M_PW_LONG,
		[IDP_PW_COMMON] = M_PW_COMMON,
		[IDP_PW_REPETITIVE] = M_PW_REPETITIVE,
		[IDP_PW_PERSONAL] = M_PW_PERSONAL,
	};

	return map[v] < 0 ? NULL : M(map[v]);
}

/* A message with the minimum length in it, as a message of its own. */
static const struct idp_msg *
with_min(struct idp_page *pg, const struct idp_msg *m)
{
	struct idp_msg *o = idp_arena_zalloc(pg->rq->arena, sizeof(*o));
	char n[16];

	snprintf(n, sizeof(n), "%d", pg->rq->ctx->cfg->password_min_length);
	o->id = idp_arena_printf(pg->rq->arena, m->id, n);
	o->en = idp_arena_printf(pg->rq->arena, m->en, n);
	return o;
}

/* The two new-password fields, with the note's errors on them. */
static void
new_fields(struct idp_page *pg, const struct idp_newpw_note *note,
    bool autofocus)
{
	struct idp_field f1 = { 0 }, f2 = { 0 };
	const struct idp_msg *e = note ? verdict_msg(note->verdict) : NULL;

	if (e == M(M_PW_SHORT))
		e = with_min(pg, e);
	f1.name = "new_password";
	f1.type = "password";
	f1.label = M(M_NEW_PW);
	f1.hint = with_min(pg, M(M_NEW_PW_HINT));
	f1.error = e;
	f1.autocomplete = "new-password";
	f1.maxlength = 1024;
	f1.required = true;
	f1.autofocus = autofocus || e != NULL;
	idp_form_field(pg, &f1);
	f2.name = "new_password2";
	f2.type = "password";
	f2.label = M(M_NEW_PW2);
	f2.error = note && note->mismatch ? M(M_MISMATCH) : NULL;
	f2.autocomplete = "new-password";
	f2.maxlength = 1024;
	f2.required = true;
	idp_form_field(pg, &f2);
}

static void
link_row(struct idp_page *pg, const char *href, const struct idp_msg *m)
{
	idp_page_raw(pg, "<p>");
	idp_page_link(pg, NULL, href, m, NULL);
	idp_page_raw(pg, "</p>");
}

enum idp_err
idp_page_reset_ask(struct idp_req *rq, struct idp_resp *rs, const char *csrf,
    const char *who, bool missing)
{
	struct idp_field f = { 0 };
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, NULL);
	pg.self = "/reset";
	idp_page_head(&pg, M(M_ASK_TITLE), NULL);
	if (!idp_mail_enabled(rq->ctx->cfg)) {
		idp_page_para(&pg, NULL, M(M_NO_MAIL), NULL);
	} else {
		idp_page_para(&pg, NULL, M(M_ASK_INTRO), NULL);
		idp_form_begin(&pg, "/reset", csrf);
		f.name = "who";
		f.label = M(M_WHO);
		f.hint = M(M_WHO_HINT);
		f.error = missing ? M(M_WHO_MISSING) : NULL;
		f.value = who;
		f.autocomplete = "username";
		f.maxlength = 254;
		f.required = true;
		f.autofocus = true;
		idp_form_field(&pg, &f);
		idp_form_button(&pg, NULL, NULL, NULL, M(M_SEND));
		idp_form_end(&pg);
		idp_page_para(&pg, "muted", M(M_HAVE_CODE), NULL);
	}
	link_row(&pg, "/reset/code", M(M_ASK_CODE_LINK));
	link_row(&pg, "/login", M(M_BACK_LOGIN));
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_page_reset_sent(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, NULL);
	idp_page_head(&pg, M(M_SENT_TITLE), NULL);
	idp_page_para(&pg, NULL, M(M_SENT_WHAT), NULL);
	idp_page_para(&pg, NULL, M(M_SENT_NEXT), NULL);
	link_row(&pg, "/reset/code", M(M_ASK_CODE_LINK));
	link_row(&pg, "/login", M(M_BACK_LOGIN));
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_page_reset_code(struct idp_req *rq, struct idp_resp *rs, const char *csrf,
    const char *username, bool refused)
{
	struct idp_field u = { 0 }, c = { 0 };
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, NULL);
	pg.self = "/reset/code";
	idp_page_head(&pg, M(M_CODE_TITLE), NULL);
	idp_page_para(&pg, NULL, M(M_CODE_INTRO), NULL);
	if (refused) {
		idp_page_raw(&pg, "<p class=\"error\" role=\"alert\" "
		    "id=\"code-error\">");
		idp_page_t(&pg, M(M_CODE_REFUSED), NULL);
		idp_page_raw(&pg, "</p>");
	}
	idp_form_begin(&pg, "/reset/code", csrf);
	u.name = "username";
	u.label = M(M_USERNAME);
	u.value = username;
	u.autocomplete = "username";
	u.maxlength = 128;
	u.required = true;
	u.autofocus = username == NULL || *username == '\0';
	u.describedby = refused ? "code-error" : NULL;
	idp_form_field(&pg, &u);
	c.name = "code";
	c.label = M(M_CODE);
	c.hint = M(M_CODE_HINT);
	c.autocomplete = "one-time-code";
	c.inputmode = "numeric";
	c.maxlength = 32;
	c.required = true;
	c.autofocus = !u.autofocus;
	c.describedby = u.describedby;
	idp_form_field(&pg, &c);
	idp_form_button(&pg, NULL, NULL, NULL, M(M_NEXT));
	idp_form_end(&pg);
	link_row(&pg, "/login", M(M_BACK_LOGIN));
	return idp_page_send(&pg, refused ? 400 : 200);
}

enum idp_err
idp_page_reset_new(struct idp_req *rq, struct idp_resp *rs, const char *csrf,
    const char *ticket, const char *username,
    const struct idp_newpw_note *note)
{
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, NULL);
	pg.self = NULL;		/* the switch would carry the ticket in a URL */
	idp_page_head(&pg, M(M_NEW_TITLE), NULL);
	idp_page_para(&pg, NULL, M(M_NEW_INTRO), username);
	idp_form_begin(&pg, "/reset/new", csrf);
	idp_form_hidden(&pg, "ticket", ticket);
	/* For password managers: whose password this is. */
	idp_page_raw(&pg, "<input type=\"hidden\" name=\"username\" "
	    "autocomplete=\"username\" value=\"");
	idp_page_text(&pg, username);
	idp_page_raw(&pg, "\">");
	new_fields(&pg, note, true);
	idp_form_button(&pg, NULL, NULL, NULL, M(M_SAVE));
	idp_form_end(&pg);
	return idp_page_send(&pg, note && (note->verdict != IDP_PW_OK ||
	    note->mismatch) ? 400 : 200);
}

enum idp_err
idp_page_password_change(struct idp_req *rq, struct idp_resp *rs,
    const char *csrf, const char *username, const struct idp_newpw_note *note)
{
	struct idp_field cur = { 0 };
	struct idp_page pg;
	bool bad = note && (note->current_wrong || note->throttled);

	idp_page_init(&pg, rq, rs, NULL);
	pg.self = "/account/password";
	idp_page_head(&pg, M(M_CHANGE_TITLE), NULL);
	idp_form_begin(&pg, "/account/password", csrf);
	idp_page_raw(&pg, "<input type=\"hidden\" name=\"username\" "
	    "autocomplete=\"username\" value=\"");
	idp_page_text(&pg, username);
	idp_page_raw(&pg, "\">");
	cur.name = "current_password";
	cur.type = "password";
	cur.label = M(M_CURRENT);
	cur.error = !bad ? NULL : note->throttled ? M(M_THROTTLED) :
	    M(M_CURRENT_WRONG);
	cur.autocomplete = "current-password";
	cur.maxlength = 1024;
	cur.required = true;
	cur.autofocus = note == NULL || bad;
	idp_form_field(&pg, &cur);
	new_fields(&pg, note, false);
	idp_form_checkbox(&pg, "keep_sessions", M(M_KEEP), false);
	idp_form_button(&pg, NULL, NULL, NULL, M(M_SAVE));
	idp_form_end(&pg);
	link_row(&pg, "/account", M(M_BACK_ACCOUNT));
	return idp_page_send(&pg, note ? 400 : 200);
}

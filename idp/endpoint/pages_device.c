/* The /device pages: the code form and the approval question. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "endpoint/pages.h"
#include "endpoint/pages_device.h"
#include "page/form.h"
#include "page/page.h"

enum {
	M_TITLE,
	M_INTRO,
	M_SIGNED_IN_AS,
	M_CODE,
	M_CODE_HINT,
	M_CONTINUE,
	M_EMPTY,
	M_MALFORMED,
	M_UNKNOWN,
	M_EXPIRED,
	M_THROTTLED,
	M_THROTTLED_SECOND,
	M_THROTTLED_MINUTES,
	M_APPROVED,
	M_DENIED,
	M_CONFIRM_TITLE,
	M_COMPARE,
	M_FIRST_PARTY,
	M_THIRD_PARTY,
	M_WARNING,
	M_VALID_UNTIL,
	M_APPROVE,
	M_DENY,
	M_WITHDRAW_NOTE,
	M_COUNT
};

const struct idp_msg idp_device_msgs[] = {
	[M_TITLE] = { "Sambungkan perangkat", "Connect a device" },
	[M_INTRO] = { "Masukkan kode yang tampil di layar perangkat (kios, "
	    "atau program di komputer) untuk memasukkannya dengan akun %s "
	    "Anda.", "Enter the code shown on the device's screen (a kiosk, "
	    "or a program on a computer) to sign it in with your %s account." },
	[M_SIGNED_IN_AS] = { "Anda masuk sebagai %s.",
	    "You are signed in as %s." },
	[M_CODE] = { "Kode perangkat", "Device code" },
	[M_CODE_HINT] = { "8 huruf, misalnya WDJB-MJHT. Huruf besar atau "
	    "kecil, dengan atau tanpa tanda hubung.", "8 letters, for example "
	    "WDJB-MJHT. Capitals or not, with or without the dash." },
	[M_CONTINUE] = { "Lanjut", "Continue" },
	[M_EMPTY] = { "Isi kode dari layar perangkat.",
	    "Enter the code from the device's screen." },
	[M_MALFORMED] = { "Kode terdiri dari 8 huruf. Periksa lagi kode di "
	    "layar perangkat.", "The code has 8 letters. Check the code on "
	    "the device's screen again." },
	[M_UNKNOWN] = { "Kode ini tidak dikenal. Periksa lagi huruf-hurufnya "
	    "di layar perangkat.", "This code is not known. Check its letters "
	    "on the device's screen again." },
	[M_EXPIRED] = { "Kode ini sudah tidak berlaku. Mulai lagi di "
	    "perangkat untuk mendapat kode baru.", "This code is no longer "
	    "valid. Start again on the device to get a new code." },
	[M_THROTTLED] = { "Terlalu banyak kode yang salah. Coba lagi dalam %s "
	    "detik.", "Too many wrong codes. Try again in %s seconds." },
	[M_THROTTLED_SECOND] = { "Terlalu banyak kode yang salah. Coba lagi "
	    "dalam 1 detik.", "Too many wrong codes. Try again in 1 second." },
	[M_THROTTLED_MINUTES] = { "Terlalu banyak kode yang salah. Coba lagi "
	    "dalam %s menit, atau hubungi helpdesk.", "Too many wrong codes. "
	    "Try again in %s minutes, or call the helpdesk." },
	[M_APPROVED] = { "Selesai. Perangkat akan masuk dalam beberapa detik; "
	    "Anda boleh menutup halaman ini.", "Done. The device will be "
	    "signed in within a few seconds; you may close this page." },
	[M_DENIED] = { "Ditolak. Perangkat itu tidak mendapat akses ke akun "
	    "Anda.", "Denied. The device gets no access to your account." },
	[M_CONFIRM_TITLE] = { "%s ingin masuk dengan akun Anda",
	    "%s wants to sign in with your account" },
	[M_COMPARE] = { "Pastikan kode ini sama dengan yang tampil di layar "
	    "perangkat:", "Make sure this code is the same as the one on the "
	    "device's screen:" },
	[M_FIRST_PARTY] = { "Layanan ini dikelola oleh pemerintah daerah. Jika "
	    "Anda setuju, perangkat itu dapat:", "This service is run by the "
	    "local government. If you approve, the device can:" },
	[M_THIRD_PARTY] = { "Aplikasi ini tidak dikelola oleh Pemerintah "
	    "Provinsi Bali. Jika Anda setuju, perangkat itu dapat:",
	    "This application is not run by the Bali Provincial Government. "
	    "If you approve, the device can:" },
	[M_WARNING] = { "Setujui hanya jika Anda sendiri yang memulai ini di "
	    "perangkat di depan Anda. Jangan pernah memasukkan kode yang "
	    "diberikan orang lain lewat telepon, SMS atau WhatsApp.",
	    "Approve only if you started this yourself on a device in front "
	    "of you. Never enter a code someone gave you by phone, SMS or "
	    "WhatsApp." },
	[M_VALID_UNTIL] = { "Kode berlaku sampai", "The code is valid until" },
	[M_APPROVE] = { "Setujui", "Approve" },
	[M_DENY] = { "Tolak", "Deny" },
	[M_WITHDRAW_NOTE] = { "Anda dapat mencabut izin ini kapan saja di "
	    "halaman akun Anda.", "You can withdraw this permission at any "
	    "time on your account page." },
};
const size_t idp_device_nmsgs = M_COUNT;

#define M(k) (&idp_device_msgs[k])

static const struct idp_flash flashes[] = {
	{ "device_approved", M(M_APPROVED) },
	{ "device_denied", M(M_DENIED) },
	{ NULL, NULL },
};

static const struct idp_msg *
note_msg(enum idp_device_note n)
{
	switch (n) {
	case IDP_DEVICE_NOTE_EMPTY: return M(M_EMPTY);
	case IDP_DEVICE_NOTE_MALFORMED: return M(M_MALFORMED);
	case IDP_DEVICE_NOTE_UNKNOWN: return M(M_UNKNOWN);
	case IDP_DEVICE_NOTE_EXPIRED: return M(M_EXPIRED);
	case IDP_DEVICE_NOTE_THROTTLED: break;	/* throttled(), with its wait */
	case IDP_DEVICE_NOTE_NONE: break;
	}
	return NULL;
}

/* "Try again in N seconds" (minutes, rounded up, past two minutes), as
 * the login page says it; the id the field is described by. */
static const char *
throttled(struct idp_page *pg, int wait)
{
	int m = wait > 120 ? M_THROTTLED_MINUTES : wait <= 1 ?
	    M_THROTTLED_SECOND : M_THROTTLED;
	char n[16];

	snprintf(n, sizeof(n), "%d", wait > 120 ? (wait + 59) / 60 : wait);
	idp_page_raw(pg, "<p class=\"error\" role=\"alert\" "
	    "id=\"device-throttled\">");
	idp_page_t(pg, M(m), m == M_THROTTLED_SECOND ? NULL : n);
	idp_page_raw(pg, "</p>");
	return "device-throttled";
}

enum idp_err
idp_page_device_entry(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_device_entry_page *p, int status)
{
	struct idp_field f = { 0 };
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, NULL);
	idp_page_head(&pg, M(M_TITLE), NULL);
	idp_page_flash(&pg, flashes);
	idp_page_para(&pg, NULL, M(M_INTRO), rq->ctx->cfg->provider_name);
	idp_page_para(&pg, "muted", M(M_SIGNED_IN_AS), p->user->name);
	idp_form_begin(&pg, "/device", p->csrf_token);
	if (p->note == IDP_DEVICE_NOTE_THROTTLED)
		f.describedby = throttled(&pg, p->wait);
	f.name = "user_code";
	f.label = M(M_CODE);
	f.hint = M(M_CODE_HINT);
	f.error = note_msg(p->note);
	f.value = p->note != IDP_DEVICE_NOTE_NONE ? p->typed : NULL;
	f.autocomplete = "off";
	f.maxlength = 16;
	f.required = true;
	f.autofocus = true;
	idp_form_field(&pg, &f);
	idp_form_button(&pg, NULL, NULL, NULL, M(M_CONTINUE));
	idp_form_end(&pg);
	return idp_page_send(&pg, status);
}

enum idp_err
idp_page_device_confirm(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_device_confirm_page *p)
{
	const struct idp_client *c = p->client;
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, NULL);
	idp_page_head(&pg, M(M_CONFIRM_TITLE), c->name);
	idp_page_logo(&pg, c->logo_uri);
	idp_page_para(&pg, "muted", M(M_SIGNED_IN_AS), p->user->name);
	idp_page_para(&pg, NULL, M(M_COMPARE), NULL);
	idp_page_raw(&pg, "<p class=\"usercode\">");
	idp_page_text(&pg, p->shown);
	idp_page_raw(&pg, "</p>");
	idp_page_para(&pg, NULL, M(c->first_party ? M_FIRST_PARTY :
	    M_THIRD_PARTY), NULL);
	idp_pages_scopes(&pg, p->scopes);
	idp_page_dl_begin(&pg);
	idp_page_dl_time(&pg, M(M_VALID_UNTIL), p->expires_at);
	idp_page_dl_end(&pg);
	idp_page_para(&pg, "error", M(M_WARNING), NULL);
	idp_form_begin(&pg, "/device", p->csrf_token);
	idp_form_hidden(&pg, "user_code", p->code);
	idp_page_raw(&pg, "<div class=\"actions\">");
	idp_form_button(&pg, NULL, "decision", "approve", M(M_APPROVE));
	idp_form_button(&pg, "secondary", "decision", "deny", M(M_DENY));
	idp_page_raw(&pg, "</div>");
	idp_form_end(&pg);
	if (!c->first_party)
		idp_page_para(&pg, "muted", M(M_WITHDRAW_NOTE), NULL);
	return idp_page_send(&pg, 200);
}

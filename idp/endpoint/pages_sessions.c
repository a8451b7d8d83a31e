/* The person's sessions on /account/sessions: each one with its browser
 * and system, address, start and last use (in the configured zone), and
 * the buttons that end one or all the others, asked first. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "endpoint/pages_password.h"
#include "page/form.h"
#include "page/page.h"
#include "util/useragent.h"

enum {
	M_TITLE, M_INTRO, M_THIS, M_DEVICE, M_ADDRESS, M_STARTED, M_LAST,
	M_SERVICES, M_END_ONE, M_END_OTHERS, M_NONE_OTHER, M_UNKNOWN_DEVICE,
	M_ON, M_OS_ONLY, M_ENDED_ONE, M_ENDED_OTHERS,
	M_CONFIRM_ONE, M_CONFIRM_OTHERS, M_CONFIRM_WHAT, M_CANCEL,
	M_BACK_ACCOUNT, M_UNKNOWN_ADDRESS,
	M_COUNT
};

const struct idp_msg idp_sessions_msgs[] = {
	[M_TITLE] = { "Sesi aktif", "Active sessions" },
	[M_INTRO] = { "Di sinilah akun Anda sedang masuk. Jika ada yang tidak "
	    "Anda kenal, keluarkan, lalu ubah kata sandi Anda.", "This is where "
	    "your account is signed in. If you do not recognise one, sign it "
	    "out, then change your password." },
	[M_THIS] = { "Sesi ini (peramban yang Anda pakai sekarang)",
	    "This session (the browser you are using now)" },
	[M_DEVICE] = { "Perangkat", "Device" },
	[M_ADDRESS] = { "Alamat IP", "IP address" },
	[M_STARTED] = { "Masuk pada", "Signed in" },
	[M_LAST] = { "Terakhir dipakai", "Last used" },
	[M_SERVICES] = { "Layanan yang dibuka", "Services opened" },
	[M_END_ONE] = { "Keluarkan sesi ini", "Sign out this session" },
	[M_END_OTHERS] = { "Keluar dari semua perangkat lain",
	    "Sign out everywhere else" },
	[M_NONE_OTHER] = { "Tidak ada sesi lain.", "There are no other "
	    "sessions." },
	[M_UNKNOWN_DEVICE] = { "Peramban tidak dikenal",
	    "Unknown browser" },
	[M_ON] = { "%s di %s", "%s on %s" },
	[M_OS_ONLY] = { "Peramban di %s", "A browser on %s" },
	[M_ENDED_ONE] = { "Sesi itu sudah dikeluarkan.",
	    "That session is signed out." },
	[M_ENDED_OTHERS] = { "Semua sesi lain sudah dikeluarkan.",
	    "Every other session is signed out." },
	[M_CONFIRM_ONE] = { "Keluarkan sesi %s?", "Sign out the session %s?" },
	[M_CONFIRM_OTHERS] = { "Keluar dari semua perangkat lain?",
	    "Sign out everywhere else?" },
	[M_CONFIRM_WHAT] = { "Perangkat itu harus masuk lagi dengan kata "
	    "sandi, dan akses layanan yang dibuka dari sana berhenti.", "That "
	    "device must sign in again with the password, and the access of "
	    "services opened from there stops." },
	[M_CANCEL] = { "Batal", "Cancel" },
	[M_BACK_ACCOUNT] = { "Kembali ke akun saya", "Back to my account" },
	[M_UNKNOWN_ADDRESS] = { "tidak diketahui", "unknown" },
};
const size_t idp_sessions_nmsgs = M_COUNT;

#define M(k) (&idp_sessions_msgs[k])

static const struct idp_flash flashes[] = {
	{ "session_ended", M(M_ENDED_ONE) },
	{ "sessions_ended", M(M_ENDED_OTHERS) },
	{ NULL, NULL },
};

const char *
idp_pages_device(struct idp_req *rq, const char *lang, const char *ua)
{
	struct idp_ua u;
	const char *b, *o;

	idp_ua_parse(ua, &u);
	b = idp_ua_browser_name(u.browser);
	o = idp_ua_os_name(u.os);
	if (b != NULL && o != NULL)
		return idp_arena_printf(rq->arena, idp_msg_get(M(M_ON), lang),
		    b, o);
	if (b != NULL)
		return b;
	if (o != NULL)
		return idp_arena_printf(rq->arena,
		    idp_msg_get(M(M_OS_ONLY), lang), o);
	return idp_msg_get(M(M_UNKNOWN_DEVICE), lang);
}

static void
session_item(struct idp_page *pg, const struct idp_session_row *s,
    bool current, const char *csrf)
{
	char id[24], n[16];

	idp_page_raw(pg, "<section class=\"item\">");
	idp_page_raw(pg, "<h2>");
	idp_page_text(pg, idp_pages_device(pg->rq, pg->lang, s->user_agent));
	idp_page_raw(pg, "</h2>");
	if (current)
		idp_page_para(pg, "muted", M(M_THIS), NULL);
	idp_page_dl_begin(pg);
	idp_page_dl_text(pg, M(M_ADDRESS), s->ip ? s->ip :
	    idp_page_str(pg, M(M_UNKNOWN_ADDRESS)));
	idp_page_dl_time(pg, M(M_STARTED), s->started);
	idp_page_dl_time(pg, M(M_LAST), s->last_used);
	snprintf(n, sizeof(n), "%d", s->clients);
	idp_page_dl_text(pg, M(M_SERVICES), n);
	idp_page_dl_end(pg);
	if (!current) {
		snprintf(id, sizeof(id), "%lld", s->id);
		idp_form_begin(pg, "/account/sessions", csrf);
		idp_form_hidden(pg, "action", "end");
		idp_form_hidden(pg, "session", id);
		idp_form_button(pg, "secondary", NULL, NULL, M(M_END_ONE));
		idp_form_end(pg);
	}
	idp_page_raw(pg, "</section>");
}

enum idp_err
idp_page_sessions(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_sessions_page *p)
{
	struct idp_page pg;
	int others = 0;

	idp_page_init(&pg, rq, rs, NULL);
	pg.self = "/account/sessions";
	idp_page_head(&pg, M(M_TITLE), NULL);
	idp_page_flash(&pg, flashes);
	idp_page_para(&pg, NULL, M(M_INTRO), NULL);
	/* This browser's session first, then the others by last use. */
	for (int i = 0; i < p->n; i++)
		if (p->rows[i].id == p->current)
			session_item(&pg, &p->rows[i], true, p->csrf);
	for (int i = 0; i < p->n; i++) {
		if (p->rows[i].id == p->current)
			continue;
		session_item(&pg, &p->rows[i], false, p->csrf);
		others++;
	}
	if (others == 0) {
		idp_page_para(&pg, "muted", M(M_NONE_OTHER), NULL);
	} else {
		idp_form_begin(&pg, "/account/sessions", p->csrf);
		idp_form_hidden(&pg, "action", "end_others");
		idp_form_button(&pg, "danger", NULL, NULL, M(M_END_OTHERS));
		idp_form_end(&pg);
	}
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, NULL, "/account", M(M_BACK_ACCOUNT), NULL);
	idp_page_raw(&pg, "</p>");
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_page_sessions_confirm(struct idp_req *rq, struct idp_resp *rs,
    const char *csrf, const struct idp_session_row *one)
{
	char id[24];
	const struct idp_hidden hidden[] = {
		{ "action", one ? "end" : "end_others" },
		{ "session", one ? id : NULL }, { NULL, NULL } };
	const struct idp_confirm c = { "/account/sessions", csrf, hidden,
		one ? M(M_END_ONE) : M(M_END_OTHERS), M(M_CANCEL),
		"/account/sessions" };
	struct idp_page pg;

	if (one != NULL)
		snprintf(id, sizeof(id), "%lld", one->id);
	idp_page_init(&pg, rq, rs, NULL);
	if (one != NULL)
		idp_page_head(&pg, M(M_CONFIRM_ONE), idp_pages_device(rq,
		    pg.lang, one->user_agent));
	else
		idp_page_head(&pg, M(M_CONFIRM_OTHERS), NULL);
	idp_page_para(&pg, NULL, M(M_CONFIRM_WHAT), NULL);
	idp_form_confirm(&pg, &c);
	return idp_page_send(&pg, 200);
}

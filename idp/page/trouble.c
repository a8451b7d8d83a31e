#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "http/response.h"
#include "page/html.h"
#include "page/page.h"
#include "page/trouble.h"
#include "page/when.h"
#include "util/log.h"

enum {
	M_WHAT_TO_DO,
	M_RETRY,
	M_BACK_TO,
	M_OPEN_ACCOUNT,
	M_SMALL_PRINT,
	/* by status, for IDP_TROUBLE_FROM_ERROR */
	M_REQ_TITLE, M_REQ_WHAT, M_REQ_NEXT,
	M_404_TITLE, M_404_WHAT, M_404_NEXT,
	M_405_TITLE, M_405_WHAT, M_405_NEXT,
	M_413_TITLE, M_413_WHAT, M_413_NEXT,
	M_DENIED_TITLE, M_DENIED_WHAT, M_DENIED_NEXT,
	M_5XX_TITLE, M_5XX_WHAT, M_5XX_NEXT,
	/* by kind */
	M_LINK_TITLE, M_LINK_WHAT, M_LINK_NEXT,
	M_UNKNOWN_TITLE, M_UNKNOWN_WHAT, M_UNKNOWN_NEXT,
	M_PENDING_TITLE, M_PENDING_WHAT, M_PENDING_NEXT,
	M_REJECTED_TITLE, M_REJECTED_WHAT,
	M_RETURN_TITLE, M_RETURN_WHAT, M_RETURN_NEXT,
	M_EXPIRED_TITLE, M_EXPIRED_WHAT, M_EXPIRED_NEXT, M_EXPIRED_NEXT_BACK,
	M_FORM_TITLE, M_FORM_WHAT, M_FORM_NEXT, M_FORM_NEXT_BACK,
	M_LOGOUT_TITLE, M_LOGOUT_WHAT, M_LOGOUT_NEXT,
	M_ENDED_TITLE, M_ENDED_WHAT, M_ENDED_NEXT,
	M_DEV_TITLE, M_DEV_WHAT, M_DEV_NEXT,
	M_RESET_TITLE, M_RESET_WHAT, M_RESET_NEXT,
	M_COUNT
};

const struct idp_msg idp_trouble_msgs[] = {
	[M_WHAT_TO_DO] = { "Yang dapat Anda lakukan", "What you can do" },
	[M_RETRY] = { "Mulai lagi", "Start again" },
	[M_BACK_TO] = { "Kembali ke %s", "Back to %s" },
	[M_OPEN_ACCOUNT] = { "Buka halaman akun Anda", "Open your account "
	    "page" },
	[M_SMALL_PRINT] = { "Untuk helpdesk: kode %s, ID permintaan %s,",
	    "For the helpdesk: code %s, request id %s," },

	[M_REQ_TITLE] = { "Permintaan tidak dapat diproses",
	    "The request cannot be processed" },
	[M_REQ_WHAT] = { "Layanan yang mengirim Anda ke sini membuat "
	    "permintaan yang tidak lengkap atau tidak valid.", "The service "
	    "that sent you here made a request that is incomplete or not "
	    "valid." },
	[M_REQ_NEXT] = { "Kembali ke layanan tersebut dan coba lagi. Jika "
	    "masalah berulang, hubungi helpdesk dan sebutkan kode di bawah.",
	    "Go back to that service and try again. If it happens again, "
	    "call the helpdesk and give them the code below." },
	[M_404_TITLE] = { "Halaman tidak ditemukan", "Page not found" },
	[M_404_WHAT] = { "Alamat ini tidak ada di %s.", "This address does "
	    "not exist on %s." },
	[M_404_NEXT] = { "Periksa alamatnya, atau buka layanan Anda dan masuk "
	    "dari sana.", "Check the address, or open your service and sign "
	    "in from there." },
	[M_405_TITLE] = { "Halaman tidak dapat dibuka dengan cara ini",
	    "This page cannot be opened this way" },
	[M_405_WHAT] = { "Alamat ini tidak menerima permintaan seperti ini.",
	    "This address does not take this kind of request." },
	[M_405_NEXT] = { "Buka halaman ini dari tautan di layanan Anda.",
	    "Open this page from the link in your service." },
	[M_413_TITLE] = { "Data terlalu besar", "Too much data" },
	[M_413_WHAT] = { "Data yang dikirim terlalu besar untuk diproses.",
	    "The data sent is too large to be processed." },
	[M_413_NEXT] = { "Kembali, kurangi isian, lalu kirim lagi.",
	    "Go back, shorten what you entered and send it again." },
	[M_DENIED_TITLE] = { "Akses ditolak", "Access denied" },
	[M_DENIED_WHAT] = { "Anda tidak berhak membuka halaman ini.",
	    "You may not open this page." },
	[M_DENIED_NEXT] = { "Masuk dengan akun yang berhak, atau hubungi "
	    "helpdesk.", "Sign in with an account that may, or call the "
	    "helpdesk." },
	[M_5XX_TITLE] = { "Layanan sedang terganggu",
	    "The service has a problem" },
	[M_5XX_WHAT] = { "%s tidak dapat menyelesaikan permintaan Anda saat "
	    "ini.", "%s cannot complete your request right now." },
	[M_5XX_NEXT] = { "Tunggu sebentar, lalu coba lagi. Jika masalah "
	    "berlanjut, hubungi helpdesk.", "Wait a moment, then try again. "
	    "If the problem goes on, call the helpdesk." },

	[M_LINK_TITLE] = { "Tautan masuk tidak lengkap",
	    "The sign-in link is incomplete" },
	[M_LINK_WHAT] = { "Tautan yang membawa Anda ke sini tidak menyebutkan "
	    "layanan yang meminta Anda masuk.", "The link that brought you "
	    "here does not say which service asked you to sign in." },
	[M_LINK_NEXT] = { "Kembali ke layanan Anda dan tekan tombol masuknya "
	    "lagi.", "Go back to your service and press its sign-in button "
	    "again." },
	[M_UNKNOWN_TITLE] = { "Layanan tidak dikenal", "Unknown service" },
	[M_UNKNOWN_WHAT] = { "Layanan yang mengirim Anda ke sini tidak "
	    "terdaftar di %s atau sedang dinonaktifkan, jadi Anda tidak "
	    "dapat masuk ke sana melalui SSO.", "The service that sent you "
	    "here is not registered with %s or has been switched off, so you "
	    "cannot sign in to it here." },
	[M_UNKNOWN_NEXT] = { "Beri tahu pengelola layanan tersebut, atau "
	    "hubungi helpdesk dan sebutkan kode di bawah.", "Tell the people "
	    "who run that service, or call the helpdesk and give them the "
	    "code below." },
	[M_PENDING_TITLE] = { "Layanan belum disetujui",
	    "The service is not approved" },
	[M_PENDING_WHAT] = { "Layanan yang mengirim Anda ke sini sudah "
	    "mendaftar di %s, tetapi pengelola SSO belum menyetujuinya, jadi "
	    "belum dapat dipakai untuk masuk.", "The service that sent you "
	    "here has registered with %s, but the SSO's operators have not "
	    "approved it yet, so it cannot be used to sign in." },
	[M_REJECTED_TITLE] = { "Pendaftaran layanan ditolak",
	    "The service's registration was turned down" },
	[M_REJECTED_WHAT] = { "Layanan yang mengirim Anda ke sini mendaftar di "
	    "%s, tetapi pengelola SSO menolak pendaftarannya, jadi layanan itu "
	    "tidak dapat dipakai untuk masuk.", "The service that sent you here "
	    "registered with %s, but the SSO's operators turned its "
	    "registration down, so it cannot be used to sign in." },
	[M_PENDING_NEXT] = { "Beri tahu pengelola layanan tersebut. Anda "
	    "tidak perlu melakukan apa pun.", "Tell the people who run that "
	    "service. There is nothing you need to do." },
	[M_RETURN_TITLE] = { "Alamat kembali tidak terdaftar",
	    "The return address is not registered" },
	[M_RETURN_WHAT] = { "%s meminta agar Anda dikirim kembali ke alamat "
	    "yang tidak terdaftar. Demi keamanan Anda, Anda tidak dikirim ke "
	    "sana.", "%s asked to send you back to an address that is not "
	    "registered. To keep you safe, you are not sent there." },
	[M_RETURN_NEXT] = { "Buka layanan dari alamat resminya dan masuk "
	    "lagi. Jika masalah berulang, beri tahu pengelolanya atau "
	    "helpdesk.", "Open the service from its official address and "
	    "sign in again. If it happens again, tell the people who run it "
	    "or the helpdesk." },
	[M_EXPIRED_TITLE] = { "Halaman masuk sudah kedaluwarsa",
	    "This sign-in page has expired" },
	[M_EXPIRED_WHAT] = { "Halaman ini terlalu lama terbuka atau sudah "
	    "dipakai, jadi tidak dapat digunakan lagi.", "This page was open "
	    "too long or has been used already, so it cannot be used "
	    "again." },
	[M_EXPIRED_NEXT] = { "Mulai lagi dengan tombol di bawah: Anda akan "
	    "melanjutkan ke tempat yang sama.", "Start again with the button "
	    "below: you will go on to the same place." },
	[M_EXPIRED_NEXT_BACK] = { "Kembali ke layanan Anda dan tekan tombol "
	    "masuknya lagi.", "Go back to your service and press its sign-in "
	    "button again." },
	[M_FORM_TITLE] = { "Formulir tidak dapat diterima",
	    "The form could not be accepted" },
	[M_FORM_WHAT] = { "Formulir ini tidak dikirim dari halaman yang "
	    "dibuka di peramban ini, atau isinya sudah diubah.", "This form "
	    "was not sent from a page opened in this browser, or it was "
	    "changed." },
	[M_FORM_NEXT] = { "Mulai lagi dengan tombol di bawah.",
	    "Start again with the button below." },
	[M_FORM_NEXT_BACK] = { "Kembali ke layanan Anda dan mulai lagi dari "
	    "sana.", "Go back to your service and start again from there." },
	[M_LOGOUT_TITLE] = { "Permintaan keluar tidak valid",
	    "The sign-out request is not valid" },
	[M_LOGOUT_WHAT] = { "Layanan meminta agar Anda dikirim ke alamat yang "
	    "tidak terdaftar setelah keluar. Anda belum dikeluarkan.",
	    "The service asked to send you to an unregistered address after "
	    "signing out. You have not been signed out." },
	[M_LOGOUT_NEXT] = { "Anda dapat keluar sendiri di halaman akun Anda.",
	    "You can sign out yourself on your account page." },
	[M_ENDED_TITLE] = { "Sesi Anda sudah berakhir",
	    "Your session has ended" },
	[M_ENDED_WHAT] = { "Anda sudah keluar, atau sesi Anda berakhir karena "
	    "lama tidak dipakai. Perubahan tidak disimpan.", "You have signed "
	    "out, or your session ended after a time without use. Nothing "
	    "was changed." },
	[M_ENDED_NEXT] = { "Masuk lagi untuk melanjutkan.",
	    "Sign in again to go on." },
	[M_DEV_TITLE] = { "Halaman ini khusus pengembang instansi pemiliknya",
	    "This page is for the developers of the organisation that owns "
	    "it" },
	[M_DEV_WHAT] = { "Akun Anda tidak memegang peran pengembang di "
	    "instansi pemilik layanan ini di %s.", "Your account does not "
	    "hold the developer role in the organisation that owns this "
	    "service on %s." },
	[M_DEV_NEXT] = { "Minta tim SSO memberi Anda peran pengembang untuk "
	    "instansi Anda, lalu buka portal pengembang lagi.", "Ask the SSO "
	    "team to give you the developer role for your organisation, then "
	    "open the developer portal again." },
	[M_RESET_TITLE] = { "Tautan ini sudah tidak berlaku",
	    "This link no longer works" },
	[M_RESET_WHAT] = { "Tautan atur ulang kata sandi hanya dapat dipakai "
	    "sekali dan hanya berlaku sebentar. Tautan ini sudah dipakai, "
	    "sudah kedaluwarsa, atau tidak lengkap.", "A password reset link "
	    "works once and only for a short time. This one was used already, "
	    "has expired, or is incomplete." },
	[M_RESET_NEXT] = { "Minta tautan baru, atau minta kode atur ulang ke "
	    "helpdesk.", "Ask for a new link, or ask the helpdesk for a reset "
	    "code." },
};
const size_t idp_trouble_nmsgs = M_COUNT;

/* title, what, next (with a retry link), next (without one) */
struct story {
	int title, what, next, next_back;
};

static struct story
story_of(const struct idp_trouble *t)
{
	int status = idp_err_status(t->err);

	switch (t->kind) {
	case IDP_TROUBLE_BAD_LINK:
		return (struct story){ M_LINK_TITLE, M_LINK_WHAT, M_LINK_NEXT,
		    M_LINK_NEXT };
	case IDP_TROUBLE_UNKNOWN_SERVICE:
		return (struct story){ M_UNKNOWN_TITLE, M_UNKNOWN_WHAT,
		    M_UNKNOWN_NEXT, M_UNKNOWN_NEXT };
	case IDP_TROUBLE_NOT_APPROVED:
		return (struct story){ M_PENDING_TITLE, M_PENDING_WHAT,
		    M_PENDING_NEXT, M_PENDING_NEXT };
	case IDP_TROUBLE_REJECTED:
		return (struct story){ M_REJECTED_TITLE, M_REJECTED_WHAT,
		    M_PENDING_NEXT, M_PENDING_NEXT };
	case IDP_TROUBLE_BAD_RETURN:
		return (struct story){ M_RETURN_TITLE, M_RETURN_WHAT,
		    M_RETURN_NEXT, M_RETURN_NEXT };
	case IDP_TROUBLE_EXPIRED:
		return (struct story){ M_EXPIRED_TITLE, M_EXPIRED_WHAT,
		    M_EXPIRED_NEXT, M_EXPIRED_NEXT_BACK };
	case IDP_TROUBLE_BAD_FORM:
		return (struct story){ M_FORM_TITLE, M_FORM_WHAT, M_FORM_NEXT,
		    M_FORM_NEXT_BACK };
	case IDP_TROUBLE_BAD_LOGOUT:
		return (struct story){ M_LOGOUT_TITLE, M_LOGOUT_WHAT,
		    M_LOGOUT_NEXT, M_LOGOUT_NEXT };
	case IDP_TROUBLE_SESSION_ENDED:
		return (struct story){ M_ENDED_TITLE, M_ENDED_WHAT,
		    M_ENDED_NEXT, M_ENDED_NEXT };
	case IDP_TROUBLE_NOT_DEVELOPER:
		return (struct story){ M_DEV_TITLE, M_DEV_WHAT, M_DEV_NEXT,
		    M_DEV_NEXT };
	case IDP_TROUBLE_RESET_EXPIRED:
		return (struct story){ M_RESET_TITLE, M_RESET_WHAT,
		    M_RESET_NEXT, M_RESET_NEXT };
	case IDP_TROUBLE_FROM_ERROR:
		break;
	}
	if (status >= 500)
		return (struct story){ M_5XX_TITLE, M_5XX_WHAT, M_5XX_NEXT,
		    M_5XX_NEXT };
	if (status == 404)
		return (struct story){ M_404_TITLE, M_404_WHAT, M_404_NEXT,
		    M_404_NEXT };
	if (status == 405)
		return (struct story){ M_405_TITLE, M_405_WHAT, M_405_NEXT,
		    M_405_NEXT };
	if (status == 413)
		return (struct story){ M_413_TITLE, M_413_WHAT, M_413_NEXT,
		    M_413_NEXT };
	if (status == 401 || status == 403)
		return (struct story){ M_DENIED_TITLE, M_DENIED_WHAT,
		    M_DENIED_NEXT, M_DENIED_NEXT };
	return (struct story){ M_REQ_TITLE, M_REQ_WHAT, M_REQ_NEXT,
	    M_REQ_NEXT };
}

/* The argument of a "what" message: the service, else the provider. */
static const char *
what_arg(const struct idp_trouble *t, const struct idp_config *cfg)
{
	if (t->kind == IDP_TROUBLE_BAD_RETURN && t->service_name != NULL)
		return t->service_name;
	return cfg->provider_name;
}

static void
next_steps(struct idp_page *pg, const struct idp_trouble *t,
    const struct story *s)
{
	const struct idp_msg *m = idp_trouble_msgs;
	int status = idp_err_status(t->err);

	bool home = t->service_name != NULL && t->service_uri != NULL &&
	    idp_html_href_ok(t->service_uri);
	bool account = status == 404 || t->kind == IDP_TROUBLE_BAD_LOGOUT;

	idp_page_heading(pg, 2, &m[M_WHAT_TO_DO], NULL);
	idp_page_para(pg, NULL, &m[t->retry ? s->next : s->next_back], NULL);
	if (t->retry == NULL && !home && !account)
		return;
	idp_page_raw(pg, "<div class=\"actions\">");
	if (t->retry != NULL)
		idp_page_link(pg, "button", t->retry, &m[M_RETRY], NULL);
	if (home)
		idp_page_link(pg, t->retry ? "button secondary" : "button",
		    t->service_uri, &m[M_BACK_TO], t->service_name);
	if (account)
		idp_page_link(pg, "button secondary", "/account",
		    &m[M_OPEN_ACCOUNT], NULL);
	idp_page_raw(pg, "</div>");
}

enum idp_err
idp_page_trouble(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_trouble *t)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	const struct idp_msg *m = idp_trouble_msgs;
	struct story s = story_of(t);
	struct idp_page pg;

	IDP_INFO("page.trouble", " req=%s status=%d error=%s detail=%s",
	    rq->id, idp_err_status(t->err), idp_err_str(t->err),
	    idp_logq(rq->arena, t->detail));
	idp_page_init(&pg, rq, rs, t->ui_locales);
	pg.trouble = true;
	idp_page_head(&pg, &m[s.title], NULL);
	idp_page_para(&pg, NULL, &m[s.what], what_arg(t, cfg));
	next_steps(&pg, t, &s);
	idp_page_helpdesk(&pg);
	idp_page_raw(&pg, "<p class=\"small\">");
	idp_page_t2(&pg, &m[M_SMALL_PRINT], idp_err_str(t->err), rq->id);
	idp_page_raw(&pg, " ");
	idp_page_time(&pg, rq->now);
	idp_page_raw(&pg, "</p>");
	idp_page_send(&pg, idp_err_status(t->err));
	if (idp_err_status(t->err) == 503)
		idp_resp_header(rs, "Retry-After", "1");
	return t->err;
}

void
idp_page_error(struct idp_req *rq, struct idp_resp *rs, enum idp_err e,
    const char *detail)
{
	struct idp_trouble t = { 0 };

	t.kind = IDP_TROUBLE_FROM_ERROR;
	t.err = e;
	t.detail = detail;
	idp_page_trouble(rq, rs, &t);
}

bool
idp_page_wanted(const struct idp_req *rq)
{
	return idp_accept_wants_html(idp_req_header(rq, "Accept"));
}

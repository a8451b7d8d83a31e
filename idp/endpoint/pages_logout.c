#include "config.h"
#include "core/ctx.h"
#include "endpoint/pages_logout.h"
#include "page/html.h"
#include "page/page.h"

enum {
	M_SIGNED_OUT_TITLE,
	M_SIGNED_OUT_WHAT,
	M_SERVICES,
	M_NO_SERVICES,
	M_FRONTCHANNEL,
	M_FRAME_TITLE,
	M_SIGNED_OUT_SHARED,
	M_BACK_TO,
	M_SIGN_IN_AGAIN,
	M_COUNT
};

const struct idp_msg idp_logout_msgs[] = {
	[M_SIGNED_OUT_TITLE] = { "Anda sudah keluar", "You have signed out" },
	[M_SIGNED_OUT_WHAT] = { "Anda sudah keluar dari %s di peramban ini.",
	    "You have signed out of %s in this browser." },
	[M_SERVICES] = { "Layanan yang sudah diberi tahu bahwa Anda keluar:",
	    "Services told that you signed out:" },
	[M_NO_SERVICES] = { "Anda belum membuka layanan apa pun dengan sesi "
	    "ini.", "You had not opened any service with this session." },
	[M_FRONTCHANNEL] = { "Beberapa layanan hanya dapat diberi tahu "
	    "melalui peramban ini; bila salah satunya masih menampilkan nama "
	    "Anda, keluar juga di layanan itu.", "Some services can only be "
	    "told through this browser; if one of them still shows your name, "
	    "sign out there as well." },
	[M_FRAME_TITLE] = { "Keluar dari %s", "Signing out of %s" },
	[M_SIGNED_OUT_SHARED] = { "Jika komputer ini dipakai bersama, tutup "
	    "peramban sebelum Anda pergi.", "If this computer is shared, close "
	    "the browser before you leave." },
	[M_BACK_TO] = { "Kembali ke %s", "Back to %s" },
	[M_SIGN_IN_AGAIN] = { "Masuk lagi", "Sign in again" },
};
const size_t idp_logout_nmsgs = M_COUNT;

#define M(k) (&idp_logout_msgs[k])

/* services NULL: not known here (already signed out, or every session
 * ended at once); nothing is listed. */
static void
service_list(struct idp_page *pg, const struct idp_signed_out_page *p)
{
	if (p->services == NULL)
		return;
	if (p->nservices == 0) {
		idp_page_para(pg, NULL, M(M_NO_SERVICES), NULL);
		return;
	}
	idp_page_para(pg, NULL, M(M_SERVICES), NULL);
	idp_page_raw(pg, "<ul class=\"services\">");
	for (size_t i = 0; i < p->nservices; i++) {
		idp_page_raw(pg, "<li>");
		idp_page_text(pg, p->services[i].name);
		idp_page_raw(pg, "</li>");
	}
	idp_page_raw(pg, "</ul>");
}

/* One hidden iframe per front-channel service; its origin joins
 * frame-src, and a URI the policy cannot name is left out. */
static void
frames(struct idp_page *pg, const struct idp_signed_out_page *p)
{
	bool any = false;

	for (size_t i = 0; i < p->nservices; i++) {
		const struct idp_signed_out_service *s = &p->services[i];

		if (s->frame_uri == NULL || !idp_html_href_ok(s->frame_uri) ||
		    idp_csp_frame(&pg->csp, s->frame_uri) != 0)
			continue;
		idp_page_raw(pg, "<iframe class=\"fc\" hidden "
		    "referrerpolicy=\"no-referrer\" title=\"");
		idp_page_t(pg, M(M_FRAME_TITLE), s->name);
		idp_page_raw(pg, "\" src=\"");
		idp_page_text(pg, s->frame_uri);
		idp_page_raw(pg, "\"></iframe>");
		any = true;
	}
	if (any)
		idp_page_para(pg, NULL, M(M_FRONTCHANNEL), NULL);
}

enum idp_err
idp_page_signed_out(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_signed_out_page *p)
{
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, p->ui_locales);
	idp_page_head(&pg, M(M_SIGNED_OUT_TITLE), NULL);
	idp_page_para(&pg, NULL, M(M_SIGNED_OUT_WHAT),
	    rq->ctx->cfg->provider_name);
	service_list(&pg, p);
	frames(&pg, p);
	idp_page_para(&pg, NULL, M(M_SIGNED_OUT_SHARED), NULL);
	idp_page_raw(&pg, "<div class=\"actions\">");
	if (p->back_uri != NULL)
		idp_page_link(&pg, "button", p->back_uri, M(M_BACK_TO),
		    p->back_name);
	idp_page_link(&pg, p->back_uri != NULL ? NULL : "button",
	    "/login?next=%2Faccount", M(M_SIGN_IN_AGAIN), NULL);
	idp_page_raw(&pg, "</div>");
	return idp_page_send(&pg, 200);
}

/* The page of the form_post response mode (OAuth 2.0 Form Post Response
 * Mode §2): the authorization response as hidden fields of a form that
 * posts to the redirect URI. A script submits it at once; the CSP lets
 * exactly that script run (by its hash), and a visible button submits it
 * when JavaScript is off. */
#include <string.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "endpoint/respond.h"
#include "page/form.h"
#include "page/page.h"

enum {
	M_TITLE,
	M_TITLE_ERROR,
	M_INTRO,
	M_CONTINUE,
	M_COUNT
};

const struct idp_msg idp_response_msgs[] = {
	[M_TITLE] = { "Kembali ke layanan", "Returning to the service" },
	[M_TITLE_ERROR] = { "Kembali ke layanan dengan pesan galat",
	    "Returning to the service with an error" },
	[M_INTRO] = { "Tekan tombol di bawah ini bila halaman tidak berpindah "
	    "dengan sendirinya.", "Press the button below if the page does "
	    "not move on by itself." },
	[M_CONTINUE] = { "Lanjutkan", "Continue" },
};
const size_t idp_response_nmsgs = M_COUNT;

#define M(k) (&idp_response_msgs[(k)])

const char idp_form_post_script[] =
    "document.getElementById(\"response\").submit();";

const char *
idp_form_post_script_hash(struct idp_arena *a)
{
	unsigned char d[IDP_SHA256_LEN];
	char *s;

	idp_sha256(idp_form_post_script, strlen(idp_form_post_script), d);
	/* CSP hashes are standard base64 with padding (CSP3 §2.3.1). */
	s = idp_arena_printf(a, "%s=", idp_b64url_encode(a, d, sizeof(d)));
	for (char *p = s; *p; p++)
		*p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
	return s;
}

enum idp_err
idp_page_form_post(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_form_post_page *p)
{
	struct idp_page pg;

	idp_page_init(&pg, rq, rs, p->ui_locales);
	/* A one-time page: switching its language would repeat the
	 * authorization. */
	pg.self = NULL;
	if (idp_csp_form_action(&pg.csp, p->action) != 0 ||
	    idp_csp_script_hash(&pg.csp, idp_form_post_script_hash(rq->arena))
	    != 0)
		return IDP_ERR_INTERNAL;
	idp_page_head(&pg, M(p->error ? M_TITLE_ERROR : M_TITLE), NULL);
	idp_page_para(&pg, NULL, M(M_INTRO), NULL);
	idp_page_raw(&pg, "<form id=\"response\" method=\"post\" action=\"");
	idp_page_text(&pg, p->action);
	idp_page_raw(&pg, "\">");
	for (size_t i = 0; i < p->params->n; i++)
		idp_form_hidden(&pg, p->params->name[i], p->params->value[i]);
	idp_form_button(&pg, NULL, NULL, NULL, M(M_CONTINUE));
	idp_form_end(&pg);
	idp_page_raw(&pg, "<script>");
	idp_page_raw(&pg, idp_form_post_script);
	idp_page_raw(&pg, "</script>");
	return idp_page_send(&pg, 200);
}

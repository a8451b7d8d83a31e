#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "endpoint/respond.h"
#include "http/response.h"
#include "util/buf.h"

void
idp_response_add(struct idp_response *r, const char *name,
    const char *value)
{
	if (value == NULL || r->n == IDP_RESPONSE_PARAMS_MAX)
		return;
	r->name[r->n] = name;
	r->value[r->n] = value;
	r->n++;
}

static bool
is_error(const struct idp_response *r)
{
	return r->n > 0 && !strcmp(r->name[0], "error");
}

enum idp_err
idp_flow_respond(struct idp_req *rq, struct idp_resp *rs,
    const struct idp_authz *z, const struct idp_response *r)
{
	struct idp_form_post_page page = { z->redirect_uri, z->ui_locales, r,
		is_error(r) };
	struct idp_buf b;

	if (z->response_mode == IDP_RESPONSE_FORM_POST)
		return idp_page_form_post(rq, rs, &page);
	idp_buf_init(&b, rq->arena, 16 * 1024);
	idp_buf_adds(&b, z->redirect_uri);
	for (size_t i = 0; i < r->n; i++) {
		idp_buf_addc(&b, i > 0 ? '&' : strchr(z->redirect_uri, '?') ?
		    '&' : '?');
		idp_buf_adds(&b, r->name[i]);
		idp_buf_addc(&b, '=');
		idp_buf_add_urlenc(&b, r->value[i]);
	}
	if (b.overflow)
		return idp_fail(rs, IDP_ERR_INVALID_REQUEST,
		    "The request is too long.");
	idp_resp_redirect(rs, b.data);
	idp_resp_common_headers(rs, false);
	idp_resp_no_store(rs);
	return IDP_OK;
}

#include <string.h>

#include "endpoint/endpoints.h"
#include "http/response.h"
#include "page/style.h"

/* The one stylesheet of the provider's pages (page/style.c), served from
 * the binary so the CSP can stay 'self' and pages need no JavaScript. */
enum idp_err
idp_static_css_handle(struct idp_req *rq, struct idp_resp *rs)
{
	size_t len;
	const char *css = idp_page_css(&len);

	(void)rq;
	idp_resp_body(rs, 200, "text/css; charset=utf-8", css, len);
	idp_resp_header(rs, "Cache-Control", "public, max-age=86400");
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

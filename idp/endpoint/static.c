#include <string.h>

#include "endpoint/endpoints.h"
#include "http/response.h"

/* The one stylesheet of the provider's pages, served from the binary so
 * the CSP can stay 'self' and pages need no JavaScript. */
static const char css[] =
	":root{--fg:#1b1f24;--muted:#57606a;--accent:#0b5cad;--bg:#f4f6f8;"
	"--err:#b42318}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',"
	"Roboto,sans-serif;color:var(--fg);background:var(--bg)}\n"
	".card{max-width:26rem;margin:4rem auto;padding:2rem;background:#fff;"
	"border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}\n"
	"h1{font-size:1.35rem;margin:0 0 1rem}\n"
	"label{display:block;margin:.75rem 0 .25rem;font-weight:600}\n"
	"input[type=text],input[type=password]{width:100%;padding:.6rem;"
	"border:1px solid #8c959f;border-radius:.35rem;font-size:1rem}\n"
	"input:focus,button:focus{outline:3px solid #7fb3e8;"
	"outline-offset:1px}\n"
	"button{margin-top:1.25rem;width:100%;padding:.7rem;border:0;"
	"border-radius:.35rem;background:var(--accent);color:#fff;"
	"font-size:1rem;font-weight:600;cursor:pointer}\n"
	"button.secondary{background:#fff;color:var(--accent);"
	"border:1px solid var(--accent)}\n"
	".error{color:var(--err);background:#fef3f2;padding:.6rem;"
	"border-radius:.35rem}\n"
	".muted{color:var(--muted);font-size:.875rem}\n"
	"ul.scopes{padding-left:1.2rem}\n"
	".logo{max-height:48px;max-width:160px}\n"
	".lang{float:right;font-size:.875rem}\n";

enum idp_err
idp_static_css_handle(struct idp_req *rq, struct idp_resp *rs)
{
	(void)rq;
	idp_resp_body(rs, 200, "text/css; charset=utf-8", css,
	    sizeof(css) - 1);
	idp_resp_header(rs, "Cache-Control", "public, max-age=86400");
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

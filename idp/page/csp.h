/* The Content-Security-Policy of a page, built per page. The default
 * allows no script, no frames and forms posting only to the provider:
 *
 *   default-src 'none'; script-src 'none'; style-src 'self';
 *   img-src 'self' https: data:; form-action 'self'; frame-src 'none';
 *   frame-ancestors 'none'; base-uri 'none'
 *
 * A page adds exactly what it needs: a script by its SHA-256 hash or a
 * per-response nonce (the WebAuthn ceremonies), the origins it frames
 * (front-channel logout), the origins its forms lead to (a form posted to
 * /login is answered with a redirect to the service, and browsers check
 * form-action on that redirect too). Every addition is validated; one
 * that could widen the policy beyond itself is refused with -1. */
#ifndef IDP_PAGE_CSP_H
#define IDP_PAGE_CSP_H

#include <stdbool.h>

#include "util/arena.h"
#include "util/buf.h"

struct idp_csp {
	struct idp_arena *arena;
	struct idp_buf script;		/* sources, each led by a space */
	struct idp_buf frame;
	struct idp_buf form;
};

void idp_csp_init(struct idp_csp *c, struct idp_arena *a);

/* script-src 'sha256-B64': B64 is the standard base64 of a SHA-256 digest
 * (44 characters) of the script's text. */
int idp_csp_script_hash(struct idp_csp *c, const char *sha256_b64);
/* script-src 'nonce-N': N is base64 or base64url, 22 to 88 characters,
 * fresh for each response. */
int idp_csp_script_nonce(struct idp_csp *c, const char *nonce);
/* frame-src: the origin of an http(s) URI. */
int idp_csp_frame(struct idp_csp *c, const char *uri);
/* form-action: the origin of an http(s) URI, or "scheme:" for a private-use
 * scheme of a native application (RFC 8252 §7.1). */
int idp_csp_form_action(struct idp_csp *c, const char *uri);

/* The header value, in the arena. */
const char *idp_csp_header(const struct idp_csp *c);

/* The source expression for uri (see idp_csp_form_action), or NULL when it
 * has none that is safe to write into a policy. */
const char *idp_csp_source(struct idp_arena *a, const char *uri,
    bool allow_private_scheme);

#endif

/* PKCE (RFC 7636). */
#ifndef IDP_OIDC_PKCE_H
#define IDP_OIDC_PKCE_H

#include <stdbool.h>

enum idp_pkce_method { IDP_PKCE_NONE = 0, IDP_PKCE_S256, IDP_PKCE_PLAIN };

/* 43-128 characters of ALPHA / DIGIT / "-" / "." / "_" / "~" (§4.1, §4.2). */
bool idp_pkce_syntax_ok(const char *s);
enum idp_pkce_method idp_pkce_method_parse(const char *s);
const char *idp_pkce_method_name(enum idp_pkce_method m);
/* §4.6: does the verifier match the challenge? Constant time. */
bool idp_pkce_verify(enum idp_pkce_method m, const char *challenge,
    const char *verifier);

#endif

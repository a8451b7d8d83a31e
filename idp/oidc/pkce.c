#include <string.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "oidc/pkce.h"

bool
idp_pkce_syntax_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 43 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~'))
			return false;
	}
	return true;
}

enum idp_pkce_method
idp_pkce_method_parse(const char *s)
{
	if (s == NULL)
		return IDP_PKCE_NONE;
	if (strcmp(s, "S256") == 0)
		return IDP_PKCE_S256;
	if (strcmp(s, "plain") == 0)
		return IDP_PKCE_PLAIN;
	return IDP_PKCE_NONE;
}

const char *
idp_pkce_method_name(enum idp_pkce_method m)
{
	return m == IDP_PKCE_S256 ? "S256" : m == IDP_PKCE_PLAIN ? "plain" :
	    NULL;
}

bool
idp_pkce_verify(enum idp_pkce_method m, const char *challenge,
    const char *verifier)
{
	unsigned char d[IDP_SHA256_LEN];
	char enc[IDP_B64URL_LEN(IDP_SHA256_LEN) + 1];

	if (!idp_pkce_syntax_ok(verifier) || challenge == NULL)
		return false;
	if (m == IDP_PKCE_PLAIN)
		return idp_ct_streq(challenge, verifier);
	if (m != IDP_PKCE_S256)
		return false;
	idp_sha256_str(verifier, d);
	idp_b64url_encode_to(enc, d, sizeof(d));
	return idp_ct_streq(challenge, enc);
}

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "page/csp.h"

#define DIRECTIVE_MAX 8192

void
idp_csp_init(struct idp_csp *c, struct idp_arena *a)
{
	c->arena = a;
	idp_buf_init(&c->script, a, DIRECTIVE_MAX);
	idp_buf_init(&c->frame, a, DIRECTIVE_MAX);
	idp_buf_init(&c->form, a, DIRECTIVE_MAX);
}

/* Add " src" unless the directive holds it already. */
static int
add(struct idp_buf *d, const char *src)
{
	size_t n = strlen(src);

	for (const char *p = d->data; (p = strstr(p, src)) != NULL; p += n)
		if (p > d->data && p[-1] == ' ' && (p[n] == ' ' ||
		    p[n] == '\0'))
			return 0;
	idp_buf_addc(d, ' ');
	idp_buf_adds(d, src);
	return d->overflow ? -1 : 0;
}

static bool
b64_chars(const char *s, size_t min, size_t max)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!isalnum(ch) && ch != '+' && ch != '/' && ch != '-' &&
		    ch != '_' && !(ch == '=' && i + 2 >= n))
			return false;
	}
	return true;
}

int
idp_csp_script_hash(struct idp_csp *c, const char *sha256_b64)
{
	if (!b64_chars(sha256_b64, 44, 44) || sha256_b64[43] != '=' ||
	    sha256_b64[42] == '=')
		return -1;
	return add(&c->script, idp_arena_printf(c->arena, "'sha256-%s'",
	    sha256_b64));
}

int
idp_csp_script_nonce(struct idp_csp *c, const char *nonce)
{
	if (!b64_chars(nonce, 22, 88))
		return -1;
	return add(&c->script, idp_arena_printf(c->arena, "'nonce-%s'", nonce));
}

static bool
host_char(unsigned char ch)
{
	return isalnum(ch) || ch == '.' || ch == '-';
}

/* scheme://host[:port] of an http(s) URI: a DNS name or IPv4 address, or
 * an IPv6 literal in brackets; no userinfo. */
static const char *
origin(struct idp_arena *a, const char *uri)
{
	size_t s = strncmp(uri, "https://", 8) == 0 ? 8 :
	    strncmp(uri, "http://", 7) == 0 ? 7 : 0;
	const char *h = uri + s, *e = h;

	if (s == 0)
		return NULL;
	if (*e == '[') {
		while (*++e != ']')
			if (!isxdigit((unsigned char)*e) && *e != ':' &&
			    *e != '.')
				return NULL;
		e++;
	} else {
		while (host_char((unsigned char)*e))
			e++;
	}
	if (e == h || (e - h == 2 && *h == '['))
		return NULL;
	if (*e == ':') {
		const char *d = ++e;

		while (isdigit((unsigned char)*e))
			e++;
		if (e == d || e - d > 5)
			return NULL;
	}
	if (*e != '\0' && *e != '/' && *e != '?' && *e != '#')
		return NULL;
	return idp_arena_strndup(a, uri, (size_t)(e - uri));
}

/* "scheme:" of a private-use URI scheme such as id.go.baliprov.app:/cb;
 * never one a browser runs or reads itself. */
static const char *
private_scheme(struct idp_arena *a, const char *uri)
{
	static const char *const refused[] = { "javascript", "data", "blob",
		"filesystem", "about", "file", "http", "https", "ws", "wss",
		NULL };
	size_t n = 0;

	if (!isalpha((unsigned char)uri[0]))
		return NULL;
	while (isalnum((unsigned char)uri[n]) || uri[n] == '+' ||
	    uri[n] == '.' || uri[n] == '-')
		n++;
	if (uri[n] != ':' || n < 2)
		return NULL;
	for (const char *const *r = refused; *r; r++)
		if (strlen(*r) == n && strncasecmp(uri, *r, n) == 0)
			return NULL;
	return idp_arena_strndup(a, uri, n + 1);
}

const char *
idp_csp_source(struct idp_arena *a, const char *uri,
    bool allow_private_scheme)
{
	const char *o;

	if (uri == NULL)
		return NULL;
	if ((o = origin(a, uri)) != NULL)
		return o;
	if (strncmp(uri, "http", 4) == 0 && (uri[4] == ':' ||
	    (uri[4] == 's' && uri[5] == ':')))
		return NULL;
	return allow_private_scheme ? private_scheme(a, uri) : NULL;
}

int
idp_csp_frame(struct idp_csp *c, const char *uri)
{
	const char *src = idp_csp_source(c->arena, uri, false);

	return src != NULL ? add(&c->frame, src) : -1;
}

int
idp_csp_form_action(struct idp_csp *c, const char *uri)
{
	const char *src = idp_csp_source(c->arena, uri, true);

	return src != NULL ? add(&c->form, src) : -1;
}

const char *
idp_csp_header(const struct idp_csp *c)
{
	return idp_arena_printf(c->arena, "default-src 'none'; script-src %s; "
	    "style-src 'self'; img-src 'self' https: data:; "
	    "form-action 'self'%s; frame-src %s; frame-ancestors 'none'; "
	    "base-uri 'none'",
	    c->script.len ? c->script.data + 1 : "'none'", c->form.data,
	    c->frame.len ? c->frame.data + 1 : "'none'");
}

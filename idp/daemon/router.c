#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint/endpoints.h"
#include "daemon/router.h"
#include "util/mem.h"

static const struct idp_route routes[] = {
	{ "/.well-known/openid-configuration", IDP_GET | IDP_HEAD,
	  idp_discovery_handle, IDP_ROUTE_API },
	{ "/.well-known/oauth-authorization-server", IDP_GET | IDP_HEAD,
	  idp_discovery_handle, IDP_ROUTE_API },
	{ "/jwks", IDP_GET | IDP_HEAD, idp_jwks_handle, IDP_ROUTE_API },
	{ "/authorize", IDP_GET | IDP_POST, idp_authorize_handle,
	  IDP_ROUTE_HTML },
	{ "/login", IDP_GET | IDP_POST, idp_login_handle, IDP_ROUTE_HTML },
	{ "/login/factor", IDP_POST, idp_login_factor_handle,
	  IDP_ROUTE_HTML },
	{ "/consent", IDP_POST, idp_consent_handle, IDP_ROUTE_HTML },
	{ "/account", IDP_GET | IDP_POST, idp_account_handle, IDP_ROUTE_HTML },
	{ "/account/password", IDP_GET | IDP_POST, idp_account_password_handle,
	  IDP_ROUTE_HTML },
	{ "/account/sessions", IDP_GET | IDP_POST, idp_account_sessions_handle,
	  IDP_ROUTE_HTML },
	{ "/account/mfa", IDP_GET | IDP_POST, idp_account_mfa_handle,
	  IDP_ROUTE_HTML },
	{ "/reset", IDP_GET | IDP_POST, idp_reset_handle, IDP_ROUTE_HTML },
	{ "/reset/code", IDP_GET | IDP_POST, idp_reset_handle, IDP_ROUTE_HTML },
	{ "/reset/new", IDP_GET | IDP_POST, idp_reset_handle, IDP_ROUTE_HTML },
	{ "/logout", IDP_GET | IDP_POST, idp_logout_handle, IDP_ROUTE_HTML },
	{ "/token", IDP_POST, idp_token_handle, IDP_ROUTE_API },
	{ "/device_authorization", IDP_POST, idp_device_authorization_handle,
	  IDP_ROUTE_API },
	{ "/device", IDP_GET | IDP_POST, idp_device_page_handle,
	  IDP_ROUTE_HTML },
	{ "/par", IDP_POST, idp_par_handle, IDP_ROUTE_API },
	{ "/introspect", IDP_POST, idp_introspect_handle, IDP_ROUTE_API },
	{ "/revoke", IDP_POST, idp_revoke_handle, IDP_ROUTE_API },
	{ "/register", IDP_POST, idp_register_handle, IDP_ROUTE_API },
	{ "/register/*", IDP_GET | IDP_PUT | IDP_DELETE, idp_register_manage_handle,
	  IDP_ROUTE_API },
	{ "/userinfo", IDP_GET | IDP_POST, idp_userinfo_handle, IDP_ROUTE_API },
	{ "/healthz", IDP_GET | IDP_HEAD, idp_healthz_handle, IDP_ROUTE_API },
	{ "/readyz", IDP_GET | IDP_HEAD, idp_readyz_handle, IDP_ROUTE_API },
	{ "/static/idp.css", IDP_GET | IDP_HEAD, idp_static_css_handle,
	  IDP_ROUTE_API },
	{ NULL, 0, NULL, IDP_ROUTE_API },
};

/* Exact paths, or a prefix when the route ends in '*' (/register/ *).
 * Lengths are compared, never C strings: a path is bytes, and a NUL in it
 * must not end the comparison early (http/request.c refuses one anyway). */
static bool
matches(const char *route, const char *path, size_t len)
{
	size_t n = strlen(route);

	if (n > 0 && route[n - 1] == '*')
		return len > n - 1 && memcmp(route, path, n - 1) == 0;
	return len == n && memcmp(route, path, n) == 0;
}

const struct idp_route *
idp_router_find(const char *path, size_t len)
{
	for (const struct idp_route *r = routes; r->path; r++)
		if (matches(r->path, path, len))
			return r;
	return NULL;
}

const char **
idp_router_paths_new(void)
{
	size_t n = 0, i;
	const char **v;

	while (routes[n].path != NULL)
		n++;
	v = idp_xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = routes[i].path;
	return v;
}

const char *
idp_router_allow(struct idp_arena *a, const struct idp_route *r)
{
	static const char *const names[] = { "GET", "POST", "PUT", "DELETE",
		"HEAD" };
	static const unsigned bits[] = { IDP_GET, IDP_POST, IDP_PUT,
		IDP_DELETE, IDP_HEAD };
	char buf[64];
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < 5; i++) {
		if (!(r->methods & bits[i]))
			continue;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
		    o ? ", " : "", names[i]);
	}
	return idp_arena_strdup(a, buf);
}

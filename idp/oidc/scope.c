#include <string.h>

#include "oidc/scope.h"
#include "util/buf.h"
#include "util/str.h"

const char *const idp_scopes_known[] = { "openid", "profile", "email",
	"phone", "organisation", IDP_SCOPE_OFFLINE, NULL };

bool
idp_scope_is_standard(const char *s)
{
	for (const char *const *k = idp_scopes_known; s != NULL && *k; k++)
		if (!strcmp(*k, s))
			return true;
	return s != NULL && !strcmp(s, IDP_SCOPE_ROLES);
}

bool
idp_scope_token_valid(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x21 || c == 0x22 || c == 0x5c || c > 0x7e)
			return false;
	}
	return true;
}

enum idp_err
idp_scope_parse(struct idp_arena *a, const char *s, char ***out, size_t *n)
{
	char **v, **u;
	size_t cnt, k = 0;

	if (s == NULL || strlen(s) > IDP_SCOPE_MAX_LEN)
		return IDP_ERR_INVALID_SCOPE;
	if (idp_split_spaces(a, s, &v, &cnt) != 0 || cnt > IDP_SCOPE_MAX_ITEMS)
		return IDP_ERR_INVALID_SCOPE;
	u = idp_arena_alloc(a, (cnt + 1) * sizeof(*u));
	for (size_t i = 0; i < cnt; i++) {
		if (!idp_scope_token_valid(v[i]))
			return IDP_ERR_INVALID_SCOPE;
		u[k] = NULL;
		if (!idp_list_has(u, v[i]))
			u[k++] = v[i];
	}
	u[k] = NULL;
	*out = u;
	*n = k;
	return IDP_OK;
}

char *
idp_scope_join(struct idp_arena *a, char *const *v, size_t n)
{
	struct idp_buf b;

	idp_buf_init(&b, a, IDP_SCOPE_MAX_LEN * 2);
	for (size_t i = 0; i < n; i++) {
		if (i)
			idp_buf_addc(&b, ' ');
		idp_buf_adds(&b, v[i]);
	}
	return b.data;
}

enum idp_err
idp_scope_check_allowed(char *const *req, size_t n, char *const *allowed)
{
	for (size_t i = 0; i < n; i++)
		if (!idp_list_has(allowed, req[i]))
			return IDP_ERR_INVALID_SCOPE;
	return IDP_OK;
}

bool
idp_scope_subset(char *const *sub, char *const *super)
{
	for (; sub != NULL && *sub != NULL; sub++)
		if (!idp_list_has(super, *sub))
			return false;
	return true;
}

static size_t
count(char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

char **
idp_scope_without(struct idp_arena *a, char *const *v, const char *s,
    size_t *n)
{
	char **o = idp_arena_zalloc(a, (count(v) + 1) * sizeof(*o));

	*n = 0;
	for (; v != NULL && *v != NULL; v++)
		if (strcmp(*v, s) != 0)
			o[(*n)++] = *v;
	return o;
}

static const struct idp_api_scope *
api_of(const struct idp_client *c, const char *scope)
{
	for (size_t i = 0; i < c->napi; i++)
		if (!strcmp(c->api[i].scope, scope))
			return &c->api[i];
	return NULL;
}

/* The server of resource among the client's API scopes, or NULL. */
static const char *
server_of_resource(const struct idp_client *c, const char *resource)
{
	for (size_t i = 0; i < c->napi; i++)
		if (idp_list_has(c->api[i].resources, resource))
			return c->api[i].server;
	return NULL;
}

/* May value v be granted in this request? */
static bool
grantable(const struct idp_client *c, const char *v, bool person,
    const char *server)
{
	const struct idp_api_scope *api;

	if (!idp_list_has(c->scopes, v))
		return false;		/* unknown, or not allowed */
	if (!strcmp(v, IDP_SCOPE_ROLES))
		return person && c->first_party;
	if (idp_scope_is_standard(v))
		return person;
	api = api_of(c, v);
	return api != NULL && (server == NULL || !strcmp(api->server, server));
}

/* §4.4.2 without a scope parameter: the client's API scopes. */
static char **
service_default(struct idp_arena *a, const struct idp_client *c, size_t *n)
{
	char **v = idp_arena_zalloc(a, (c->napi + 1) * sizeof(*v));

	for (size_t i = 0; i < c->napi; i++)
		v[i] = c->api[i].scope;
	*n = c->napi;
	return v;
}

static void
add_unique(char **v, size_t *n, char *s)
{
	v[*n] = NULL;
	if (!idp_list_has(v, s))
		v[(*n)++] = s;
	v[*n] = NULL;
}

char **
idp_scope_audience(struct idp_arena *a, const struct idp_client *c,
    char *const *scopes)
{
	size_t cap = 1, n = 0;
	char **out;

	for (size_t i = 0; i < c->napi; i++)
		cap += count(c->api[i].resources);
	out = idp_arena_zalloc(a, cap * sizeof(*out));
	for (; scopes != NULL && *scopes != NULL; scopes++) {
		const struct idp_api_scope *api = api_of(c, *scopes);

		for (char **r = api ? api->resources : NULL; r && *r; r++)
			add_unique(out, &n, *r);
	}
	return out;
}

int
idp_scope_resource_covered(char *const *audience, const char *resource)
{
	return resource == NULL || idp_list_has(audience, resource) ? 0 : -1;
}

enum idp_err
idp_scope_grant(struct idp_arena *a, const struct idp_client *c,
    char *const *req, size_t n, bool person, const char *resource,
    struct idp_scope_grant *out, const char **why)
{
	const char *server = NULL;
	char *const *ask = req;

	memset(out, 0, sizeof(*out));
	if (resource != NULL && (server = server_of_resource(c, resource))
	    == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_TARGET,
		    "resource is not a resource server this client may "
		    "call.");
	if (ask == NULL)
		ask = service_default(a, c, &n);
	out->scopes = idp_arena_zalloc(a, (n + 1) * sizeof(char *));
	out->dropped = idp_arena_zalloc(a, (n + 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		if (grantable(c, ask[i], person, server))
			out->scopes[out->n++] = ask[i];
		else
			out->dropped[out->ndropped++] = ask[i];
	}
	if (out->n == 0)
		return idp_fail_why(why, IDP_ERR_INVALID_SCOPE, server != NULL ?
		    "None of the requested scopes belongs to the resource." :
		    "None of the requested scopes is allowed for this "
		    "client.");
	if (server != NULL && idp_scope_audience(a, c, out->scopes)[0] == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_SCOPE,
		    "None of the requested scopes belongs to the resource.");
	out->scope = idp_scope_join(a, out->scopes, out->n);
	if (server != NULL) {
		out->audience = idp_arena_zalloc(a, 2 * sizeof(char *));
		out->audience[0] = idp_arena_strdup(a, resource);
	} else {
		out->audience = idp_scope_audience(a, c, out->scopes);
	}
	return IDP_OK;
}

bool
idp_scope_offline_ok(bool first_party, bool prompt_consent,
    char *const *consented)
{
	return first_party || prompt_consent ||
	    idp_list_has(consented, IDP_SCOPE_OFFLINE);
}

bool
idp_scope_refresh_ok(const struct idp_client *c, char *const *granted)
{
	if (!(c->grants & IDP_GRANT_REFRESH))
		return false;
	return c->first_party || idp_list_has(granted, IDP_SCOPE_OFFLINE);
}

void
idp_scope_split(struct idp_arena *a, char *const *v, char ***standard,
    char ***api)
{
	size_t n = count(v), ns = 0, na = 0;

	*standard = idp_arena_zalloc(a, (n + 1) * sizeof(char *));
	*api = idp_arena_zalloc(a, (n + 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		if (idp_scope_is_standard(v[i]))
			(*standard)[ns++] = v[i];
		else
			(*api)[na++] = v[i];
	}
}

enum idp_err
idp_scope_registration_check(struct idp_arena *a, char *const *api,
    const enum idp_api_scope_state *states, const char **why)
{
	for (size_t i = 0; api != NULL && api[i] != NULL; i++) {
		if (states[i] == IDP_API_SCOPE_ALLOWED)
			continue;
		*why = idp_arena_printf(a, states[i] == IDP_API_SCOPE_UNKNOWN ?
		    "scope %s does not exist" : "scope %s is not allowed for "
		    "this client; request it from the service that offers it",
		    api[i]);
		return IDP_ERR_INVALID_CLIENT_METADATA;
	}
	return IDP_OK;
}

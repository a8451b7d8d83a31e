#include <string.h>

#include "oidc/scope.h"
#include "util/buf.h"
#include "util/str.h"

const char *const idp_scopes_known[] = { "openid", "profile", "email",
	"phone", "organisation", NULL };

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

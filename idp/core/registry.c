#include <string.h>

#include "core/registry.h"
#include "oidc/client_name.h"
#include "oidc/scope.h"
#include "store/api.h"
#include "store/client.h"

enum idp_err
idp_registry_check_scopes(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, const char *owner_org, json_t *metadata,
    const char **why)
{
	const char *s = json_string_value(json_object_get(metadata, "scope"));
	char **all = NULL, **standard, **api;
	enum idp_api_scope_state *states;
	size_t n = 0;
	enum idp_err rc;

	if (s == NULL || *s == '\0')
		return IDP_OK;
	if (idp_scope_parse(a, s, &all, &n) != IDP_OK)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "scope must be space-separated scope tokens");
	idp_scope_split(a, all, &standard, &api);
	states = idp_arena_zalloc(a, (n + 1) * sizeof(*states));
	rc = idp_store_api_scope_states(c, client_id, owner_org, api, states);
	if (rc != IDP_OK)
		return rc;
	return idp_scope_registration_check(a, api, states, why);
}

enum idp_err
idp_registry_check_name(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, const char *owner_org, json_t *metadata,
    const char **why)
{
	const char *name = json_string_value(json_object_get(metadata,
	    "client_name"));
	struct idp_client_name *others = NULL;
	char *key;
	enum idp_err rc;
	int n = 0;

	if (name == NULL)
		return IDP_OK;
	key = idp_client_name_key(a, name);
	if (key == NULL || *key == '\0')
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "client_name must contain letters or digits");
	rc = idp_store_client_names(c, a, client_id, owner_org, &others, &n);
	if (rc != IDP_OK)
		return rc;
	for (int i = 0; i < n; i++) {
		char *k = idp_client_name_key(a, others[i].name);

		if (k != NULL && !strcmp(k, key)) {
			*why = idp_arena_printf(a, "client_name is too close to "
			    "\"%s\", a service of another organisation",
			    others[i].name);
			return IDP_ERR_INVALID_CLIENT_METADATA;
		}
	}
	return IDP_OK;
}

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "core/registry.h"
#include "crypto/b64url.h"
#include "crypto/random.h"
#include "oidc/client.h"
#include "oidc/client_name.h"
#include "oidc/scope.h"
#include "store/api.h"
#include "store/client.h"

/* Members the server assigns; a registrant may not set them. */
static const char *const server_members[] = { "client_id", "client_secret",
	"client_id_issued_at", "client_secret_expires_at",
	"registration_access_token", "registration_client_uri",
	"software_statement", NULL };

enum idp_err
idp_registry_validate(const struct idp_config *cfg, struct idp_arena *a,
    json_t *in, json_t **md, const char **why)
{
	unsigned flags = IDP_META_DYNAMIC | (cfg->outbound_allow_loopback ?
	    IDP_META_OUTBOUND_LOOPBACK : 0);

	for (const char *const *k = server_members; *k; k++)
		json_object_del(in, *k);
	return idp_client_metadata_validate(a, in, flags, md, why);
}

bool
idp_registry_confidential(json_t *md)
{
	const char *m = json_string_value(json_object_get(md,
	    "token_endpoint_auth_method"));

	return m != NULL && (!strcmp(m, "client_secret_basic") ||
	    !strcmp(m, "client_secret_post"));
}

enum idp_err
idp_registry_row(struct idp_arena *a, struct idp_client_row *row,
    const char *client_id, json_t *md, const char *owner)
{
	char *s = json_dumps(md, JSON_COMPACT | JSON_SORT_KEYS);

	memset(row, 0, sizeof(*row));
	if (s == NULL)
		return IDP_ERR_INTERNAL;
	row->client_id = idp_arena_strdup(a, client_id);
	row->auth_method = idp_arena_strdup(a, json_string_value(
	    json_object_get(md, "token_endpoint_auth_method")));
	row->metadata = idp_arena_strdup(a, s);
	free(s);
	row->owner_org = idp_arena_strdup(a, owner);
	row->enabled = true;
	row->first_party = false;
	row->source = "registration";
	return IDP_OK;
}

char *
idp_registry_new_id(struct idp_arena *a)
{
	unsigned char raw[18];

	if (idp_random_bytes(raw, sizeof(raw)) != 0)
		return NULL;
	return idp_arena_printf(a, "dcr.%s",
	    idp_b64url_encode(a, raw, sizeof(raw)));
}

enum idp_err
idp_registry_check(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, const char *owner_org, json_t *md,
    const char **why)
{
	enum idp_err rc;

	rc = idp_registry_check_scopes(c, a, client_id, owner_org, md, why);
	if (rc == IDP_OK)
		rc = idp_registry_check_name(c, a, client_id, owner_org, md,
		    why);
	return rc;
}

enum idp_err
idp_registry_check_request(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, const char *owner_org, const char *scope,
    const char **why)
{
	char *api[2] = { idp_arena_strdup(a, scope), NULL };
	enum idp_api_scope_state st = IDP_API_SCOPE_UNKNOWN;
	enum idp_err rc;

	rc = idp_store_api_scope_states(c, client_id, owner_org, api, &st);
	if (rc != IDP_OK)
		return rc;
	if (st == IDP_API_SCOPE_UNKNOWN) {
		*why = idp_arena_printf(a, "scope %s does not exist (no "
		    "service offers it)", scope);
		return IDP_ERR_NOT_FOUND;
	}
	if (st == IDP_API_SCOPE_ALLOWED) {
		*why = idp_arena_printf(a, "%s may have %s already",
		    client_id, scope);
		return IDP_ERR_CONFLICT;
	}
	return IDP_OK;
}

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
	if (!idp_client_name_ready())
		return idp_fail_why(why, IDP_ERR_INTERNAL,
		    "client names cannot be compared: ICU is missing");
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

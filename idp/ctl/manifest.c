#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl/manifest.h"
#include "oidc/client.h"
#include "oidc/scope.h"

static const char *const own_members[] = { "client_id", "owner_organisation",
	"first_party", "enabled", "api", NULL };

#define API_RESOURCES_MAX 10
#define API_SCOPES_MAX 64
#define API_ALLOWED_MAX 200

static bool
client_id_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 3 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || (i > 0 && (ch == '.' ||
		    ch == '_' || ch == '-'))))
			return false;
	}
	return true;
}

static void
decref(void *p)
{
	json_decref(p);
}

static bool
org_code_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || (i > 0 && strchr("._-", s[i]))))
			return false;
	return true;
}

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A sorted, de-duplicated list of strings from arr (max items, each
 * valid by ok), into *v and the canonical JSON array *j. */
static int
string_set(struct idp_arena *a, json_t *arr, size_t max,
    bool (*ok)(const char *), char ***v, json_t **j)
{
	size_t n = json_array_size(arr), i, k = 0;
	json_t *e;

	if (arr != NULL && (!json_is_array(arr) || n > max))
		return -1;
	*v = idp_arena_zalloc(a, (n + 1) * sizeof(char *));
	json_array_foreach(arr, i, e) {
		if (!json_is_string(e) || !ok(json_string_value(e)))
			return -1;
		(*v)[k++] = idp_arena_strdup(a, json_string_value(e));
	}
	qsort(*v, k, sizeof(char *), by_str);
	*j = json_array();
	for (i = 0; i < k; i++)
		if (i == 0 || strcmp((*v)[i], (*v)[i - 1]) != 0)
			json_array_append_new(*j, json_string((*v)[i]));
	return 0;
}

static bool
resource_ok(const char *s)
{
	const char *why;

	return idp_uri_check(s, false, &why) == 0;
}

static bool
api_scope_ok(const char *s)
{
	return idp_scope_token_valid(s) && strlen(s) <= 128 &&
	    !idp_scope_is_standard(s);
}

static int
api_scope(struct idp_arena *a, const char *name, json_t *in,
    struct idp_api_decl_scope *d, json_t *canon, const char **why)
{
	json_t *desc = json_object_get(in, "description"), *cl = NULL;
	json_t *org = NULL;

	if (!api_scope_ok(name)) {
		*why = idp_arena_printf(a, "api.scopes: %s is not a scope token "
		    "of at most 128 characters, or is a standard scope", name);
		return -1;
	}
	if (!json_is_object(in) || (desc != NULL && (!json_is_string(desc) ||
	    strlen(json_string_value(desc)) > 500))) {
		*why = idp_arena_printf(a, "api.scopes.%s must be an object with "
		    "a description of at most 500 characters", name);
		return -1;
	}
	d->scope = idp_arena_strdup(a, name);
	d->description = idp_arena_strdup(a, desc ? json_string_value(desc) :
	    "");
	if (string_set(a, json_object_get(in, "clients"), API_ALLOWED_MAX,
	    client_id_valid, &d->clients, &cl) != 0 ||
	    string_set(a, json_object_get(in, "organisations"),
	    API_ALLOWED_MAX, org_code_valid, &d->organisations, &org) != 0) {
		json_decref(cl);
		json_decref(org);
		*why = idp_arena_printf(a, "api.scopes.%s: clients and "
		    "organisations must be arrays of client ids and "
		    "organisation codes", name);
		return -1;
	}
	json_object_set_new(canon, name, json_pack("{s:s, s:o, s:o}",
	    "description", d->description, "clients", cl, "organisations",
	    org));
	return 0;
}

/* The api member: what the service offers as a resource server. */
static int
parse_api(struct idp_arena *a, json_t *v, struct manifest *m,
    const char **why)
{
	json_t *scopes = json_object_get(v, "scopes"), *res = NULL, *sc, *e;
	const char *name;

	m->api_json = json_pack("{s:[], s:{}}", "resource", "scopes");
	idp_arena_on_free(a, decref, m->api_json);
	m->api.resources = idp_arena_zalloc(a, sizeof(char *));
	if (v == NULL)
		return 0;
	if (!json_is_object(v) || !json_is_object(scopes) ||
	    json_object_size(scopes) == 0 ||
	    json_object_size(scopes) > API_SCOPES_MAX) {
		*why = "api must be {\"resource\": [...], \"scopes\": {...}} "
		    "with 1 to 64 scopes";
		return -1;
	}
	if (string_set(a, json_object_get(v, "resource"), API_RESOURCES_MAX,
	    resource_ok, &m->api.resources, &res) != 0 ||
	    json_array_size(res) == 0) {
		json_decref(res);
		*why = "api.resource must be 1 to 10 absolute URIs without "
		    "fragments (https; http only on loopback)";
		return -1;
	}
	json_object_set_new(m->api_json, "resource", res);
	sc = json_object_get(m->api_json, "scopes");
	m->api.scopes = idp_arena_zalloc(a, json_object_size(scopes) *
	    sizeof(*m->api.scopes));
	json_object_foreach(scopes, name, e) {
		if (api_scope(a, name, e, &m->api.scopes[m->api.nscopes], sc,
		    why) != 0)
			return -1;
		m->api.nscopes++;
	}
	return 0;
}

int
manifest_parse(struct idp_arena *a, json_t *doc, const char *path,
    bool outbound_loopback, struct manifest *m, const char **why)
{
	json_t *md, *v;
	enum idp_err e;

	memset(m, 0, sizeof(*m));
	m->path = path;
	if (!json_is_object(doc)) {
		*why = "a manifest must be a JSON object";
		return -1;
	}
	m->client_id = idp_arena_strdup(a,
	    json_string_value(json_object_get(doc, "client_id")));
	if (!client_id_valid(m->client_id)) {
		*why = "client_id must be 3-128 letters, digits, '.', '_' or "
		    "'-', starting with a letter or digit";
		return -1;
	}
	v = json_object_get(doc, "owner_organisation");
	if (v != NULL && !json_is_string(v)) {
		*why = "owner_organisation must be an organisation code";
		return -1;
	}
	m->owner_org = idp_arena_strdup(a, json_string_value(v));
	v = json_object_get(doc, "first_party");
	if (v != NULL && !json_is_boolean(v)) {
		*why = "first_party must be true or false";
		return -1;
	}
	m->first_party = json_is_true(v);
	v = json_object_get(doc, "enabled");
	if (v != NULL && !json_is_boolean(v)) {
		*why = "enabled must be true or false";
		return -1;
	}
	m->enabled = v == NULL || json_is_true(v);
	if (parse_api(a, json_object_get(doc, "api"), m, why) != 0)
		return -1;
	md = json_deep_copy(doc);
	for (const char *const *k = own_members; *k; k++)
		json_object_del(md, *k);
	e = idp_client_metadata_validate(a, md, (m->first_party ?
	    IDP_META_FIRST_PARTY : 0) | (outbound_loopback ?
	    IDP_META_OUTBOUND_LOOPBACK : 0), &m->metadata, why);
	json_decref(md);
	if (e != IDP_OK)
		return -1;
	idp_arena_on_free(a, decref, m->metadata);
	m->auth_method = idp_arena_strdup(a, json_string_value(
	    json_object_get(m->metadata, "token_endpoint_auth_method")));
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int
manifest_files(struct idp_arena *a, const char *dir, char ***out, size_t *n,
    const char **why)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 128;
	char **v;

	if (d == NULL) {
		*why = "cannot read the directory";
		return -1;
	}
	v = idp_arena_alloc(a, cap * sizeof(*v));
	*n = 0;
	while ((e = readdir(d)) != NULL) {
		char *p;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		p = idp_arena_printf(a, "%s/%s", dir, e->d_name);
		if (stat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			p = idp_arena_printf(a, "%s/client.json", p);
			if (stat(p, &st) != 0 || !S_ISREG(st.st_mode))
				continue;
		} else if (!S_ISREG(st.st_mode) || !ends_with(e->d_name,
		    ".json")) {
			continue;
		}
		if (*n == cap) {
			char **w = idp_arena_alloc(a, 2 * cap * sizeof(*w));

			memcpy(w, v, cap * sizeof(*w));
			v = w;
			cap *= 2;
		}
		v[(*n)++] = p;
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), by_name);
	*out = v;
	return 0;
}

enum idp_err
manifest_to_row(struct idp_arena *a, const struct manifest *m,
    const char *source, struct idp_client_row *row)
{
	char *s = json_dumps(m->metadata, JSON_COMPACT | JSON_SORT_KEYS);

	memset(row, 0, sizeof(*row));
	if (s == NULL)
		return IDP_ERR_INTERNAL;
	row->client_id = m->client_id;
	row->auth_method = m->auth_method;
	row->metadata = idp_arena_strdup(a, s);
	free(s);
	row->owner_org = m->owner_org;
	row->first_party = m->first_party;
	row->enabled = m->enabled;
	row->source = idp_arena_strdup(a, source);
	return IDP_OK;
}

bool
manifest_same(const struct manifest *m, const struct idp_client_row *row)
{
	json_t *stored = json_loads(row->metadata, 0, NULL);
	bool same = stored != NULL && json_equal(stored, m->metadata) &&
	    row->first_party == m->first_party && row->enabled == m->enabled &&
	    !strcmp(row->auth_method, m->auth_method) &&
	    ((row->owner_org == NULL && m->owner_org == NULL) ||
	    (row->owner_org && m->owner_org &&
	    !strcmp(row->owner_org, m->owner_org)));

	json_decref(stored);
	return same;
}

bool
manifest_api_same(const struct manifest *m, const char *stored)
{
	json_t *j = stored ? json_loads(stored, 0, NULL) : NULL;
	bool same = j != NULL && json_equal(j, m->api_json);

	json_decref(j);
	return same;
}

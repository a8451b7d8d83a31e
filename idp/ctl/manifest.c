#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl/manifest.h"
#include "oidc/client.h"

static const char *const own_members[] = { "client_id", "owner_organisation",
	"first_party", "enabled", NULL };

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

int
manifest_parse(struct idp_arena *a, json_t *doc, const char *path,
    struct manifest *m, const char **why)
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
	md = json_deep_copy(doc);
	for (const char *const *k = own_members; *k; k++)
		json_object_del(md, *k);
	e = idp_client_metadata_validate(a, md, false, &m->metadata, why);
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

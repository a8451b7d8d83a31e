#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/digest.h"
#include "crypto/random.h"
#include "ctl/ctl.h"
#include "ctl/manifest.h"
#include "store/client.h"
#include "util/mem.h"

static void
client_usage(void)
{
	printf("usage: idpctl client add CLIENT_ID --name NAME "
	    "[--redirect-uri URI]...\n"
	    "           [--post-logout-uri URI]... [--grant TYPE]... "
	    "[--auth-method METHOD]\n"
	    "           [--scope \"S1 S2\"] [--org CODE] [--first-party] "
	    "[--id-token-alg ALG]\n"
	    "           [--access-token-format opaque|jwt] [--jwks FILE] "
	    "[--jwks-uri URI]\n"
	    "       idpctl client add --manifest FILE.json\n"
	    "       idpctl client list\n"
	    "       idpctl client show CLIENT_ID\n"
	    "       idpctl client secret CLIENT_ID   (new secret, shown once)\n"
	    "       idpctl client remove CLIENT_ID\n"
	    "       idpctl client apply DIR [--dry-run] "
	    "[--rotate-secret CLIENT_ID]...\n\n"
	    "A new confidential client's secret is printed exactly once; the "
	    "provider\nkeeps only its SHA-256. METHOD is client_secret_basic "
	    "(default),\nclient_secret_post, private_key_jwt or none (public "
	    "clients, PKCE).\n"
	    "apply reads DIR/*.json and DIR/*/client.json, creates or updates "
	    "those\nclients in one transaction, prints what changed, and never "
	    "prints or\nreplaces an existing secret unless --rotate-secret "
	    "names the client.\n");
}

static bool
needs_secret(const char *method)
{
	return !strcmp(method, "client_secret_basic") ||
	    !strcmp(method, "client_secret_post");
}

/* A new secret: printed once by the caller, stored as SHA-256 only. */
static char *
new_secret(struct ctl *c, struct idp_client_row *row)
{
	char *s = idp_random_token(c->arena);

	idp_sha256_str(s, row->secret_digest);
	row->has_secret = true;
	return s;
}

static json_t *
load_json_file(const char *path, const char **why)
{
	json_error_t je;
	json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &je);

	if (o == NULL)
		*why = "not valid JSON (or a duplicated member)";
	return o;
}

static void
add_array(json_t *doc, const char *key, const char *val)
{
	json_t *a = json_object_get(doc, key);

	if (a == NULL) {
		a = json_array();
		json_object_set_new(doc, key, a);
	}
	json_array_append_new(a, json_string(val));
}

static int
client_add_args(int argc, char **argv, json_t *doc, const char **manifest)
{
	for (int i = 2; i < argc; i++) {
		const char *v, *why = NULL;

		if ((v = ctl_opt(argc, argv, &i, "--manifest")) != NULL)
			*manifest = v;
		else if ((v = ctl_opt(argc, argv, &i, "--name")) != NULL)
			json_object_set_new(doc, "client_name", json_string(v));
		else if ((v = ctl_opt(argc, argv, &i, "--redirect-uri")) != NULL)
			add_array(doc, "redirect_uris", v);
		else if ((v = ctl_opt(argc, argv, &i, "--post-logout-uri"))
		    != NULL)
			add_array(doc, "post_logout_redirect_uris", v);
		else if ((v = ctl_opt(argc, argv, &i, "--grant")) != NULL)
			add_array(doc, "grant_types", v);
		else if ((v = ctl_opt(argc, argv, &i, "--auth-method")) != NULL)
			json_object_set_new(doc, "token_endpoint_auth_method",
			    json_string(v));
		else if ((v = ctl_opt(argc, argv, &i, "--scope")) != NULL)
			json_object_set_new(doc, "scope", json_string(v));
		else if ((v = ctl_opt(argc, argv, &i, "--org")) != NULL)
			json_object_set_new(doc, "owner_organisation",
			    json_string(v));
		else if ((v = ctl_opt(argc, argv, &i, "--id-token-alg")) != NULL)
			json_object_set_new(doc, "id_token_signed_response_alg",
			    json_string(v));
		else if ((v = ctl_opt(argc, argv, &i, "--access-token-format"))
		    != NULL)
			json_object_set_new(doc, "access_token_format",
			    json_string(v));
		else if ((v = ctl_opt(argc, argv, &i, "--jwks-uri")) != NULL)
			json_object_set_new(doc, "jwks_uri", json_string(v));
		else if ((v = ctl_opt(argc, argv, &i, "--jwks")) != NULL) {
			json_t *j = load_json_file(v, &why);

			if (j == NULL) {
				ctl_err("client add: --jwks %s: %s", v, why);
				return -1;
			}
			json_object_set_new(doc, "jwks", j);
		} else if (ctl_flag(argv, i, "--first-party"))
			json_object_set_new(doc, "first_party", json_true());
		else if (ctl_flag(argv, i, "--json"))
			continue;
		else if (argv[i][0] != '-' &&
		    json_object_get(doc, "client_id") == NULL)
			json_object_set_new(doc, "client_id", json_string(argv[i]));
		else {
			ctl_err("client add: unexpected argument %s", argv[i]);
			return -1;
		}
	}
	return 0;
}

static int
client_add(struct ctl *c, int argc, char **argv)
{
	json_t *doc = json_object();
	const char *manifest = NULL, *why = NULL;
	struct idp_client_row row;
	struct manifest m;
	char *secret = NULL;
	enum idp_err e;
	int rc;

	if (client_add_args(argc, argv, doc, &manifest) != 0) {
		json_decref(doc);
		return CTL_USAGE;
	}
	if (manifest != NULL) {
		json_decref(doc);
		doc = load_json_file(manifest, &why);
		if (doc == NULL)
			return ctl_err("client add: %s: %s", manifest, why);
	}
	rc = manifest_parse(c->arena, doc, manifest ? manifest :
	    "(command line)", &m, &why);
	json_decref(doc);
	if (rc != 0)
		return ctl_err("client add: %s", why);
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if (manifest_to_row(c->arena, &m, "idpctl", &row) != IDP_OK)
		return ctl_err("client add: cannot serialise the metadata");
	if (needs_secret(m.auth_method))
		secret = new_secret(c, &row);
	e = idp_store_client_insert(c->conn, &row);
	if (e == IDP_ERR_CONFLICT)
		return ctl_err("client add: client %s already exists",
		    m.client_id);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("client add: organisation %s does not exist",
		    m.owner_org);
	if (e != IDP_OK)
		return ctl_err("client add: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *o = json_pack("{s:s}", "client_id", m.client_id);

		if (secret != NULL)
			json_object_set_new(o, "client_secret",
			    json_string(secret));
		ctl_print_json(o);
	} else {
		printf("client %s created\n", m.client_id);
		if (secret != NULL)
			printf("client_secret: %s\n(shown once; the provider "
			    "keeps only its hash)\n", secret);
	}
	return CTL_OK;
}

static int
client_list(struct ctl *c)
{
	struct idp_client_row *rows = NULL;
	enum idp_err e;
	int n = 0, rc;

	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((e = idp_store_client_list(c->conn, c->arena, &rows, &n)) != IDP_OK)
		return ctl_err("client list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++) {
			json_t *md = json_loads(rows[i].metadata, 0, NULL);
			json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:s}",
			    "client_id", rows[i].client_id,
			    "token_endpoint_auth_method", rows[i].auth_method,
			    "enabled", rows[i].enabled,
			    "first_party", rows[i].first_party,
			    "source", rows[i].source);

			json_object_set(o, "client_name",
			    json_object_get(md, "client_name") ?
			    json_object_get(md, "client_name") : json_null());
			json_object_set_new(o, "owner_organisation",
			    rows[i].owner_org ? json_string(rows[i].owner_org) :
			    json_null());
			json_decref(md);
			json_array_append_new(a, o);
		}
		ctl_print_json(json_pack("{s:o}", "clients", a));
		return CTL_OK;
	}
	printf("%-28s %-20s %-8s %-6s %s\n", "CLIENT_ID", "AUTH", "STATE",
	    "PARTY", "NAME");
	for (int i = 0; i < n; i++) {
		json_t *md = json_loads(rows[i].metadata, 0, NULL);
		const char *name = json_string_value(json_object_get(md,
		    "client_name"));

		printf("%-28s %-20s %-8s %-6s %s\n", rows[i].client_id,
		    rows[i].auth_method, rows[i].enabled ? "enabled" :
		    "disabled", rows[i].first_party ? "first" : "third",
		    name ? name : "-");
		json_decref(md);
	}
	return CTL_OK;
}

static int
client_show(struct ctl *c, int argc, char **argv)
{
	struct idp_client_row *row = NULL;
	json_t *o;
	enum idp_err e;
	int rc;

	if (argc < 3 || argv[2][0] == '-') {
		ctl_err("client show: CLIENT_ID is required");
		return CTL_USAGE;
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_client_get(c->conn, c->arena, argv[2], &row);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("client show: no client %s", argv[2]);
	if (e != IDP_OK)
		return ctl_err("client show: %s", ctl_db_msg(c, e));
	o = json_loads(row->metadata, 0, NULL);
	if (o == NULL)
		o = json_object();
	json_object_set_new(o, "client_id", json_string(row->client_id));
	json_object_set_new(o, "owner_organisation", row->owner_org ?
	    json_string(row->owner_org) : json_null());
	json_object_set_new(o, "first_party", json_boolean(row->first_party));
	json_object_set_new(o, "enabled", json_boolean(row->enabled));
	json_object_set_new(o, "source", json_string(row->source));
	json_object_set_new(o, "has_secret", json_boolean(row->has_secret));
	json_object_set_new(o, "created_at", json_integer(row->created_at));
	json_object_set_new(o, "updated_at", json_integer(row->updated_at));
	ctl_print_json(o);
	return CTL_OK;
}

static int
client_remove(struct ctl *c, int argc, char **argv)
{
	enum idp_err e;
	int rc;

	if (argc < 3 || argv[2][0] == '-') {
		ctl_err("client remove: CLIENT_ID is required");
		return CTL_USAGE;
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_client_delete(c->conn, argv[2]);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("client remove: no client %s", argv[2]);
	if (e != IDP_OK)
		return ctl_err("client remove: %s", ctl_db_msg(c, e));
	if (c->json)
		ctl_print_json(json_pack("{s:s, s:b}", "client_id", argv[2],
		    "removed", 1));
	else
		printf("client %s removed; its tokens no longer work\n",
		    argv[2]);
	return CTL_OK;
}

static int
client_secret(struct ctl *c, int argc, char **argv)
{
	struct idp_client_row *row = NULL;
	char *secret;
	enum idp_err e;
	int rc;

	if (argc < 3 || argv[2][0] == '-') {
		ctl_err("client secret: CLIENT_ID is required");
		return CTL_USAGE;
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_client_get(c->conn, c->arena, argv[2], &row);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("client secret: no client %s", argv[2]);
	if (e != IDP_OK)
		return ctl_err("client secret: %s", ctl_db_msg(c, e));
	if (!needs_secret(row->auth_method))
		return ctl_err("client secret: %s authenticates with %s, not a "
		    "secret", argv[2], row->auth_method);
	secret = new_secret(c, row);
	e = idp_store_client_update(c->conn, row, false);
	if (e != IDP_OK)
		return ctl_err("client secret: %s", ctl_db_msg(c, e));
	if (c->json)
		ctl_print_json(json_pack("{s:s, s:s}", "client_id", argv[2],
		    "client_secret", secret));
	else
		printf("client_secret: %s\n(shown once; the old secret no "
		    "longer works)\n", secret);
	return CTL_OK;
}

int
ctl_client(struct ctl *c, int argc, char **argv)
{
	if (argc < 2 || ctl_wants_help(argc, argv)) {
		client_usage();
		return argc < 2 ? CTL_USAGE : CTL_OK;
	}
	if (!strcmp(argv[1], "add"))
		return client_add(c, argc, argv);
	if (!strcmp(argv[1], "list"))
		return client_list(c);
	if (!strcmp(argv[1], "show"))
		return client_show(c, argc, argv);
	if (!strcmp(argv[1], "remove"))
		return client_remove(c, argc, argv);
	if (!strcmp(argv[1], "secret"))
		return client_secret(c, argc, argv);
	if (!strcmp(argv[1], "apply"))
		return ctl_client_apply(c, argc, argv);
	ctl_err("client: unknown subcommand %s", argv[1]);
	return CTL_USAGE;
}

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/digest.h"
#include "crypto/random.h"
#include "ctl/ctl.h"
#include "core/registry.h"
#include "core/roles.h"
#include "ctl/manifest.h"
#include "store/api.h"
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
	    "           [--require-par] [--request-object-alg ALG] "
	    "[--dpop-bound]\n"
	    "           [--userinfo-alg ALG] [--subject-type public|pairwise] "
	    "[--sector-identifier-uri URI]\n"
	    "           [--backchannel-logout-uri URI] "
	    "[--frontchannel-logout-uri URI]\n"
	    "           [--access-token-alg ALG]\n"
	    "       idpctl client add --manifest FILE.json\n"
	    "       idpctl client list\n"
	    "       idpctl client show CLIENT_ID\n"
	    "       idpctl client secret CLIENT_ID   (new secret, shown once)\n"
	    "       idpctl client remove CLIENT_ID\n"
	    "       idpctl client apply DIR [--dry-run] "
	    "[--rotate-secret CLIENT_ID]...\n"
	    "       idpctl client approve CLIENT_ID [--reason TEXT] "
	    "[--as USERNAME]\n"
	    "       idpctl client reject CLIENT_ID --reason TEXT "
	    "[--as USERNAME]\n\n"
	    "A new confidential client's secret is printed exactly once; the "
	    "provider\nkeeps only its SHA-256. METHOD is client_secret_basic "
	    "(default),\nclient_secret_post, private_key_jwt or none (public "
	    "clients, PKCE).\n"
	    "apply reads DIR/*.json and DIR/*/client.json, creates or updates "
	    "those\nclients in one transaction, prints what changed, and never "
	    "prints or\nreplaces an existing secret unless --rotate-secret "
	    "names the client.\n"
	    "A self-registered client is pending until approve; reject keeps "
	    "it\nunusable. --as names the person deciding (an admin), for "
	    "the audit log.\nA manifest's \"api\" member declares the API "
	    "scopes a service offers\n(clients/README.md); its API scopes in "
	    "\"scope\" must exist and be allowed.\n");
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

/* The options of client add as a metadata document; -1 to go on, or the
 * exit code. */
static int
client_add_args(struct ctl *c, int argc, char **argv, json_t *doc,
    const char **manifest)
{
	enum {
		OPT_MANIFEST = 0x100 + 1, OPT_NAME, OPT_REDIRECT_URI,
		OPT_POST_LOGOUT_URI, OPT_GRANT, OPT_AUTH_METHOD, OPT_SCOPE,
		OPT_ORG, OPT_ID_TOKEN_ALG, OPT_AT_FORMAT, OPT_JWKS_URI,
		OPT_USERINFO_ALG, OPT_SUBJECT_TYPE, OPT_SECTOR_URI,
		OPT_BACKCHANNEL_URI, OPT_FRONTCHANNEL_URI,
		OPT_JWKS, OPT_FIRST_PARTY, OPT_REQUIRE_PAR, OPT_RO_ALG,
		OPT_DPOP_BOUND,
		OPT_AT_ALG,
	};
	static const struct option opts[] = {
		{ "manifest", required_argument, NULL, OPT_MANIFEST },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "redirect-uri", required_argument, NULL, OPT_REDIRECT_URI },
		{ "post-logout-uri", required_argument, NULL,
		    OPT_POST_LOGOUT_URI },
		{ "grant", required_argument, NULL, OPT_GRANT },
		{ "auth-method", required_argument, NULL, OPT_AUTH_METHOD },
		{ "scope", required_argument, NULL, OPT_SCOPE },
		{ "org", required_argument, NULL, OPT_ORG },
		{ "id-token-alg", required_argument, NULL, OPT_ID_TOKEN_ALG },
		{ "access-token-format", required_argument, NULL,
		    OPT_AT_FORMAT },
		{ "jwks-uri", required_argument, NULL, OPT_JWKS_URI },
		{ "userinfo-alg", required_argument, NULL, OPT_USERINFO_ALG },
		{ "subject-type", required_argument, NULL, OPT_SUBJECT_TYPE },
		{ "sector-identifier-uri", required_argument, NULL,
		    OPT_SECTOR_URI },
		{ "backchannel-logout-uri", required_argument, NULL,
		    OPT_BACKCHANNEL_URI },
		{ "frontchannel-logout-uri", required_argument, NULL,
		    OPT_FRONTCHANNEL_URI },
		{ "jwks", required_argument, NULL, OPT_JWKS },
		{ "first-party", no_argument, NULL, OPT_FIRST_PARTY },
		{ "access-token-alg", required_argument, NULL, OPT_AT_ALG },
		/* RFC 9126 §6, OIDC Registration §2, RFC 9449 §5.2 */
		{ "require-par", no_argument, NULL, OPT_REQUIRE_PAR },
		{ "request-object-alg", required_argument, NULL, OPT_RO_ALG },
		{ "dpop-bound", no_argument, NULL, OPT_DPOP_BOUND },
		CTL_OPTS_COMMON
	};
	/* Members set from an option's value, by option. */
	static const char *const member[] = {
		[OPT_NAME - OPT_NAME] = "client_name",
		[OPT_AUTH_METHOD - OPT_NAME] = "token_endpoint_auth_method",
		[OPT_SCOPE - OPT_NAME] = "scope",
		[OPT_ORG - OPT_NAME] = "owner_organisation",
		[OPT_ID_TOKEN_ALG - OPT_NAME] = "id_token_signed_response_alg",
		[OPT_AT_FORMAT - OPT_NAME] = "access_token_format",
		[OPT_JWKS_URI - OPT_NAME] = "jwks_uri",
		[OPT_AT_ALG - OPT_NAME] = "access_token_signed_response_alg",
		[OPT_USERINFO_ALG - OPT_NAME] = "userinfo_signed_response_alg",
		[OPT_SUBJECT_TYPE - OPT_NAME] = "subject_type",
		[OPT_SECTOR_URI - OPT_NAME] = "sector_identifier_uri",
		[OPT_BACKCHANNEL_URI - OPT_NAME] = "backchannel_logout_uri",
		[OPT_FRONTCHANNEL_URI - OPT_NAME] = "frontchannel_logout_uri",
	};
	const char *why = NULL;
	char **op;
	json_t *j;
	int ch, n;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_MANIFEST:
			*manifest = optarg;
			break;
		case OPT_REDIRECT_URI:
			add_array(doc, "redirect_uris", optarg);
			break;
		case OPT_POST_LOGOUT_URI:
			add_array(doc, "post_logout_redirect_uris", optarg);
			break;
		case OPT_GRANT:
			add_array(doc, "grant_types", optarg);
			break;
		case OPT_JWKS:
			if ((j = load_json_file(optarg, &why)) == NULL)
				return ctl_usage("client add: --jwks %s: %s",
				    optarg, why);
			json_object_set_new(doc, "jwks", j);
			break;
		case OPT_FIRST_PARTY:
			json_object_set_new(doc, "first_party", json_true());
			break;
		case OPT_REQUIRE_PAR:
			json_object_set_new(doc,
			    "require_pushed_authorization_requests",
			    json_true());
			break;
		case OPT_RO_ALG:
			json_object_set_new(doc, "request_object_signing_alg",
			    json_string(optarg));
			break;
		case OPT_DPOP_BOUND:
			json_object_set_new(doc, "dpop_bound_access_tokens",
			    json_true());
			break;
		case OPT_NAME:
		case OPT_AUTH_METHOD:
		case OPT_SCOPE:
		case OPT_ORG:
		case OPT_ID_TOKEN_ALG:
		case OPT_AT_FORMAT:
		case OPT_JWKS_URI:
		case OPT_AT_ALG:
		case OPT_USERINFO_ALG:
		case OPT_SUBJECT_TYPE:
		case OPT_SECTOR_URI:
		case OPT_BACKCHANNEL_URI:
		case OPT_FRONTCHANNEL_URI:
			json_object_set_new(doc, member[ch - OPT_NAME],
			    json_string(optarg));
			break;
		default:
			return ctl_opt_exit(ch);
		}
	}
	if ((n = ctl_rest(c, argc, argv, 1, &op)) < 0)
		return CTL_USAGE;
	if (n == 1)
		json_object_set_new(doc, "client_id", json_string(op[0]));
	return -1;
}

/* Insert, declare its API, check its API scopes, audit. */
static int
add_in_txn(struct ctl *c, const struct manifest *m,
    const struct idp_client_row *row)
{
	const char *why = NULL, *what = NULL;
	enum idp_err e;

	e = idp_store_client_insert(c->conn, row, ctl_actor(c));
	if (e == IDP_ERR_CONFLICT)
		return ctl_err("client add: client %s already exists",
		    m->client_id);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("client add: organisation %s does not exist",
		    m->owner_org);
	if (e == IDP_OK && m->api.nscopes > 0)
		e = idp_store_api_sync(c->conn, c->arena, m->client_id, &m->api,
		    &what);
	if (e == IDP_ERR_CONFLICT || e == IDP_ERR_NOT_FOUND)
		return ctl_err("client add: %s %s", what, e == IDP_ERR_CONFLICT ?
		    "belongs to another service" : "is not an organisation");
	if (e == IDP_OK)
		e = idp_registry_check_scopes(c->conn, c->arena, m->client_id,
		    m->owner_org, m->metadata, &why);
	if (e == IDP_ERR_INVALID_CLIENT_METADATA)
		return ctl_err("client add: %s", why);
	if (e != IDP_OK)
		return ctl_err("client add: %s", ctl_db_msg(c, e));
	return ctl_audit(c, "client.created", 0, m->client_id,
	    json_pack("{s:s, s:s?}", "source", "idpctl", "owner",
	    m->owner_org));
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

	if ((rc = client_add_args(c, argc, argv, doc, &manifest)) != -1) {
		json_decref(doc);
		return rc;
	}
	if (manifest != NULL) {
		json_decref(doc);
		doc = load_json_file(manifest, &why);
		if (doc == NULL)
			return ctl_err("client add: %s: %s", manifest, why);
	}
	if (ctl_config(c) != 0) {
		json_decref(doc);
		return CTL_FAIL;
	}
	rc = manifest_parse(c->arena, doc, manifest ? manifest :
	    "(command line)", c->cfg.outbound_allow_loopback, &m, &why);
	json_decref(doc);
	if (rc != 0)
		return ctl_err("client add: %s", why);
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((rc = ctl_sector_check(c, m.path, m.client_id, m.metadata)) != 0)
		return rc;
	if (manifest_to_row(c->arena, &m, "idpctl", &row) != IDP_OK)
		return ctl_err("client add: cannot serialise the metadata");
	if (needs_secret(m.auth_method))
		secret = new_secret(c, &row);
	if ((e = idp_db_begin(c->conn)) != IDP_OK)
		return ctl_err("client add: %s", ctl_db_msg(c, e));
	rc = add_in_txn(c, &m, &row);
	if (rc == 0 && (e = idp_db_commit(c->conn)) != IDP_OK)
		rc = ctl_err("client add: %s", ctl_db_msg(c, e));
	if (rc != 0) {
		idp_db_rollback(c->conn);
		return rc;
	}
	if (c->json) {
		json_t *o = json_pack("{s:s}", "client_id", m.client_id);

		if (secret != NULL)
			json_object_set_new(o, "client_secret",
			    json_string(secret));
		return ctl_print_json(o);
	}
	printf("client %s created\n", m.client_id);
	if (secret != NULL)
		printf("client_secret: %s\n(shown once; the provider keeps "
		    "only its hash)\n", secret);
	return CTL_OK;
}

/* pending and rejected first: those are what an operator acts on. */
static const char *
state_of(const struct idp_client_row *r)
{
	if (strcmp(r->approval, "approved") != 0)
		return r->approval;
	return r->enabled ? "enabled" : "disabled";
}

static int
client_list(struct ctl *c, int argc, char **argv)
{
	struct idp_client_row *rows = NULL;
	enum idp_err e;
	char **op;
	int n = 0, rc;

	if ((rc = ctl_operands(c, argc, argv, 0, 0, "", &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((e = idp_store_client_list(c->conn, c->arena, &rows, &n)) != IDP_OK)
		return ctl_err("client list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++) {
			json_t *md = json_loads(rows[i].metadata, 0, NULL);
			json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:s, s:s}",
			    "client_id", rows[i].client_id,
			    "token_endpoint_auth_method", rows[i].auth_method,
			    "enabled", rows[i].enabled,
			    "first_party", rows[i].first_party,
			    "source", rows[i].source,
			    "approval", rows[i].approval);

			json_object_set(o, "client_name",
			    json_object_get(md, "client_name") ?
			    json_object_get(md, "client_name") : json_null());
			json_object_set_new(o, "owner_organisation",
			    rows[i].owner_org ? json_string(rows[i].owner_org) :
			    json_null());
			json_decref(md);
			json_array_append_new(a, o);
		}
		return ctl_print_json(json_pack("{s:o}", "clients", a));
	}
	printf("%-28s %-20s %-8s %-6s %s\n", "CLIENT_ID", "AUTH", "STATE",
	    "PARTY", "NAME");
	for (int i = 0; i < n; i++) {
		json_t *md = json_loads(rows[i].metadata, 0, NULL);
		const char *name = json_string_value(json_object_get(md,
		    "client_name"));

		printf("%-28s %-20s %-8s %-6s %s\n", rows[i].client_id,
		    rows[i].auth_method, state_of(&rows[i]),
		    rows[i].first_party ? "first" : "third",
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
	char **op;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "CLIENT_ID is required",
	    &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_client_get(c->conn, c->arena, op[0], &row);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("client show: no client %s", op[0]);
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
	json_object_set_new(o, "approval", json_string(row->approval));
	json_object_set_new(o, "approval_reason", row->approval_reason ?
	    json_string(row->approval_reason) : json_null());
	json_object_set_new(o, "api_scopes_allowed", json_loads(
	    row->api_json ? row->api_json : "[]", 0, NULL));
	json_object_set_new(o, "api_scopes_offered", json_string(
	    row->offered ? row->offered : ""));
	json_object_set_new(o, "resources", json_string(
	    row->resources ? row->resources : ""));
	json_object_set_new(o, "created_at", json_integer(row->created_at));
	json_object_set_new(o, "updated_at", json_integer(row->updated_at));
	return ctl_print_json(o);
}

static int
client_remove(struct ctl *c, int argc, char **argv)
{
	enum idp_err e;
	char **op;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "CLIENT_ID is required",
	    &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_client_delete(c->conn, op[0]);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("client remove: no client %s", op[0]);
	if (e != IDP_OK)
		return ctl_err("client remove: %s", ctl_db_msg(c, e));
	if ((rc = ctl_audit(c, "client.deleted", 0, op[0], NULL)) != 0)
		return rc;
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:b}", "client_id",
		    op[0], "removed", 1));
	printf("client %s removed; its tokens no longer work\n", op[0]);
	return CTL_OK;
}

static int
client_secret(struct ctl *c, int argc, char **argv)
{
	struct idp_client_row *row = NULL;
	char *secret;
	enum idp_err e;
	char **op;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "CLIENT_ID is required",
	    &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_client_get(c->conn, c->arena, op[0], &row);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("client secret: no client %s", op[0]);
	if (e != IDP_OK)
		return ctl_err("client secret: %s", ctl_db_msg(c, e));
	if (!needs_secret(row->auth_method))
		return ctl_err("client secret: %s authenticates with %s, not a "
		    "secret", op[0], row->auth_method);
	secret = new_secret(c, row);
	e = idp_store_client_update(c->conn, row, false);
	if (e != IDP_OK)
		return ctl_err("client secret: %s", ctl_db_msg(c, e));
	if ((rc = ctl_audit(c, "client.secret_rotated", 0, op[0], NULL)) != 0)
		return rc;
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:s}", "client_id",
		    op[0], "client_secret", secret));
	printf("client_secret: %s\n(shown once; the old secret no longer "
	    "works)\n", secret);
	return CTL_OK;
}

/* approve|reject CLIENT_ID [--reason TEXT] [--as USERNAME] */
static int
decide(struct ctl *c, int argc, char **argv, bool approve)
{
	enum { OPT_REASON = 0x100 + 1, OPT_AS };
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "as", required_argument, NULL, OPT_AS },
		CTL_OPTS_COMMON
	};
	const char *reason = NULL, *as = NULL;
	char **op, *before = NULL;
	enum idp_err e;
	int ch, n, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_REASON)
			reason = optarg;
		else if (ch == OPT_AS)
			as = optarg;
		else
			return ctl_opt_exit(ch);
	}
	if ((n = ctl_rest(c, argc, argv, 1, &op)) < 0)
		return CTL_USAGE;
	if (n == 0)
		return ctl_usage("%s: CLIENT_ID is required", c->cmd);
	if (!approve && (reason == NULL || *reason == '\0'))
		return ctl_usage("%s: --reason is required", c->cmd);
	if (reason != NULL && strlen(reason) > 500)
		return ctl_usage("%s: --reason is longer than 500 characters",
		    c->cmd);
	if ((rc = ctl_connect(c, true)) != 0 || (as != NULL &&
	    (rc = ctl_as(c, as, IDP_ACT_CLIENT_APPROVE, NULL)) != 0))
		return rc;
	if ((e = idp_db_begin(c->conn)) != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	e = idp_store_client_set_approval(c->conn, c->arena, op[0], approve ?
	    "approved" : "rejected", reason, c->as_name ? c->as_name :
	    ctl_actor(c), &before);
	if (e == IDP_ERR_NOT_FOUND)
		rc = ctl_err("%s: no client %s", c->cmd, op[0]);
	else if (e == IDP_ERR_CONFLICT)
		rc = ctl_err("%s: client %s is %s already", c->cmd, op[0],
		    before);
	else if (e != IDP_OK)
		rc = ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	else
		rc = ctl_audit(c, approve ? "client.approved" :
		    "client.rejected", 0, op[0], json_pack("{s:s, s:s?}",
		    "before", before, "reason", reason));
	if (rc == 0 && (e = idp_db_commit(c->conn)) != IDP_OK)
		rc = ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	if (rc != 0) {
		idp_db_rollback(c->conn);
		return rc;
	}
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:s, s:s}", "client_id",
		    op[0], "approval", approve ? "approved" : "rejected",
		    "before", before));
	printf("client %s %s (was %s)\n", op[0], approve ? "approved" :
	    "rejected", before);
	return CTL_OK;
}

static int
client_approve(struct ctl *c, int argc, char **argv)
{
	return decide(c, argc, argv, true);
}

static int
client_reject(struct ctl *c, int argc, char **argv)
{
	return decide(c, argc, argv, false);
}

static const struct ctl_cmd client_cmds[] = {
	{ "add", client_add },
	{ "list", client_list },
	{ "show", client_show },
	{ "remove", client_remove },
	{ "secret", client_secret },
	{ "apply", ctl_client_apply },
	{ "approve", client_approve },
	{ "reject", client_reject },
	{ NULL, NULL },
};

const struct ctl_group ctl_client_group = {
	.name = "client",
	.subs = "add|list|show|remove|secret|apply|approve|reject",
	.summary = "manage relying parties",
	.usage = client_usage, .cmds = client_cmds,
};

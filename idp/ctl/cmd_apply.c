/* idpctl client apply DIR: the declarative way to keep the province's
 * services registered. Every manifest is validated before anything is
 * written; then all changes go in one transaction: the clients, then the
 * APIs they offer (scopes, resource URIs, who may have them), then the
 * check that every client's API scopes exist and are allowed to it, and
 * an audit row per change. A dry run does all of it and rolls back. */
#include <stdio.h>
#include <string.h>

#include "crypto/digest.h"
#include "crypto/random.h"
#include "ctl/ctl.h"
#include "core/registry.h"
#include "ctl/manifest.h"
#include "store/api.h"
#include "store/client.h"

struct plan {
	struct manifest m;
	struct idp_client_row *existing;	/* NULL: create */
	const char *action;	/* created, updated, unchanged */
	char *secret;		/* new secret to show once */
};

static bool
needs_secret(const char *method)
{
	return !strcmp(method, "client_secret_basic") ||
	    !strcmp(method, "client_secret_post");
}

static int
load_all(struct ctl *c, const char *dir, struct plan **out, size_t *n)
{
	char **files = NULL;
	const char *why = NULL;
	struct plan *p;

	if (manifest_files(c->arena, dir, &files, n, &why) != 0)
		return ctl_err("client apply: %s: %s", dir, why);
	if (*n == 0)
		return ctl_err("client apply: no manifests in %s", dir);
	p = idp_arena_zalloc(c->arena, *n * sizeof(*p));
	for (size_t i = 0; i < *n; i++) {
		json_error_t je;
		json_t *doc = json_load_file(files[i], JSON_REJECT_DUPLICATES,
		    &je);
		int rc;

		if (doc == NULL)
			return ctl_err("client apply: %s:%d: %s", files[i],
			    je.line, je.text);
		rc = manifest_parse(c->arena, doc, files[i],
		    c->cfg.outbound_allow_loopback, &p[i].m, &why);
		json_decref(doc);
		if (rc != 0)
			return ctl_err("client apply: %s: %s", files[i], why);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(p[j].m.client_id, p[i].m.client_id))
				return ctl_err("client apply: %s and %s both "
				    "define client %s", p[j].m.path, files[i],
				    p[i].m.client_id);
	}
	*out = p;
	return 0;
}

static bool
listed(const char *const *rotate, int nrotate, const char *id)
{
	for (int i = 0; i < nrotate; i++)
		if (!strcmp(rotate[i], id))
			return true;
	return false;
}

static enum idp_err
apply_one(struct ctl *c, struct plan *p, bool rotate, bool dry_run)
{
	struct idp_client_row row;
	bool secret_now = needs_secret(p->m.auth_method);
	bool secret_before;
	enum idp_err e;

	if ((e = manifest_to_row(c->arena, &p->m, "manifest", &row)) != IDP_OK)
		return e;
	if (p->existing == NULL) {
		p->action = "created";
		if (secret_now)
			p->secret = idp_random_token(c->arena);
	} else {
		secret_before = p->existing->has_secret;
		if (manifest_same(&p->m, p->existing) && !rotate) {
			p->action = "unchanged";
			return IDP_OK;
		}
		p->action = "updated";
		/* Keep the secret unless asked, or unless the client now
		 * needs one it never had. */
		if (secret_now && (rotate || !secret_before))
			p->secret = idp_random_token(c->arena);
		else if (secret_now) {
			row.has_secret = true;
			memcpy(row.secret_digest, p->existing->secret_digest,
			    IDP_SHA256_LEN);
		}
		row.has_registration_token =
		    p->existing->has_registration_token;
		memcpy(row.registration_digest,
		    p->existing->registration_digest, IDP_SHA256_LEN);
	}
	if (p->secret != NULL) {
		idp_sha256_str(p->secret, row.secret_digest);
		row.has_secret = true;
	}
	e = p->existing == NULL ? idp_store_client_insert(c->conn, &row,
	    ctl_actor(c)) : idp_store_client_update(c->conn, &row, false);
	if (dry_run)
		p->secret = NULL;	/* rolled back: nothing is stored */
	if (e == IDP_ERR_NOT_FOUND)
		ctl_err("client apply: %s: organisation %s does not exist",
		    p->m.path, p->m.owner_org);
	return e;
}

/* The API the manifest declares, made so in the store. */
static enum idp_err
apply_api(struct ctl *c, struct plan *p)
{
	const char *what = NULL;
	char *stored = NULL;
	enum idp_err e;

	e = idp_store_api_decl_json(c->conn, c->arena, p->m.client_id, &stored);
	if (e != IDP_OK || manifest_api_same(&p->m, stored))
		return e;
	e = idp_store_api_sync(c->conn, c->arena, p->m.client_id, &p->m.api,
	    &what);
	if (e == IDP_ERR_CONFLICT)
		ctl_err("client apply: %s: %s belongs to another service",
		    p->m.path, what);
	else if (e == IDP_ERR_NOT_FOUND)
		ctl_err("client apply: %s: organisation %s does not exist",
		    p->m.path, what);
	if (e == IDP_OK && !strcmp(p->action, "unchanged"))
		p->action = "updated";
	return e;
}

/* Every manifest's API scopes exist and are allowed to it, and each
 * change is audited. -1 after a message. */
static int
check_and_audit(struct ctl *c, struct plan *p, size_t n)
{
	const char *why = NULL;
	enum idp_err e;

	for (size_t i = 0; i < n; i++) {
		e = idp_registry_check_scopes(c->conn, c->arena,
		    p[i].m.client_id, p[i].m.owner_org, p[i].m.metadata, &why);
		if (e == IDP_ERR_INVALID_CLIENT_METADATA)
			ctl_err("client apply: %s: %s", p[i].m.path, why);
		else if (e != IDP_OK)
			ctl_err("client apply: %s", ctl_db_msg(c, e));
		if (e != IDP_OK)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].action, "unchanged") != 0 && ctl_audit(c,
		    !strcmp(p[i].action, "created") ? "client.created" :
		    "client.updated", 0, p[i].m.client_id, json_pack(
		    "{s:s, s:s, s:b}", "source", "manifest", "file",
		    p[i].m.path, "secret_issued", p[i].secret != NULL)) != 0)
			return -1;
	return 0;
}

static int
report(struct ctl *c, struct plan *p, size_t n, bool dry_run)
{
	int counts[3] = { 0, 0, 0 };

	if (c->json) {
		json_t *a = json_array();

		for (size_t i = 0; i < n; i++) {
			json_t *o = json_pack("{s:s, s:s}", "client_id",
			    p[i].m.client_id, "action", p[i].action);

			if (p[i].secret != NULL)
				json_object_set_new(o, "client_secret",
				    json_string(p[i].secret));
			json_array_append_new(a, o);
		}
		return ctl_print_json(json_pack("{s:b, s:o}", "dry_run",
		    dry_run, "clients", a));
	}
	for (size_t i = 0; i < n; i++) {
		bool unchanged = !strcmp(p[i].action, "unchanged");

		counts[unchanged ? 2 : !strcmp(p[i].action, "created") ? 0 :
		    1]++;
		if (!unchanged)
			printf("%-9s %s\n", p[i].action, p[i].m.client_id);
		if (p[i].secret != NULL)
			printf("          client_secret: %s (shown once)\n",
			    p[i].secret);
	}
	printf("%s%d created, %d updated, %d unchanged\n",
	    dry_run ? "dry run: " : "", counts[0], counts[1], counts[2]);
	return CTL_OK;
}

struct apply_args {
	const char *dir;
	const char *rotate[64];
	int nrotate;
	bool dry_run;
};

/* DIR [--dry-run] [--rotate-secret CLIENT_ID]...: -1 to go on, or the exit
 * code. */
static int
apply_args(struct ctl *c, int argc, char **argv, struct apply_args *a)
{
	enum { OPT_ROTATE = 0x100 + 1, OPT_DRY_RUN };
	static const struct option opts[] = {
		{ "rotate-secret", required_argument, NULL, OPT_ROTATE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		CTL_OPTS_COMMON
	};
	char **op;
	int ch, n;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_DRY_RUN) {
			a->dry_run = true;
		} else if (ch == OPT_ROTATE) {
			if (a->nrotate == 64)
				return ctl_usage("client apply: too many "
				    "--rotate-secret");
			a->rotate[a->nrotate++] = optarg;
		} else {
			return ctl_opt_exit(ch);
		}
	}
	if ((n = ctl_rest(c, argc, argv, 1, &op)) < 0)
		return CTL_USAGE;
	if (n == 0)
		return ctl_usage("client apply: DIR is required");
	a->dir = op[0];
	return -1;
}

/* The sector identifier documents of new and changed pairwise clients
 * (core/sector.h), fetched before the transaction: no outbound call
 * happens while it holds locks, and a refusal's audit row stays. */
static int
check_sectors(struct ctl *c, struct plan *p, size_t n)
{
	struct idp_client_row *old;
	enum idp_err e;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (json_object_get(p[i].m.metadata, "sector_identifier_uri") ==
		    NULL)
			continue;
		e = idp_store_client_get(c->conn, c->arena, p[i].m.client_id,
		    &old);
		if (e == IDP_OK && manifest_same(&p[i].m, old))
			continue;
		if (e != IDP_OK && e != IDP_ERR_NOT_FOUND)
			return ctl_err("client apply: %s", ctl_db_msg(c, e));
		if ((rc = ctl_sector_check(c, p[i].m.path, p[i].m.client_id,
		    p[i].m.metadata)) != 0)
			return rc;
	}
	return 0;
}

int
ctl_client_apply(struct ctl *c, int argc, char **argv)
{
	struct apply_args a = { 0 };
	const char *const *rotate = a.rotate;
	struct plan *p = NULL;
	size_t n = 0;
	enum idp_err e = IDP_OK;
	int rc;

	if ((rc = apply_args(c, argc, argv, &a)) != -1)
		return rc;
	if (ctl_config(c) != 0 || load_all(c, a.dir, &p, &n) != 0)
		return CTL_FAIL;
	for (int i = 0; i < a.nrotate; i++) {
		bool found = false;

		for (size_t j = 0; j < n; j++)
			found = found || !strcmp(p[j].m.client_id, rotate[i]);
		if (!found)
			return ctl_err("client apply: --rotate-secret %s: no "
			    "manifest defines it", rotate[i]);
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((rc = check_sectors(c, p, n)) != 0)
		return rc;
	if ((e = idp_db_begin(c->conn)) != IDP_OK)
		return ctl_err("client apply: %s", ctl_db_msg(c, e));
	for (size_t i = 0; i < n && e == IDP_OK; i++) {
		e = idp_store_client_get(c->conn, c->arena, p[i].m.client_id,
		    &p[i].existing);
		if (e == IDP_ERR_NOT_FOUND) {
			p[i].existing = NULL;
			e = IDP_OK;
		}
		if (e == IDP_OK)
			e = apply_one(c, &p[i], listed(rotate, a.nrotate,
			    p[i].m.client_id), a.dry_run);
		if (e != IDP_OK && e != IDP_ERR_NOT_FOUND)
			ctl_err("client apply: %s: %s", p[i].m.path,
			    ctl_db_msg(c, e));
	}
	for (size_t i = 0; i < n && e == IDP_OK; i++)
		if ((e = apply_api(c, &p[i])) != IDP_OK &&
		    e != IDP_ERR_CONFLICT && e != IDP_ERR_NOT_FOUND)
			ctl_err("client apply: %s: %s", p[i].m.path,
			    ctl_db_msg(c, e));
	if (e == IDP_OK && check_and_audit(c, p, n) != 0)
		e = IDP_ERR_INVALID_REQUEST;
	if (e != IDP_OK || a.dry_run) {
		idp_db_rollback(c->conn);
		if (e != IDP_OK)
			return ctl_err("client apply: nothing was changed");
	} else if ((e = idp_db_commit(c->conn)) != IDP_OK) {
		return ctl_err("client apply: %s", ctl_db_msg(c, e));
	}
	return report(c, p, n, a.dry_run);
}

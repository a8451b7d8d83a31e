/* Dynamic client registration (RFC 7591) and client configuration
 * management (RFC 7592). Registration needs an initial access token that
 * an operator issued with `idpctl iat create`; management needs the
 * registration access token handed out at registration. Registered
 * clients are third-party (they get a consent screen) and start pending:
 * nothing works for them until an operator approves them (idpctl client
 * approve), unless the initial access token was made --auto-approve.
 * Their API scopes must exist and be allowed to them, and their name must
 * not look like another organisation's service (core/registry.h). Every
 * registration and change is audited with who made it: "iat:<id>" for a
 * registration, "rat:<client_id>" for the holder of the registration
 * access token.
 *
 * Secret rotation: a PUT that leaves client_secret out gets a new secret
 * in the response; a PUT that sends the current secret keeps it. */
#include <string.h>
#include <strings.h>

#include "config.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/mint.h"
#include "core/registry.h"
#include "core/reqdb.h"
#include "core/sector.h"
#include "crypto/b64url.h"
#include "endpoint/endpoints.h"
#include "endpoint/flow.h"
#include "http/response.h"
#include "oidc/client.h"
#include "store/client.h"
#include "store/iat.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

/* Members the server assigns; a request may not set them. */
static const char *const server_members[] = { "client_id", "client_secret",
	"client_id_issued_at", "client_secret_expires_at",
	"registration_access_token", "registration_client_uri",
	"software_statement", NULL };

static const char *
bearer(struct idp_req *rq)
{
	const char *h = idp_req_header(rq, "Authorization");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return strlen(h) == IDP_TOKEN_CHARS ? h : NULL;
}

static enum idp_err
reply(struct idp_req *rq, struct idp_resp *rs, int status, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(o);
	if (s == NULL)
		return IDP_ERR_INTERNAL;
	idp_resp_json(rs, status, idp_arena_strdup(rq->arena, s));
	idp_wipe(s, strlen(s));
	free(s);
	idp_resp_no_store(rs);
	idp_resp_common_headers(rs, false);
	return IDP_OK;
}

static enum idp_err
meta_error(struct idp_req *rq, struct idp_resp *rs, enum idp_err e,
    const char *why)
{
	idp_resp_oauth_error(rq, rs, e, why);
	return e;
}

/* The request body as a JSON object, server-assigned members removed. */
static json_t *
body_json(struct idp_req *rq, const char **why)
{
	const char *ct = idp_req_header(rq, "Content-Type");
	json_t *o;

	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0) {
		*why = "The body must be application/json.";
		return NULL;
	}
	if (rq->body == NULL || !idp_utf8_valid(rq->body, rq->body_len)) {
		*why = "The body must be a JSON object in UTF-8.";
		return NULL;
	}
	o = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		*why = "The body must be a JSON object.";
		return NULL;
	}
	return o;
}

/* The client information response (RFC 7591 §3.2.1, RFC 7592 §3). */
static json_t *
info(struct idp_req *rq, json_t *metadata, const char *client_id,
    int64_t issued_at, const char *secret, const char *rat,
    const char *approval)
{
	json_t *o = json_deep_copy(metadata);

	/* The provider's own member: pending until an operator approves. */
	json_object_set_new(o, "approval", json_string(approval));
	json_object_set_new(o, "client_id", json_string(client_id));
	json_object_set_new(o, "client_id_issued_at",
	    json_integer((json_int_t)issued_at));
	if (secret != NULL) {
		json_object_set_new(o, "client_secret", json_string(secret));
		json_object_set_new(o, "client_secret_expires_at",
		    json_integer(0));
	}
	json_object_set_new(o, "registration_access_token", json_string(rat));
	json_object_set_new(o, "registration_client_uri", json_string(
	    idp_arena_printf(rq->arena, "%s/register/%s", rq->ctx->cfg->issuer,
	    client_id)));
	return o;
}

static bool
confidential(json_t *md)
{
	const char *m = json_string_value(json_object_get(md,
	    "token_endpoint_auth_method"));

	return m != NULL && (!strcmp(m, "client_secret_basic") ||
	    !strcmp(m, "client_secret_post"));
}

static struct idp_dbconn *
request_db(void *arg)
{
	struct idp_dbconn *c = NULL;

	return idp_reqdb(arg, &c) == IDP_OK ? c : NULL;
}

/* A pairwise client's sector identifier document (OIDC Core §8.1), at
 * every registration and update. The fetch may take seconds: no database
 * connection waits for it. */
static enum idp_err
sector(struct idp_req *rq, struct idp_resp *rs, json_t *md)
{
	struct idp_fetch_caller who = { rq->id, NULL,
		strcmp(rq->ip, "-") ? rq->ip : NULL, request_db, rq };
	const char *why = NULL;
	enum idp_err rc;

	if (json_object_get(md, "sector_identifier_uri") == NULL)
		return IDP_OK;
	idp_reqdb_release(rq);
	rc = idp_sector_verify(rq->ctx->fetch, rq->arena, &who, md, &why);
	if (rc == IDP_ERR_INVALID_CLIENT_METADATA)
		return meta_error(rq, rs, rc, why);
	if (rc != IDP_OK)
		return idp_fail(rs, rc, why);
	return IDP_OK;
}

static enum idp_err
validate(struct idp_req *rq, struct idp_resp *rs, json_t *in, json_t **md)
{
	unsigned flags = IDP_META_DYNAMIC |
	    (rq->ctx->cfg->outbound_allow_loopback ?
	    IDP_META_OUTBOUND_LOOPBACK : 0);
	const char *why = NULL;
	enum idp_err rc;

	for (const char *const *k = server_members; *k; k++)
		json_object_del(in, *k);
	rc = idp_client_metadata_validate(rq->arena, in, flags, md, &why);
	if (rc != IDP_OK)
		return meta_error(rq, rs, rc, why);
	return sector(rq, rs, *md);
}

static enum idp_err
fill_row(struct idp_req *rq, struct idp_client_row *row, const char *id,
    json_t *md, const char *owner)
{
	char *s = json_dumps(md, JSON_COMPACT | JSON_SORT_KEYS);

	memset(row, 0, sizeof(*row));
	if (s == NULL)
		return IDP_ERR_INTERNAL;
	row->client_id = idp_arena_strdup(rq->arena, id);
	row->auth_method = idp_arena_strdup(rq->arena, json_string_value(
	    json_object_get(md, "token_endpoint_auth_method")));
	row->metadata = idp_arena_strdup(rq->arena, s);
	free(s);
	row->owner_org = idp_arena_strdup(rq->arena, owner);
	row->enabled = true;
	row->first_party = false;
	row->source = "registration";
	return IDP_OK;
}

/* What registration checks against the store: its API scopes and its
 * name. Fails with an RFC 7591 error already in rs. */
static enum idp_err
check_registry(struct idp_req *rq, struct idp_resp *rs, struct idp_dbconn *c,
    const char *client_id, const char *owner, json_t *md)
{
	const char *why = NULL;
	enum idp_err rc;

	if ((rc = idp_registry_check_scopes(c, rq->arena, client_id, owner, md,
	    &why)) != IDP_OK || (rc = idp_registry_check_name(c, rq->arena,
	    client_id, owner, md, &why)) != IDP_OK)
		return why != NULL ? meta_error(rq, rs, rc, why) : rc;
	return IDP_OK;
}

/* Spend a use of the initial access token, check, store: one transaction,
 * so a refused registration costs no use. */
static enum idp_err
store_new(struct idp_req *rq, struct idp_resp *rs, const char *iat,
    struct idp_client_row *row, json_t *md, struct idp_iat *t)
{
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *c;
	enum idp_err rc;

	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_db_begin(c)) != IDP_OK)
		return rc;
	idp_sha256_str(iat, d);
	rc = idp_store_iat_use(c, rq->arena, d, t);
	if (rc == IDP_ERR_NOT_FOUND) {
		idp_resp_bearer_error(rq, rs, IDP_ERR_INVALID_TOKEN,
		    "The initial access token is invalid, expired or used up.");
		rc = IDP_ERR_INVALID_TOKEN;
	}
	if (rc == IDP_OK)
		rc = check_registry(rq, rs, c, row->client_id, t->owner_org,
		    md);
	if (rc == IDP_OK) {
		row->owner_org = t->owner_org;
		row->approval = t->auto_approve ? "approved" : "pending";
		rc = idp_store_client_insert(c, row, idp_arena_printf(rq->arena,
		    "iat:%lld", t->id));
	}
	if (rc == IDP_OK)
		rc = idp_db_commit(c);
	if (rc != IDP_OK)
		idp_db_rollback(c);
	return rc;
}

enum idp_err
idp_register_handle(struct idp_req *rq, struct idp_resp *rs)
{
	const char *iat = bearer(rq), *why = NULL;
	struct idp_secret secret, rat;
	struct idp_client_row row;
	struct idp_iat t;
	unsigned char id_raw[18];
	char *client_id;
	json_t *in, *md = NULL;
	enum idp_err rc;
	bool conf;

	if (iat == NULL) {
		idp_resp_bearer_error(rq, rs, IDP_ERR_INVALID_TOKEN,
		    "An initial access token is required.");
		return IDP_OK;
	}
	in = body_json(rq, &why);
	if (in == NULL)
		return meta_error(rq, rs, IDP_ERR_INVALID_CLIENT_METADATA, why);
	rc = validate(rq, rs, in, &md);
	json_decref(in);
	if (rc != IDP_OK)
		goto out;
	if (idp_random_bytes(id_raw, sizeof(id_raw)) != 0) {
		rc = IDP_ERR_INTERNAL;
		goto out;
	}
	client_id = idp_arena_printf(rq->arena, "dcr.%s",
	    idp_b64url_encode(rq->arena, id_raw, sizeof(id_raw)));
	conf = confidential(md);
	if ((rc = fill_row(rq, &row, client_id, md, NULL)) != IDP_OK)
		goto out;
	idp_mint_secret(&secret);
	idp_mint_secret(&rat);
	row.has_secret = conf;
	memcpy(row.secret_digest, secret.digest, IDP_SHA256_LEN);
	row.has_registration_token = true;
	memcpy(row.registration_digest, rat.digest, IDP_SHA256_LEN);
	rc = store_new(rq, rs, iat, &row, md, &t);
	if (rc == IDP_OK) {
		idp_flow_audit_by(rq, "client.registered", 0, client_id,
		    idp_arena_printf(rq->arena, "iat:%lld", t.id), 0,
		    json_pack("{s:s?, s:s, s:s, s:s?}", "owner", t.owner_org,
		    "approval", row.approval, "iat_description",
		    t.description, "client_name", json_string_value(
		    json_object_get(md, "client_name"))));
		rc = reply(rq, rs, 201, info(rq, md, client_id, rq->now,
		    conf ? secret.value : NULL, rat.value, row.approval));
		rq->log_client = client_id;
	} else if (rs->status != 0) {
		rc = IDP_OK;	/* the refusal is in rs */
	}
	idp_secret_wipe(&secret);
	idp_secret_wipe(&rat);
out:
	json_decref(md);
	return rc;
}

static const char *
approval_name(const char *stored)
{
	return stored != NULL ? stored : "approved";
}

/* The client a registration access token manages, if it is the one in the
 * path. Otherwise a 401 is already in rs (RFC 7592 §2). */
static enum idp_err
managed(struct idp_req *rq, struct idp_resp *rs, const char **rat,
    struct idp_client_row **row)
{
	const char *id = rq->path + strlen("/register/");
	unsigned char d[IDP_SHA256_LEN];
	struct idp_dbconn *c;
	enum idp_err rc;

	*rat = bearer(rq);
	if (*rat == NULL) {
		idp_resp_bearer_error(rq, rs, IDP_ERR_INVALID_TOKEN,
		    "The registration access token is required.");
		return IDP_ERR_INVALID_TOKEN;
	}
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	idp_sha256_str(*rat, d);
	rc = idp_store_client_by_registration(c, rq->arena, d, row);
	if (rc == IDP_ERR_NOT_FOUND ||
	    (rc == IDP_OK && strcmp((*row)->client_id, id) != 0)) {
		idp_resp_bearer_error(rq, rs, IDP_ERR_INVALID_TOKEN,
		    "The registration access token is not valid for this "
		    "client.");
		return IDP_ERR_INVALID_TOKEN;
	}
	rq->log_client = (*row)->client_id;
	return rc;
}

/* RFC 7592 §2.2 replaces the metadata, but a client's subjects should not
 * change by an omission: an update without subject_type keeps the
 * registered one (public for clients registered before pairwise
 * subjects). */
static void
keep_subject(const struct idp_client_row *old, json_t *in)
{
	json_t *md = json_loads(old->metadata, 0, NULL);
	const char *t = json_string_value(json_object_get(md, "subject_type"));

	if (json_object_get(in, "subject_type") == NULL)
		json_object_set_new(in, "subject_type", json_string(
		    idp_str_eq(t, "pairwise") ? "pairwise" : "public"));
	json_decref(md);
}

static enum idp_err
manage_put(struct idp_req *rq, struct idp_resp *rs, const char *rat,
    struct idp_client_row *old)
{
	const char *why = NULL, *sent;
	struct idp_secret secret;
	struct idp_client_row row;
	unsigned char d[IDP_SHA256_LEN];
	json_t *in, *md = NULL;
	struct idp_dbconn *c;
	bool rotate = false;
	enum idp_err rc;

	in = body_json(rq, &why);
	if (in == NULL)
		return meta_error(rq, rs, IDP_ERR_INVALID_CLIENT_METADATA, why);
	/* RFC 7592 §2.2: the body names the client it updates. */
	if (!idp_str_eq(json_string_value(json_object_get(in, "client_id")),
	    old->client_id)) {
		json_decref(in);
		return meta_error(rq, rs, IDP_ERR_INVALID_REQUEST,
		    "client_id in the body must match the client.");
	}
	sent = json_string_value(json_object_get(in, "client_secret"));
	if (sent != NULL) {
		idp_sha256_str(sent, d);
		if (!old->has_secret || !idp_ct_eq(d, sizeof(d),
		    old->secret_digest, sizeof(d))) {
			json_decref(in);
			return meta_error(rq, rs,
			    IDP_ERR_INVALID_CLIENT_METADATA,
			    "client_secret does not match.");
		}
	}
	keep_subject(old, in);
	rc = validate(rq, rs, in, &md);
	json_decref(in);
	if (rc != IDP_OK) {
		json_decref(md);
		return rc;
	}
	if ((rc = fill_row(rq, &row, old->client_id, md, old->owner_org))
	    != IDP_OK) {
		json_decref(md);
		return rc;
	}
	row.has_registration_token = true;
	memcpy(row.registration_digest, old->registration_digest,
	    IDP_SHA256_LEN);
	idp_mint_secret(&secret);
	if (confidential(md)) {
		rotate = sent == NULL || !old->has_secret;
		row.has_secret = true;
		memcpy(row.secret_digest, rotate ? secret.digest :
		    old->secret_digest, IDP_SHA256_LEN);
	}
	if ((rc = idp_reqdb(rq, &c)) == IDP_OK &&
	    (rc = check_registry(rq, rs, c, old->client_id, old->owner_org,
	    md)) == IDP_OK)
		rc = idp_store_client_update(c, &row, false);
	if (rc == IDP_OK) {
		idp_clients_invalidate(rq->ctx->clients, old->client_id);
		idp_flow_audit_by(rq, "client.updated", 0, old->client_id,
		    idp_arena_printf(rq->arena, "rat:%s", old->client_id), 0,
		    json_pack("{s:b}", "secret_rotated", rotate));
		rc = reply(rq, rs, 200, info(rq, md, old->client_id,
		    old->created_at, rotate ? secret.value : NULL, rat,
		    approval_name(old->approval)));
	}
	idp_secret_wipe(&secret);
	json_decref(md);
	return rc;
}

enum idp_err
idp_register_manage_handle(struct idp_req *rq, struct idp_resp *rs)
{
	struct idp_client_row *row = NULL;
	const char *rat = NULL;
	struct idp_dbconn *c;
	json_t *md;
	enum idp_err rc;

	rc = managed(rq, rs, &rat, &row);
	if (rc == IDP_ERR_INVALID_TOKEN)
		return IDP_OK;
	if (rc != IDP_OK)
		return rc;
	if (rq->method == IDP_PUT)
		return manage_put(rq, rs, rat, row);
	if (rq->method == IDP_DELETE) {
		if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
		    (rc = idp_store_client_delete(c, row->client_id)) != IDP_OK)
			return rc;
		idp_clients_invalidate(rq->ctx->clients, row->client_id);
		idp_flow_audit_by(rq, "client.deleted", 0, row->client_id,
		    idp_arena_printf(rq->arena, "rat:%s", row->client_id), 0,
		    NULL);
		idp_resp_body(rs, 204, NULL, "", 0);
		idp_resp_no_store(rs);
		return IDP_OK;
	}
	md = json_loads(row->metadata, 0, NULL);
	if (md == NULL)
		return IDP_ERR_INTERNAL;
	rc = reply(rq, rs, 200, info(rq, md, row->client_id, row->created_at,
	    NULL, rat, approval_name(row->approval)));
	json_decref(md);
	return rc;
}

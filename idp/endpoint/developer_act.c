/* The developer portal's forms. A registration and every change go through
 * the same rules as RFC 7591/7592 (core/registry.h: the metadata validator
 * with the dynamic-registration flags, the scope and name checks), are
 * stored, clear the client cache and are audited with the developer as
 * actor. A form that fails comes back with what was typed and the field
 * marked (400); the validator's sentence is shown as the technical detail.
 *
 * Clients from manifests (source "manifest") are the province's services,
 * changed by merge request and `idpctl client apply`: the portal rotates
 * their secret (apply never touches an existing one) and asks for scopes,
 * but does not change their URIs or keys or remove them. */
#include <string.h>

#include "config.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/mint.h"
#include "core/registry.h"
#include "oidc/client.h"
#include "oidc/scope.h"
#include "endpoint/developer.h"
#include "page/form.h"
#include "page/page.h"
#include "page/trouble.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

#define LINES_MAX 64

void
idp_dev_form_read(struct idp_req *rq, struct idp_dev_form *f)
{
	memset(f, 0, sizeof(*f));
	f->name = idp_req_form(rq, "client_name");
	f->org = idp_req_form(rq, "organisation");
	f->redirects = idp_req_form(rq, "redirect_uris");
	f->post_logout = idp_req_form(rq, "post_logout_redirect_uris");
	f->auth = idp_req_form(rq, "token_endpoint_auth_method");
	f->client_uri = idp_req_form(rq, "client_uri");
	f->contacts = idp_req_form(rq, "contacts");
	f->jwks_uri = idp_req_form(rq, "jwks_uri");
	f->jwks = idp_req_form(rq, "jwks");
	f->scope = idp_req_form(rq, "scope");
	f->reason = idp_req_form(rq, "reason");
	for (size_t i = 0; idp_dev_std_scopes[i] != NULL; i++)
		f->std[i] = idp_str_eq(idp_req_form(rq, idp_dev_std_fields[i]),
		    "yes");
}

enum idp_dev_field
idp_dev_field_of(const char *why)
{
	static const struct {
		const char *member;
		enum idp_dev_field field;
	} by[] = {
		{ "client_name", IDP_DEV_F_NAME },
		{ "post_logout_redirect_uris", IDP_DEV_F_POST_LOGOUT },
		{ "redirect_uris", IDP_DEV_F_REDIRECTS },
		{ "redirect URI", IDP_DEV_F_REDIRECTS },
		{ "token_endpoint_auth_method", IDP_DEV_F_AUTH },
		{ "jwks", IDP_DEV_F_KEYS },
		{ "scope", IDP_DEV_F_SCOPES },
		{ "offline_access", IDP_DEV_F_SCOPES },
		{ "client_uri", IDP_DEV_F_CLIENT_URI },
		{ "contacts", IDP_DEV_F_CONTACTS },
	};

	for (size_t i = 0; why != NULL && i < sizeof(by) / sizeof(by[0]); i++)
		if (!strncmp(why, by[i].member, strlen(by[i].member)))
			return by[i].field;
	return IDP_DEV_F_NONE;
}

/* The non-empty lines of a text area as a JSON array of strings (NULL
 * when there are more than LINES_MAX: the validator's limit is lower). */
static json_t *
lines(struct idp_arena *a, const char *text)
{
	json_t *arr = json_array();
	const char *p = text ? text : "";

	while (*p != '\0') {
		const char *end = strchr(p, '\n'), *b = p, *e;

		e = end != NULL ? end : p + strlen(p);
		while (b < e && (*b == ' ' || *b == '\t' || *b == '\r'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t' ||
		    e[-1] == '\r'))
			e--;
		if (e > b) {
			if (json_array_size(arr) == LINES_MAX) {
				json_decref(arr);
				return NULL;
			}
			json_array_append_new(arr, json_string(
			    idp_arena_strndup(a, b, (size_t)(e - b))));
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return arr;
}

/* A form that cannot be taken: field f is marked, why is the detail. */
static enum idp_err
refuse(struct idp_dev_form *f, enum idp_dev_field field, const char *why)
{
	f->bad = field != IDP_DEV_F_NONE ? field : idp_dev_field_of(why);
	f->why = why;
	return IDP_ERR_INVALID_CLIENT_METADATA;
}

/* Each return address by the rule registration applies to it
 * (oidc/client.h), so the form can name the field and the address. */
static enum idp_err
check_uris(struct idp_arena *a, json_t *arr, const char *member,
    bool public_native, struct idp_dev_form *f, enum idp_dev_field field)
{
	const char *why = NULL;
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e) {
		const char *u = json_string_value(e);

		if (idp_uri_check(u, public_native, &why) != 0)
			return refuse(f, field, idp_arena_printf(a,
			    "%s: %s: %s", member, u, why));
	}
	return IDP_OK;
}

/* Set member to the lines of text (left out when there are none); the
 * URIs of redirect members checked. */
static enum idp_err
set_lines(struct idp_arena *a, json_t *md, const char *member,
    const char *text, struct idp_dev_form *f, enum idp_dev_field field)
{
	json_t *arr = lines(a, text);
	const char *auth = json_string_value(json_object_get(md,
	    "token_endpoint_auth_method"));

	if (arr == NULL)
		return refuse(f, field, idp_arena_printf(a, "%s: too many "
		    "lines", member));
	if (field != IDP_DEV_F_CONTACTS && check_uris(a, arr, member,
	    idp_str_eq(auth, "none"), f, field) != IDP_OK) {
		json_decref(arr);
		return IDP_ERR_INVALID_REDIRECT_URI;
	}
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		json_object_del(md, member);
		return IDP_OK;
	}
	json_object_set_new(md, member, arr);
	return IDP_OK;
}

/* The RFC 7591 document of the registration form. */
static enum idp_err
register_doc(struct idp_arena *a, struct idp_dev_form *f, json_t **out)
{
	json_t *md = json_object(), *grants = json_pack("[s]",
	    "authorization_code");
	struct idp_buf scope;
	enum idp_err rc;

	idp_buf_init(&scope, a, 256);
	idp_buf_adds(&scope, "openid");
	for (size_t i = 0; idp_dev_std_scopes[i] != NULL; i++) {
		if (!f->std[i])
			continue;
		idp_buf_addc(&scope, ' ');
		idp_buf_adds(&scope, idp_dev_std_scopes[i]);
	}
	/* offline_access needs the refresh_token grant (OIDC Core §11). */
	if (f->std[4])
		json_array_append_new(grants, json_string("refresh_token"));
	json_object_set_new(md, "grant_types", grants);
	json_object_set_new(md, "scope", json_string(scope.data));
	if (f->name != NULL && *f->name != '\0')
		json_object_set_new(md, "client_name", json_string(f->name));
	if (f->auth != NULL)
		json_object_set_new(md, "token_endpoint_auth_method",
		    json_string(f->auth));
	if (f->client_uri != NULL && *f->client_uri != '\0') {
		const char *why = NULL;

		if (idp_uri_check(f->client_uri, false, &why) != 0) {
			json_decref(md);
			return refuse(f, IDP_DEV_F_CLIENT_URI, idp_arena_printf(
			    a, "client_uri: %s", why));
		}
		json_object_set_new(md, "client_uri",
		    json_string(f->client_uri));
	}
	if ((rc = set_lines(a, md, "redirect_uris", f->redirects, f,
	    IDP_DEV_F_REDIRECTS)) != IDP_OK ||
	    (rc = set_lines(a, md, "post_logout_redirect_uris",
	    f->post_logout, f, IDP_DEV_F_POST_LOGOUT)) != IDP_OK ||
	    (rc = set_lines(a, md, "contacts", f->contacts, f,
	    IDP_DEV_F_CONTACTS)) != IDP_OK) {
		json_decref(md);
		return rc;
	}
	*out = md;
	return IDP_OK;
}

static bool
org_ok(const struct idp_dev *d, const char *org)
{
	for (int i = 0; org != NULL && i < d->norgs; i++)
		if (!strcmp(d->orgs[i].code, org))
			return true;
	return false;
}

/* Check against the store and insert, pending, in one transaction. */
static enum idp_err
insert_pending(struct idp_dev *d, struct idp_client_row *row, json_t *md,
    struct idp_dev_form *f)
{
	const char *why = NULL;
	enum idp_err rc;

	if ((rc = idp_db_begin(d->db)) != IDP_OK)
		return rc;
	rc = idp_registry_check(d->db, d->rq->arena, row->client_id,
	    row->owner_org, md, &why);
	if (rc == IDP_OK)
		rc = idp_store_client_insert(d->db, row, d->s->user.username);
	if (rc == IDP_OK)
		rc = idp_db_commit(d->db);
	if (rc != IDP_OK)
		idp_db_rollback(d->db);
	if (rc != IDP_OK && why != NULL)
		return refuse(f, IDP_DEV_F_NONE, why);
	return rc;
}

enum idp_err
idp_dev_register(struct idp_dev *d)
{
	struct idp_arena *a = d->rq->arena;
	struct idp_dev_form f;
	struct idp_client_row row;
	struct idp_secret secret = { 0 };
	json_t *doc = NULL, *md = NULL;
	const char *why = NULL, *id;
	enum idp_err rc;
	bool conf;

	idp_dev_form_read(d->rq, &f);
	if (!org_ok(d, f.org))
		return idp_devpage_forbidden(d, "Not a developer of the "
		    "organisation named.");
	rc = register_doc(a, &f, &doc);
	if (rc == IDP_OK && (rc = idp_registry_validate(d->rq->ctx->cfg, a,
	    doc, &md, &why)) != IDP_OK)
		refuse(&f, IDP_DEV_F_NONE, why);
	json_decref(doc);
	if (rc == IDP_ERR_INVALID_CLIENT_METADATA ||
	    rc == IDP_ERR_INVALID_REDIRECT_URI)
		return idp_devpage_register(d, &f, 400);
	if (rc != IDP_OK)
		return rc;
	id = idp_registry_new_id(a);
	conf = idp_registry_confidential(md);
	if (id == NULL || (rc = idp_registry_row(a, &row, id, md, f.org))
	    != IDP_OK) {
		json_decref(md);
		return IDP_ERR_INTERNAL;
	}
	row.approval = "pending";
	idp_mint_secret(&secret);
	row.has_secret = conf;
	memcpy(row.secret_digest, secret.digest, IDP_SHA256_LEN);
	rc = insert_pending(d, &row, md, &f);
	if (rc == IDP_OK) {
		idp_dev_audit(d, "client.registered", id, json_pack(
		    "{s:s, s:s, s:s?}", "owner", f.org, "approval", "pending",
		    "client_name", f.name));
		rc = idp_devpage_registered(d, id, f.name, conf ?
		    secret.value : NULL);
	} else if (rc == IDP_ERR_INVALID_CLIENT_METADATA) {
		rc = idp_devpage_register(d, &f, 400);
	}
	idp_secret_wipe(&secret);
	json_decref(md);
	return rc;
}

/* Store a changed registration of old: md validated, and checked against
 * the store unless only the secret changes (new_secret). */
static enum idp_err
store_change(struct idp_dev *d, const struct idp_client_row *old, json_t *md,
    const unsigned char *new_secret, struct idp_dev_form *f)
{
	struct idp_client_row row;
	const char *why = NULL;
	enum idp_err rc;

	if (new_secret == NULL && (rc = idp_registry_check(d->db,
	    d->rq->arena, old->client_id, old->owner_org, md, &why))
	    != IDP_OK)
		return why != NULL ? refuse(f, IDP_DEV_F_NONE, why) : rc;
	if ((rc = idp_registry_row(d->rq->arena, &row, old->client_id, md,
	    old->owner_org)) != IDP_OK)
		return rc;
	row.first_party = old->first_party;
	row.enabled = old->enabled;
	row.source = old->source;
	row.has_registration_token = old->has_registration_token;
	memcpy(row.registration_digest, old->registration_digest,
	    IDP_SHA256_LEN);
	row.has_secret = idp_registry_confidential(md);
	memcpy(row.secret_digest, new_secret ? new_secret : old->secret_digest,
	    IDP_SHA256_LEN);
	rc = idp_store_client_update(d->db, &row, new_secret == NULL &&
	    row.has_secret);
	if (rc == IDP_OK)
		idp_clients_invalidate(d->rq->ctx->clients, old->client_id);
	return rc;
}

/* Validate a changed copy of the stored metadata (doc is consumed). */
static enum idp_err
revalidate(struct idp_dev *d, json_t *doc, json_t **md,
    struct idp_dev_form *f)
{
	const char *why = NULL;
	enum idp_err rc;

	rc = idp_registry_validate(d->rq->ctx->cfg, d->rq->arena, doc, md,
	    &why);
	json_decref(doc);
	if (rc != IDP_OK && why != NULL)
		return refuse(f, IDP_DEV_F_NONE, why);
	return rc;
}

static json_t *
stored_doc(const struct idp_client_row *row)
{
	return json_loads(row->metadata, 0, NULL);
}

static enum idp_err
change_uris(struct idp_dev *d, const struct idp_client_row *old,
    struct idp_dev_form *f)
{
	json_t *doc = stored_doc(old), *md = NULL;
	enum idp_err rc;

	if (doc == NULL)
		return IDP_ERR_INTERNAL;
	if ((rc = set_lines(d->rq->arena, doc, "redirect_uris", f->redirects,
	    f, IDP_DEV_F_REDIRECTS)) != IDP_OK ||
	    (rc = set_lines(d->rq->arena, doc, "post_logout_redirect_uris",
	    f->post_logout, f, IDP_DEV_F_POST_LOGOUT)) != IDP_OK) {
		json_decref(doc);
		return rc;
	}
	if ((rc = revalidate(d, doc, &md, f)) == IDP_OK &&
	    (rc = store_change(d, old, md, NULL, f)) == IDP_OK)
		idp_dev_audit(d, "client.updated", old->client_id, json_pack(
		    "{s:[ss]}", "changed", "redirect_uris",
		    "post_logout_redirect_uris"));
	json_decref(md);
	return rc;
}

/* private_key_jwt with the keys given: a jwks_uri (which the provider will
 * fetch, so the outbound rules apply) or a JWKS; the secret goes. */
static enum idp_err
change_keys(struct idp_dev *d, const struct idp_client_row *old,
    struct idp_dev_form *f)
{
	bool uri = f->jwks_uri != NULL && *f->jwks_uri != '\0';
	bool set = f->jwks != NULL && *f->jwks != '\0';
	json_t *doc, *md = NULL, *keys = NULL;
	enum idp_err rc;

	if (uri == set)
		return refuse(f, IDP_DEV_F_KEYS, "jwks: give either a jwks_uri "
		    "or a JWKS, not both");
	if (set && (keys = json_loads(f->jwks, JSON_REJECT_DUPLICATES, NULL))
	    == NULL)
		return refuse(f, IDP_DEV_F_KEYS, "jwks must be a JSON object "
		    "(a JWK Set)");
	if ((doc = stored_doc(old)) == NULL) {
		json_decref(keys);
		return IDP_ERR_INTERNAL;
	}
	json_object_del(doc, "jwks");
	json_object_del(doc, "jwks_uri");
	json_object_set_new(doc, "token_endpoint_auth_method",
	    json_string("private_key_jwt"));
	if (uri)
		json_object_set_new(doc, "jwks_uri", json_string(f->jwks_uri));
	else
		json_object_set_new(doc, "jwks", keys);
	if ((rc = revalidate(d, doc, &md, f)) == IDP_OK &&
	    (rc = store_change(d, old, md, NULL, f)) == IDP_OK)
		idp_dev_audit(d, "client.keys_set", old->client_id, json_pack(
		    "{s:s?, s:b}", "jwks_uri", uri ? f->jwks_uri : NULL,
		    "jwks", !uri));
	json_decref(md);
	return rc;
}

/* A new secret, shown once; the old one stops working now. */
static enum idp_err
rotate(struct idp_dev *d, const struct idp_client_row *old)
{
	struct idp_dev_form f = { 0 };
	struct idp_secret secret;
	json_t *md = stored_doc(old);
	enum idp_err rc;

	if (md == NULL)
		return IDP_ERR_INTERNAL;
	idp_mint_secret(&secret);
	rc = store_change(d, old, md, secret.digest, &f);
	if (rc == IDP_OK) {
		idp_dev_audit(d, "client.secret_rotated", old->client_id,
		    NULL);
		rc = idp_devpage_secret(d, old, json_string_value(
		    json_object_get(md, "client_name")), secret.value);
	}
	idp_secret_wipe(&secret);
	json_decref(md);
	return rc;
}

static enum idp_err
remove_client(struct idp_dev *d, const struct idp_client_row *old)
{
	enum idp_err rc = idp_store_client_delete(d->db, old->client_id);

	if (rc != IDP_OK)
		return rc;
	idp_clients_invalidate(d->rq->ctx->clients, old->client_id);
	idp_dev_audit(d, "client.deleted", old->client_id, NULL);
	idp_page_see_other(d->rq, d->rs, "/developer", "client_deleted");
	return IDP_OK;
}

/* Ask for another service's API scope; its owner decides. */
static enum idp_err
request_scope(struct idp_dev *d, const struct idp_client_row *old,
    struct idp_dev_form *f)
{
	const char *why = NULL;
	long long id = 0;
	enum idp_err rc;

	if (f->scope == NULL || !idp_scope_token_valid(f->scope) ||
	    strlen(f->scope) > 128)
		return refuse(f, IDP_DEV_F_SCOPE_REQUEST, "scope: choose one "
		    "of the scopes offered");
	if (f->reason != NULL && strlen(f->reason) > 500)
		return refuse(f, IDP_DEV_F_REASON, "reason: at most 500 bytes");
	rc = idp_registry_check_request(d->db, d->rq->arena, old->client_id,
	    old->owner_org, f->scope, &why);
	if (rc == IDP_ERR_NOT_FOUND || rc == IDP_ERR_CONFLICT)
		return refuse(f, IDP_DEV_F_SCOPE_REQUEST, why);
	if (rc == IDP_OK)
		rc = idp_store_scope_request_create(d->db, old->client_id,
		    f->scope, f->reason, d->s->user.username, &id);
	if (rc == IDP_ERR_CONFLICT)
		return refuse(f, IDP_DEV_F_SCOPE_REQUEST, "scope: a request "
		    "for it is open already");
	if (rc != IDP_OK)
		return rc;
	idp_dev_audit(d, "scope.requested", old->client_id, json_pack(
	    "{s:I, s:s, s:s?}", "request", (json_int_t)id, "scope", f->scope,
	    "reason", f->reason));
	idp_page_see_other(d->rq, d->rs, idp_arena_printf(d->rq->arena,
	    "/developer/clients/%s", old->client_id), "scope_requested");
	return IDP_OK;
}

/* Changes that need the confirmation page first. */
static enum idp_err
confirmed(struct idp_dev *d, const struct idp_client_row *row,
    const char *action)
{
	json_t *md;
	enum idp_err rc;

	if (idp_form_confirmed(d->rq))
		return !strcmp(action, "rotate") ? rotate(d, row) :
		    remove_client(d, row);
	if ((md = stored_doc(row)) == NULL)
		return IDP_ERR_INTERNAL;
	rc = idp_devpage_confirm(d, row, json_string_value(json_object_get(md,
	    "client_name")), action);
	json_decref(md);
	return rc;
}

enum idp_err
idp_dev_client_post(struct idp_dev *d, const char *client_id)
{
	const char *action = idp_req_form(d->rq, "action");
	struct idp_client_row *row = NULL;
	struct idp_dev_form f;
	enum idp_err rc;

	if ((rc = idp_dev_client_of(d, client_id, &row)) != IDP_OK)
		return rc;
	idp_dev_form_read(d->rq, &f);
	action = action != NULL ? action : "";
	if (!strcmp(action, "rotate") && row->has_secret)
		return confirmed(d, row, action);
	if (!strcmp(action, "request"))
		rc = request_scope(d, row, &f);
	else if (idp_str_eq(row->source, "manifest"))
		return idp_devpage_forbidden(d, "A manifest client is changed "
		    "through its manifest.");
	else if (!strcmp(action, "delete"))
		return confirmed(d, row, action);
	else if (!strcmp(action, "uris"))
		rc = change_uris(d, row, &f);
	else if (!strcmp(action, "keys"))
		rc = change_keys(d, row, &f);
	else
		rc = refuse(&f, IDP_DEV_F_NONE, "action is not known");
	if (rc == IDP_ERR_INVALID_CLIENT_METADATA ||
	    rc == IDP_ERR_INVALID_REDIRECT_URI)
		return idp_dev_client_show(d, row, &f, action, 400);
	if (rc == IDP_OK && d->rs->status == 0)
		idp_page_see_other(d->rq, d->rs, idp_arena_printf(d->rq->arena,
		    "/developer/clients/%s", client_id), "client_saved");
	return rc;
}

/* Approve or reject a request for one of the person's organisation's
 * scopes (a rejection needs a reason). */
enum idp_err
idp_dev_request_post(struct idp_dev *d, const char *id_text)
{
	const char *action = idp_req_form(d->rq, "action");
	const char *reason = idp_req_form(d->rq, "reason");
	struct idp_scope_request *q = NULL;
	bool approve = idp_str_eq(action, "approve");
	int64_t id;
	enum idp_err rc;

	if (idp_parse_i64(id_text, 1, INT64_MAX, &id) != 0 ||
	    (!approve && !idp_str_eq(action, "reject"))) {
		idp_page_error(d->rq, d->rs, IDP_ERR_NOT_FOUND,
		    "No such scope request.");
		return IDP_OK;
	}
	rc = idp_store_scope_request_get(d->db, d->rq->arena, id, &q);
	if (rc == IDP_ERR_NOT_FOUND)
		idp_page_error(d->rq, d->rs, rc, "No such scope request.");
	if (rc != IDP_OK)
		return rc == IDP_ERR_NOT_FOUND ? IDP_OK : rc;
	if (!idp_role_check(&d->roles, IDP_ACT_SCOPE_DECIDE, q->server_org))
		return idp_devpage_forbidden(d, "Not a developer of the "
		    "organisation that offers the scope.");
	if ((!approve && (reason == NULL || *reason == '\0')) ||
	    (reason != NULL && strlen(reason) > 500)) {
		idp_page_see_other(d->rq, d->rs, "/developer", "need_reason");
		return IDP_OK;
	}
	rc = idp_store_scope_request_decide(d->db, id, approve ? "approved" :
	    "rejected", d->s->user.username, reason != NULL && *reason ?
	    reason : NULL);
	if (rc == IDP_ERR_CONFLICT) {
		idp_page_see_other(d->rq, d->rs, "/developer", "decided");
		return IDP_OK;
	}
	if (rc != IDP_OK)
		return rc;
	idp_clients_invalidate(d->rq->ctx->clients, q->client_id);
	idp_dev_audit(d, approve ? "scope.approved" : "scope.rejected",
	    q->client_id, json_pack("{s:I, s:s, s:s, s:s?}", "request",
	    (json_int_t)id, "scope", q->scope, "before", q->state, "reason",
	    reason));
	idp_page_see_other(d->rq, d->rs, "/developer", approve ?
	    "scope_approved" : "scope_rejected");
	return IDP_OK;
}

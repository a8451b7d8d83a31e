/* Client registrations as stored. The metadata is the validated RFC 7591
 * document (oidc/client.c parses and checks it); store/ only moves rows. */
#ifndef IDP_STORE_CLIENT_H
#define IDP_STORE_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/digest.h"
#include "store/db.h"
#include "util/arena.h"

struct idp_client_row {
	char *client_id;
	bool has_secret;
	unsigned char secret_digest[IDP_SHA256_LEN];
	char *auth_method;
	char *metadata;		/* JSON text */
	char *owner_org;	/* organisation code or NULL */
	bool first_party;
	bool enabled;
	char *source;		/* idpctl, manifest, registration */
	bool has_registration_token;
	unsigned char registration_digest[IDP_SHA256_LEN];
	int64_t created_at;
	int64_t updated_at;
	int64_t secret_rotated_at;
	char *approval;		/* pending, approved, rejected */
	char *approval_reason;
	char *owner_org_name;
	/* API scopes the client may have now (its own, allowed by their
	 * resource servers' manifests, or approved on request), as JSON:
	 * [{"scope", "server", "resources": [...], "approved"}] */
	char *api_json;
	char *offered;		/* API scopes it offers, space-separated */
	char *resources;	/* its resource URIs, space-separated */
};

enum idp_err idp_store_client_get(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, struct idp_client_row **out);
enum idp_err idp_store_client_by_registration(struct idp_dbconn *c,
    struct idp_arena *a, const unsigned char digest[IDP_SHA256_LEN],
    struct idp_client_row **out);
enum idp_err idp_store_client_list(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_client_row **out, int *n);
/* The clients owned by the organisations of orgs (codes, space-separated),
 * by organisation and name. */
enum idp_err idp_store_client_list_orgs(struct idp_dbconn *c,
    struct idp_arena *a, const char *orgs, struct idp_client_row **out,
    int *n);
/* IDP_ERR_CONFLICT when client_id exists; IDP_ERR_NOT_FOUND when owner_org
 * names no organisation. row->approval NULL: approved (by actor, who
 * registered it). */
enum idp_err idp_store_client_insert(struct idp_dbconn *c,
    const struct idp_client_row *row, const char *actor);
/* Replace everything but client_id, created_at and (when keep_secret) the
 * secret digest. */
enum idp_err idp_store_client_update(struct idp_dbconn *c,
    const struct idp_client_row *row, bool keep_secret);
enum idp_err idp_store_client_delete(struct idp_dbconn *c,
    const char *client_id);
/* Set a client's approval (approved, rejected; pending is where
 * registration puts it) with the reason and who decided. *before is the
 * state it had. IDP_ERR_NOT_FOUND: no such client; IDP_ERR_CONFLICT: it
 * is in that state already. */
enum idp_err idp_store_client_set_approval(struct idp_dbconn *c,
    struct idp_arena *a, const char *client_id, const char *approval,
    const char *reason, const char *actor, char **before);

/* The registered names of the clients of every organisation but
 * owner_org (all clients when it is NULL), except client_id itself: what
 * a new name must not look like. */
struct idp_client_name {
	char *client_id;
	char *name;
	char *owner_org;
};
enum idp_err idp_store_client_names(struct idp_dbconn *c,
    struct idp_arena *a, const char *client_id, const char *owner_org,
    struct idp_client_name **out, int *n);

/* Record a client assertion's jti until exp; IDP_ERR_CONFLICT when it was
 * seen before (a replay, RFC 7523 §3). */
enum idp_err idp_store_assertion_jti(struct idp_dbconn *c,
    const char *client_id, const char *jti, int64_t exp);

#endif

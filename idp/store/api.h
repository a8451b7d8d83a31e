/* API scopes as registered resources: the scopes a resource server offers
 * (declared in its manifest), its resource URIs (RFC 8707), who may have
 * each scope, and scope requests waiting for the owner's decision. The
 * rules are in oidc/scope.h; store/ only moves rows. */
#ifndef IDP_STORE_API_H
#define IDP_STORE_API_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/* What the store knows of one API scope a registration asks for. */
enum idp_api_scope_state {
	IDP_API_SCOPE_UNKNOWN = 0,	/* no resource server offers it */
	IDP_API_SCOPE_NOT_ALLOWED,	/* offered, not to this client */
	IDP_API_SCOPE_ALLOWED,
};

/* What the store knows of each API scope of a registration (api[i], a
 * NULL-terminated list) for a client of owner_org (may be NULL): states
 * get one entry per scope. client_id may name a client not yet stored. */
enum idp_err idp_store_api_scope_states(struct idp_dbconn *c,
    const char *client_id, const char *owner_org, char *const *api,
    enum idp_api_scope_state *states);

/* A resource server's declaration, from its manifest. */
struct idp_api_decl_scope {
	char *scope;
	char *description;
	char **clients;		/* allowed client ids */
	char **organisations;	/* allowed organisation codes */
};
struct idp_api_decl {
	char **resources;
	struct idp_api_decl_scope *scopes;
	size_t nscopes;
};
/* Make the stored declaration of server equal d (scopes no longer
 * declared go, with their allows and requests). Call inside a
 * transaction. IDP_ERR_CONFLICT: a resource URI or scope belongs to
 * another server (*what names it); IDP_ERR_NOT_FOUND: an organisation
 * code does not exist (*what). */
enum idp_err idp_store_api_sync(struct idp_dbconn *c, struct idp_arena *a,
    const char *server, const struct idp_api_decl *d, const char **what);

/* The stored declaration of server as JSON text, in the canonical shape
 * {"resource": [...], "scopes": {NAME: {"description", "clients",
 * "organisations"}}} with sorted arrays. */
enum idp_err idp_store_api_decl_json(struct idp_dbconn *c,
    struct idp_arena *a, const char *server, char **out);

struct idp_api_scope_row {
	char *scope;
	char *server;
	char *server_org;
	char *description;
	char *resources;	/* space-separated */
	char *allowed;		/* "client:ID org:CODE ...", space-separated */
	int pending;		/* open requests */
};
enum idp_err idp_store_api_scope_list(struct idp_dbconn *c,
    struct idp_arena *a, struct idp_api_scope_row **out, int *n);

struct idp_scope_request {
	long long id;
	char *client_id;
	char *scope;
	char *state;		/* pending, approved, rejected */
	char *reason;
	char *requested_by;
	char *decided_by;
	char *decision_reason;
	char *server;		/* the resource server offering the scope */
	char *server_org;	/* its owner organisation, or NULL */
	int64_t created_at;
	int64_t decided_at;	/* 0 while pending */
};
/* A new pending request. IDP_ERR_NOT_FOUND: no such client or scope;
 * IDP_ERR_CONFLICT: one is pending or approved already. */
enum idp_err idp_store_scope_request_create(struct idp_dbconn *c,
    const char *client_id, const char *scope, const char *reason,
    const char *requested_by, long long *id);
enum idp_err idp_store_scope_request_get(struct idp_dbconn *c,
    struct idp_arena *a, long long id, struct idp_scope_request **out);
/* Requests in state (NULL: all), newest first. */
enum idp_err idp_store_scope_request_list(struct idp_dbconn *c,
    struct idp_arena *a, const char *state, struct idp_scope_request **out,
    int *n);
/* The requests of one client, newest first. */
enum idp_err idp_store_scope_request_list_client(struct idp_dbconn *c,
    struct idp_arena *a, const char *client_id,
    struct idp_scope_request **out, int *n);
/* The pending requests for the scopes offered by the organisations of orgs
 * (codes, space-separated), oldest first. */
enum idp_err idp_store_scope_request_list_orgs(struct idp_dbconn *c,
    struct idp_arena *a, const char *orgs, struct idp_scope_request **out,
    int *n);
/* pending -> approved or rejected; approved -> rejected (withdrawn).
 * IDP_ERR_CONFLICT when the request is not in a state that allows it. */
enum idp_err idp_store_scope_request_decide(struct idp_dbconn *c,
    long long id, const char *state, const char *by, const char *reason);

#endif

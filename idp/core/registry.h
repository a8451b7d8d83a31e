/* The rules a registration must pass against what is registered already,
 * shared by /register (RFC 7591/7592), idpctl's manifests and, later, the
 * developer portal: its API scopes must exist and be allowed to it, and
 * its name must not look like another organisation's service. */
#ifndef IDP_CORE_REGISTRY_H
#define IDP_CORE_REGISTRY_H

#include <stdbool.h>

#include <jansson.h>

#include "store/client.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/err.h"

struct idp_config;

/* Metadata a registrant sent (/register, RFC 7592 PUT, the developer
 * portal's forms), validated as a dynamic registration: the members the
 * server assigns (client_id, secrets, tokens) are dropped first, outbound
 * URIs follow outbound_allow_loopback. *md is a new reference. */
enum idp_err idp_registry_validate(const struct idp_config *cfg,
    struct idp_arena *a, json_t *in, json_t **md, const char **why);

/* Does the validated metadata authenticate with a client secret? */
bool idp_registry_confidential(json_t *md);

/* A row of the store for client_id of owner (may be NULL) with metadata
 * md: not first-party, enabled, source "registration". */
enum idp_err idp_registry_row(struct idp_arena *a, struct idp_client_row *row,
    const char *client_id, json_t *md, const char *owner);

/* A new client id for a registration: "dcr." and 144 random bits. */
char *idp_registry_new_id(struct idp_arena *a);

/* Both checks below; *why is set when the registrant is to blame. */
enum idp_err idp_registry_check(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, const char *owner_org, json_t *md,
    const char **why);

/* The API scopes of metadata's "scope" (validated metadata) exist and are
 * allowed to client_id of owner_org (either may name what is not stored
 * yet). IDP_ERR_INVALID_CLIENT_METADATA with the scope named in *why. */
enum idp_err idp_registry_check_scopes(struct idp_dbconn *c,
    struct idp_arena *a, const char *client_id, const char *owner_org,
    json_t *metadata, const char **why);

/* metadata's client_name (if any) has letters or digits and is not
 * confusingly close to the name of a client of another organisation
 * (oidc/client_name.h). IDP_ERR_INVALID_CLIENT_METADATA otherwise. */
enum idp_err idp_registry_check_name(struct idp_dbconn *c,
    struct idp_arena *a, const char *client_id, const char *owner_org,
    json_t *metadata, const char **why);

/* May client_id (of owner_org) ask for the API scope scope? It must exist
 * (IDP_ERR_NOT_FOUND) and not be allowed to it already
 * (IDP_ERR_CONFLICT); *why says which. */
enum idp_err idp_registry_check_request(struct idp_dbconn *c,
    struct idp_arena *a, const char *client_id, const char *owner_org,
    const char *scope, const char **why);

#endif

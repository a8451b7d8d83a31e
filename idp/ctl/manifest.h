/* Client manifests: one JSON file per service, RFC 7591 metadata plus the
 * provider's own members (client_id, owner_organisation, first_party,
 * enabled, and api for a resource server). Shared by `client add` and
 * `client apply`.
 *
 * api declares the API a service offers (clients/README.md):
 *   "api": { "resource": ["https://layanan.baliprov.go.id/api"],
 *            "scopes": { "layanan.read": { "description": "...",
 *                "clients": ["client-id"], "organisations": ["code"] } } }
 * resource: 1-10 absolute URIs (RFC 8707), the audience of its tokens;
 * scopes: 1-64 scope tokens, none of them standard, each with who may
 * have it (the server itself always may). */
#ifndef IDP_CTL_MANIFEST_H
#define IDP_CTL_MANIFEST_H

#include <stdbool.h>

#include <jansson.h>

#include "store/api.h"
#include "store/client.h"
#include "util/arena.h"
#include "util/err.h"

struct manifest {
	const char *path;		/* file, or "(command line)" */
	char *client_id;		/* strings in the arena */
	json_t *metadata;		/* validated and normalised */
	char *owner_org;
	bool first_party;
	bool enabled;
	char *auth_method;
	struct idp_api_decl api;	/* empty without an api member */
	json_t *api_json;		/* the same, canonical (sorted) */
};

/* Validate one manifest document. why names the member at fault.
 * outbound_loopback: the configuration's outbound_allow_loopback (URIs
 * the provider calls may then name loopback, as at /register). */
int manifest_parse(struct idp_arena *a, json_t *doc, const char *path,
    bool outbound_loopback, struct manifest *m, const char **why);

/* The files apply reads: every DIR/NAME.json and DIR/SUB/client.json,
 * sorted. */
int manifest_files(struct idp_arena *a, const char *dir, char ***out,
    size_t *n, const char **why);

/* Row for the store; secret digest filled in by the caller. IDP_OK, or
 * IDP_ERR_INTERNAL when the metadata cannot be serialised. */
enum idp_err manifest_to_row(struct idp_arena *a, const struct manifest *m,
    const char *source, struct idp_client_row *row);

/* Does the stored row already say what the manifest says? (The API
 * declaration is compared apart: manifest_api_same.) */
bool manifest_same(const struct manifest *m, const struct idp_client_row *row);
/* stored: idp_store_api_decl_json's text. */
bool manifest_api_same(const struct manifest *m, const char *stored);

#endif

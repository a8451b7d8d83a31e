/* Client manifests: one JSON file per service, RFC 7591 metadata plus the
 * provider's own members (client_id, owner_organisation, first_party,
 * enabled). Shared by `client add` and `client apply`. */
#ifndef IDP_CTL_MANIFEST_H
#define IDP_CTL_MANIFEST_H

#include <stdbool.h>

#include <jansson.h>

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
};

/* Validate one manifest document. why names the member at fault. */
int manifest_parse(struct idp_arena *a, json_t *doc, const char *path,
    struct manifest *m, const char **why);

/* The files apply reads: every DIR/NAME.json and DIR/SUB/client.json,
 * sorted. */
int manifest_files(struct idp_arena *a, const char *dir, char ***out,
    size_t *n, const char **why);

/* Row for the store; secret digest filled in by the caller. IDP_OK, or
 * IDP_ERR_INTERNAL when the metadata cannot be serialised. */
enum idp_err manifest_to_row(struct idp_arena *a, const struct manifest *m,
    const char *source, struct idp_client_row *row);

/* Does the stored row already say what the manifest says? */
bool manifest_same(const struct manifest *m, const struct idp_client_row *row);

#endif

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
};

enum idp_err idp_store_client_get(struct idp_dbconn *c, struct idp_arena *a,
    const char *client_id, struct idp_client_row **out);
enum idp_err idp_store_client_by_registration(struct idp_dbconn *c,
    struct idp_arena *a, const unsigned char digest[IDP_SHA256_LEN],
    struct idp_client_row **out);
enum idp_err idp_store_client_list(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_client_row **out, int *n);
/* IDP_ERR_CONFLICT when client_id exists; IDP_ERR_NOT_FOUND when owner_org
 * names no organisation. */
enum idp_err idp_store_client_insert(struct idp_dbconn *c,
    const struct idp_client_row *row);
/* Replace everything but client_id, created_at and (when keep_secret) the
 * secret digest. */
enum idp_err idp_store_client_update(struct idp_dbconn *c,
    const struct idp_client_row *row, bool keep_secret);
enum idp_err idp_store_client_delete(struct idp_dbconn *c,
    const char *client_id);
/* Record a client assertion's jti until exp; IDP_ERR_CONFLICT when it was
 * seen before (a replay, RFC 7523 §3). */
enum idp_err idp_store_assertion_jti(struct idp_dbconn *c,
    const char *client_id, const char *jti, int64_t exp);

#endif

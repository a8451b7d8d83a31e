/* Signing key metadata (the private keys are files in the key directory). */
#ifndef IDP_STORE_KEYS_H
#define IDP_STORE_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct idp_key_meta {
	char *kid;
	char *alg;
	bool active;
	int64_t created_at;
	int64_t retired_at;	/* 0 while active */
	int64_t publish_until;	/* 0 while active */
};

/* Keys to publish: active ones and retired ones still within publish_until. */
enum idp_err idp_store_keys_published(struct idp_dbconn *c,
    struct idp_arena *a, struct idp_key_meta **out, int *n);
enum idp_err idp_store_keys_all(struct idp_dbconn *c, struct idp_arena *a,
    struct idp_key_meta **out, int *n);
/* Make kid the active key of its algorithm, retiring the previous one,
 * which stays published for publish_seconds. One transaction. */
enum idp_err idp_store_key_activate(struct idp_dbconn *c, const char *kid,
    const char *alg, int64_t publish_seconds);

#endif

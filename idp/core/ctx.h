/* Everything a request may use that outlives it: the configuration and
 * the pools. Created once in main.c; read-only for requests except
 * through the thread-safe objects it points to. */
#ifndef IDP_CORE_CTX_H
#define IDP_CORE_CTX_H

struct idp_config;
struct idp_db;
struct idp_pubring;
struct idp_client_cache;
struct idp_hashq;
struct idp_fetcher;
struct idp_usage;
struct idp_outbox;
struct idp_metrics;

#include "crypto/devcookie.h"
#include "crypto/pwhash.h"

struct idp_ctx {
	const struct idp_config *cfg;
	struct idp_db *db;
	struct idp_pubring *pub;		/* keys, JWKS, discovery */
	struct idp_client_cache *clients;
	struct idp_hashq *hashq;
	struct idp_fetcher *fetch;		/* every outbound call */
	struct idp_usage *usage;		/* counts for the portal */
	/* The paths the daemon routes, NULL-terminated: what discovery
	 * advertises. Handed down at start; core never calls the router. */
	const char *const *served_paths;
	struct idp_outbox *outbox;		/* mail, later logout tokens */
	/* Per-thread counters, summed by /metrics (core/metrics.h). */
	struct idp_metrics *metrics;
	/* A hash of a random password at the configured cost: unknown users
	 * are checked against it, so they cost the same time as known ones. */
	char dummy_hash[IDP_PWHASH_STRMAX];
	/* Signs device cookies (key_dir/device-cookie.key, core/throttle.c). */
	unsigned char device_key[IDP_DEVICE_KEY_LEN];
	/* Seals the signing keys in the database (core/signkeys.h); NULL
	 * when the node has none and its keys are files in key_dir. */
	const struct idp_kek *kek;
	/* The HMAC key of DPoP nonces, the same at every instance: read from
	 * the database at start (core/dpop.h). */
	unsigned char dpop_nonce_key[32];
	/* The salt of pairwise subjects (core/subject.h), read at start
	 * and never changed. Secret: never logged. */
	unsigned char pairwise_salt[32];
};

#endif

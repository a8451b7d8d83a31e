/* Human passwords: argon2id (libargon2). The hash string carries its own
 * algorithm and parameters, so a cost change applies at the next login
 * (idp_pwhash_needs_rehash), and hashes imported from other systems
 * (crypto/pwimport.h: bcrypt, SHA-crypt, PBKDF2) are verified as they are
 * until the sign-in that replaces them. */
#ifndef IDP_CRYPTO_PWHASH_H
#define IDP_CRYPTO_PWHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDP_PWHASH_STRMAX 160
#define IDP_PASSWORD_MAX 1024	/* longer input is refused, not hashed */

struct idp_pwhash_params {
	uint32_t m_kib;		/* memory in KiB */
	uint32_t t_cost;	/* passes */
	uint32_t parallelism;
};

int idp_pwhash_str(const struct idp_pwhash_params *p, const char *password,
    size_t pwlen, char out[IDP_PWHASH_STRMAX])
	__attribute__((warn_unused_result));
/* 0 when the password matches an argon2id or imported hash. Unknown or
 * malformed strings never match. */
int idp_pwhash_verify(const char *hash, const char *password, size_t pwlen)
	__attribute__((warn_unused_result));
/* A well-formed argon2id string within the bounds a verify accepts. */
bool idp_pwhash_argon2_ok(const char *hash);
/* True for anything but argon2id at exactly these parameters: imported
 * hashes are always replaced. */
bool idp_pwhash_needs_rehash(const char *hash,
    const struct idp_pwhash_params *p);

/* On a thread that hashes often: keep argon2id's working memory between
 * runs instead of mapping and unmapping it each time. Turn it off before
 * the thread ends (frees the buffer). */
void idp_pwhash_thread_cache(bool on);

#endif

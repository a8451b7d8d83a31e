#include <stdio.h>
#include <string.h>

#include <argon2.h>

#include "crypto/pwhash.h"
#include "crypto/random.h"
#include "util/mem.h"

#define SALT_LEN 16
#define HASH_LEN 32

int
idp_pwhash_str(const struct idp_pwhash_params *p, const char *password,
    size_t pwlen, char out[IDP_PWHASH_STRMAX])
{
	unsigned char salt[SALT_LEN];
	int rc;

	if (pwlen > IDP_PASSWORD_MAX)
		return -1;
	if (argon2_encodedlen(p->t_cost, p->m_kib, p->parallelism, SALT_LEN,
	    HASH_LEN, Argon2_id) > IDP_PWHASH_STRMAX)
		return -1;
	if (idp_random_bytes(salt, sizeof(salt)) != 0)
		return -1;
	rc = argon2id_hash_encoded(p->t_cost, p->m_kib, p->parallelism,
	    password, pwlen, salt, sizeof(salt), HASH_LEN, out,
	    IDP_PWHASH_STRMAX);
	return rc == ARGON2_OK ? 0 : -1;
}

int
idp_pwhash_verify(const char *hash, const char *password, size_t pwlen)
{
	if (hash == NULL || pwlen > IDP_PASSWORD_MAX)
		return -1;
	if (strncmp(hash, "$argon2id$", 10) != 0)
		return -1;
	/* argon2id_verify compares the digests in constant time. */
	return argon2id_verify(hash, password, pwlen) == ARGON2_OK ? 0 : -1;
}

bool
idp_pwhash_needs_rehash(const char *hash, const struct idp_pwhash_params *p)
{
	unsigned m = 0, t = 0, par = 0, v = 0;

	if (hash == NULL || strncmp(hash, "$argon2id$", 10) != 0)
		return true;
	if (sscanf(hash, "$argon2id$v=%u$m=%u,t=%u,p=%u$", &v, &m, &t,
	    &par) != 4)
		return true;
	return v != ARGON2_VERSION_NUMBER || m != p->m_kib ||
	    t != p->t_cost || par != p->parallelism;
}

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <argon2.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "crypto/pwhash.h"
#include "crypto/pwimport.h"
#include "crypto/random.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/nfkc.h"
#include "util/str.h"

#define SALT_LEN 16
#define HASH_LEN 32
#define SALT_MAX 64
#define HASH_MAX 64

/*
 * argon2id needs m_kib of memory per run. Allocating and freeing it each
 * time either keeps it in the heap (glibc raises its mmap threshold) or
 * costs thousands of page faults per login. A thread that hashes often
 * (idp's hashing threads) keeps one buffer for its life instead.
 */
static __thread struct {
	bool on;
	uint8_t *buf;
	size_t len;
} cache;

static int
alloc_cb(uint8_t **memory, size_t n)
{
	void *p;

	if (cache.on && cache.buf != NULL && cache.len >= n) {
		*memory = cache.buf;
		return 0;
	}
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return -1;
	if (cache.on) {
		if (cache.buf != NULL)
			munmap(cache.buf, cache.len);
		cache.buf = p;
		cache.len = n;
	}
	*memory = p;
	return 0;
}

static void
free_cb(uint8_t *memory, size_t n)
{
	/* libargon2 has wiped the memory already (ARGON2_DEFAULT_FLAGS). */
	if (cache.on && memory == cache.buf)
		return;
	munmap(memory, n);
}

void
idp_pwhash_thread_cache(bool on)
{
	if (!on && cache.buf != NULL) {
		munmap(cache.buf, cache.len);
		cache.buf = NULL;
		cache.len = 0;
	}
	cache.on = on;
}

/* The password is hashed in NFKC (SP 800-63B §5.1.1.2), when it is UTF-8:
 * ASCII is its own NFKC, so passwords set before are unaffected, and a
 * password that is not UTF-8 is hashed as it is. */
static int
run(const struct idp_pwhash_params *p, const char *raw, size_t rawlen,
    const uint8_t *salt, size_t saltlen, uint8_t *out, size_t outlen)
{
	char norm[IDP_NFKC_MAX];
	const char *pw = raw;
	size_t pwlen = rawlen;
	argon2_context ctx;
	long n;
	int rc;

	if (idp_utf8_valid(raw, rawlen)) {
		if ((n = idp_nfkc(raw, rawlen, norm, sizeof(norm))) < 0)
			return -1;
		pw = norm;
		pwlen = (size_t)n;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.out = out;
	ctx.outlen = (uint32_t)outlen;
	ctx.pwd = (uint8_t *)(uintptr_t)pw;	/* read only: no FLAG_CLEAR */
	ctx.pwdlen = (uint32_t)pwlen;
	ctx.salt = (uint8_t *)(uintptr_t)salt;
	ctx.saltlen = (uint32_t)saltlen;
	ctx.t_cost = p->t_cost;
	ctx.m_cost = p->m_kib;
	ctx.lanes = p->parallelism;
	ctx.threads = p->parallelism;
	ctx.allocate_cbk = alloc_cb;
	ctx.free_cbk = free_cb;
	ctx.flags = ARGON2_DEFAULT_FLAGS;
	ctx.version = ARGON2_VERSION_NUMBER;
	rc = argon2id_ctx(&ctx) == ARGON2_OK ? 0 : -1;
	if (pw == norm)
		idp_wipe(norm, pwlen);
	return rc;
}

int
idp_pwhash_str(const struct idp_pwhash_params *p, const char *password,
    size_t pwlen, char out[IDP_PWHASH_STRMAX])
{
	uint8_t salt[SALT_LEN], hash[HASH_LEN];
	char s64[IDP_B64URL_LEN(SALT_LEN) + 1], h64[IDP_B64URL_LEN(HASH_LEN) + 1];
	int n, rc = -1;

	if (pwlen > IDP_PASSWORD_MAX || p->m_kib < 8 * p->parallelism)
		return -1;
	if (idp_random_bytes(salt, sizeof(salt)) != 0)
		return -1;
	if (run(p, password, pwlen, salt, sizeof(salt), hash, sizeof(hash)) != 0)
		goto out;
	idp_b64_nopad_encode_to(s64, salt, sizeof(salt));
	idp_b64_nopad_encode_to(h64, hash, sizeof(hash));
	n = snprintf(out, IDP_PWHASH_STRMAX, "$argon2id$v=%d$m=%u,t=%u,p=%u$%s$%s",
	    ARGON2_VERSION_NUMBER, p->m_kib, p->t_cost, p->parallelism, s64, h64);
	if (n > 0 && n < IDP_PWHASH_STRMAX)
		rc = 0;
out:
	idp_wipe(hash, sizeof(hash));
	return rc;
}

/* Split "$argon2id$v=19$m=M,t=T,p=P$SALT$HASH" into its parts. */
static int
parse(struct idp_arena *a, const char *hash, struct idp_pwhash_params *p,
    uint8_t **salt, size_t *saltlen, uint8_t **digest, size_t *dlen)
{
	unsigned v, m, t, par;
	int off = 0;
	const char *s, *d;

	if (sscanf(hash, "$argon2id$v=%u$m=%u,t=%u,p=%u$%n", &v, &m, &t, &par,
	    &off) != 4 || off == 0 || v != ARGON2_VERSION_NUMBER)
		return -1;
	/* Bounds that keep a tampered row from asking for absurd work. */
	if (m < 8 || m > 4194304 || t < 1 || t > 100 || par < 1 || par > 16)
		return -1;
	s = hash + off;
	d = strchr(s, '$');
	if (d == NULL || strchr(d + 1, '$') != NULL)
		return -1;
	*salt = idp_b64_nopad_decode(a, s, (size_t)(d - s), saltlen);
	*digest = idp_b64_nopad_decode(a, d + 1, strlen(d + 1), dlen);
	if (*salt == NULL || *digest == NULL || *saltlen < 8 ||
	    *saltlen > SALT_MAX || *dlen < 16 || *dlen > HASH_MAX)
		return -1;
	p->m_kib = m;
	p->t_cost = t;
	p->parallelism = par;
	return 0;
}

int
idp_pwhash_verify(const char *hash, const char *password, size_t pwlen)
{
	struct idp_arena *a;
	struct idp_pwhash_params p;
	uint8_t *salt, *want, got[HASH_MAX];
	size_t saltlen, wantlen;
	int rc = -1;

	if (hash == NULL || pwlen > IDP_PASSWORD_MAX)
		return -1;
	if (strncmp(hash, "$argon2id$", 10) != 0)
		return idp_pwimport_verify(hash, password, pwlen);
	a = idp_arena_new(512);
	if (parse(a, hash, &p, &salt, &saltlen, &want, &wantlen) == 0 &&
	    run(&p, password, pwlen, salt, saltlen, got, wantlen) == 0 &&
	    idp_ct_eq(got, wantlen, want, wantlen))
		rc = 0;
	idp_wipe(got, sizeof(got));
	idp_arena_free(a);
	return rc;
}

bool
idp_pwhash_argon2_ok(const char *hash)
{
	struct idp_arena *a = idp_arena_new(512);
	struct idp_pwhash_params p;
	uint8_t *salt, *digest;
	size_t saltlen, dlen;
	bool ok = parse(a, hash, &p, &salt, &saltlen, &digest, &dlen) == 0;

	idp_arena_free(a);
	return ok;
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

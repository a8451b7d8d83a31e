#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "crypto/pwhash.h"
#include "crypto/pwimport.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/str.h"

#define CRYPT_ALPHABET \
	"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#define BCRYPT_COST_MIN 4
#define BCRYPT_COST_MAX 15
#define SHACRYPT_ROUNDS_MIN 1000
#define SHACRYPT_ROUNDS_MAX 1000000
#define SHACRYPT_SALT_MAX 16
#define PBKDF2_ITER_MAX 10000000
#define PBKDF2_SALT_MIN 4
#define PBKDF2_SALT_MAX 64
#define PBKDF2_HASH_MIN 16
#define PBKDF2_HASH_MAX 64

static const char *const alg_names[] = {
	[IDP_PWHASH_UNKNOWN] = "unknown",
	[IDP_PWHASH_ARGON2ID] = "argon2id",
	[IDP_PWHASH_BCRYPT] = "bcrypt",
	[IDP_PWHASH_SHA256_CRYPT] = "sha256-crypt",
	[IDP_PWHASH_SHA512_CRYPT] = "sha512-crypt",
	[IDP_PWHASH_PBKDF2_SHA1] = "pbkdf2-sha1",
	[IDP_PWHASH_PBKDF2_SHA256] = "pbkdf2-sha256",
	[IDP_PWHASH_PBKDF2_SHA512] = "pbkdf2-sha512",
};

const char *
idp_pwhash_alg_name(enum idp_pwhash_alg alg)
{
	return (unsigned)alg <= IDP_PWHASH_PBKDF2_SHA512 ? alg_names[alg] :
	    "unknown";
}

/* n decimal digits at s (no sign, no leading zero unless "0") within
 * [min, max]. */
static bool
decimal(const char *s, size_t n, long min, long max, long *out)
{
	long v = 0;

	if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool
all_in(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(set, s[i]) == NULL)
			return false;
	return true;
}

/* The 2-digit cost of bcrypt, "04" to "15". */
static bool
bcrypt_cost(const char *h)
{
	char d[3] = { h[4], h[5], '\0' };
	long cost;

	if (d[0] == '0')
		return decimal(d + 1, 1, BCRYPT_COST_MIN, 9, &cost);
	return decimal(d, 2, 10, BCRYPT_COST_MAX, &cost);
}

/* $2a$NN$ + 22 characters of salt + 31 of hash. */
static bool
bcrypt_ok(const char *h)
{
	return strlen(h) == 60 && h[0] == '$' && h[1] == '2' &&
	    (h[2] == 'a' || h[2] == 'b' || h[2] == 'y') && h[3] == '$' &&
	    bcrypt_cost(h) && h[6] == '$' && all_in(h + 7, 53, CRYPT_ALPHABET);
}

/* $5$[rounds=N$]SALT$HASH or $6$...: hashlen is 43 or 86. */
static bool
shacrypt_ok(const char *h, size_t hashlen)
{
	const char *s = h + 3, *d;
	long rounds;

	if (strncmp(s, "rounds=", 7) == 0) {
		d = strchr(s + 7, '$');
		if (d == NULL || !decimal(s + 7, (size_t)(d - s - 7),
		    SHACRYPT_ROUNDS_MIN, SHACRYPT_ROUNDS_MAX, &rounds))
			return false;
		s = d + 1;
	}
	d = strchr(s, '$');
	if (d == NULL || d == s || d - s > SHACRYPT_SALT_MAX ||
	    !all_in(s, (size_t)(d - s), CRYPT_ALPHABET))
		return false;
	return strlen(d + 1) == hashlen && all_in(d + 1, hashlen,
	    CRYPT_ALPHABET);
}

struct pbkdf2 {
	const char *md;
	uint32_t iterations;
	unsigned char *salt, *hash;
	size_t saltlen, hashlen;
};

static const struct {
	const char *prefix;
	const char *md;
	enum idp_pwhash_alg alg;
} pbkdf2_kinds[] = {
	{ "$pbkdf2-sha1$i=", "sha1", IDP_PWHASH_PBKDF2_SHA1 },
	{ "$pbkdf2-sha256$i=", "sha256", IDP_PWHASH_PBKDF2_SHA256 },
	{ "$pbkdf2-sha512$i=", "sha512", IDP_PWHASH_PBKDF2_SHA512 },
};

/* $pbkdf2-MD$i=N$SALT$HASH into p (salt and hash in a). */
static enum idp_pwhash_alg
pbkdf2_parse(struct idp_arena *a, const char *h, struct pbkdf2 *p)
{
	for (size_t k = 0; k < sizeof(pbkdf2_kinds) / sizeof(*pbkdf2_kinds);
	    k++) {
		size_t pl = strlen(pbkdf2_kinds[k].prefix);
		const char *i = h + pl, *s, *d;
		long iter;

		if (strncmp(h, pbkdf2_kinds[k].prefix, pl) != 0)
			continue;
		s = strchr(i, '$');
		d = s ? strchr(s + 1, '$') : NULL;
		if (d == NULL || strchr(d + 1, '$') != NULL ||
		    !decimal(i, (size_t)(s - i), 1, PBKDF2_ITER_MAX, &iter))
			return IDP_PWHASH_UNKNOWN;
		p->salt = idp_b64_nopad_decode(a, s + 1, (size_t)(d - s - 1),
		    &p->saltlen);
		p->hash = idp_b64_nopad_decode(a, d + 1, strlen(d + 1),
		    &p->hashlen);
		if (p->salt == NULL || p->hash == NULL ||
		    p->saltlen < PBKDF2_SALT_MIN || p->saltlen > PBKDF2_SALT_MAX ||
		    p->hashlen < PBKDF2_HASH_MIN || p->hashlen > PBKDF2_HASH_MAX)
			return IDP_PWHASH_UNKNOWN;
		p->md = pbkdf2_kinds[k].md;
		p->iterations = (uint32_t)iter;
		return pbkdf2_kinds[k].alg;
	}
	return IDP_PWHASH_UNKNOWN;
}

enum idp_pwhash_alg
idp_pwhash_alg_of(const char *h)
{
	enum idp_pwhash_alg alg = IDP_PWHASH_UNKNOWN;
	struct idp_arena *a;
	struct pbkdf2 p;

	if (h == NULL || strlen(h) > 512)
		return IDP_PWHASH_UNKNOWN;
	if (strncmp(h, "$argon2id$", 10) == 0)
		return idp_pwhash_argon2_ok(h) ? IDP_PWHASH_ARGON2ID :
		    IDP_PWHASH_UNKNOWN;
	if (strncmp(h, "$2", 2) == 0)
		return bcrypt_ok(h) ? IDP_PWHASH_BCRYPT :
		    IDP_PWHASH_UNKNOWN;
	if (strncmp(h, "$5$", 3) == 0)
		return shacrypt_ok(h, 43) ? IDP_PWHASH_SHA256_CRYPT :
		    IDP_PWHASH_UNKNOWN;
	if (strncmp(h, "$6$", 3) == 0)
		return shacrypt_ok(h, 86) ? IDP_PWHASH_SHA512_CRYPT :
		    IDP_PWHASH_UNKNOWN;
	if (strncmp(h, "$pbkdf2-", 8) == 0) {
		a = idp_arena_new(512);
		alg = pbkdf2_parse(a, h, &p);
		idp_arena_free(a);
	}
	return alg;
}

bool
idp_pwhash_format_ok(const char *hash)
{
	return idp_pwhash_alg_of(hash) != IDP_PWHASH_UNKNOWN;
}

int
idp_pbkdf2(const char *md, const char *password, size_t pwlen,
    const unsigned char *salt, size_t saltlen, uint32_t iterations,
    unsigned char *out, size_t outlen)
{
	const EVP_MD *m = !strcmp(md, "sha1") ? EVP_sha1() :
	    !strcmp(md, "sha256") ? EVP_sha256() :
	    !strcmp(md, "sha512") ? EVP_sha512() : NULL;

	if (m == NULL || iterations < 1 || pwlen > IDP_PASSWORD_MAX ||
	    saltlen > 1024 || outlen > 1024)
		return -1;
	return PKCS5_PBKDF2_HMAC(password, (int)pwlen, salt, (int)saltlen,
	    (int)iterations, m, (int)outlen, out) == 1 ? 0 : -1;
}

/* bcrypt and SHA-crypt through libcrypt: it recomputes the whole string
 * from the password and the stored setting; the two must be equal. */
static int
crypt_verify(const char *hash, const char *password, size_t pwlen)
{
	struct crypt_data *data;
	char *phrase;
	const char *got;
	int rc = -1;

	if (memchr(password, '\0', pwlen) != NULL)
		return -1;
	data = idp_xcalloc(1, sizeof(*data));
	phrase = idp_xmalloc(pwlen + 1);
	memcpy(phrase, password, pwlen);
	phrase[pwlen] = '\0';
	got = crypt_rn(phrase, hash, data, (int)sizeof(*data));
	if (got != NULL && got[0] != '*' && idp_ct_streq(got, hash))
		rc = 0;
	idp_wipe(phrase, pwlen + 1);
	idp_wipe(data, sizeof(*data));
	free(phrase);
	free(data);
	return rc;
}

static int
pbkdf2_verify(const char *hash, const char *password, size_t pwlen)
{
	struct idp_arena *a = idp_arena_new(512);
	unsigned char got[PBKDF2_HASH_MAX];
	struct pbkdf2 p;
	int rc = -1;

	if (pbkdf2_parse(a, hash, &p) != IDP_PWHASH_UNKNOWN &&
	    idp_pbkdf2(p.md, password, pwlen, p.salt, p.saltlen, p.iterations,
	    got, p.hashlen) == 0 && idp_ct_eq(got, p.hashlen, p.hash,
	    p.hashlen))
		rc = 0;
	idp_wipe(got, sizeof(got));
	idp_arena_free(a);
	return rc;
}

int
idp_pwimport_verify(const char *hash, const char *password, size_t pwlen)
{
	switch (idp_pwhash_alg_of(hash)) {
	case IDP_PWHASH_BCRYPT:
	case IDP_PWHASH_SHA256_CRYPT:
	case IDP_PWHASH_SHA512_CRYPT:
		return crypt_verify(hash, password, pwlen);
	case IDP_PWHASH_PBKDF2_SHA1:
	case IDP_PWHASH_PBKDF2_SHA256:
	case IDP_PWHASH_PBKDF2_SHA512:
		return pbkdf2_verify(hash, password, pwlen);
	default:
		return -1;
	}
}

/* Keycloak keeps additionalParameters as lists of strings: {"memory":
 * ["7168"]}. The first value as a number in [min, max], or def when the
 * parameter is absent. */
static bool
kc_param(json_t *params, const char *name, long min, long max, long def,
    long *out)
{
	json_t *v = json_object_get(params, name);
	const char *s;

	if (v == NULL) {
		*out = def;
		return true;
	}
	if (!json_is_array(v) || json_array_size(v) != 1 ||
	    (s = json_string_value(json_array_get(v, 0))) == NULL)
		return false;
	return decimal(s, strlen(s), min, max, out);
}

static const char *
kc_md(const char *alg)
{
	return !strcmp(alg, "pbkdf2") ? "sha1" :
	    !strcmp(alg, "pbkdf2-sha256") ? "sha256" :
	    !strcmp(alg, "pbkdf2-sha512") ? "sha512" : NULL;
}

/* argon2's parameters: type id, version 1.3, memory, parallelism and the
 * length of the stored hash. */
static const char *
kc_argon2(json_t *params, long iter, size_t hashlen, const char *s64,
    const char *h64, char *out, size_t outlen)
{
	json_t *type = json_object_get(params, "type");
	json_t *ver = json_object_get(params, "version");
	long m, p, len;
	int n;

	if (type != NULL && !(json_array_size(type) == 1 &&
	    idp_str_eq(json_string_value(json_array_get(type, 0)), "id")))
		return "argon2 of a type other than id";
	if (ver != NULL && !(json_array_size(ver) == 1 &&
	    idp_str_eq(json_string_value(json_array_get(ver, 0)), "1.3")))
		return "argon2 of a version other than 1.3";
	if (!kc_param(params, "memory", 8, 4194304, 7168, &m) ||
	    !kc_param(params, "parallelism", 1, 16, 1, &p) ||
	    !kc_param(params, "hashLength", 16, 64, 32, &len))
		return "bad argon2 memory, parallelism or hashLength";
	if ((size_t)len != hashlen)
		return "argon2 hashLength differs from the stored hash";
	n = snprintf(out, outlen, "$argon2id$v=19$m=%ld,t=%ld,p=%ld$%s$%s", m,
	    iter, p, s64, h64);
	return n > 0 && (size_t)n < outlen ? NULL : "hash too long";
}

static const char *
kc_convert(struct idp_arena *a, json_t *sec, json_t *cred, char *out,
    size_t outlen)
{
	const char *alg = json_string_value(json_object_get(cred, "algorithm"));
	const char *v = json_string_value(json_object_get(sec, "value"));
	const char *salt = json_string_value(json_object_get(sec, "salt"));
	json_t *it = json_object_get(cred, "hashIterations");
	json_t *params = json_object_get(cred, "additionalParameters");
	unsigned char *sb, *hb;
	size_t sl, hl;
	char *s64, *h64;
	int n;

	if (alg == NULL || v == NULL || salt == NULL || !json_is_integer(it))
		return "no algorithm, hashIterations, value or salt";
	if (params != NULL && !json_is_object(params))
		return "additionalParameters is not an object";
	if (json_integer_value(it) < 1 ||
	    json_integer_value(it) > PBKDF2_ITER_MAX)
		return "hashIterations out of range";
	sb = idp_b64_decode(a, salt, strlen(salt), &sl);
	hb = idp_b64_decode(a, v, strlen(v), &hl);
	if (sb == NULL || hb == NULL || sl == 0 || hl == 0 || sl > 64 ||
	    hl > 64)
		return "salt or value is not base64 of a sane length";
	s64 = idp_arena_alloc(a, IDP_B64URL_LEN(sl) + 1);
	h64 = idp_arena_alloc(a, IDP_B64URL_LEN(hl) + 1);
	idp_b64_nopad_encode_to(s64, sb, sl);
	idp_b64_nopad_encode_to(h64, hb, hl);
	if (!strcmp(alg, "argon2"))
		return kc_argon2(params, (long)json_integer_value(it), hl, s64,
		    h64, out, outlen);
	if (kc_md(alg) == NULL)
		return "algorithm is not pbkdf2, pbkdf2-sha256, pbkdf2-sha512 "
		    "or argon2";
	n = snprintf(out, outlen, "$pbkdf2-%s$i=%lld$%s$%s", kc_md(alg),
	    (long long)json_integer_value(it), s64, h64);
	return n > 0 && (size_t)n < outlen ? NULL : "hash too long";
}

int
idp_pwhash_from_keycloak(const char *secret_data, const char *credential_data,
    char *out, size_t outlen, const char **why)
{
	struct idp_arena *a = idp_arena_new(1024);
	json_t *sec = secret_data ? json_loads(secret_data, 0, NULL) : NULL;
	json_t *cred = credential_data ? json_loads(credential_data, 0, NULL) :
	    NULL;
	const char *err = "secretData or credentialData is not JSON";

	if (json_is_object(sec) && json_is_object(cred))
		err = kc_convert(a, sec, cred, out, outlen);
	if (err == NULL && !idp_pwhash_format_ok(out))
		err = "parameters outside the accepted bounds";
	json_decref(sec);
	json_decref(cred);
	idp_arena_free(a);
	*why = err;
	if (err != NULL && outlen > 0)
		idp_wipe(out, outlen);
	return err == NULL ? 0 : -1;
}

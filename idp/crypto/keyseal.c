#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "crypto/keyseal.h"
#include "crypto/random.h"
#include "util/mem.h"
#include "util/str.h"

/* Format version of a sealed blob; part of the additional data too. */
static const unsigned char seal_version[2] = { 'k', '1' };

#define NONCE_LEN 12
#define TAG_LEN 16
#define SEAL_MAX (64 * 1024)

static void
kek_name(struct idp_kek *k)
{
	static const char label[] = "idp key-encryption key id";
	unsigned char buf[sizeof(label) + IDP_KEK_LEN];
	unsigned char d[IDP_SHA256_LEN];

	memcpy(buf, label, sizeof(label));
	memcpy(buf + sizeof(label), k->key, IDP_KEK_LEN);
	idp_sha256(buf, sizeof(buf), d);
	idp_b64url_encode_to(k->id, d, 12);
	idp_wipe(buf, sizeof(buf));
}

int
idp_kek_parse(const unsigned char *buf, size_t n, struct idp_kek *out)
{
	memset(out, 0, sizeof(*out));
	if (n == IDP_KEK_LEN) {
		memcpy(out->key, buf, IDP_KEK_LEN);
	} else {
		if (n == 2 * IDP_KEK_LEN + 1 && buf[n - 1] == '\n')
			n--;
		else if (n == 2 * IDP_KEK_LEN + 2 && buf[n - 2] == '\r' &&
		    buf[n - 1] == '\n')
			n -= 2;
		if (n != 2 * IDP_KEK_LEN)
			return -1;
		for (size_t i = 0; i < IDP_KEK_LEN; i++) {
			int hi = idp_hexval(buf[2 * i]);
			int lo = idp_hexval(buf[2 * i + 1]);

			if (hi < 0 || lo < 0) {
				idp_kek_wipe(out);
				return -1;
			}
			out->key[i] = (unsigned char)(hi << 4 | lo);
		}
	}
	kek_name(out);
	return 0;
}

int
idp_kek_load(const char *path, bool private, struct idp_kek *out, char *why,
    size_t whylen)
{
	unsigned char buf[2 * IDP_KEK_LEN + 3];
	struct stat st;
	ssize_t n;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s is not a regular file", path);
		goto out;
	}
	if (private && (st.st_mode & 077) != 0) {
		snprintf(why, whylen, "%s is readable by group or others "
		    "(mode %03o); chmod 600 it", path, st.st_mode & 0777);
		goto out;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0 || idp_kek_parse(buf, (size_t)n, out) != 0) {
		snprintf(why, whylen, "%s does not hold a key-encryption key "
		    "(32 random bytes, or 64 hex digits)", path);
		goto out;
	}
	rc = 0;
out:
	idp_wipe(buf, sizeof(buf));
	close(fd);
	return rc;
}

void
idp_kek_wipe(struct idp_kek *k)
{
	idp_wipe(k, sizeof(*k));
}

/* One AES-256-GCM pass: encrypt (enc) or decrypt in into out, with the
 * version and kid as additional data. */
static int
gcm(int enc, const struct idp_kek *k, const char *kid,
    const unsigned char *nonce, const unsigned char *in, size_t n,
    unsigned char *out, unsigned char *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len = 0, ok;

	ok = ctx != NULL && n <= SEAL_MAX &&
	    EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) &&
	    EVP_CipherInit_ex(ctx, NULL, NULL, k->key, nonce, enc) &&
	    EVP_CipherUpdate(ctx, NULL, &len, seal_version,
	    sizeof(seal_version)) &&
	    EVP_CipherUpdate(ctx, NULL, &len, (const unsigned char *)kid,
	    (int)strlen(kid)) &&
	    EVP_CipherUpdate(ctx, out, &len, in, (int)n) &&
	    (enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
	    tag)) &&
	    EVP_CipherFinal_ex(ctx, out + len, &len) &&
	    (!enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
	    tag));
	EVP_CIPHER_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -1;
}

int
idp_seal(const struct idp_kek *k, const char *kid, const unsigned char *pt,
    size_t n, unsigned char **blob, size_t *bloblen)
{
	size_t total = IDP_SEAL_OVERHEAD + n;
	unsigned char *b, *nonce, *ct;

	if (kid == NULL || n == 0 || n > SEAL_MAX)
		return -1;
	b = idp_xmalloc(total);
	memcpy(b, seal_version, sizeof(seal_version));
	nonce = b + sizeof(seal_version);
	ct = nonce + NONCE_LEN;
	if (idp_random_bytes(nonce, NONCE_LEN) != 0 ||
	    gcm(1, k, kid, nonce, pt, n, ct, ct + n) != 0) {
		free(b);
		return -1;
	}
	*blob = b;
	*bloblen = total;
	return 0;
}

int
idp_unseal(const struct idp_kek *k, const char *kid,
    const unsigned char *blob, size_t n, unsigned char **pt, size_t *ptlen)
{
	const unsigned char *nonce, *ct, *tag;
	unsigned char tagbuf[TAG_LEN];
	size_t ctlen;
	unsigned char *out;

	if (kid == NULL || blob == NULL || n <= IDP_SEAL_OVERHEAD ||
	    n > SEAL_MAX + IDP_SEAL_OVERHEAD ||
	    memcmp(blob, seal_version, sizeof(seal_version)) != 0)
		return -1;
	nonce = blob + sizeof(seal_version);
	ct = nonce + NONCE_LEN;
	ctlen = n - IDP_SEAL_OVERHEAD;
	tag = ct + ctlen;
	memcpy(tagbuf, tag, TAG_LEN);
	out = idp_xmalloc(ctlen);
	if (gcm(0, k, kid, nonce, ct, ctlen, out, tagbuf) != 0) {
		idp_unseal_free(out, ctlen);
		return -1;
	}
	*pt = out;
	*ptlen = ctlen;
	return 0;
}

void
idp_unseal_free(unsigned char *pt, size_t n)
{
	if (pt == NULL)
		return;
	idp_wipe(pt, n);
	free(pt);
}

int
idp_key_seal(const struct idp_kek *k, const struct idp_key *key,
    unsigned char **blob, size_t *bloblen)
{
	unsigned char *der = NULL;
	size_t n = 0;
	int rc;

	if (idp_key_to_der(key, &der, &n) != 0)
		return -1;
	rc = idp_seal(k, idp_key_kid(key), der, n, blob, bloblen);
	idp_key_der_free(der, n);
	return rc;
}

int
idp_key_unseal(const struct idp_kek *k, const char *kid, enum idp_alg alg,
    const unsigned char *blob, size_t n, struct idp_key **out)
{
	unsigned char *der = NULL;
	size_t dn = 0;
	int rc;

	if (idp_unseal(k, kid, blob, n, &der, &dn) != 0)
		return -1;
	rc = idp_key_from_der(der, dn, alg, out);
	idp_unseal_free(der, dn);
	/* The key inside must be the one the row names. */
	if (rc == 0 && strcmp(idp_key_kid(*out), kid) != 0) {
		idp_key_free(*out);
		*out = NULL;
		rc = -1;
	}
	return rc;
}

/* The additional data of a person's TOTP key; -1 without a person. */
static int
totp_aad(long long user_id, char aad[IDP_TOTP_AAD_MAX])
{
	if (user_id <= 0)
		return -1;
	snprintf(aad, IDP_TOTP_AAD_MAX, "totp:%lld", user_id);
	return 0;
}

int
idp_totp_key_seal(const struct idp_kek *k, long long user_id,
    const unsigned char *key, size_t n, unsigned char **blob, size_t *bloblen)
{
	char aad[IDP_TOTP_AAD_MAX];

	return totp_aad(user_id, aad) != 0 ? -1 :
	    idp_seal(k, aad, key, n, blob, bloblen);
}

int
idp_totp_key_unseal(const struct idp_kek *k, long long user_id,
    const unsigned char *blob, size_t n, unsigned char **key, size_t *keylen)
{
	char aad[IDP_TOTP_AAD_MAX];

	return totp_aad(user_id, aad) != 0 ? -1 :
	    idp_unseal(k, aad, blob, n, key, keylen);
}

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/b64url.h"
#include "crypto/devcookie.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "util/buf.h"
#include "util/mem.h"

#define BODY_LEN (1 + 8 + 8 + IDP_DEVICE_NONCE_LEN)
#define MAC_LEN 16
#define RAW_LEN (BODY_LEN + MAC_LEN)

static void
put64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void
body_of(const struct idp_device_token *t, unsigned char b[BODY_LEN])
{
	b[0] = 1;
	put64(b + 1, (uint64_t)t->user_id);
	put64(b + 9, (uint64_t)t->expires);
	memcpy(b + 17, t->nonce, IDP_DEVICE_NONCE_LEN);
}

static int
mac_of(const unsigned char key[IDP_DEVICE_KEY_LEN],
    const unsigned char body[BODY_LEN], unsigned char mac[IDP_SHA256_LEN])
{
	return idp_hmac_sha256(key, IDP_DEVICE_KEY_LEN, body, BODY_LEN, mac);
}

void
idp_device_token_make(const unsigned char key[IDP_DEVICE_KEY_LEN],
    const struct idp_device_token *t, char out[IDP_DEVICE_TOKEN_CHARS + 1])
{
	unsigned char raw[RAW_LEN], mac[IDP_SHA256_LEN];

	body_of(t, raw);
	if (mac_of(key, raw, mac) != 0)
		idp_oom();	/* HMAC-SHA256 only fails without memory */
	memcpy(raw + BODY_LEN, mac, MAC_LEN);
	idp_b64url_encode_to(out, raw, RAW_LEN);
}

/* One token of n characters at s, or -1. */
static int
token_read(const unsigned char key[IDP_DEVICE_KEY_LEN], const char *s,
    size_t n, int64_t now, struct idp_device_token *t)
{
	struct idp_arena *a;
	unsigned char *raw, mac[IDP_SHA256_LEN];
	size_t len;
	int rc = -1;

	if (n != IDP_DEVICE_TOKEN_CHARS)
		return -1;
	a = idp_arena_new(256);
	raw = idp_b64url_decode(a, s, n, &len);
	if (raw == NULL || len != RAW_LEN || raw[0] != 1 ||
	    mac_of(key, raw, mac) != 0 ||
	    !idp_ct_eq(mac, MAC_LEN, raw + BODY_LEN, MAC_LEN))
		goto out;
	t->user_id = (long long)get64(raw + 1);
	t->expires = (int64_t)get64(raw + 9);
	memcpy(t->nonce, raw + 17, IDP_DEVICE_NONCE_LEN);
	if (t->user_id > 0 && t->expires > now)
		rc = 0;
out:
	idp_arena_free(a);
	return rc;
}

int
idp_device_cookie_parse(const unsigned char key[IDP_DEVICE_KEY_LEN],
    const char *value, int64_t now, struct idp_device_token *out)
{
	const char *s = value;
	int n = 0;

	if (value == NULL ||
	    strlen(value) > IDP_DEVICE_MAX * (IDP_DEVICE_TOKEN_CHARS + 1))
		return 0;
	while (*s != '\0' && n < IDP_DEVICE_MAX) {
		size_t len = strcspn(s, ".");

		if (token_read(key, s, len, now, &out[n]) == 0)
			n++;
		s += len;
		if (*s == '.')
			s++;
	}
	return n;
}

char *
idp_device_cookie_value(struct idp_arena *a,
    const unsigned char key[IDP_DEVICE_KEY_LEN],
    const struct idp_device_token *t, const struct idp_device_token *others,
    int n)
{
	char tok[IDP_DEVICE_TOKEN_CHARS + 1];
	struct idp_buf b;
	int kept = 1;

	idp_buf_init(&b, a, IDP_DEVICE_MAX * (IDP_DEVICE_TOKEN_CHARS + 1));
	idp_device_token_make(key, t, tok);
	idp_buf_adds(&b, tok);
	for (int i = 0; i < n && kept < IDP_DEVICE_MAX; i++) {
		if (others[i].user_id == t->user_id)
			continue;
		idp_device_token_make(key, &others[i], tok);
		idp_buf_adds(&b, ".");
		idp_buf_adds(&b, tok);
		kept++;
	}
	return b.data;
}

static int
read_key(int fd, unsigned char key[IDP_DEVICE_KEY_LEN])
{
	ssize_t n = read(fd, key, IDP_DEVICE_KEY_LEN);

	return n == IDP_DEVICE_KEY_LEN ? 0 : -1;
}

/* A new key file, whole or not at all: written aside, then linked into
 * place, so that another instance never reads half a key (link fails with
 * EEXIST when one made it first, and its key is used). 0, or -1 with errno
 * set. */
static int
create_key(const char *path)
{
	unsigned char k[IDP_DEVICE_KEY_LEN];
	char tmp[4200];
	int fd, ok, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	ok = idp_random_bytes(k, sizeof(k)) == 0 &&
	    write(fd, k, sizeof(k)) == (ssize_t)sizeof(k);
	idp_wipe(k, sizeof(k));
	if (!ok)
		errno = EIO;
	if (close(fd) != 0)
		ok = 0;
	if (ok && link(tmp, path) != 0 && errno != EEXIST)
		ok = 0;
	saved = errno;
	unlink(tmp);
	errno = saved;
	return ok ? 0 : -1;
}

int
idp_device_key_load(const char *key_dir, int create,
    unsigned char key[IDP_DEVICE_KEY_LEN], char *err, size_t errlen)
{
	char path[4096];
	struct stat st;
	int fd, rc = -1;

	snprintf(path, sizeof(path), "%s/%s", key_dir, IDP_DEVICE_KEY_FILE);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		if (create_key(path) != 0) {
			snprintf(err, errlen, "cannot create %s: %s", path,
			    strerror(errno));
			return -1;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot read %s: %s (idpctl keys generate "
		    "creates it)", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s must be readable by its owner only "
		    "(chmod 600)", path);
	} else if (read_key(fd, key) != 0) {
		snprintf(err, errlen, "%s must hold %d bytes", path,
		    IDP_DEVICE_KEY_LEN);
	} else {
		rc = 0;
	}
	close(fd);
	return rc;
}

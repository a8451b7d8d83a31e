#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/keyset.h"
#include "util/mem.h"

#define KEYSET_MAX 64

struct idp_keyset {
	size_t n;
	struct idp_key *keys[KEYSET_MAX];
	bool active[KEYSET_MAX];
	char *jwks;
	size_t jwks_len;
	unsigned long fingerprint;
};

struct idp_keyset *
idp_keyset_new(void)
{
	struct idp_keyset *ks = idp_xcalloc(1, sizeof(*ks));

	return ks;
}

int
idp_keyset_add(struct idp_keyset *ks, struct idp_key *k, bool active)
{
	if (ks->n == KEYSET_MAX || ks->jwks != NULL)
		return -1;
	if (active && idp_keyset_active(ks, idp_key_alg(k)) != NULL)
		return -1;
	if (idp_keyset_find(ks, idp_key_kid(k)) != NULL)
		return -1;
	ks->keys[ks->n] = k;
	ks->active[ks->n] = active;
	ks->n++;
	return 0;
}

static unsigned long
djb2(unsigned long h, const char *s)
{
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

int
idp_keyset_seal(struct idp_keyset *ks)
{
	json_t *keys = json_array(), *doc;
	unsigned long h = 5381;

	/* Active keys first: some relying parties try keys in order. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ks->n; i++) {
			if (ks->active[i] != (pass == 0))
				continue;
			json_array_append_new(keys,
			    idp_key_public_jwk(ks->keys[i]));
			h = djb2(h, idp_key_kid(ks->keys[i]));
			h = djb2(h, ks->active[i] ? "+" : "-");
		}
	}
	doc = json_pack("{s:o}", "keys", keys);
	if (doc == NULL)
		return -1;
	ks->jwks = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (ks->jwks == NULL)
		return -1;
	ks->jwks_len = strlen(ks->jwks);
	ks->fingerprint = h;
	return 0;
}

const struct idp_key *
idp_keyset_active(const struct idp_keyset *ks, enum idp_alg alg)
{
	for (size_t i = 0; i < ks->n; i++)
		if (ks->active[i] && idp_key_alg(ks->keys[i]) == alg)
			return ks->keys[i];
	return NULL;
}

const struct idp_key *
idp_keyset_find(const struct idp_keyset *ks, const char *kid)
{
	if (kid == NULL)
		return NULL;
	for (size_t i = 0; i < ks->n; i++)
		if (strcmp(idp_key_kid(ks->keys[i]), kid) == 0)
			return ks->keys[i];
	return NULL;
}

const char *
idp_keyset_jwks(const struct idp_keyset *ks, size_t *len)
{
	if (len != NULL)
		*len = ks->jwks_len;
	return ks->jwks;
}

bool
idp_keyset_has_alg(const struct idp_keyset *ks, enum idp_alg alg)
{
	return idp_keyset_active(ks, alg) != NULL;
}

size_t
idp_keyset_count(const struct idp_keyset *ks)
{
	return ks->n;
}

unsigned long
idp_keyset_fingerprint(const struct idp_keyset *ks)
{
	return ks->fingerprint;
}

void
idp_keyset_free(struct idp_keyset *ks)
{
	if (ks == NULL)
		return;
	for (size_t i = 0; i < ks->n; i++)
		idp_key_free(ks->keys[i]);
	free(ks->jwks);
	free(ks);
}

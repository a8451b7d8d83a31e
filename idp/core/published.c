#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/published.h"
#include "core/signkeys.h"
#include "oidc/discovery.h"
#include "store/keys.h"
#include "util/mem.h"

struct holder {
	struct idp_published pub;
	atomic_int refs;
};

struct idp_pubring {
	pthread_mutex_t mu;
	struct holder *cur;
};

static void
holder_unref(void *p)
{
	struct holder *h = p;

	if (h == NULL || atomic_fetch_sub(&h->refs, 1) != 1)
		return;
	idp_keyset_free(h->pub.keys);
	free(h->pub.discovery);
	free(h);
}

struct idp_pubring *
idp_pubring_new(void)
{
	struct idp_pubring *r = idp_xcalloc(1, sizeof(*r));

	pthread_mutex_init(&r->mu, NULL);
	return r;
}

void
idp_pubring_free(struct idp_pubring *r)
{
	if (r == NULL)
		return;
	holder_unref(r->cur);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

void
idp_published_free(struct idp_published *p)
{
	holder_unref(p);	/* p is the first member of its holder */
}

static int
load_key(const struct idp_config *cfg, const struct idp_kek *kek,
    const struct idp_key_meta *m, struct idp_keyset *ks, char *why,
    size_t whylen)
{
	struct idp_key *k = NULL;

	if (idp_signkey_open(cfg, kek, m, &k, why, whylen) != 0)
		return -1;
	/* A next key is published but does not sign yet. */
	if (idp_keyset_add(ks, k, m->active) != 0) {
		snprintf(why, whylen, "signing key %s listed twice", m->kid);
		idp_key_free(k);
		return -1;
	}
	return 0;
}

enum idp_err
idp_published_load(const struct idp_config *cfg, const struct idp_kek *kek,
    const char *const *served_paths, struct idp_dbconn *c,
    struct idp_published **out, char *why, size_t whylen)
{
	struct idp_arena *a = idp_arena_new(4096);
	struct idp_key_meta *meta = NULL;
	struct holder *h = idp_xcalloc(1, sizeof(*h));
	enum idp_err rc;
	json_t *doc = NULL;
	int n = 0;

	atomic_init(&h->refs, 1);
	h->pub.keys = idp_keyset_new();
	rc = idp_store_keys_published(c, a, &meta, &n);
	if (rc != IDP_OK) {
		snprintf(why, whylen, "cannot read signing keys: %s",
		    idp_db_last_error(c));
		goto out;
	}
	rc = IDP_ERR_INTERNAL;
	for (int i = 0; i < n; i++)
		if (load_key(cfg, kek, &meta[i], h->pub.keys, why, whylen) != 0)
			goto out;
	if (!idp_keyset_has_alg(h->pub.keys, IDP_ALG_RS256)) {
		snprintf(why, whylen, "no active RS256 signing key: run "
		    "'idpctl keys generate'");
		goto out;
	}
	if (idp_keyset_seal(h->pub.keys) != 0) {
		snprintf(why, whylen, "cannot serialise the JWKS");
		goto out;
	}
	doc = idp_discovery_build(cfg, h->pub.keys, served_paths);
	h->pub.discovery = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (h->pub.discovery == NULL) {
		snprintf(why, whylen, "cannot serialise the discovery document");
		goto out;
	}
	h->pub.discovery_len = strlen(h->pub.discovery);
	*out = &h->pub;
	h = NULL;
	rc = IDP_OK;
out:
	holder_unref(h);
	idp_arena_free(a);
	return rc;
}

int
idp_pubring_offer(struct idp_pubring *r, struct idp_published *p)
{
	struct holder *h = (struct holder *)p, *old = NULL;
	int installed = 0;

	pthread_mutex_lock(&r->mu);
	if (r->cur == NULL || idp_keyset_fingerprint(r->cur->pub.keys) !=
	    idp_keyset_fingerprint(p->keys)) {
		old = r->cur;
		r->cur = h;
		h = NULL;
		installed = 1;
	}
	pthread_mutex_unlock(&r->mu);
	holder_unref(old);
	holder_unref(h);
	return installed;
}

const struct idp_published *
idp_pubring_get(struct idp_pubring *r, struct idp_arena *a)
{
	struct holder *h;

	pthread_mutex_lock(&r->mu);
	h = r->cur;
	if (h != NULL)
		atomic_fetch_add(&h->refs, 1);
	pthread_mutex_unlock(&r->mu);
	if (h == NULL)
		return NULL;
	idp_arena_on_free(a, holder_unref, h);
	return &h->pub;
}

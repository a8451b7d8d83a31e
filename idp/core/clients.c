#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clients.h"
#include "core/ctx.h"
#include "core/reqdb.h"
#include "util/log.h"
#include "util/mem.h"

#define BUCKETS 256
#define CACHE_MAX 4096

struct entry {
	struct entry *next;
	struct idp_client *client;
	time_t loaded;
	atomic_int refs;	/* the cache holds one while listed */
};

struct idp_client_cache {
	pthread_mutex_t mu;
	struct entry *b[BUCKETS];
	int ttl;
	size_t count;
};

static unsigned
hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % BUCKETS;
}

static void
entry_unref(void *p)
{
	struct entry *e = p;

	if (atomic_fetch_sub(&e->refs, 1) == 1) {
		idp_client_free(e->client);
		free(e);
	}
}

struct idp_client_cache *
idp_client_cache_new(int ttl)
{
	struct idp_client_cache *cc = idp_xcalloc(1, sizeof(*cc));

	pthread_mutex_init(&cc->mu, NULL);
	cc->ttl = ttl;
	return cc;
}

void
idp_client_cache_free(struct idp_client_cache *cc)
{
	if (cc == NULL)
		return;
	for (int i = 0; i < BUCKETS; i++) {
		struct entry *e = cc->b[i], *n;

		for (; e != NULL; e = n) {
			n = e->next;
			entry_unref(e);
		}
	}
	pthread_mutex_destroy(&cc->mu);
	free(cc);
}

/* Unlink (caller holds the lock); drops the cache's reference. */
static void
unlink_entry(struct idp_client_cache *cc, struct entry **pp)
{
	struct entry *e = *pp;

	*pp = e->next;
	cc->count--;
	entry_unref(e);
}

static struct entry *
lookup(struct idp_client_cache *cc, const char *id, time_t now)
{
	struct entry **pp = &cc->b[hash(id)];

	for (; *pp != NULL; pp = &(*pp)->next) {
		if (strcmp((*pp)->client->client_id, id) != 0)
			continue;
		if (now - (*pp)->loaded >= cc->ttl) {
			unlink_entry(cc, pp);
			return NULL;
		}
		atomic_fetch_add(&(*pp)->refs, 1);
		return *pp;
	}
	return NULL;
}

static void
purge_expired(struct idp_client_cache *cc, time_t now)
{
	for (int i = 0; i < BUCKETS; i++) {
		struct entry **pp = &cc->b[i];

		while (*pp != NULL) {
			if (now - (*pp)->loaded >= cc->ttl)
				unlink_entry(cc, pp);
			else
				pp = &(*pp)->next;
		}
	}
}

static void
insert(struct idp_client_cache *cc, struct entry *e, time_t now)
{
	struct entry **pp = &cc->b[hash(e->client->client_id)];

	/* Replace a concurrent load of the same client. */
	for (; *pp != NULL; pp = &(*pp)->next) {
		if (!strcmp((*pp)->client->client_id, e->client->client_id)) {
			unlink_entry(cc, pp);
			break;
		}
	}
	if (cc->count >= CACHE_MAX)
		purge_expired(cc, now);
	if (cc->count >= CACHE_MAX)
		return;		/* full of live entries: serve uncached */
	atomic_fetch_add(&e->refs, 1);
	e->next = cc->b[hash(e->client->client_id)];
	cc->b[hash(e->client->client_id)] = e;
	cc->count++;
}

enum idp_err
idp_clients_get(struct idp_req *rq, const char *client_id,
    const struct idp_client **out)
{
	struct idp_client_cache *cc = rq->ctx->clients;
	struct idp_client_row *row = NULL;
	struct idp_dbconn *c;
	struct entry *e = NULL;
	time_t now = time(NULL);
	enum idp_err rc;

	if (client_id == NULL || *client_id == '\0' || strlen(client_id) > 128)
		return IDP_ERR_NOT_FOUND;
	if (cc->ttl > 0) {
		pthread_mutex_lock(&cc->mu);
		e = lookup(cc, client_id, now);
		pthread_mutex_unlock(&cc->mu);
	}
	if (e == NULL) {
		if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
			return rc;
		rc = idp_store_client_get(c, rq->arena, client_id, &row);
		if (rc != IDP_OK)
			return rc;
		e = idp_xcalloc(1, sizeof(*e));
		e->client = idp_client_from_row(row);
		if (e->client == NULL) {
			free(e);
			IDP_ERROR("client.invalid", " client=%s msg=\"stored "
			    "metadata does not parse\"",
			    idp_logq(rq->arena, client_id));
			return IDP_ERR_NOT_FOUND;
		}
		e->loaded = now;
		atomic_init(&e->refs, 1);
		if (cc->ttl > 0) {
			pthread_mutex_lock(&cc->mu);
			insert(cc, e, now);
			pthread_mutex_unlock(&cc->mu);
		}
	}
	idp_arena_on_free(rq->arena, entry_unref, e);
	*out = e->client;
	return IDP_OK;
}

void
idp_clients_invalidate(struct idp_client_cache *cc, const char *client_id)
{
	struct entry **pp;

	pthread_mutex_lock(&cc->mu);
	for (pp = &cc->b[hash(client_id)]; *pp != NULL; pp = &(*pp)->next) {
		if (!strcmp((*pp)->client->client_id, client_id)) {
			unlink_entry(cc, pp);
			break;
		}
	}
	pthread_mutex_unlock(&cc->mu);
}

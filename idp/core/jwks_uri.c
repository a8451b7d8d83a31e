#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ctx.h"
#include "core/fetch.h"
#include "core/jwks_uri.h"
#include "core/reqdb.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

#define CACHE_TTL 300
#define REFETCH_MIN 60
#define RETRY_AFTER_FAILURE 10
#define MAX_BYTES (64 * 1024)
#define CACHE_MAX 64

struct entry {
	char *uri;
	json_t *jwks;		/* NULL after a failure */
	time_t fetched;		/* last success */
	time_t failed;		/* last failure, 0 after a success */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct entry cache[CACHE_MAX];	/* a pool, like the DB pool */

void
idp_jwks_uri_cleanup(void)
{
	for (int i = 0; i < CACHE_MAX; i++) {
		free(cache[i].uri);
		json_decref(cache[i].jwks);
		cache[i] = (struct entry){ 0 };
	}
}

static struct idp_dbconn *
request_db(void *arg)
{
	struct idp_dbconn *c = NULL;

	return idp_reqdb(arg, &c) == IDP_OK ? c : NULL;
}

/* *busy: our own limit, not the URI, stopped the call. */
static json_t *
fetch(struct idp_req *rq, const char *client_id, const char *uri,
    bool *busy)
{
	struct idp_fetch_caller who = { rq->id, client_id,
		strcmp(rq->ip, "-") ? rq->ip : NULL, request_db, rq };
	struct idp_fetch call = { .method = IDP_FETCH_GET,
		.purpose = "jwks_uri", .uri = uri, .max_bytes = MAX_BYTES,
		.accept = "application/jwk-set+json, application/json" };
	enum idp_fetch_result r;
	json_t *o;

	r = idp_fetch(rq->ctx->fetch, rq->arena, &who, &call);
	*busy = r == IDP_FETCH_BUSY;
	if (r != IDP_FETCH_OK)
		return NULL;
	o = call.status == 200 ? json_loadb(call.body, call.body_len,
	    JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (!json_is_array(json_object_get(o, "keys"))) {
		IDP_WARN("jwks_uri.invalid", " req=%s client=%s status=%ld "
		    "msg=\"not a key set\"", rq->id,
		    idp_logq(rq->arena, client_id), call.status);
		json_decref(o);
		return NULL;
	}
	return o;
}

static bool
has_kid(json_t *jwks, const char *kid)
{
	size_t i;
	json_t *k;

	json_array_foreach(json_object_get(jwks, "keys"), i, k)
		if (idp_str_eq(json_string_value(json_object_get(k, "kid")), kid))
			return true;
	return false;
}

static time_t
stamp(const struct entry *e)
{
	return e->fetched > e->failed ? e->fetched : e->failed;
}

static struct entry *
slot(const char *uri)
{
	struct entry *oldest = &cache[0];

	for (int i = 0; i < CACHE_MAX; i++) {
		if (cache[i].uri != NULL && !strcmp(cache[i].uri, uri))
			return &cache[i];
		if (stamp(&cache[i]) < stamp(oldest))
			oldest = &cache[i];
	}
	return oldest;
}

/* The cached set when it will do, or NULL; *fetch_now says whether to
 * ask the URI again. Called with the lock held. */
static json_t *
cached(const char *uri, const char *want_kid, time_t now, bool *fetch_now)
{
	struct entry *e = slot(uri);

	*fetch_now = true;
	if (e->uri == NULL || strcmp(e->uri, uri) != 0)
		return NULL;
	if (e->failed != 0 && now - e->failed < RETRY_AFTER_FAILURE) {
		*fetch_now = false;
		return NULL;
	}
	if (e->jwks == NULL || now - e->fetched >= CACHE_TTL ||
	    (want_kid != NULL && !has_kid(e->jwks, want_kid) &&
	    now - e->fetched >= REFETCH_MIN))
		return NULL;
	*fetch_now = false;
	return json_incref(e->jwks);
}

static void
remember(const char *uri, json_t *fresh, time_t now)
{
	struct entry *e = slot(uri);

	if (e->uri == NULL || strcmp(e->uri, uri) != 0) {
		free(e->uri);
		json_decref(e->jwks);
		*e = (struct entry){ idp_xstrdup(uri), NULL, 0, 0 };
	}
	if (fresh != NULL) {
		json_decref(e->jwks);
		e->jwks = json_incref(fresh);
		e->fetched = now;
		e->failed = 0;
	} else {
		e->failed = now;
	}
}

enum idp_err
idp_jwks_uri_get(struct idp_req *rq, const char *client_id, const char *uri,
    const char *want_kid, json_t **out)
{
	time_t now = time(NULL);
	bool fetch_now, busy;

	pthread_mutex_lock(&mu);
	*out = cached(uri, want_kid, now, &fetch_now);
	pthread_mutex_unlock(&mu);
	if (*out != NULL || !fetch_now) {
		if (*out == NULL)
			IDP_INFO("jwks_uri.backoff", " req=%s client=%s "
			    "msg=\"failed recently, not asked again yet\"",
			    rq->id, idp_logq(rq->arena, client_id));
		return IDP_OK;
	}
	/* Fetch without the lock: a slow client must not stall others. */
	*out = fetch(rq, client_id, uri, &busy);
	if (busy)
		return IDP_ERR_UNAVAILABLE;
	pthread_mutex_lock(&mu);
	remember(uri, *out, now);
	pthread_mutex_unlock(&mu);
	return IDP_OK;
}

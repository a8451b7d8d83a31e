#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/jwks_fetch.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

#define CACHE_TTL 300
#define REFETCH_MIN 60
#define MAX_BYTES (64 * 1024)
#define CACHE_MAX 64

struct entry {
	char *uri;
	json_t *jwks;
	time_t fetched;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct entry cache[CACHE_MAX];	/* a pool, like the DB pool */

void
idp_jwks_fetch_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
idp_jwks_fetch_cleanup(void)
{
	for (int i = 0; i < CACHE_MAX; i++) {
		free(cache[i].uri);
		json_decref(cache[i].jwks);
		cache[i] = (struct entry){ 0 };
	}
	curl_global_cleanup();
}

struct sink {
	struct idp_buf *b;
};

static size_t
write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;

	idp_buf_add(s->b, p, size * n);
	return s->b->overflow ? 0 : size * n;
}

static json_t *
fetch(struct idp_req *rq, const char *uri)
{
	CURL *h = curl_easy_init();
	struct idp_buf b;
	struct sink s = { &b };
	long status = 0;
	CURLcode cc;
	json_t *o = NULL;

	if (h == NULL)
		return NULL;
	idp_buf_init(&b, rq->arena, MAX_BYTES);
	curl_easy_setopt(h, CURLOPT_URL, uri);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 3L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE, (long)MAX_BYTES);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "idp-jwks-fetch");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (cc != CURLE_OK || status != 200) {
		IDP_WARN("jwks.fetch", " req=%s uri=%s status=%ld msg=\"%s\"",
		    rq->id, idp_logq(rq->arena, uri), status,
		    curl_easy_strerror(cc));
		return NULL;
	}
	o = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(json_object_get(o, "keys"))) {
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

static struct entry *
slot(const char *uri)
{
	struct entry *oldest = &cache[0];

	for (int i = 0; i < CACHE_MAX; i++) {
		if (cache[i].uri != NULL && !strcmp(cache[i].uri, uri))
			return &cache[i];
		if (cache[i].fetched < oldest->fetched)
			oldest = &cache[i];
	}
	return oldest;
}

json_t *
idp_jwks_fetch(struct idp_req *rq, const char *uri, const char *want_kid)
{
	time_t now = time(NULL);
	struct entry *e;
	json_t *got = NULL, *fresh;
	bool stale;

	pthread_mutex_lock(&mu);
	e = slot(uri);
	if (e->uri != NULL && !strcmp(e->uri, uri)) {
		stale = now - e->fetched >= CACHE_TTL ||
		    (want_kid != NULL && !has_kid(e->jwks, want_kid) &&
		    now - e->fetched >= REFETCH_MIN);
		if (!stale)
			got = json_incref(e->jwks);
	}
	pthread_mutex_unlock(&mu);
	if (got != NULL)
		return got;
	/* Fetch without the lock: a slow client must not stall others. */
	fresh = fetch(rq, uri);
	if (fresh == NULL)
		return NULL;
	pthread_mutex_lock(&mu);
	e = slot(uri);
	if (e->uri == NULL || strcmp(e->uri, uri) != 0) {
		free(e->uri);
		e->uri = idp_xstrdup(uri);
	}
	json_decref(e->jwks);
	e->jwks = json_incref(fresh);
	e->fetched = now;
	pthread_mutex_unlock(&mu);
	return fresh;
}

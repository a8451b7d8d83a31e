/* The counters are one open-addressing table keyed by (client, day) under
 * a mutex held for a hash and a few additions: cheaper than any database
 * write, so the token endpoint stays as fast as it was. The table is
 * bounded; when it is full (more distinct clients in one interval than
 * slots) further counts of new clients are dropped and the loss logged at
 * the next flush. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ctx.h"
#include "core/usage.h"
#include "store/usage.h"
#include "util/log.h"
#include "util/mem.h"

#define SLOTS 4096		/* a power of two */
#define ERRORS 64		/* errors kept between two flushes */
#define ID_MAX 128

struct slot {
	char client_id[ID_MAX + 1];
	char day[11];
	long long signins, tokens, errors;
};

struct err {
	char client_id[ID_MAX + 1];
	int64_t at;
	char endpoint[32];
	char error[64];
	char description[300];
};

struct idp_usage {
	pthread_mutex_t mu;
	struct slot *slots;	/* SLOTS */
	size_t used;
	long long dropped;
	struct err errs[ERRORS];
	size_t nerrs;
	long long errs_dropped;
	char purged_day[11];
};

struct idp_usage *
idp_usage_new(void)
{
	struct idp_usage *u = idp_xcalloc(1, sizeof(*u));

	u->slots = idp_xcalloc(SLOTS, sizeof(*u->slots));
	pthread_mutex_init(&u->mu, NULL);
	return u;
}

void
idp_usage_free(struct idp_usage *u)
{
	if (u == NULL)
		return;
	pthread_mutex_destroy(&u->mu);
	free(u->slots);
	free(u);
}

void
idp_usage_day(int64_t t, char out[11])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		memcpy(out, "1970-01-01", 11);
}

/* FNV-1a over the client id and the day. */
static size_t
hash(const char *id, const char *day)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	for (const char *p = day; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (size_t)h & (SLOTS - 1);
}

/* The slot of (id, day), made when absent; NULL when the table is full.
 * Called with the mutex held. */
static struct slot *
find(struct idp_usage *u, const char *id, const char *day)
{
	size_t i = hash(id, day);

	for (size_t probe = 0; probe < SLOTS; probe++, i = (i + 1) &
	    (SLOTS - 1)) {
		struct slot *s = &u->slots[i];

		if (s->client_id[0] == '\0') {
			if (u->used >= SLOTS * 3 / 4)
				return NULL;
			memcpy(s->client_id, id, strlen(id) + 1);
			memcpy(s->day, day, 11);
			u->used++;
			return s;
		}
		if (!strcmp(s->client_id, id) && !strcmp(s->day, day))
			return s;
	}
	return NULL;
}

static void
add(struct idp_usage *u, const char *id, const char *day, long long signins,
    long long tokens, long long errors)
{
	struct slot *s;

	pthread_mutex_lock(&u->mu);
	if ((s = find(u, id, day)) != NULL) {
		s->signins += signins;
		s->tokens += tokens;
		s->errors += errors;
	} else {
		u->dropped += tokens;
	}
	pthread_mutex_unlock(&u->mu);
}

void
idp_usage_token(struct idp_usage *u, const char *client_id, int64_t now,
    bool signin, bool error)
{
	char day[11];

	if (u == NULL || client_id == NULL || strlen(client_id) > ID_MAX ||
	    *client_id == '\0')
		return;
	idp_usage_day(now, day);
	add(u, client_id, day, signin ? 1 : 0, 1, error ? 1 : 0);
}

static void
copy_cut(char *dst, size_t n, const char *src)
{
	size_t len = src ? strlen(src) : 0;

	if (len >= n)
		len = n - 1;
	/* Never cut a UTF-8 sequence in two: the column is text. */
	while (len > 0 && len < (src ? strlen(src) : 0) &&
	    ((unsigned char)src[len] & 0xc0) == 0x80)
		len--;
	if (len > 0)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

void
idp_usage_error(struct idp_usage *u, const char *client_id, int64_t now,
    const char *endpoint, const char *error, const char *description)
{
	struct err *e;

	if (u == NULL || client_id == NULL || strlen(client_id) > ID_MAX ||
	    *client_id == '\0' || error == NULL)
		return;
	pthread_mutex_lock(&u->mu);
	if (u->nerrs == ERRORS) {
		u->errs_dropped++;
	} else {
		e = &u->errs[u->nerrs++];
		memcpy(e->client_id, client_id, strlen(client_id) + 1);
		e->at = now;
		copy_cut(e->endpoint, sizeof(e->endpoint), endpoint);
		copy_cut(e->error, sizeof(e->error), error);
		copy_cut(e->description, sizeof(e->description), description);
	}
	pthread_mutex_unlock(&u->mu);
}

void
idp_usage_token_answer(struct idp_req *rq, const struct idp_resp *rs,
    const struct idp_client *c, enum idp_err rc, bool code_grant)
{
	struct idp_usage *u = rq->ctx->usage;
	const char *id = c != NULL ? c->client_id : rq->log_client;

	if (c == NULL && !rq->client_found)
		return;
	idp_usage_token(u, id, rq->now, code_grant && rc == IDP_OK,
	    rc != IDP_OK);
	if (rc != IDP_OK)
		idp_usage_error(u, id, rq->now, "token", idp_err_str(rc),
		    idp_err_public_desc(rc, rs->err_desc));
}

/* What was counted, taken out of the table under the mutex. */
struct taken {
	struct slot *slots;
	size_t n;
	struct err *errs;
	size_t nerrs;
	long long dropped, errs_dropped;
};

static void
take(struct idp_usage *u, struct taken *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_lock(&u->mu);
	if (u->used > 0) {
		t->slots = idp_xcalloc(u->used, sizeof(*t->slots));
		for (size_t i = 0; i < SLOTS; i++)
			if (u->slots[i].client_id[0] != '\0')
				t->slots[t->n++] = u->slots[i];
		memset(u->slots, 0, SLOTS * sizeof(*u->slots));
		u->used = 0;
	}
	if (u->nerrs > 0) {
		t->errs = idp_xcalloc(u->nerrs, sizeof(*t->errs));
		memcpy(t->errs, u->errs, u->nerrs * sizeof(*t->errs));
		t->nerrs = u->nerrs;
		u->nerrs = 0;
	}
	t->dropped = u->dropped;
	t->errs_dropped = u->errs_dropped;
	u->dropped = u->errs_dropped = 0;
	pthread_mutex_unlock(&u->mu);
}

static enum idp_err
write_counts(struct idp_usage *u, struct idp_dbconn *c, struct taken *t)
{
	enum idp_err rc = IDP_OK;
	size_t i;

	for (i = 0; i < t->n && rc == IDP_OK; i++) {
		const struct slot *s = &t->slots[i];
		struct idp_usage_count uc = { s->client_id, s->day,
			s->signins, s->tokens, s->errors };

		rc = idp_store_usage_add(c, &uc);
	}
	/* Put back what was not written (the failed row included). */
	for (i = rc == IDP_OK ? t->n : i - 1; i < t->n; i++)
		add(u, t->slots[i].client_id, t->slots[i].day,
		    t->slots[i].signins, t->slots[i].tokens,
		    t->slots[i].errors);
	return rc;
}

enum idp_err
idp_usage_flush(struct idp_usage *u, struct idp_dbconn *c)
{
	struct taken t;
	char today[11];
	enum idp_err rc;
	bool purge;

	if (u == NULL)
		return IDP_OK;
	take(u, &t);
	rc = write_counts(u, c, &t);
	for (size_t i = 0; rc == IDP_OK && i < t.nerrs; i++) {
		const struct err *e = &t.errs[i];
		struct idp_usage_error ue = { e->client_id, e->at, e->endpoint,
			e->error, e->description };

		rc = idp_store_usage_error_add(c, &ue);
	}
	if (t.dropped > 0 || t.errs_dropped > 0)
		IDP_WARN("usage.dropped", " tokens=%lld errors=%lld",
		    t.dropped, t.errs_dropped);
	/* Old daily rows go once a day. */
	idp_usage_day(time(NULL), today);
	pthread_mutex_lock(&u->mu);
	purge = rc == IDP_OK && strcmp(today, u->purged_day) != 0;
	if (purge)
		memcpy(u->purged_day, today, sizeof(today));
	pthread_mutex_unlock(&u->mu);
	if (purge)
		rc = idp_store_usage_purge(c, IDP_USAGE_KEEP_DAYS);
	free(t.slots);
	free(t.errs);
	return rc;
}

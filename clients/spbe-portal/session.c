#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "session.h"

struct session {
	char			 s_id[SESSION_ID_LEN + 1];	/* "": free */
	bool			 s_signed_in;
	long long		 s_created;
	long long		 s_used;
	struct session_login	 s_login;
	char			*s_claims;
	char			*s_id_token;
};

struct session_table {
	pthread_mutex_t	 st_lock;
	struct session	*st_slots;
	size_t		 st_max;
	long long	 st_ttl;
};

struct session_table *
session_table_new(size_t max, long long ttl)
{
	struct session_table *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->st_slots = calloc(max, sizeof(*t->st_slots))) == NULL) {
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->st_lock, NULL);
	t->st_max = max;
	t->st_ttl = ttl;
	return t;
}

static void
slot_clear(struct session *s)
{
	wipe_free(s->s_claims);
	wipe_free(s->s_id_token);
	OPENSSL_cleanse(s, sizeof(*s));	/* zeroes: the slot is free */
}

void
session_table_free(struct session_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->st_max; i++)
		slot_clear(&t->st_slots[i]);
	free(t->st_slots);
	pthread_mutex_destroy(&t->st_lock);
	free(t);
}

static bool
slot_expired(const struct session_table *t, const struct session *s,
    long long now)
{
	if (s->s_signed_in)
		return now - s->s_used >= t->st_ttl;
	return now - s->s_created >= t->st_ttl;
}

/*
 * The live slot of sid, or NULL. Every slot is compared in constant time,
 * so the time taken tells nothing about other people's cookies.
 */
static struct session *
slot_find(struct session_table *t, long long now, const char *sid)
{
	struct session *s, *hit = NULL;
	size_t i;

	if (sid == NULL || strlen(sid) != SESSION_ID_LEN)
		return NULL;
	for (i = 0; i < t->st_max; i++) {
		s = &t->st_slots[i];
		if (s->s_id[0] != '\0' && ct_streq(s->s_id, sid))
			hit = s;
	}
	if (hit != NULL && slot_expired(t, hit, now)) {
		slot_clear(hit);
		hit = NULL;
	}
	return hit;
}

/*
 * A slot for a new session: a free or expired one; when the table is full,
 * the oldest sign-in in progress (so a flood of /login requests cannot push
 * out signed-in people), else the least recently used session.
 */
static struct session *
slot_take(struct session_table *t, long long now)
{
	struct session *s, *pending = NULL, *lru = NULL;
	size_t i;

	for (i = 0; i < t->st_max; i++) {
		s = &t->st_slots[i];
		if (s->s_id[0] == '\0' || slot_expired(t, s, now)) {
			slot_clear(s);
			return s;
		}
		if (!s->s_signed_in &&
		    (pending == NULL || s->s_used < pending->s_used))
			pending = s;
		if (lru == NULL || s->s_used < lru->s_used)
			lru = s;
	}
	s = pending != NULL ? pending : lru;
	if (s != NULL)
		slot_clear(s);
	return s;
}

/* Fills a fresh slot's id and times; writes the id to sid. */
static struct session *
slot_new(struct session_table *t, long long now, char sid[SESSION_ID_LEN + 1])
{
	struct session *s;

	if (random_token(sid) != 0)
		return NULL;
	if ((s = slot_take(t, now)) == NULL)
		return NULL;
	memcpy(s->s_id, sid, SESSION_ID_LEN + 1);
	s->s_created = s->s_used = now;
	return s;
}

int
session_login_new(struct session_table *t, long long now,
    const struct session_login *l, char sid[SESSION_ID_LEN + 1])
{
	struct session *s;
	int rc = -1;

	pthread_mutex_lock(&t->st_lock);
	if ((s = slot_new(t, now, sid)) != NULL) {
		s->s_login = *l;
		rc = 0;
	}
	pthread_mutex_unlock(&t->st_lock);
	return rc;
}

enum session_take
session_login_take(struct session_table *t, long long now, const char *sid,
    const char *state, struct session_login *out)
{
	enum session_take rc = SESSION_NONE;
	struct session *s;

	pthread_mutex_lock(&t->st_lock);
	s = slot_find(t, now, sid);
	if (s == NULL || s->s_signed_in)
		goto out;
	if (!ct_streq(s->s_login.sl_state, state)) {
		rc = SESSION_STATE_MISMATCH;
		goto out;
	}
	*out = s->s_login;
	slot_clear(s);
	rc = SESSION_TAKEN;
out:
	pthread_mutex_unlock(&t->st_lock);
	return rc;
}

int
session_user_new(struct session_table *t, long long now,
    const char *claims_json, const char *id_token,
    char sid[SESSION_ID_LEN + 1])
{
	struct session *s;
	int rc = -1;

	pthread_mutex_lock(&t->st_lock);
	if ((s = slot_new(t, now, sid)) == NULL)
		goto out;
	s->s_signed_in = true;
	s->s_claims = strdup(claims_json);
	s->s_id_token = strdup(id_token);
	if (s->s_claims == NULL || s->s_id_token == NULL) {
		slot_clear(s);
		goto out;
	}
	rc = 0;
out:
	pthread_mutex_unlock(&t->st_lock);
	return rc;
}

int
session_user_get(struct session_table *t, long long now, const char *sid,
    char **claims_json, char **id_token)
{
	struct session *s;
	int rc = -1;

	*claims_json = *id_token = NULL;
	pthread_mutex_lock(&t->st_lock);
	s = slot_find(t, now, sid);
	if (s == NULL || !s->s_signed_in)
		goto out;
	*claims_json = strdup(s->s_claims);
	*id_token = strdup(s->s_id_token);
	if (*claims_json == NULL || *id_token == NULL) {
		wipe_free(*claims_json);
		wipe_free(*id_token);
		*claims_json = *id_token = NULL;
		goto out;
	}
	s->s_used = now;
	rc = 0;
out:
	pthread_mutex_unlock(&t->st_lock);
	return rc;
}

void
session_drop(struct session_table *t, const char *sid)
{
	struct session *s;

	pthread_mutex_lock(&t->st_lock);
	/* Expired or live, the entry goes: time 0 never expires anything. */
	if ((s = slot_find(t, 0, sid)) != NULL)
		slot_clear(s);
	pthread_mutex_unlock(&t->st_lock);
}

#include <stdlib.h>
#include <string.h>

#include "core/outbox.h"
#include "core/outbox_health.h"
#include "util/buf.h"
#include "util/mem.h"

void
idp_health_init(struct idp_health *h, int base_s, int max_s)
{
	memset(h, 0, sizeof(*h));
	h->base_s = base_s < 1 ? 1 : base_s;
	h->max_s = max_s < h->base_s ? h->base_s : max_s;
}

void
idp_health_free(struct idp_health *h)
{
	for (int i = 0; i < IDP_HEALTH_TARGETS; i++)
		free(h->t[i].target);
	memset(h->t, 0, sizeof(h->t));
}

static struct idp_health_target *
find(struct idp_health *h, const char *target)
{
	for (int i = 0; i < IDP_HEALTH_TARGETS; i++)
		if (h->t[i].target != NULL && !strcmp(h->t[i].target, target))
			return &h->t[i];
	return NULL;
}

/* Down: enough calls in a row without an answer. */
static bool
down(const struct idp_health_target *t)
{
	return t != NULL && t->fails >= IDP_HEALTH_OPEN_AFTER;
}

static void
drop(struct idp_health_target *t)
{
	free(t->target);
	memset(t, 0, sizeof(*t));
}

enum idp_health_verdict
idp_health_check(struct idp_health *h, const char *target,
    int64_t now_ms, int64_t *wait_s)
{
	const struct idp_health_target *t = find(h, target);
	int64_t left;

	*wait_s = 0;
	if (!down(t))
		return IDP_HEALTH_CALL;
	left = t->down_until_ms - now_ms;
	*wait_s = left > 1000 ? (left + 999) / 1000 : 1;
	return IDP_HEALTH_WAIT;
}

const char *
idp_health_next_probe(struct idp_health *h, int64_t now_ms)
{
	for (int i = 0; i < IDP_HEALTH_TARGETS; i++) {
		struct idp_health_target *t = &h->t[i];

		if (down(t) && !t->probing && now_ms >= t->down_until_ms) {
			t->probing = true;
			return t->target;
		}
	}
	return NULL;
}

void
idp_health_forget(struct idp_health *h, const char *target)
{
	struct idp_health_target *t = find(h, target);

	if (t != NULL)
		drop(t);
}

bool
idp_health_report(struct idp_health *h, const char *target, bool answered,
    int64_t now_ms, uint32_t rnd)
{
	struct idp_health_target *t = find(h, target);
	bool was_down = down(t);

	if (answered) {
		if (t != NULL)
			drop(t);
		return was_down;
	}
	if (t == NULL) {
		for (int i = 0; i < IDP_HEALTH_TARGETS && t == NULL; i++)
			if (h->t[i].target == NULL)
				t = &h->t[i];
		if (t == NULL)
			return false;	/* full: this target goes unguarded */
		t->target = idp_xstrdup(target);
	} else if (!t->probing && now_ms < t->down_until_ms) {
		return false;	/* one of the calls already in flight */
	}
	t->fails++;
	t->probing = false;
	if (down(t))
		t->down_until_ms = now_ms + 1000 * idp_outbox_backoff(
		    t->fails - IDP_HEALTH_OPEN_AFTER + 1, h->base_s, h->max_s,
		    rnd);
	return false;
}

/* An element of a text[] literal: quoted, with " and \ escaped. */
static void
add_element(struct idp_buf *b, const char *s)
{
	idp_buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			idp_buf_addc(b, '\\');
		idp_buf_addc(b, *s);
	}
	idp_buf_addc(b, '"');
}

const char *
idp_health_excluded(const struct idp_health *h, struct idp_arena *a)
{
	struct idp_buf b;
	int n = 0;

	idp_buf_init(&b, a, 1 << 20);
	idp_buf_addc(&b, '{');
	for (int i = 0; i < IDP_HEALTH_TARGETS; i++) {
		const struct idp_health_target *t = &h->t[i];

		if (!down(t))
			continue;
		if (n++ > 0)
			idp_buf_addc(&b, ',');
		add_element(&b, t->target);
	}
	idp_buf_addc(&b, '}');
	return b.overflow ? "{}" : b.data;
}

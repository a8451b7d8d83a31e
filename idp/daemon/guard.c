#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/addrcount.h"
#include "daemon/guard.h"
#include "util/log.h"
#include "util/mem.h"

#define TICK_MS 100
#define MAX_LINGERING 256	/* past this, a closing socket is just closed */
#define SHED_SCAN 64		/* oldest connections looked at for a victim */
#define RESERVE_WAIT_S 1
#define CUT_BATCH 64		/* deadline cuts per hold of the mutex */	/* the accept thread waits this long for room */
#define DRAIN_PER_TICK (1024 * 1024)	/* 10 MB/s per lingering socket */

enum phase {
	PH_HEAD,	/* waiting for (the rest of) a request head */
	PH_BODY,	/* waiting for (the rest of) a request body */
	PH_BUSY,	/* being answered, or suspended for a password hash */
	PH_SHED,	/* shut down by the guard; its owner will close it */
	PH_LINGER,	/* a duplicate the guard drains, then closes */
};

struct idp_guard_conn {
	struct idp_guard_conn *prev, *next;
	int fd;
	enum phase phase;
	bool linger;
	unsigned char addr[16];	/* the peer's address, to shed by address */
	size_t addr_len;
	uint64_t start_ms;	/* accept, or the end of the last response */
};

struct list {
	struct idp_guard_conn *head, *tail;
	unsigned n;
};

struct idp_guard {
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* wakes the watchdog to stop */
	pthread_cond_t room;	/* a slot was freed or a victim appeared */
	pthread_t thread;
	bool stop;
	struct idp_guard_limits lim;
	struct list waiting;	/* PH_HEAD and PH_BODY, oldest start first */
	struct idp_addrcount *waiting_by_addr;
	struct idp_addrcount *held_by_addr;	/* from reserve to close */
	struct list lingering;
	unsigned open;		/* connections not shed */
	unsigned held;		/* reserved or open (shed ones do not count) */
	unsigned cut_head, cut_body, shed, refused;	/* since the last log */
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
list_push(struct list *l, struct idp_guard_conn *c)
{
	c->next = NULL;
	c->prev = l->tail;
	if (l->tail != NULL)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
	l->n++;
}

static void
list_unlink(struct list *l, struct idp_guard_conn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
	l->n--;
}

/* The waiting list and its counts per address change together. */
static void
wait_push(struct idp_guard *g, struct idp_guard_conn *c)
{
	list_push(&g->waiting, c);
	idp_addrcount_add(g->waiting_by_addr, c->addr, c->addr_len, 1);
}

static void
wait_unlink(struct idp_guard *g, struct idp_guard_conn *c)
{
	list_unlink(&g->waiting, c);
	idp_addrcount_add(g->waiting_by_addr, c->addr, c->addr_len, -1);
}

static bool
waiting(const struct idp_guard_conn *c)
{
	return c->phase == PH_HEAD || c->phase == PH_BODY;
}

/* Under the mutex, and only for a connection whose owner has not closed
 * it yet: the descriptor is still the connection's. */
static void
shed(struct idp_guard *g, struct idp_guard_conn *c)
{
	wait_unlink(g, c);
	c->phase = PH_SHED;
	g->open--;
	g->held--;
	shutdown(c->fd, SHUT_RDWR);
	pthread_cond_signal(&g->room);
}

static void
set_addr(struct idp_guard_conn *c, const struct sockaddr *sa)
{
	if (sa != NULL && sa->sa_family == AF_INET) {
		memcpy(c->addr, &((const struct sockaddr_in *)(const void *)sa)
		    ->sin_addr, 4);
		c->addr_len = 4;
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		memcpy(c->addr, &((const struct sockaddr_in6 *)(const void *)
		    sa)->sin6_addr, 16);
		c->addr_len = 16;
	}
}

static bool
same_addr(const struct idp_guard_conn *a, const struct idp_guard_conn *b)
{
	return a->addr_len != 0 && a->addr_len == b->addr_len &&
	    memcmp(a->addr, b->addr, a->addr_len) == 0;
}

/* Who makes room: the oldest waiting connection of the address that holds
 * most of the oldest ones (a majority vote over SHED_SCAN of them), so a
 * flood from one address pays for its own new connections and does not
 * push out other clients. Behind a proxy (one address) it is the oldest. */
static struct idp_guard_conn *
victim(const struct idp_guard *g)
{
	struct idp_guard_conn *v, *cand = NULL;
	int i, votes = 0;

	for (i = 0, v = g->waiting.head; v != NULL && i < SHED_SCAN; i++,
	    v = v->next) {
		if (votes == 0) {
			cand = v;
			votes = 1;
		} else {
			votes += same_addr(v, cand) ? 1 : -1;
		}
	}
	for (v = g->waiting.head; v != NULL && cand != NULL; v = v->next)
		if (v == cand || same_addr(v, cand))
			return v;
	return g->waiting.head;
}

/* At the cap: make room for a newcomer from key's address by shedding,
 * or tell that the newcomer should be refused instead: when its address
 * holds at least half of the waiting connections, and not all of them,
 * shedding its old ones for its new ones only churns, and refusing costs
 * nothing. Alone (behind a proxy, say), the oldest make way as usual. */
static bool
make_room(struct idp_guard *g, const struct idp_guard_conn *key)
{
	while (g->held >= g->lim.max_connections && g->waiting.n > 0) {
		size_t mine = idp_addrcount_get(g->waiting_by_addr, key->addr,
		    key->addr_len);

		if (mine > 0 && mine < g->waiting.n && 2 * mine >= g->waiting.n)
			return false;
		shed(g, victim(g));
		g->shed++;
	}
	return true;
}

bool
idp_guard_reserve(struct idp_guard *g, const struct sockaddr *peer)
{
	struct idp_guard_conn key = { .addr_len = 0 };
	struct timespec until;
	bool ok = false;

	set_addr(&key, peer);
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += RESERVE_WAIT_S;
	pthread_mutex_lock(&g->mu);
	if (g->lim.max_per_addr != 0 && idp_addrcount_get(g->held_by_addr,
	    key.addr, key.addr_len) >= g->lim.max_per_addr) {
		g->refused++;
		pthread_mutex_unlock(&g->mu);
		return false;
	}
	for (;;) {
		if (!make_room(g, &key)) {
			g->refused++;
			break;
		}
		if (g->held < g->lim.max_held) {
			g->held++;
			idp_addrcount_add(g->held_by_addr, key.addr, key.addr_len,
			    1);
			ok = true;
			break;
		}
		/* Every slot is busy or still on its way in: hold the accept
		 * thread (new clients wait in the listen queue) rather than
		 * refuse them, for a while. */
		if (pthread_cond_timedwait(&g->room, &g->mu, &until) != 0) {
			g->refused++;
			break;
		}
	}
	pthread_mutex_unlock(&g->mu);
	return ok;
}

void
idp_guard_unreserve(struct idp_guard *g, const struct sockaddr *peer)
{
	struct idp_guard_conn key = { .addr_len = 0 };

	set_addr(&key, peer);
	pthread_mutex_lock(&g->mu);
	g->held--;
	idp_addrcount_add(g->held_by_addr, key.addr, key.addr_len, -1);
	pthread_cond_signal(&g->room);
	pthread_mutex_unlock(&g->mu);
}

struct idp_guard_conn *
idp_guard_open(struct idp_guard *g, int fd, const struct sockaddr *peer)
{
	struct idp_guard_conn *c = idp_xcalloc(1, sizeof(*c));

	c->fd = fd;
	c->phase = PH_HEAD;
	c->start_ms = now_ms();
	set_addr(c, peer);
	pthread_mutex_lock(&g->mu);
	wait_push(g, c);
	g->open++;
	pthread_cond_signal(&g->room);
	pthread_mutex_unlock(&g->mu);
	return c;
}

void
idp_guard_head_done(struct idp_guard *g, struct idp_guard_conn *c,
    bool body_follows)
{
	pthread_mutex_lock(&g->mu);
	if (c->phase == PH_HEAD) {
		if (body_follows) {
			c->phase = PH_BODY;
		} else {
			wait_unlink(g, c);
			c->phase = PH_BUSY;
		}
	}
	pthread_mutex_unlock(&g->mu);
}

void
idp_guard_body_done(struct idp_guard *g, struct idp_guard_conn *c)
{
	pthread_mutex_lock(&g->mu);
	if (waiting(c)) {
		wait_unlink(g, c);
		c->phase = PH_BUSY;
	}
	pthread_mutex_unlock(&g->mu);
}

void
idp_guard_request_done(struct idp_guard *g, struct idp_guard_conn *c)
{
	pthread_mutex_lock(&g->mu);
	if (waiting(c))
		wait_unlink(g, c);
	if (c->phase != PH_SHED) {
		c->phase = PH_HEAD;
		c->start_ms = now_ms();
		wait_push(g, c);
	}
	pthread_mutex_unlock(&g->mu);
}

void
idp_guard_linger_on_close(struct idp_guard *g, struct idp_guard_conn *c)
{
	pthread_mutex_lock(&g->mu);
	c->linger = true;
	pthread_mutex_unlock(&g->mu);
}

/* Under the mutex: keep fd (owned by the guard now) to drain it. */
static bool
linger_add(struct idp_guard *g, struct idp_guard_conn *c, int fd)
{
	if (g->lingering.n >= MAX_LINGERING)
		return false;
	c->fd = fd;
	c->phase = PH_LINGER;
	c->start_ms = now_ms();
	list_push(&g->lingering, c);
	return true;
}

void
idp_guard_close(struct idp_guard *g, struct idp_guard_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	if (waiting(c))
		wait_unlink(g, c);
	if (c->phase != PH_SHED) {
		g->open--;
		g->held--;
		pthread_cond_signal(&g->room);
	}
	idp_addrcount_add(g->held_by_addr, c->addr, c->addr_len, -1);
	/* The owner closes its descriptor next; a duplicate keeps the
	 * socket open, so unread input causes no reset before we drained. */
	if (c->linger && c->phase != PH_SHED &&
	    g->lingering.n < MAX_LINGERING) {
		int fd = fcntl(c->fd, F_DUPFD_CLOEXEC, 0);

		if (fd >= 0 && linger_add(g, c, fd))
			c = NULL;
		else if (fd >= 0)
			close(fd);
	}
	pthread_mutex_unlock(&g->mu);
	free(c);
}

void
idp_guard_linger_fd(struct idp_guard *g, int fd)
{
	struct idp_guard_conn *c = idp_xcalloc(1, sizeof(*c));

	pthread_mutex_lock(&g->mu);
	if (linger_add(g, c, fd))
		c = NULL;
	pthread_mutex_unlock(&g->mu);
	if (c != NULL) {
		close(fd);
		free(c);
	}
}

/* Read and drop what the client still sends; true when done (end of
 * input, an error, or the linger time is over). */
static bool
drain(struct idp_guard *g, struct idp_guard_conn *c, uint64_t now)
{
	char buf[16384];
	size_t total = 0;

	if (now >= c->start_ms + (uint64_t)g->lim.linger_ms)
		return true;
	while (total < DRAIN_PER_TICK) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n == 0)
			return true;
		if (n < 0)
			return errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR;
		total += (size_t)n;
	}
	return false;
}

/* Cut the connections past their deadline, at most CUT_BATCH of them;
 * true when there may be more. */
static bool
cut_late(struct idp_guard *g, uint64_t now)
{
	uint64_t first = (uint64_t)(g->lim.head_ms < g->lim.body_ms ?
	    g->lim.head_ms : g->lim.body_ms);
	struct idp_guard_conn *c, *next;
	int n = 0;

	for (c = g->waiting.head; c != NULL; c = next) {
		uint64_t limit = (uint64_t)(c->phase == PH_HEAD ?
		    g->lim.head_ms : g->lim.body_ms);

		next = c->next;
		if (now < c->start_ms + first)
			break;		/* the rest are younger */
		if (now < c->start_ms + limit)
			continue;
		if (n++ == CUT_BATCH)
			return true;
		if (c->phase == PH_HEAD)
			g->cut_head++;
		else
			g->cut_body++;
		shed(g, c);
	}
	return false;
}

static void
drain_lingering(struct idp_guard *g, uint64_t now)
{
	struct idp_guard_conn *c, *next;

	for (c = g->lingering.head; c != NULL; c = next) {
		next = c->next;
		if (drain(g, c, now)) {
			list_unlink(&g->lingering, c);
			close(c->fd);
			free(c);
		}
	}
}

/* Under the mutex; lets go of it between batches, so a wave of clients
 * all late at once does not hold up the workers. */
static void
tick(struct idp_guard *g, uint64_t now)
{
	while (cut_late(g, now)) {
		pthread_mutex_unlock(&g->mu);
		sched_yield();
		pthread_mutex_lock(&g->mu);
	}
	drain_lingering(g, now);
}

static void *
watchdog(void *p)
{
	struct idp_guard *g = p;
	uint64_t last_log = now_ms();

	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		struct timespec ts;
		uint64_t now;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->cv, &g->mu, &ts);
		now = now_ms();
		tick(g, now);
		if (now - last_log >= 1000 &&
		    (g->cut_head || g->cut_body || g->shed || g->refused)) {
			IDP_WARN("conn.cut", " head_deadline=%u body_deadline=%u "
			    "shed=%u refused=%u open=%u", g->cut_head,
			    g->cut_body, g->shed, g->refused, g->open);
			g->cut_head = g->cut_body = g->shed = g->refused = 0;
			last_log = now;
		}
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

struct idp_guard *
idp_guard_new(const struct idp_guard_limits *lim)
{
	struct idp_guard *g = idp_xcalloc(1, sizeof(*g));
	pthread_condattr_t ca;

	g->lim = *lim;
	g->waiting_by_addr = idp_addrcount_new(lim->max_held);
	g->held_by_addr = idp_addrcount_new(2 * lim->max_held + 256);
	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cv, &ca);
	pthread_cond_init(&g->room, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&g->thread, NULL, watchdog, g) != 0) {
		idp_addrcount_free(g->waiting_by_addr);
		idp_addrcount_free(g->held_by_addr);
		pthread_cond_destroy(&g->room);
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
		free(g);
		return NULL;
	}
	return g;
}

void
idp_guard_free(struct idp_guard *g)
{
	struct idp_guard_conn *c;

	if (g == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	g->stop = true;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->thread, NULL);
	while ((c = g->lingering.head) != NULL) {
		list_unlink(&g->lingering, c);
		close(c->fd);
		free(c);
	}
	idp_addrcount_free(g->waiting_by_addr);
	idp_addrcount_free(g->held_by_addr);
	pthread_cond_destroy(&g->room);
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

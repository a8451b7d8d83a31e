#include <pthread.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdlib.h>

#include "core/hashq.h"
#include "crypto/pwhash.h"
#include "util/mem.h"

struct job {
	void (*run)(void *);
	void (*done)(void *);
	void *arg;
};

struct idp_hashq {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *ring;
	int cap;
	int head;
	int len;		/* queued, not yet taken */
	int reserved;		/* slots promised, including queued */
	bool stop;
	int nthreads;
	pthread_t *threads;
};

static void *
worker(void *p)
{
	struct idp_hashq *q = p;

	/* Hashing yields to HTTP workers and PostgreSQL: during a login storm
	 * the other endpoints stay fast, and when nothing else runs the hashes
	 * still get every core. (Linux: nice applies per thread.) */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
	idp_pwhash_thread_cache(true);

	for (;;) {
		struct job j;

		pthread_mutex_lock(&q->mu);
		while (q->len == 0 && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->len == 0 && q->stop) {
			pthread_mutex_unlock(&q->mu);
			idp_pwhash_thread_cache(false);
			return NULL;
		}
		j = q->ring[q->head];
		q->head = (q->head + 1) % q->cap;
		q->len--;
		pthread_mutex_unlock(&q->mu);

		j.run(j.arg);

		pthread_mutex_lock(&q->mu);
		q->reserved--;
		pthread_mutex_unlock(&q->mu);
		j.done(j.arg);
	}
}

struct idp_hashq *
idp_hashq_new(int threads, int capacity)
{
	struct idp_hashq *q = idp_xcalloc(1, sizeof(*q));

	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	q->cap = capacity < 1 ? 1 : capacity;
	q->ring = idp_xcalloc((size_t)q->cap, sizeof(*q->ring));
	q->nthreads = threads < 1 ? 1 : threads;
	q->threads = idp_xcalloc((size_t)q->nthreads, sizeof(*q->threads));
	for (int i = 0; i < q->nthreads; i++)
		if (pthread_create(&q->threads[i], NULL, worker, q) != 0)
			idp_oom();
	return q;
}

void
idp_hashq_free(struct idp_hashq *q)
{
	if (q == NULL)
		return;
	pthread_mutex_lock(&q->mu);
	q->stop = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	for (int i = 0; i < q->nthreads; i++)
		pthread_join(q->threads[i], NULL);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q->threads);
	free(q->ring);
	free(q);
}

bool
idp_hashq_reserve(struct idp_hashq *q)
{
	bool ok;

	pthread_mutex_lock(&q->mu);
	ok = !q->stop && q->reserved < q->cap;
	if (ok)
		q->reserved++;
	pthread_mutex_unlock(&q->mu);
	return ok;
}

void
idp_hashq_submit(struct idp_hashq *q, void (*run)(void *),
    void (*done)(void *), void *arg)
{
	pthread_mutex_lock(&q->mu);
	q->ring[(q->head + q->len) % q->cap] =
	    (struct job){ .run = run, .done = done, .arg = arg };
	q->len++;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

int
idp_hashq_depth(struct idp_hashq *q)
{
	int n;

	pthread_mutex_lock(&q->mu);
	n = q->reserved;
	pthread_mutex_unlock(&q->mu);
	return n;
}

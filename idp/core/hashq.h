/* Password hashing off the HTTP workers: a bounded queue served by one
 * thread per core. A login storm waits here instead of exhausting memory
 * (each argon2id run takes argon2_memory_kib), and a full queue answers
 * 503 at once. Other endpoints never wait behind a hash. */
#ifndef IDP_CORE_HASHQ_H
#define IDP_CORE_HASHQ_H

#include <stdbool.h>

struct idp_hashq;

struct idp_hashq *idp_hashq_new(int threads, int capacity);
void idp_hashq_free(struct idp_hashq *q);	/* finishes queued jobs */

/* Take a slot; false when the queue is full. A taken slot must be used by
 * exactly one idp_hashq_submit. */
bool idp_hashq_reserve(struct idp_hashq *q);
/* run(arg) on a hashing thread, then done(arg). */
void idp_hashq_submit(struct idp_hashq *q, void (*run)(void *),
    void (*done)(void *), void *arg);

/* Jobs waiting or running (for tests and metrics). */
int idp_hashq_depth(struct idp_hashq *q);

#endif

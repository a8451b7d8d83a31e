/* The benchmark's argon2id helper, built by bench/run.sh with
 *   gcc -O2 -o argon2_tool argon2_tool.c -largon2 -lpthread
 *
 *   argon2_tool hash SALT M_KIB T P        reads one password line on stdin,
 *                                          prints its PHC string (16-byte
 *                                          salt from SALT, 32-byte hash)
 *   argon2_tool rate M_KIB T P THREADS SECONDS
 *                                          verifies a password on THREADS
 *                                          threads for SECONDS, prints
 *                                          "<hashes per second> <count>"
 *
 * The rate mode calls argon2id_verify() on a PHC string, exactly what idp's
 * hashing threads do for a login, so "logins per second / hashes per second"
 * compares like with like. */
#define _POSIX_C_SOURCE 200809L
#include <argon2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SALT_LEN 16
#define HASH_LEN 32

static char encoded[256];
static const char *password = "Rate-Test-Password-2024";
static atomic_long done_count;
static atomic_bool stop;

static unsigned
arg_u(const char *s, const char *what)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v == 0 || v > 4194304) {
		fprintf(stderr, "argon2_tool: bad %s: %s\n", what, s);
		exit(2);
	}
	return (unsigned)v;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
hash(const char *salt_text, unsigned m, unsigned t, unsigned p)
{
	unsigned char salt[SALT_LEN] = { 0 };
	char pw[1024], out[256];
	size_t n;

	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "argon2_tool: no password on stdin\n");
		return 1;
	}
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
	/* A deterministic salt: the benchmark directory must be reproducible. */
	for (size_t i = 0; salt_text[i] != '\0'; i++)
		salt[i % SALT_LEN] ^= (unsigned char)salt_text[i] +
		    (unsigned char)(i / SALT_LEN) * 31u;
	if (argon2id_hash_encoded(t, m, p, pw, n, salt, SALT_LEN, HASH_LEN, out,
	    sizeof(out)) != ARGON2_OK) {
		fprintf(stderr, "argon2_tool: hashing failed\n");
		return 1;
	}
	printf("%s\n", out);
	return 0;
}

static void *
worker(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		if (argon2id_verify(encoded, password, strlen(password)) !=
		    ARGON2_OK) {
			fprintf(stderr, "argon2_tool: verify failed\n");
			exit(1);
		}
		atomic_fetch_add(&done_count, 1);
	}
	return NULL;
}

static int
rate(unsigned m, unsigned t, unsigned p, unsigned threads, unsigned secs)
{
	unsigned char salt[SALT_LEN] = "rate-test-salt!";
	pthread_t *tid = calloc(threads, sizeof(*tid));
	struct timespec pause = { secs, 0 };
	double t0, t1;

	if (tid == NULL || argon2id_hash_encoded(t, m, p, password,
	    strlen(password), salt, SALT_LEN, HASH_LEN, encoded,
	    sizeof(encoded)) != ARGON2_OK) {
		fprintf(stderr, "argon2_tool: setup failed\n");
		return 1;
	}
	t0 = now();
	for (unsigned i = 0; i < threads; i++)
		if (pthread_create(&tid[i], NULL, worker, NULL) != 0)
			return 1;
	nanosleep(&pause, NULL);
	atomic_store(&stop, true);
	for (unsigned i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	t1 = now();
	printf("%.2f %ld\n", (double)atomic_load(&done_count) / (t1 - t0),
	    atomic_load(&done_count));
	free(tid);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "hash"))
		return hash(argv[2], arg_u(argv[3], "memory"),
		    arg_u(argv[4], "iterations"), arg_u(argv[5], "lanes"));
	if (argc == 7 && !strcmp(argv[1], "rate"))
		return rate(arg_u(argv[2], "memory"), arg_u(argv[3],
		    "iterations"), arg_u(argv[4], "lanes"),
		    arg_u(argv[5], "threads"), arg_u(argv[6], "seconds"));
	fprintf(stderr, "usage: argon2_tool hash SALT M_KIB T P < password\n"
	    "       argon2_tool rate M_KIB T P THREADS SECONDS\n");
	return 2;
}

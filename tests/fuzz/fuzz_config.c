/* The configuration file (config.c): any text either loads into a
 * configuration whose values are within their documented ranges, or is
 * refused with one line naming the file and line. Input: the file. */
#include <ctype.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The environment wins over the file: none of it here. */
	for (const struct idp_config_entry *e = idp_config_entries; e->key;
	    e++) {
		char name[80];

		snprintf(name, sizeof(name), "IDP_%s", e->key);
		for (char *p = name + 4; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		unsetenv(name);
	}
	return 0;
}

static void
check_loaded(const struct idp_config *c)
{
	FUZZ_ASSERT(c->issuer != NULL && c->database_url != NULL);
	FUZZ_ASSERT(!strncmp(c->issuer, "https://", 8) ||
	    !strncmp(c->issuer, "http://", 7));
	FUZZ_ASSERT(c->issuer[strlen(c->issuer) - 1] != '/');
	FUZZ_ASSERT(c->listen_port >= 1 && c->listen_port <= 65535);
	FUZZ_ASSERT(c->worker_threads >= 1 && c->worker_threads <= 256);
	FUZZ_ASSERT(c->db_pool_size >= 1 && c->db_pool_size <= 256);
	FUZZ_ASSERT(c->hash_threads >= 1);
	FUZZ_ASSERT(c->code_ttl >= 5 && c->code_ttl <= 60);
	FUZZ_ASSERT(c->session_max_ttl >= c->session_idle_ttl);
	FUZZ_ASSERT(c->max_body_bytes >= 1024);
	FUZZ_ASSERT(c->cookie_name != NULL && *c->cookie_name != '\0');
	FUZZ_ASSERT(!strcmp(c->default_locale, "id") ||
	    !strcmp(c->default_locale, "en"));
	FUZZ_ASSERT(c->argon2.m_kib >= 64 && c->argon2.t_cost >= 1 &&
	    c->argon2.parallelism >= 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("idp.conf", MFD_CLOEXEC);
	char path[64], err[1024];
	struct idp_config cfg;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err[0] = '\0';
	if (idp_config_load(path, &cfg, err, sizeof(err)) == 0) {
		check_loaded(&cfg);
	} else {
		FUZZ_ASSERT(err[0] != '\0');
		FUZZ_ASSERT(strchr(err, '\n') == NULL);
	}
	idp_config_free(&cfg);
	close(fd);
	return 0;
}

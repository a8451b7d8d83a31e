/* idp: the OpenID Connect provider daemon. */
#include <ctype.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "core/clients.h"
#include "core/ctx.h"
#include "core/metrics.h"
#include "core/dpop.h"
#include "core/usage.h"
#include "core/hashq.h"
#include "core/housekeeping.h"
#include "core/fetch.h"
#include "core/jwks_uri.h"
#include "core/mail.h"
#include "core/logout.h"
#include "core/outbox.h"
#include "core/pwdict.h"
#include "core/published.h"
#include "core/signkeys.h"
#include "core/subject.h"
#include "crypto/pwhash.h"
#include "crypto/random.h"
#include "daemon/router.h"
#include "daemon/server.h"
#include "idp_build.h"
#include "page/when.h"
#include "store/db.h"
#include "util/log.h"
#include "util/mem.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: idp [--config FILE]\n"
	    "       idp --check-config [--config FILE]\n"
	    "       idp --config-keys\n"
	    "       idp --help | --version\n\n"
	    "Runs the OpenID Connect provider. Settings come from FILE (or\n"
	    "IDP_CONFIG), then from IDP_* environment variables; see\n"
	    "idp.conf(5) and idp --config-keys for every key.\n\n"
	    "Signals: SIGTERM/SIGINT drain requests in flight and exit 0;\n"
	    "SIGHUP reloads signing keys.\n\n"
	    "Exit codes: 0 after a clean shutdown, 1 on a configuration,\n"
	    "key or listen error, 2 on a usage error, 3 when the database\n"
	    "stays unreachable for db_start_wait seconds at start.\n");
}

/* Every key with its environment name, default and meaning. */
static void
print_keys(void)
{
	for (const struct idp_config_entry *e = idp_config_entries; e->key;
	    e++) {
		char env[64];
		size_t i;

		snprintf(env, sizeof(env), "IDP_%s", e->key);
		for (i = 4; env[i]; i++)
			env[i] = (char)toupper((unsigned char)env[i]);
		printf("%-22s %-26s default: %s\n    %s\n", e->key, env,
		    e->def ? e->def : "(required)", e->help);
	}
}

static int
check_key_dir(const struct idp_config *cfg)
{
	struct stat st;

	if (stat(cfg->key_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "idp: key_dir: %s is not a directory (create "
		    "keys with 'idpctl keys generate')\n", cfg->key_dir);
		return -1;
	}
	return 0;
}

/* The key of the device cookies: sealed in the database with a KEK, else
 * key_dir/device-cookie.key. */
static int
load_device_key(struct idp_ctx *ctx, char *err, size_t errlen)
{
	struct idp_dbconn *c = NULL;
	int rc;

	if (ctx->kek != NULL &&
	    idp_db_acquire_background(ctx->db, &c) != IDP_OK) {
		snprintf(err, errlen, "database unavailable");
		return -1;
	}
	rc = idp_device_key_obtain(ctx->cfg, ctx->kek, c, ctx->device_key, err,
	    errlen);
	if (c != NULL)
		idp_db_release(ctx->db, c);
	return rc;
}

/* Unknown users are checked against this, at the same cost as real ones. */
static int
make_dummy_hash(const struct idp_config *cfg, char out[IDP_PWHASH_STRMAX])
{
	char pw[IDP_TOKEN_CHARS + 1];
	int rc;

	idp_random_token_to(pw);
	rc = idp_pwhash_str(&cfg->argon2, pw, strlen(pw), out);
	idp_wipe(pw, sizeof(pw));
	return rc;
}

/* The salt of pairwise subjects, once: every instance reads the same
 * row, so they agree on every client's subjects. */
static int
load_salt(struct idp_ctx *ctx)
{
	struct idp_dbconn *c;
	enum idp_err rc;

	if (idp_db_acquire_background(ctx->db, &c) != IDP_OK)
		return -1;
	rc = idp_subject_salt_load(ctx, c);
	idp_db_release(ctx->db, c);
	return rc == IDP_OK ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const char *cfgpath = getenv("IDP_CONFIG");
	struct idp_config cfg;
	struct idp_ctx ctx = { 0 };
	struct idp_server *srv;
	struct idp_housekeeping *hk;
	const char **served = NULL;
	struct idp_outbox_kind mail_kind, logout_kind;
	struct idp_kek kek;
	bool have_kek = false;
	char err[1024], kek_path[4096];
	bool check_only = false;
	sigset_t sigs;
	int sig = 0, rc = 1;

	idp_mem_init();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			cfgpath = argv[++i];
		} else if (!strcmp(argv[i], "--check-config")) {
			check_only = true;
		} else if (!strcmp(argv[i], "--help") ||
		    !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("idp %s\n", IDP_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--config-keys")) {
			print_keys();
			return 0;
		} else {
			fprintf(stderr, "idp: unknown argument %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (idp_config_load(cfgpath, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "idp: %s\n", err);
		return 1;
	}
	idp_log_set_level(cfg.log_level);
	idp_log_set_json(cfg.log_json);
	/* Before any thread: times on pages are in the configured zone. */
	idp_when_use_zone(cfg.time_zone);
	if (check_key_dir(&cfg) != 0)
		goto out_cfg;
	if (idp_kek_open(&cfg, &kek, &have_kek, kek_path, sizeof(kek_path),
	    err, sizeof(err)) != 0) {
		fprintf(stderr, "idp: key_encryption_key_file: %s\n", err);
		goto out_cfg;
	}
	if (idp_config_read_smtp_password(&cfg, err, sizeof(err)) != 0 ||
	    idp_pwdict_ready(cfg.password_dictionary, err, sizeof(err)) != 0) {
		fprintf(stderr, "idp: %s\n", err);
		goto out_cfg;
	}
	if (check_only) {
		printf("configuration ok\n");
		rc = 0;
		goto out_cfg;
	}
	/* Threads share few allocations; two arenas keep RSS small. (argon2id's
	 * memory does not come from malloc: see crypto/pwhash.c.) */
	mallopt(M_ARENA_MAX, 2);

	/* Block the signals before any thread starts, so only sigwait
	 * below sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	ctx.cfg = &cfg;
	ctx.fetch = idp_fetcher_new(&(struct idp_fetch_limits){
	    cfg.outbound_allow_loopback, cfg.outbound_timeout * 1000,
	    cfg.outbound_max_in_flight, cfg.outbox_workers });
	if (make_dummy_hash(&cfg, ctx.dummy_hash) != 0) {
		fprintf(stderr, "idp: argon2_memory_kib: cannot hash with the "
		    "configured argon2 parameters\n");
		goto out_cfg;
	}
	ctx.db = idp_db_new(cfg.database_url, cfg.db_pool_size,
	    cfg.db_connect_timeout, true);
	idp_db_set_deadline(ctx.db, cfg.db_request_deadline_ms);
	if (idp_db_wait_ready(ctx.db, cfg.db_start_wait, err, sizeof(err))
	    != IDP_OK) {
		fprintf(stderr, "idp: database_url: cannot use the database "
		    "after %d s: %s\n", cfg.db_start_wait, err);
		rc = 3;
		goto out_db;
	}
	ctx.kek = have_kek ? &kek : NULL;
	if (have_kek)
		IDP_INFO("keys.kek", " id=%s path=%s", kek.id, kek_path);
	if (load_salt(&ctx) != 0) {
		fprintf(stderr, "idp: database_url: the pairwise salt is missing "
		    "or unreadable: run 'idpctl migrate'\n");
		goto out_db;
	}
	idp_db_warn_if_async(ctx.db);
	ctx.served_paths = served = idp_router_paths_new();
	/* NULL counts nothing (core/metrics.h): metrics_enabled = false. */
	ctx.metrics = cfg.metrics_enabled ?
	    idp_metrics_new(ctx.served_paths) : NULL;
	ctx.pub = idp_pubring_new();
	if (idp_keys_reload(&ctx, err, sizeof(err)) != IDP_OK) {
		fprintf(stderr, "idp: signing keys: %s\n", err);
		goto out_pub;
	}
	if (load_device_key(&ctx, err, sizeof(err)) != 0) {
		fprintf(stderr, "idp: device-cookie key: %s\n", err);
		goto out_pub;
	}
	if (idp_dpop_init(&ctx, err, sizeof(err)) != IDP_OK) {
		fprintf(stderr, "idp: %s\n", err);
		goto out_pub;
	}
	ctx.clients = idp_client_cache_new(cfg.client_cache_ttl);
	ctx.hashq = idp_hashq_new(cfg.hash_threads, cfg.hash_queue);
	ctx.usage = idp_usage_new();
	srv = idp_server_start(&ctx, err, sizeof(err));
	if (srv == NULL) {
		fprintf(stderr, "idp: %s\n", err);
		goto out_hash;
	}
	/* The outbox: mail when a relay is configured; back-channel logout
	 * tokens always. */
	ctx.outbox = idp_outbox_new(&ctx);
	if (idp_mail_enabled(&cfg)) {
		idp_mail_kind(&mail_kind, &ctx);
		idp_outbox_add_kind(ctx.outbox, &mail_kind);
	}
	idp_logout_kind(&logout_kind, &ctx);
	idp_outbox_add_kind(ctx.outbox, &logout_kind);
	idp_outbox_start(ctx.outbox);
	hk = idp_housekeeping_start(&ctx);
	IDP_INFO("start", " version=%s issuer=%s listen=%s workers=%d "
	    "db_pool=%d hash_threads=%d", IDP_VERSION, cfg.issuer, cfg.listen,
	    cfg.worker_threads, cfg.db_pool_size, cfg.hash_threads);

	for (;;) {
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			IDP_INFO("signal", " sig=HUP msg=\"reloading keys\"");
			idp_housekeeping_poke(hk);
			continue;
		}
		break;
	}
	IDP_INFO("shutdown", " sig=%s msg=\"draining\"",
	    sig == SIGTERM ? "TERM" : "INT");
	idp_server_stop(srv, 10);
	idp_housekeeping_stop(hk);
	idp_outbox_free(ctx.outbox);
	IDP_INFO("shutdown", " msg=done");
	rc = 0;
out_hash:
	idp_usage_free(ctx.usage);
	idp_hashq_free(ctx.hashq);
	idp_client_cache_free(ctx.clients);
out_pub:
	idp_pubring_free(ctx.pub);
out_db:
	idp_db_free(ctx.db);
	idp_metrics_free(ctx.metrics);
	idp_wipe(ctx.pairwise_salt, sizeof(ctx.pairwise_salt));
	free(served);
out_cfg:
	idp_jwks_uri_cleanup();
	idp_fetcher_free(ctx.fetch);
	idp_config_free(&cfg);
	idp_kek_wipe(&kek);
	return rc;
}

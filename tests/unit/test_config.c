/* config: defaults, the file format, environment overrides, and that every
 * bad value names its key in the error text. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto/key.h"
#include "idp_build.h"
#include "unit.h"

#define BASE "issuer = https://idp.example.go.id\n" \
	"database_url = postgresql:///idp\n"

static char dir[256];
static char path[512];
static char err[1024];
static struct idp_config cfg;

/* Every IDP_* name the loader reads, so no test sees the caller's. */
static void
clear_env(void)
{
	for (const struct idp_config_entry *e = idp_config_entries; e->key;
	    e++) {
		char name[80];

		snprintf(name, sizeof(name), "IDP_%s", e->key);
		for (char *p = name + 4; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		ck_assert_int_eq(unsetenv(name), 0);
	}
}

static void
setup(void)
{
	clear_env();
	unit_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/idp.conf", dir);
	err[0] = '\0';
	memset(&cfg, 0, sizeof(cfg));
}

static void
teardown(void)
{
	idp_config_free(&cfg);
	clear_env();
	unit_rmtree(dir);
}

static void
write_conf(const char *text)
{
	unlink(path);
	unit_write_file(path, text, 0600);
}

static void
load_ok(const char *text)
{
	write_conf(text);
	ck_assert_msg(idp_config_load(path, &cfg, err, sizeof(err)) == 0,
	    "refused: %s", err);
}

/* Load BASE plus one more line; the error must name key. */
static void
bad_line(const char *line, const char *key)
{
	char text[4096];

	snprintf(text, sizeof(text), BASE "%s\n", line);
	write_conf(text);
	err[0] = '\0';
	ck_assert_msg(idp_config_load(path, &cfg, err, sizeof(err)) == -1,
	    "accepted: %s", line);
	ck_assert_msg(strstr(err, key) != NULL, "\"%s\": error \"%s\" does "
	    "not name %s", line, err, key);
	idp_config_free(&cfg);
}

START_TEST(defaults)
{
	load_ok(BASE);
	ck_assert_str_eq(cfg.issuer, "https://idp.example.go.id");
	ck_assert(cfg.issuer_https);
	ck_assert_str_eq(cfg.database_url, "postgresql:///idp");
	ck_assert_str_eq(cfg.listen, "127.0.0.1:8080");
	ck_assert_str_eq(cfg.listen_host, "127.0.0.1");
	ck_assert_int_eq(cfg.listen_port, 8080);
	ck_assert_str_eq(cfg.key_dir, IDP_DEFAULT_KEY_DIR);
	ck_assert_str_eq(cfg.sql_dir, IDP_DEFAULT_SQL_DIR);
	ck_assert_int_eq(cfg.code_ttl, 60);
	ck_assert_int_eq(cfg.access_token_ttl, 900);
	ck_assert_int_eq(cfg.id_token_ttl, 900);
	ck_assert_int_eq(cfg.refresh_token_ttl, 1209600);
	ck_assert_int_eq(cfg.refresh_token_reuse_grace, 0);
	ck_assert_int_eq(cfg.session_idle_ttl, 7200);
	ck_assert_int_eq(cfg.session_max_ttl, 36000);
	ck_assert_int_eq(cfg.login_ttl, 900);
	ck_assert_str_eq(cfg.cookie_name, "idp_session");
	ck_assert_int_eq(cfg.cookie_secure, IDP_COOKIE_SECURE_AUTO);
	ck_assert(cfg.cookie_secure_effective);	/* https issuer */
	ck_assert_uint_eq(cfg.argon2.m_kib, 12288);
	ck_assert_uint_eq(cfg.argon2.t_cost, 3);
	ck_assert_uint_eq(cfg.argon2.parallelism, 1);
	ck_assert_int_eq(cfg.log_level, IDP_LOG_INFO);
	ck_assert_int_eq(cfg.max_body_bytes, 65536);
	ck_assert(!cfg.pkce_allow_plain);
	ck_assert_int_eq(cfg.rsa_bits, 2048);
	ck_assert_str_eq(cfg.default_locale, "id");
	ck_assert_int_eq(cfg.db_connect_timeout, 3);
	ck_assert_int_eq(cfg.db_request_deadline_ms, 2000);
	ck_assert_int_eq(cfg.hash_queue, 64);
	/* 0 means "derive from the machine": never left at 0; 16 per core
	 * (writes wait for their WAL flush), at most 128 */
	ck_assert_int_ge(cfg.worker_threads, 16);
	ck_assert_int_le(cfg.worker_threads, 128);
	ck_assert_int_eq(cfg.db_pool_size, cfg.worker_threads);
	ck_assert_int_ge(cfg.hash_threads, 1);
	ck_assert(!cfg.outbound_allow_loopback);
	ck_assert_int_eq(cfg.outbound_timeout, 5);
	ck_assert_int_eq(cfg.outbound_max_in_flight,
	    cfg.worker_threads / 4 < 2 ? 2 : cfg.worker_threads / 4);
}
END_TEST

START_TEST(outbound_settings)
{
	load_ok(BASE "worker_threads = 40\noutbound_allow_loopback = true\n"
	    "outbound_timeout = 60\n");
	ck_assert(cfg.outbound_allow_loopback);
	ck_assert_int_eq(cfg.outbound_timeout, 60);
	ck_assert_int_eq(cfg.outbound_max_in_flight, 10);
	idp_config_free(&cfg);
	load_ok(BASE "worker_threads = 4\noutbound_max_in_flight = 0\n");
	ck_assert_int_eq(cfg.outbound_max_in_flight, 2);
	idp_config_free(&cfg);
	load_ok(BASE "outbound_max_in_flight = 1024\n");
	ck_assert_int_eq(cfg.outbound_max_in_flight, 1024);
	idp_config_free(&cfg);
	bad_line("outbound_allow_loopback = sometimes",
	    "outbound_allow_loopback");
	bad_line("outbound_timeout = 0", "outbound_timeout");
	bad_line("outbound_timeout = 61", "outbound_timeout");
	bad_line("outbound_max_in_flight = -1", "outbound_max_in_flight");
	bad_line("outbound_max_in_flight = 1025", "outbound_max_in_flight");
}
END_TEST

START_TEST(every_entry_has_a_usable_default)
{
	/* Each documented default must itself pass validation. */
	struct idp_config c;

	memset(&c, 0, sizeof(c));
	for (const struct idp_config_entry *e = idp_config_entries; e->key;
	    e++) {
		ck_assert_ptr_nonnull(e->help);
		if (e->def == NULL)
			continue;
		ck_assert_msg(idp_config_set(&c, e->key, e->def, err,
		    sizeof(err)) == 0, "%s default \"%s\": %s", e->key, e->def,
		    err);
	}
	idp_config_free(&c);
}
END_TEST

START_TEST(values_from_file)
{
	load_ok(BASE
	    "listen = 0.0.0.0:9443\n"
	    "worker_threads = 8\n"
	    "db_pool_size = 0\n"
	    "access_token_ttl = 600\n"
	    "cookie_secure = never\n"
	    "cookie_name = sso-id_1\n"
	    "log_level = debug\n"
	    "pkce_allow_plain = yes\n"
	    "argon2_memory_kib = 65536\n"
	    "argon2_iterations = 2\n"
	    "argon2_parallelism = 4\n"
	    "default_locale = en\n"
	    "key_dir = /etc/idp/keys\n");
	ck_assert_str_eq(cfg.listen_host, "0.0.0.0");
	ck_assert_int_eq(cfg.listen_port, 9443);
	ck_assert_int_eq(cfg.worker_threads, 8);
	ck_assert_int_eq(cfg.db_pool_size, 8);
	ck_assert_int_eq(cfg.access_token_ttl, 600);
	ck_assert_int_eq(cfg.cookie_secure, IDP_COOKIE_SECURE_NEVER);
	ck_assert(!cfg.cookie_secure_effective);
	ck_assert_str_eq(cfg.cookie_name, "sso-id_1");
	ck_assert_int_eq(cfg.log_level, IDP_LOG_DEBUG);
	ck_assert(cfg.pkce_allow_plain);
	ck_assert_uint_eq(cfg.argon2.m_kib, 65536);
	ck_assert_uint_eq(cfg.argon2.t_cost, 2);
	ck_assert_uint_eq(cfg.argon2.parallelism, 4);
	ck_assert_str_eq(cfg.default_locale, "en");
	ck_assert_str_eq(cfg.key_dir, "/etc/idp/keys");
}
END_TEST

START_TEST(loopback_http_issuer)
{
	load_ok("issuer = http://127.0.0.1:8080\ndatabase_url = x\n");
	ck_assert(!cfg.issuer_https);
	ck_assert(!cfg.cookie_secure_effective);
	idp_config_free(&cfg);
	load_ok("issuer = http://localhost:9000/idp\ndatabase_url = x\n"
	    "cookie_secure = always\n");
	ck_assert_str_eq(cfg.issuer, "http://localhost:9000/idp");
	ck_assert(cfg.cookie_secure_effective);
	idp_config_free(&cfg);
	load_ok("issuer = https://sso.baliprov.go.id:8443/realms/bali\n"
	    "database_url = x\n");
	ck_assert(cfg.issuer_https);
}
END_TEST

START_TEST(bad_numbers_name_their_key)
{
	bad_line("access_token_ttl=abc", "access_token_ttl");
	bad_line("access_token_ttl = 59", "access_token_ttl");
	bad_line("access_token_ttl = 86401", "access_token_ttl");
	bad_line("access_token_ttl = 1e3", "access_token_ttl");
	bad_line("access_token_ttl =", "access_token_ttl");
	bad_line("worker_threads=-1", "worker_threads");
	bad_line("worker_threads=257", "worker_threads");
	bad_line("code_ttl = 61", "code_ttl");
	bad_line("refresh_token_ttl = 99999999999999999999",
	    "refresh_token_ttl");
	bad_line("refresh_token_reuse_grace = 301",
	    "refresh_token_reuse_grace");
	bad_line("refresh_token_reuse_grace = -1",
	    "refresh_token_reuse_grace");
	bad_line("rsa_bits = 1024", "rsa_bits");
	bad_line("argon2_memory_kib = 32", "argon2_memory_kib");
	bad_line("argon2_iterations = 0", "argon2_iterations");
	bad_line("argon2_parallelism = 17", "argon2_parallelism");
	bad_line("max_body_bytes = 100", "max_body_bytes");
	bad_line("hash_queue = 0", "hash_queue");
	bad_line("db_request_deadline_ms = 99", "db_request_deadline_ms");
	bad_line("db_request_deadline_ms = 60001", "db_request_deadline_ms");
}
END_TEST

START_TEST(bad_listen_names_its_key)
{
	bad_line("listen=nohost", "listen");
	bad_line("listen = :8080", "listen");
	bad_line("listen = 127.0.0.1:", "listen");
	bad_line("listen = 127.0.0.1:0", "listen");
	bad_line("listen = 127.0.0.1:65536", "listen");
	bad_line("listen = 127.0.0.1:http", "listen");
	bad_line("listen = 127.0.0.1:80x", "listen");
	bad_line("listen = localhost:8080", "listen");
	bad_line("listen = [::1]:8080", "listen");
}
END_TEST

START_TEST(bad_issuer_names_its_key)
{
	bad_line("issuer = http://idp.example.go.id", "issuer");
	bad_line("issuer = http://10.0.0.5:8080", "issuer");
	bad_line("issuer = http://localhost.evil.example", "issuer");
	bad_line("issuer = http://127.0.0.1.nip.io", "issuer");
	bad_line("issuer = http://127.0.0.1@evil.example", "issuer");
	bad_line("issuer = https://idp.example.go.id/", "issuer");
	bad_line("issuer = https://idp.example.go.id/realm/", "issuer");
	bad_line("issuer = https://idp.example.go.id?x=1", "issuer");
	bad_line("issuer = https://idp.example.go.id/a?", "issuer");
	bad_line("issuer = https://idp.example.go.id#frag", "issuer");
	bad_line("issuer = https://idp.example.go.id/a b", "issuer");
	bad_line("issuer = https://", "issuer");
	bad_line("issuer = https:///path", "issuer");
	bad_line("issuer = ftp://idp.example.go.id", "issuer");
	bad_line("issuer = idp.example.go.id", "issuer");
	bad_line("issuer = HTTPS://idp.example.go.id", "issuer");
	bad_line("issuer =", "issuer");
}
END_TEST

START_TEST(bad_words_name_their_key)
{
	bad_line("cookie_secure=maybe", "cookie_secure");
	bad_line("cookie_secure = Always", "cookie_secure");
	bad_line("log_level=loud", "log_level");
	bad_line("log_level = INFO", "log_level");
	bad_line("pkce_allow_plain = maybe", "pkce_allow_plain");
	bad_line("default_locale = fr", "default_locale");
	bad_line("cookie_name = a b", "cookie_name");
	bad_line("cookie_name = a;b", "cookie_name");
	bad_line("cookie_name = \"\"", "cookie_name");
	bad_line("database_url =", "database_url");
	bad_line("key_dir = \"\"", "key_dir");
}
END_TEST

START_TEST(page_settings)
{
	load_ok(BASE);
	ck_assert_str_eq(cfg.provider_name, "SSO Provinsi Bali");
	ck_assert_str_eq(cfg.helpdesk_name, "Helpdesk SSO Provinsi Bali");
	ck_assert_str_eq(cfg.helpdesk_phone, "");
	ck_assert_str_eq(cfg.helpdesk_email, "");
	ck_assert_int_eq(cfg.helpdesk_hours.n, 0);
	ck_assert_str_eq(cfg.time_zone, "Asia/Makassar");
	idp_config_free(&cfg);
	load_ok(BASE
	    "provider_name = SSO Kabupaten Badung\n"
	    "helpdesk_name = \"Diskominfo Badung \xe2\x80\x93 Helpdesk\"\n"
	    "helpdesk_phone = +62 (361) 222-333\n"
	    "helpdesk_email = helpdesk@badungkab.go.id\n"
	    "helpdesk_hours = mon-fri 07:30-15:30,sat 08:00-12:00 , sun "
	    "09:00-24:00\n"
	    "time_zone = Asia/Jakarta\n");
	ck_assert_str_eq(cfg.provider_name, "SSO Kabupaten Badung");
	ck_assert_str_eq(cfg.helpdesk_phone, "+62 (361) 222-333");
	ck_assert_str_eq(cfg.helpdesk_email, "helpdesk@badungkab.go.id");
	ck_assert_int_eq(cfg.helpdesk_hours.n, 3);
	ck_assert_int_eq(cfg.helpdesk_hours.r[0].first_day, 0);
	ck_assert_int_eq(cfg.helpdesk_hours.r[0].last_day, 4);
	ck_assert_int_eq(cfg.helpdesk_hours.r[0].open, 450);
	ck_assert_int_eq(cfg.helpdesk_hours.r[0].close, 930);
	ck_assert_int_eq(cfg.helpdesk_hours.r[1].first_day, 5);
	ck_assert_int_eq(cfg.helpdesk_hours.r[1].last_day, 5);
	ck_assert_int_eq(cfg.helpdesk_hours.r[2].close, 1440);
	ck_assert_str_eq(cfg.time_zone, "Asia/Jakarta");
}
END_TEST

START_TEST(bad_page_settings_name_their_key)
{
	bad_line("provider_name =", "provider_name");
	bad_line("provider_name = a\x01b", "provider_name");
	bad_line("provider_name = \xc3\x28", "provider_name");
	bad_line("helpdesk_name = "
	    "123456789012345678901234567890123456789012345678901234567890"
	    "123456789012345678901", "helpdesk_name");
	bad_line("helpdesk_phone = call us", "helpdesk_phone");
	bad_line("helpdesk_phone = 12", "helpdesk_phone");
	bad_line("helpdesk_phone = <script>", "helpdesk_phone");
	bad_line("helpdesk_email = helpdesk", "helpdesk_email");
	bad_line("helpdesk_email = a@b", "helpdesk_email");
	bad_line("helpdesk_email = a@@b.go.id", "helpdesk_email");
	bad_line("helpdesk_email = \"a b\"@b.go.id", "helpdesk_email");
	bad_line("helpdesk_email = a@b.go.id>", "helpdesk_email");
	bad_line("helpdesk_hours = weekdays", "helpdesk_hours");
	bad_line("helpdesk_hours = mon-fri 8:00-16:00", "helpdesk_hours");
	bad_line("helpdesk_hours = fri-mon 08:00-16:00", "helpdesk_hours");
	bad_line("helpdesk_hours = mon 16:00-08:00", "helpdesk_hours");
	bad_line("helpdesk_hours = mon 08:00-24:30", "helpdesk_hours");
	bad_line("helpdesk_hours = mon 08:60-09:00", "helpdesk_hours");
	bad_line("helpdesk_hours = mon 08:00-09:00,", "helpdesk_hours");
	bad_line("helpdesk_hours = mon 08:00-09:00, tue 08:00-09:00, wed "
	    "08:00-09:00, thu 08:00-09:00, fri 08:00-09:00", "helpdesk_hours");
	bad_line("time_zone = Asia/Atlantis", "time_zone");
	bad_line("time_zone = ../../etc/passwd", "time_zone");
	bad_line("time_zone = /usr/share/zoneinfo/UTC", "time_zone");
	bad_line("time_zone = UTC+8", "time_zone");
	bad_line("time_zone = WITA", "time_zone");
	bad_line("time_zone =", "time_zone");
}
END_TEST

START_TEST(unknown_key_named)
{
	bad_line("unknown_key = 1", "unknown_key");
	bad_line("Issuer = https://idp.example.go.id", "Issuer");
	bad_line("access-token-ttl = 600", "access-token-ttl");
}
END_TEST

START_TEST(line_without_equals)
{
	write_conf(BASE "just some words\n");
	ck_assert_int_eq(idp_config_load(path, &cfg, err, sizeof(err)), -1);
	/* No key to name: the error points at the file and line. */
	ck_assert_msg(strstr(err, path) != NULL && strstr(err, ":3:") != NULL,
	    "%s", err);
}
END_TEST

START_TEST(error_names_file_and_line)
{
	write_conf("# comment\n" BASE "\nlog_level = loud\n");
	ck_assert_int_eq(idp_config_load(path, &cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, ":5:") != NULL, "%s", err);
	ck_assert_ptr_nonnull(strstr(err, "log_level"));
	ck_assert_ptr_nonnull(strstr(err, "loud"));
}
END_TEST

START_TEST(missing_required_keys)
{
	write_conf("database_url = x\n");
	ck_assert_int_eq(idp_config_load(path, &cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "issuer") != NULL, "%s", err);
	idp_config_free(&cfg);
	write_conf("issuer = https://idp.example.go.id\n");
	ck_assert_int_eq(idp_config_load(path, &cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "database_url") != NULL, "%s", err);
	idp_config_free(&cfg);
	ck_assert_int_eq(idp_config_load(NULL, &cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "issuer") != NULL, "%s", err);
}
END_TEST

START_TEST(session_max_shorter_than_idle)
{
	bad_line("session_idle_ttl = 7200\nsession_max_ttl = 3600",
	    "session_max_ttl");
	bad_line("session_idle_ttl = 40000", "session_max_ttl");
	/* equal is fine */
	load_ok(BASE "session_idle_ttl = 3600\nsession_max_ttl = 3600\n");
	ck_assert_int_eq(cfg.session_max_ttl, 3600);
}
END_TEST

START_TEST(signing_key_settings)
{
	load_ok(BASE);
	ck_assert_str_eq(cfg.kek_file, "");
	ck_assert_int_eq(cfg.key_rotation_interval, 7776000);
	ck_assert_int_eq(cfg.key_prepublish, 86400);
	ck_assert_uint_eq(cfg.signing_algs, (1u << IDP_ALG_RS256) |
	    (1u << IDP_ALG_ES256) | (1u << IDP_ALG_PS256) |
	    (1u << IDP_ALG_EDDSA));
	idp_config_free(&cfg);
	load_ok(BASE "signing_algs = RS256, EdDSA\nkey_rotation_interval = 0\n"
	    "key_prepublish = 0\nkey_encryption_key_file = /etc/idp/kek\n");
	ck_assert_uint_eq(cfg.signing_algs, (1u << IDP_ALG_RS256) |
	    (1u << IDP_ALG_EDDSA));
	ck_assert_int_eq(cfg.key_rotation_interval, 0);
	ck_assert_str_eq(cfg.kek_file, "/etc/idp/kek");
	idp_config_free(&cfg);
	bad_line("signing_algs = ES256 EdDSA", "signing_algs");
	bad_line("signing_algs = RS256 HS256", "signing_algs");
	bad_line("signing_algs = ", "signing_algs");
	bad_line("signing_algs = RS256RS256", "signing_algs");
	bad_line("key_rotation_interval = -1", "key_rotation_interval");
	bad_line("key_prepublish = 2592001", "key_prepublish");
	/* Published ahead for longer than a key signs: refused. */
	bad_line("key_rotation_interval = 3600\nkey_prepublish = 3600",
	    "key_prepublish");
}
END_TEST

START_TEST(env_overrides_file)
{
	ck_assert_int_eq(setenv("IDP_ACCESS_TOKEN_TTL", "1200", 1), 0);
	ck_assert_int_eq(setenv("IDP_LOG_LEVEL", "warn", 1), 0);
	load_ok(BASE "access_token_ttl = 600\nlog_level = debug\n");
	ck_assert_int_eq(cfg.access_token_ttl, 1200);
	ck_assert_int_eq(cfg.log_level, IDP_LOG_WARN);
}
END_TEST

START_TEST(env_alone_is_enough)
{
	ck_assert_int_eq(setenv("IDP_ISSUER", "https://sso.example", 1), 0);
	ck_assert_int_eq(setenv("IDP_DATABASE_URL", "host=/run/pg", 1), 0);
	ck_assert_int_eq(setenv("IDP_WORKER_THREADS", "3", 1), 0);
	ck_assert_msg(idp_config_load(NULL, &cfg, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_str_eq(cfg.issuer, "https://sso.example");
	ck_assert_str_eq(cfg.database_url, "host=/run/pg");
	ck_assert_int_eq(cfg.worker_threads, 3);
	ck_assert_int_eq(cfg.db_pool_size, 3);
}
END_TEST

START_TEST(bad_env_names_variable_and_key)
{
	ck_assert_int_eq(setenv("IDP_ACCESS_TOKEN_TTL", "abc", 1), 0);
	write_conf(BASE);
	ck_assert_int_eq(idp_config_load(path, &cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "IDP_ACCESS_TOKEN_TTL") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "access_token_ttl") != NULL, "%s", err);
	idp_config_free(&cfg);
	clear_env();
	ck_assert_int_eq(setenv("IDP_ISSUER", "http://idp.example", 1), 0);
	ck_assert_int_eq(idp_config_load(path, &cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "IDP_ISSUER") != NULL, "%s", err);
}
END_TEST

START_TEST(quoted_values)
{
	load_ok("issuer = \"https://idp.example.go.id\"\n"
	    "database_url = \"host=/run/pg dbname=idp\"\n"
	    "cookie_name=\"sess\"\n"
	    "access_token_ttl = \"700\"\n");
	ck_assert_str_eq(cfg.issuer, "https://idp.example.go.id");
	ck_assert_str_eq(cfg.database_url, "host=/run/pg dbname=idp");
	ck_assert_str_eq(cfg.cookie_name, "sess");
	ck_assert_int_eq(cfg.access_token_ttl, 700);
}
END_TEST

START_TEST(unbalanced_quotes_are_not_stripped)
{
	/* One quote is part of the value, which then fails validation. */
	bad_line("cookie_name = \"sess", "cookie_name");
	bad_line("access_token_ttl = 700\"", "access_token_ttl");
}
END_TEST

START_TEST(comments_blank_lines_and_whitespace)
{
	load_ok("# provider for Bali\n"
	    "\n"
	    "   # indented comment\n"
	    "\t\n"
	    "\tissuer\t=\thttps://idp.example.go.id  \r\n"
	    "database_url=x\r\n"
	    "   access_token_ttl   =   1800   \n"
	    "# access_token_ttl = 60\n");
	ck_assert_str_eq(cfg.issuer, "https://idp.example.go.id");
	ck_assert_str_eq(cfg.database_url, "x");
	ck_assert_int_eq(cfg.access_token_ttl, 1800);
}
END_TEST

START_TEST(last_line_without_newline)
{
	load_ok(BASE "access_token_ttl = 1800");
	ck_assert_int_eq(cfg.access_token_ttl, 1800);
}
END_TEST

START_TEST(later_lines_win)
{
	load_ok(BASE "access_token_ttl = 100\naccess_token_ttl = 200\n");
	ck_assert_int_eq(cfg.access_token_ttl, 200);
}
END_TEST

START_TEST(missing_file)
{
	snprintf(path, sizeof(path), "%s/nope.conf", dir);
	ck_assert_int_eq(idp_config_load(path, &cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, path) != NULL, "%s", err);
}
END_TEST

START_TEST(line_too_long)
{
	static char text[6000];

	memset(text, 0, sizeof(text));
	strcpy(text, BASE "database_url = ");
	memset(text + strlen(text), 'x', 5000);
	strcat(text, "\n");
	write_conf(text);
	ck_assert_int_eq(idp_config_load(path, &cfg, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "too long") != NULL, "%s", err);
}
END_TEST

START_TEST(set_reports_through_err)
{
	struct idp_config c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(idp_config_set(&c, "code_ttl", "30", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(c.code_ttl, 30);
	ck_assert_int_eq(idp_config_set(&c, "code_ttl", "4", err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "code_ttl"));
	ck_assert_int_eq(c.code_ttl, 30);	/* unchanged on error */
	idp_config_free(&c);
}
END_TEST

/* Known bug: the host of an http issuer is cut at the first ':', which is
 * inside "[::1]", so the documented IPv6 loopback issuer is refused. */
START_TEST(ipv6_loopback_issuer)
{
	load_ok("issuer = http://[::1]:8080\ndatabase_url = x\n");
	ck_assert_str_eq(cfg.issuer, "http://[::1]:8080");
	ck_assert(!cfg.issuer_https);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = unit_tcase(s, "load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, outbound_settings);
	tcase_add_test(tc, every_entry_has_a_usable_default);
	tcase_add_test(tc, values_from_file);
	tcase_add_test(tc, loopback_http_issuer);
	tcase_add_test(tc, quoted_values);
	tcase_add_test(tc, unbalanced_quotes_are_not_stripped);
	tcase_add_test(tc, comments_blank_lines_and_whitespace);
	tcase_add_test(tc, last_line_without_newline);
	tcase_add_test(tc, later_lines_win);
	tcase_add_test(tc, set_reports_through_err);
	tcase_add_test(tc, page_settings);

	tc = unit_tcase(s, "errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bad_numbers_name_their_key);
	tcase_add_test(tc, bad_listen_names_its_key);
	tcase_add_test(tc, bad_issuer_names_its_key);
	tcase_add_test(tc, bad_words_name_their_key);
	tcase_add_test(tc, bad_page_settings_name_their_key);
	tcase_add_test(tc, unknown_key_named);
	tcase_add_test(tc, line_without_equals);
	tcase_add_test(tc, error_names_file_and_line);
	tcase_add_test(tc, missing_required_keys);
	tcase_add_test(tc, session_max_shorter_than_idle);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, line_too_long);

	tc = unit_tcase(s, "env");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, env_overrides_file);
	tcase_add_test(tc, env_alone_is_enough);
	tcase_add_test(tc, bad_env_names_variable_and_key);

	tc = unit_tcase(s, "fixed_bugs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ipv6_loopback_issuer);
	tcase_add_test(tc, signing_key_settings);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

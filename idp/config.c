#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "idp_build.h"
#include "util/mem.h"
#include "util/str.h"

const struct idp_config_entry idp_config_entries[] = {
	{ "issuer", NULL, "issuer URL: https://host[:port][/path]; http only "
	  "for 127.0.0.1, ::1 or localhost" },
	{ "listen", "127.0.0.1:8080", "address and port to listen on, "
	  "host:port" },
	{ "database_url", NULL, "libpq connection string or postgresql:// URI" },
	{ "key_dir", IDP_DEFAULT_KEY_DIR, "directory of the signing keys "
	  "(PEM files, mode 0600)" },
	{ "sql_dir", IDP_DEFAULT_SQL_DIR, "directory of the numbered SQL "
	  "migrations (idpctl migrate)" },
	{ "worker_threads", "0", "HTTP worker threads; 0 = 16 per core, at "
	  "most 128 (0-256)" },
	{ "db_pool_size", "0", "PostgreSQL connections; 0 = one per worker "
	  "thread (0-200)" },
	{ "db_connect_timeout", "3", "seconds for one connection attempt "
	  "(1-60)" },
	{ "db_request_deadline_ms", "2000", "milliseconds a request may spend "
	  "on the database (free connection, connecting, every answer) "
	  "before it gets 503 (100-60000)" },
	{ "db_start_wait", "30", "seconds idp waits for the database at start "
	  "before it exits (0-3600)" },
	{ "hash_threads", "0", "password hashing threads; 0 = one per core "
	  "(0-64)" },
	{ "hash_queue", "64", "logins waiting for a hashing thread before "
	  "new ones get 503 (1-10000)" },
	{ "code_ttl", "60", "authorization code lifetime, seconds (5-60)" },
	{ "access_token_ttl", "900", "access token lifetime, seconds "
	  "(60-86400)" },
	{ "id_token_ttl", "900", "ID token lifetime, seconds (60-86400)" },
	{ "refresh_token_ttl", "1209600", "refresh token lifetime, seconds "
	  "(300-31536000)" },
	{ "refresh_token_reuse_grace", "0", "seconds after a rotation in "
	  "which the same client may present the old refresh token again, "
	  "while the new one was never used, and get fresh tokens instead of "
	  "the revocation of the grant (a retry of an answer lost in a "
	  "failover); 0 = never (0-300)" },
	{ "session_idle_ttl", "7200", "SSO session ends after this many "
	  "seconds without use (60-604800)" },
	{ "session_max_ttl", "36000", "SSO session ends this many seconds "
	  "after the password check (300-2592000)" },
	{ "login_ttl", "900", "seconds a login page stays valid (60-3600)" },
	{ "device_code_ttl", "900", "seconds a device's codes stay valid "
	  "for the person to approve (RFC 8628 expires_in) (60-3600)" },
	{ "device_poll_interval", "5", "seconds a device waits between polls "
	  "of the token endpoint (RFC 8628 interval) (1-60)" },
	{ "cookie_name", "idp_session", "name of the SSO session cookie" },
	{ "cookie_secure", "auto", "Secure cookie flag: auto (when the "
	  "issuer is https), always, never" },
	{ "argon2_memory_kib", "12288", "argon2id memory cost, KiB "
	  "(64-4194304)" },
	{ "argon2_iterations", "3", "argon2id time cost (1-100)" },
	{ "argon2_parallelism", "1", "argon2id lanes (1-16)" },
	{ "log_level", "info", "debug, info, warn or error" },
	{ "max_body_bytes", "65536", "largest request body accepted "
	  "(1024-10485760)" },
	{ "max_connections", "4096", "connections held at once; past this "
	  "the oldest still sending a request head or body are closed "
	  "(64-100000)" },
	{ "max_connections_per_ip", "0", "connections from one client "
	  "address; 0 = no limit (behind a proxy every client has the "
	  "proxy's address) (0-100000)" },
	{ "request_head_timeout", "10", "seconds to receive a request head, "
	  "from connect or the end of the previous response (1-300)" },
	{ "request_body_timeout", "30", "seconds to receive a request head "
	  "and body, counted the same way (1-3600)" },
	{ "pkce_allow_plain", "false", "accept code_challenge_method=plain" },
	{ "client_cache_ttl", "30", "seconds a client registration is cached "
	  "in memory (0-3600)" },
	{ "key_reload_interval", "30", "seconds between checks for rotated "
	  "signing keys (1-3600)" },
	{ "purge_interval", "60", "seconds between purges of expired rows "
	  "(1-86400)" },
	{ "purge_batch", "1000", "rows deleted per purge statement "
	  "(10-100000)" },
	{ "rsa_bits", "2048", "RSA key size for new keys (2048-8192)" },
	/* Signing keys in the database and their rotation (config_keys.c). */
	{ "key_encryption_key_file", "", "file holding the key-encryption key "
	  "that seals the signing keys in the database (32 random bytes or 64 "
	  "hex digits, mode 0600); empty: $CREDENTIALS_DIRECTORY/idp-kek when "
	  "systemd provides it (LoadCredential=), else keys stay files in "
	  "key_dir" },
	{ "key_rotation_interval", "7776000", "seconds a signing key signs "
	  "before the next one takes over (0: no scheduled rotation; "
	  "needs a key-encryption key)" },
	{ "key_prepublish", "86400", "seconds a new signing key is published "
	  "in /jwks before it signs (0-2592000; below key_rotation_interval)" },
	{ "signing_algs", "RS256 ES256 PS256 EdDSA", "the algorithms the "
	  "provider keeps signing keys for, space-separated (RS256 always)" },
	{ "default_locale", "id", "language of pages without ui_locales or "
	  "Accept-Language: id or en" },
	{ "operator_organisation", "baliprov.diskominfos", "code of the "
	  "organisation whose members may hold the operator roles admin, "
	  "helpdesk and auditor" },
	{ "trust_x_forwarded_for", "false", "take the client address from the "
	  "last X-Forwarded-For entry (only behind a proxy that sets it)" },
	{ "outbound_allow_loopback", "false", "development and the demo "
	  "only: calls to client URIs (jwks_uri, backchannel_logout_uri) may "
	  "reach loopback addresses, over plain http too" },
	{ "outbound_timeout", "5", "seconds for one call to a client URI: "
	  "name, connection, TLS and response (1-60)" },
	{ "outbound_max_in_flight", "0", "calls to client URIs at once; a "
	  "request needing more gets 503; 0 = a quarter of the worker "
	  "threads, at least 2 (0-1024)" },
	{ "throttle_account_free", "5", "failed sign-ins per account (and per "
	  "known browser of it) before each further attempt waits; also "
	  "for one-time and reset codes (1-1000)" },
	{ "throttle_address_free", "50", "failed sign-ins from one source "
	  "address (an IPv6 /64), over all accounts, before each further "
	  "attempt from it waits (1-100000)" },
	{ "throttle_window", "3600", "seconds in which a free allowance of "
	  "failures drains away again (60-604800)" },
	{ "throttle_base_delay", "1", "seconds the first attempt past the "
	  "allowance waits; each further failure doubles it (1-3600)" },
	{ "throttle_max_delay", "300", "the longest wait between attempts, "
	  "seconds (1-86400)" },
	{ "device_cookie_ttl", "15552000", "seconds a device cookie (a "
	  "browser that signed in to an account before) is honoured "
	  "(3600-63072000)" },
	{ "provider_name", "SSO Provinsi Bali", "the provider's name in the "
	  "header and title of every page (1-80 bytes)" },
	{ "helpdesk_name", "Helpdesk SSO Provinsi Bali", "who people are told "
	  "to call when something goes wrong (1-80 bytes)" },
	{ "helpdesk_phone", "", "the helpdesk's telephone number as people "
	  "dial it, e.g. (0361) 222333; empty: not shown" },
	{ "helpdesk_email", "", "the helpdesk's email address; empty: not "
	  "shown" },
	{ "helpdesk_hours", "", "the helpdesk's opening hours in time_zone, "
	  "e.g. mon-fri 08:00-16:00, sat 08:00-12:00; empty: not shown" },
	{ "time_zone", "Asia/Makassar", "time zone of the times pages show "
	  "(a tzdata name; Asia/Makassar is WITA, UTC+8)" },
	{ "metrics_token", "", "bearer token Prometheus sends to /metrics "
	  "(16-256 letters, digits, - . _ ~ + /); empty: /metrics answers "
	  "404" },
	{ "metrics_enabled", "true", "count requests, tokens and sign-ins "
	  "for /metrics; false: nothing is counted and /metrics answers 404 "
	  "(the benchmark compares the two)" },
	{ "console_require_second_factor", "true", "the operator console "
	  "(/admin) needs a session signed in with a second factor; false "
	  "is for development and tests only" },
	{ "log_format", "kv", "log lines as key=value (kv) or one JSON "
	  "object per line (json), for log shippers" },
	{ "smtp_url", "", "mail relay: smtps://host[:port] (TLS), or "
	  "smtp://host[:port] (STARTTLS required unless the host is "
	  "loopback); empty: no mail is sent" },
	{ "smtp_user", "", "user name at the relay; empty: no "
	  "authentication" },
	{ "smtp_password_file", "", "file whose first line is the relay's "
	  "password (mode 0600); empty: none" },
	{ "mail_from", "", "the sender address of every mail, e.g. "
	  "sso@baliprov.go.id (required with smtp_url)" },
	{ "smtp_timeout", "30", "seconds for one delivery to the relay "
	  "(1-300)" },
	{ "mail_give_up", "86400", "seconds a mail is retried before it is "
	  "recorded as failed (60-2592000)" },
	{ "outbox_workers", "4", "outbox threads delivering mail in this "
	  "process, one message each at a time (1-64); back-channel logout "
	  "has logout_delivery_concurrency" },
	{ "outbox_poll_interval", "5", "seconds between looks for outbox rows "
	  "other instances wrote (1-3600)" },
	{ "outbox_retry_base", "30", "seconds before the first retry; each "
	  "further one waits twice as long, with jitter (1-3600)" },
	{ "outbox_retry_max", "3600", "longest wait between two tries, "
	  "seconds (1-86400)" },
	{ "outbox_retention", "604800", "seconds delivered and failed outbox "
	  "rows are kept for idpctl outbox status (60-31536000)" },
	{ "logout_timeout", "5", "seconds one back-channel logout call to a "
	  "service may take (1-30)" },
	{ "logout_delivery_concurrency", "32", "back-channel logout calls in "
	  "flight at once in this process, all driven by one thread; a slow "
	  "service holds one of them for at most logout_timeout (1-256)" },
	{ "logout_give_up", "86400", "seconds a back-channel logout token is "
	  "retried before it is recorded as failed (60-2592000)" },
	{ "password_min_length", "8", "fewest characters of a new password, "
	  "counted after NFKC (8-64)" },
	{ "password_dictionary", "/var/cache/cracklib/cracklib_dict",
	  "cracklib dictionary new passwords are checked against (path "
	  "without .pwd/.pwi/.hwm; package cracklib-runtime)" },
	{ "reset_link_ttl", "1800", "seconds a mailed reset link stays valid "
	  "(300-86400)" },
	{ "reset_code_ttl", "86400", "seconds a helpdesk reset code stays "
	  "valid (600-604800)" },
	{ "reset_code_tries", "5", "wrong codes after which a reset code "
	  "stops working (1-10)" },
	{ "par_ttl", "60", "seconds a request_uri from the pushed "
	  "authorization request endpoint stays valid (10-600)" },
	{ "require_pushed_authorization_requests", "false", "every client "
	  "must push its authorization requests (RFC 9126); per client: the "
	  "metadata member of the same name" },
	{ "dpop_proof_max_age", "120", "seconds a DPoP proof's iat may lie in "
	  "the past when no nonce vouches for it (10-3600)" },
	{ "dpop_require_nonce", "true", "DPoP proofs must carry a nonce the "
	  "provider handed out in DPoP-Nonce (RFC 9449 §8)" },
	{ "dpop_nonce_rotation", "300", "seconds between new DPoP nonces; a "
	  "nonce is accepted for one to two rotations (30-3600)" },
	{ NULL, NULL, NULL },
};

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = idp_xstrdup(v);
}

static int
set_int(const char *key, const char *v, int64_t min, int64_t max,
    int64_t *out, char *err, size_t errlen)
{
	if (idp_parse_i64(v, min, max, out) != 0) {
		snprintf(err, errlen, "%s: \"%s\" is not a whole number from "
		    "%lld to %lld", key, v, (long long)min, (long long)max);
		return -1;
	}
	return 0;
}

static bool
is_loopback_host(const char *h, size_t n)
{
	return (n == 9 && !strncmp(h, "127.0.0.1", 9)) ||
	    (n == 9 && !strncmp(h, "localhost", 9)) ||
	    (n == 5 && !strncmp(h, "[::1]", 5));
}

static int
set_issuer(struct idp_config *cfg, const char *v, char *err, size_t errlen)
{
	const char *host, *end;
	size_t n = strlen(v);
	bool https;

	https = idp_has_prefix(v, "https://");
	if (!https && !idp_has_prefix(v, "http://"))
		goto bad;
	host = v + (https ? 8 : 7);
	if (*host == '[') {
		const char *rb = strchr(host, ']');

		if (rb == NULL || (rb[1] != '\0' && rb[1] != ':' && rb[1] != '/'))
			goto bad;
		end = rb + 1;
	} else {
		end = host + strcspn(host, ":/");
	}
	if (end == host || strpbrk(v, "?# \t") != NULL || v[n - 1] == '/')
		goto bad;
	if (!https && !is_loopback_host(host, (size_t)(end - host))) {
		snprintf(err, errlen, "issuer: \"%s\" must use https (plain "
		    "http is only for 127.0.0.1, ::1 and localhost)", v);
		return -1;
	}
	set_str(&cfg->issuer, v);
	cfg->issuer_https = https;
	return 0;
bad:
	snprintf(err, errlen, "issuer: \"%s\" is not an absolute http(s) URL "
	    "without query, fragment or trailing slash", v);
	return -1;
}

static int
set_listen(struct idp_config *cfg, const char *v, char *err, size_t errlen)
{
	const char *colon = strrchr(v, ':');
	int64_t port;
	char host[64];
	size_t hl;

	if (colon == NULL || colon == v)
		goto bad;
	hl = (size_t)(colon - v);
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, v, hl);
	host[hl] = '\0';
	if (idp_parse_i64(colon + 1, 1, 65535, &port) != 0)
		goto bad;
	for (size_t i = 0; i < hl; i++)
		if (!isdigit((unsigned char)host[i]) && host[i] != '.')
			goto bad;
	set_str(&cfg->listen, v);
	set_str(&cfg->listen_host, host);
	cfg->listen_port = (int)port;
	return 0;
bad:
	snprintf(err, errlen, "listen: \"%s\" is not an IPv4 host:port such "
	    "as 127.0.0.1:8080", v);
	return -1;
}

struct int_key {
	const char *key;
	size_t off;
	bool wide;
	int64_t min, max;
};

#define IK(k, f, lo, hi) { k, offsetof(struct idp_config, f), false, lo, hi }
#define WK(k, f, lo, hi) { k, offsetof(struct idp_config, f), true, lo, hi }

static const struct int_key int_keys[] = {
	IK("worker_threads", worker_threads, 0, 256),
	IK("db_pool_size", db_pool_size, 0, 200),
	IK("db_connect_timeout", db_connect_timeout, 1, 60),
	IK("db_request_deadline_ms", db_request_deadline_ms, 100, 60000),
	IK("db_start_wait", db_start_wait, 0, 3600),
	IK("hash_threads", hash_threads, 0, 64),
	IK("hash_queue", hash_queue, 1, 10000),
	WK("code_ttl", code_ttl, 5, 60),
	WK("access_token_ttl", access_token_ttl, 60, 86400),
	WK("id_token_ttl", id_token_ttl, 60, 86400),
	WK("refresh_token_ttl", refresh_token_ttl, 300, 31536000),
	IK("refresh_token_reuse_grace", refresh_token_reuse_grace, 0, 300),
	WK("session_idle_ttl", session_idle_ttl, 60, 604800),
	WK("session_max_ttl", session_max_ttl, 300, 2592000),
	WK("login_ttl", login_ttl, 60, 3600),
	WK("device_code_ttl", device_code_ttl, 60, 3600),
	IK("device_poll_interval", device_poll_interval, 1, 60),
	WK("max_body_bytes", max_body_bytes, 1024, 10485760),
	IK("max_connections", max_connections, 64, 100000),
	IK("max_connections_per_ip", max_connections_per_ip, 0, 100000),
	IK("request_head_timeout", request_head_timeout, 1, 300),
	IK("request_body_timeout", request_body_timeout, 1, 3600),
	IK("client_cache_ttl", client_cache_ttl, 0, 3600),
	IK("key_reload_interval", key_reload_interval, 1, 3600),
	IK("purge_interval", purge_interval, 1, 86400),
	IK("purge_batch", purge_batch, 10, 100000),
	IK("rsa_bits", rsa_bits, 2048, 8192),
	IK("outbound_timeout", outbound_timeout, 1, 60),
	IK("outbound_max_in_flight", outbound_max_in_flight, 0, 1024),
	IK("throttle_account_free", throttle_account_free, 1, 1000),
	IK("throttle_address_free", throttle_address_free, 1, 100000),
	IK("throttle_window", throttle_window, 60, 604800),
	IK("throttle_base_delay", throttle_base_delay, 1, 3600),
	IK("throttle_max_delay", throttle_max_delay, 1, 86400),
	WK("device_cookie_ttl", device_cookie_ttl, 3600, 63072000),
};

static int
set_argon(struct idp_config *cfg, const char *key, const char *v, char *err,
    size_t errlen)
{
	int64_t n;

	if (!strcmp(key, "argon2_memory_kib")) {
		if (set_int(key, v, 64, 4194304, &n, err, errlen))
			return -1;
		cfg->argon2.m_kib = (uint32_t)n;
	} else if (!strcmp(key, "argon2_iterations")) {
		if (set_int(key, v, 1, 100, &n, err, errlen))
			return -1;
		cfg->argon2.t_cost = (uint32_t)n;
	} else {
		if (set_int(key, v, 1, 16, &n, err, errlen))
			return -1;
		cfg->argon2.parallelism = (uint32_t)n;
	}
	return 0;
}

/* As organisations.code: ^[a-z0-9][a-z0-9._-]{0,62}$ */
static bool
is_org_code(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || !(islower((unsigned char)*s) ||
	    isdigit((unsigned char)*s)))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '.' && *s != '_' && *s != '-')
			return false;
	return true;
}

static bool
is_token_name(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

int
idp_config_set(struct idp_config *cfg, const char *key, const char *v,
    char *err, size_t errlen)
{
	int64_t n;

	for (size_t i = 0; i < sizeof(int_keys) / sizeof(int_keys[0]); i++) {
		const struct int_key *k = &int_keys[i];

		if (strcmp(key, k->key) != 0)
			continue;
		if (set_int(key, v, k->min, k->max, &n, err, errlen))
			return -1;
		if (k->wide)
			*(int64_t *)((char *)cfg + k->off) = n;
		else
			*(int *)((char *)cfg + k->off) = (int)n;
		return 0;
	}
	if (!strcmp(key, "issuer"))
		return set_issuer(cfg, v, err, errlen);
	if (!strcmp(key, "listen"))
		return set_listen(cfg, v, err, errlen);
	if (!strncmp(key, "argon2_", 7) &&
	    (!strcmp(key + 7, "memory_kib") || !strcmp(key + 7, "iterations") ||
	    !strcmp(key + 7, "parallelism")))
		return set_argon(cfg, key, v, err, errlen);
	if (!strcmp(key, "database_url") || !strcmp(key, "key_dir") ||
	    !strcmp(key, "sql_dir")) {
		char **dst = !strcmp(key, "database_url") ? &cfg->database_url :
		    !strcmp(key, "key_dir") ? &cfg->key_dir : &cfg->sql_dir;

		if (*v == '\0') {
			snprintf(err, errlen, "%s: must not be empty", key);
			return -1;
		}
		set_str(dst, v);
		return 0;
	}
	if (!strcmp(key, "cookie_name")) {
		if (!is_token_name(v)) {
			snprintf(err, errlen, "cookie_name: \"%s\" must be 1-64 "
			    "letters, digits, '_' or '-'", v);
			return -1;
		}
		set_str(&cfg->cookie_name, v);
		return 0;
	}
	if (!strcmp(key, "operator_organisation")) {
		if (!is_org_code(v)) {
			snprintf(err, errlen, "operator_organisation: \"%s\" is "
			    "not an organisation code", v);
			return -1;
		}
		set_str(&cfg->operator_org, v);
		return 0;
	}
	if (!strcmp(key, "cookie_secure")) {
		if (!strcmp(v, "auto"))
			cfg->cookie_secure = IDP_COOKIE_SECURE_AUTO;
		else if (!strcmp(v, "always"))
			cfg->cookie_secure = IDP_COOKIE_SECURE_ALWAYS;
		else if (!strcmp(v, "never"))
			cfg->cookie_secure = IDP_COOKIE_SECURE_NEVER;
		else {
			snprintf(err, errlen, "cookie_secure: \"%s\" is not "
			    "auto, always or never", v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "log_level")) {
		if (idp_log_level_parse(v, &cfg->log_level) != 0) {
			snprintf(err, errlen, "log_level: \"%s\" is not debug, "
			    "info, warn or error", v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "pkce_allow_plain") ||
	    !strcmp(key, "trust_x_forwarded_for") ||
	    !strcmp(key, "outbound_allow_loopback")) {
		bool *dst = !strcmp(key, "pkce_allow_plain") ?
		    &cfg->pkce_allow_plain :
		    !strcmp(key, "trust_x_forwarded_for") ?
		    &cfg->trust_x_forwarded_for : &cfg->outbound_allow_loopback;

		if (idp_parse_bool(v, dst) != 0) {
			snprintf(err, errlen, "%s: \"%s\" is not true or false",
			    key, v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "default_locale")) {
		if (strcmp(v, "id") != 0 && strcmp(v, "en") != 0) {
			snprintf(err, errlen, "default_locale: \"%s\" is not id "
			    "or en", v);
			return -1;
		}
		set_str(&cfg->default_locale, v);
		return 0;
	}
	if ((n = idp_config_set_page(cfg, key, v, err, errlen)) <= 0)
		return (int)n;
	if ((n = idp_config_set_mail(cfg, key, v, err, errlen)) <= 0)
		return (int)n;
	if ((n = idp_config_set_ops(cfg, key, v, err, errlen)) <= 0)
		return (int)n;
	if ((n = idp_config_set_request(cfg, key, v, err, errlen)) <= 0)
		return (int)n;
	if ((n = idp_config_set_keys(cfg, key, v, err, errlen)) <= 0)
		return (int)n;
	snprintf(err, errlen, "%s: unknown configuration key", key);
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int
load_file(const char *path, struct idp_config *cfg, char *err, size_t errlen)
{
	char line[4096];
	FILE *f = fopen(path, "r");
	int lineno = 0, rc = 0;

	if (f == NULL) {
		snprintf(err, errlen, "config: cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		char *p, *eq, *key, *val;
		char sub[512];

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "config: %s:%d: line too long",
			    path, lineno);
			rc = -1;
			break;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "config: %s:%d: expected "
			    "key = value", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (strlen(val) >= 2 && val[0] == '"' &&
		    val[strlen(val) - 1] == '"') {
			val[strlen(val) - 1] = '\0';
			val++;
		}
		if (idp_config_set(cfg, key, val, sub, sizeof(sub)) != 0) {
			snprintf(err, errlen, "config: %s:%d: %s", path, lineno,
			    sub);
			rc = -1;
		}
	}
	fclose(f);
	return rc;
}

static int
load_env(struct idp_config *cfg, char *err, size_t errlen)
{
	for (const struct idp_config_entry *e = idp_config_entries; e->key;
	    e++) {
		char name[64], sub[512];
		const char *v;
		size_t i;

		snprintf(name, sizeof(name), "IDP_%s", e->key);
		for (i = 4; name[i]; i++)
			name[i] = (char)toupper((unsigned char)name[i]);
		v = getenv(name);
		if (v == NULL)
			continue;
		if (idp_config_set(cfg, e->key, v, sub, sizeof(sub)) != 0) {
			snprintf(err, errlen, "environment %s: %s", name, sub);
			return -1;
		}
	}
	return 0;
}

static int
finish(struct idp_config *cfg, char *err, size_t errlen)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (cores < 1)
		cores = 1;
	if (cfg->issuer == NULL) {
		snprintf(err, errlen, "issuer: required (set issuer in the "
		    "config file or IDP_ISSUER)");
		return -1;
	}
	if (cfg->database_url == NULL) {
		snprintf(err, errlen, "database_url: required (set "
		    "database_url in the config file or IDP_DATABASE_URL)");
		return -1;
	}
	if (cfg->session_max_ttl < cfg->session_idle_ttl) {
		snprintf(err, errlen, "session_max_ttl: must not be shorter "
		    "than session_idle_ttl");
		return -1;
	}
	if (cfg->request_body_timeout < cfg->request_head_timeout) {
		snprintf(err, errlen, "request_body_timeout: must not be "
		    "shorter than request_head_timeout");
		return -1;
	}
	if (idp_config_finish_mail(cfg, err, errlen) != 0)
		return -1;
	if (idp_config_finish_keys(cfg, err, errlen) != 0)
		return -1;
	/* A worker waits for PostgreSQL, and a write for its WAL flush
	 * (about a millisecond, much more on a busy disk): throughput is
	 * workers / latency, so there are many more workers than cores, and
	 * PostgreSQL's group commit flushes for all of them at once. */
	if (cfg->worker_threads == 0)
		cfg->worker_threads = (int)(cores * 16 > 128 ? 128 : cores * 16);
	if (cfg->db_pool_size == 0)
		cfg->db_pool_size = cfg->worker_threads;
	if (cfg->hash_threads == 0)
		cfg->hash_threads = (int)cores;
	if (cfg->outbound_max_in_flight == 0)
		cfg->outbound_max_in_flight = cfg->worker_threads / 4 < 2 ? 2 :
		    cfg->worker_threads / 4;
	cfg->cookie_secure_effective =
	    cfg->cookie_secure == IDP_COOKIE_SECURE_ALWAYS ||
	    (cfg->cookie_secure == IDP_COOKIE_SECURE_AUTO && cfg->issuer_https);
	return 0;
}

int
idp_config_load(const char *path, struct idp_config *cfg, char *err,
    size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	for (const struct idp_config_entry *e = idp_config_entries; e->key;
	    e++) {
		if (e->def == NULL)
			continue;
		if (idp_config_set(cfg, e->key, e->def, err, errlen) != 0)
			return -1;
	}
	if (path != NULL && load_file(path, cfg, err, errlen) != 0)
		return -1;
	if (load_env(cfg, err, errlen) != 0)
		return -1;
	return finish(cfg, err, errlen);
}

void
idp_config_free(struct idp_config *cfg)
{
	free(cfg->issuer);
	free(cfg->listen);
	free(cfg->listen_host);
	if (cfg->database_url != NULL)
		idp_wipe(cfg->database_url, strlen(cfg->database_url));
	free(cfg->database_url);
	free(cfg->key_dir);
	free(cfg->sql_dir);
	free(cfg->cookie_name);
	free(cfg->default_locale);
	idp_config_free_page(cfg);
	free(cfg->operator_org);
	idp_config_free_mail(cfg);
	idp_config_free_ops(cfg);
	idp_config_free_keys(cfg);
	memset(cfg, 0, sizeof(*cfg));
}

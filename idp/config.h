/* The provider's configuration: parsed once at start into an immutable
 * struct (defaults, then the file, then IDP_* environment variables). A bad
 * value stops the program with a message that names the key. This and the
 * pools are the only process-wide state. */
#ifndef IDP_CONFIG_H
#define IDP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/pwhash.h"
#include "util/log.h"

enum idp_cookie_secure { IDP_COOKIE_SECURE_AUTO, IDP_COOKIE_SECURE_ALWAYS,
	IDP_COOKIE_SECURE_NEVER };

/* Opening hours of the helpdesk: up to four ranges of weekdays (0 is
 * Monday), each open from `open` to `close`, minutes after midnight in the
 * configured time zone. */
#define IDP_HOURS_MAX 4
struct idp_hours {
	int n;
	struct {
		int first_day, last_day;
		int open, close;
	} r[IDP_HOURS_MAX];
};

struct idp_config {
	char *issuer;		/* no trailing slash */
	bool issuer_https;
	char *listen;		/* as given, host:port */
	char *listen_host;
	int listen_port;
	char *database_url;
	char *key_dir;
	char *sql_dir;
	int worker_threads;
	int db_pool_size;
	int db_connect_timeout;	/* seconds for one connection attempt */
	int db_request_deadline_ms;	/* a request's time on the database */
	int db_start_wait;	/* seconds idp waits for the database at start */
	int hash_threads;
	int hash_queue;
	int64_t code_ttl;
	int64_t access_token_ttl;
	int64_t id_token_ttl;
	int64_t refresh_token_ttl;
	int refresh_token_reuse_grace;	/* seconds; 0: every replay is reuse */
	int64_t session_idle_ttl;
	int64_t session_max_ttl;
	int64_t login_ttl;
	int64_t device_code_ttl;	/* RFC 8628 expires_in */
	int device_poll_interval;	/* RFC 8628 interval, seconds */
	char *cookie_name;
	enum idp_cookie_secure cookie_secure;
	bool cookie_secure_effective;
	struct idp_pwhash_params argon2;
	enum idp_log_level log_level;
	int64_t max_body_bytes;
	int max_connections;		/* soft cap, see daemon/guard.h */
	int max_connections_per_ip;	/* 0: no limit */
	int request_head_timeout;	/* seconds */
	int request_body_timeout;	/* seconds, head included */
	bool pkce_allow_plain;
	int client_cache_ttl;
	int key_reload_interval;
	int purge_interval;
	int purge_batch;
	int rsa_bits;
	char *default_locale;
	char *operator_org;	/* operator_organisation: its code */
	bool trust_x_forwarded_for;
	bool outbound_allow_loopback;	/* development only */
	int outbound_timeout;		/* seconds for one outbound call */
	int outbound_max_in_flight;	/* outbound calls at once */
	/* Sign-in defence (core/throttle.c, docs/security.md). */
	int throttle_account_free;	/* failures per account, per browser */
	int throttle_address_free;	/* failures per source address */
	int throttle_window;		/* seconds in which `free` drain away */
	int throttle_base_delay;	/* first wait, seconds; then doubling */
	int throttle_max_delay;		/* longest wait, seconds */
	int64_t device_cookie_ttl;	/* lifetime of a device cookie */
	/* What the pages say about the provider and where to get help. */
	char *provider_name;
	char *helpdesk_name;
	char *helpdesk_phone;		/* "" when not configured */
	char *helpdesk_email;		/* "" when not configured */
	struct idp_hours helpdesk_hours;	/* n == 0 when not configured */
	char *time_zone;		/* tzdata name, e.g. Asia/Makassar */
	/* Mail and the outbox (config_mail.c). */
	char *smtp_url;			/* "" when no mail is sent */
	char *smtp_user;		/* "" for none */
	char *smtp_password_file;	/* "" for none */
	char *smtp_password;		/* idp_config_read_smtp_password */
	char *mail_from;
	int smtp_timeout;		/* seconds for one delivery */
	int64_t mail_give_up;		/* seconds a mail is retried */
	int outbox_workers;		/* deliveries at once, per process */
	int outbox_poll_interval;	/* seconds between looks for rows */
	int outbox_retry_base;		/* first retry after about this */
	int outbox_retry_max;		/* longest wait between tries */
	int64_t outbox_retention;	/* seconds done rows are kept */
	/* Back-channel logout (core/logout.c). */
	int logout_timeout;		/* seconds for one call to a service */
	int logout_delivery_concurrency; /* calls in flight at once */
	int64_t logout_give_up;		/* seconds a token is retried */
	/* Passwords and their reset. */
	int password_min_length;	/* characters after NFKC */
	char *password_dictionary;	/* cracklib dictionary path prefix */
	int64_t reset_link_ttl;
	int64_t reset_code_ttl;
	int reset_code_tries;		/* wrong codes before a code stops */
	/* Monitoring (config_ops.c). */
	char *metrics_token;		/* "" when /metrics is off */
	bool metrics_enabled;		/* false: nothing is counted */
	bool log_json;			/* log_format = json */
	/* The operator console (config_ops.c). */
	bool console_require_second_factor;
	/* Signing keys in the database and their rotation (config_keys.c). */
	char *kek_file;			/* key_encryption_key_file, or "" */
	int64_t key_rotation_interval;	/* 0: no scheduled rotation */
	int64_t key_prepublish;		/* seconds in /jwks before signing */
	unsigned signing_algs;		/* bit (1u << enum idp_alg) each */
	/* How clients send requests (config_request.c). */
	int64_t par_ttl;		/* seconds a request_uri lives */
	bool require_par;		/* every client must push (RFC 9126) */
	int64_t dpop_proof_max_age;	/* seconds, of a proof's iat */
	bool dpop_require_nonce;	/* RFC 9449 §8 */
	int64_t dpop_nonce_rotation;	/* seconds between new nonces */
};

struct idp_config_entry {
	const char *key;	/* file key; the environment name is IDP_<KEY> */
	const char *def;	/* default as text, NULL when required */
	const char *help;
};

/* Every key, for --help and the documentation test. NULL-terminated. */
extern const struct idp_config_entry idp_config_entries[];

/* Load defaults, then path (may be NULL), then the environment. On error
 * returns -1 and writes one line naming the key into err. */
int idp_config_load(const char *path, struct idp_config *cfg, char *err,
    size_t errlen);
/* Parse one key's text value into cfg (used by load and by tests). */
int idp_config_set(struct idp_config *cfg, const char *key, const char *value,
    char *err, size_t errlen);
void idp_config_free(struct idp_config *cfg);

/* config_page.c: the keys of the pages (provider_name, helpdesk_*,
 * time_zone). Returns 1 when key is not one of them. */
int idp_config_set_page(struct idp_config *cfg, const char *key,
    const char *value, char *err, size_t errlen);
void idp_config_free_page(struct idp_config *cfg);

/* config_mail.c: the keys of mail, the outbox, the password policy and
 * resets. Returns 1 when key is not one of them. */
int idp_config_set_mail(struct idp_config *cfg, const char *key,
    const char *value, char *err, size_t errlen);
int idp_config_finish_mail(struct idp_config *cfg, char *err, size_t errlen);
void idp_config_free_mail(struct idp_config *cfg);
/* config_ops.c: monitoring (metrics_token, log_format). Returns 1 when
 * key is not one of them. */
int idp_config_set_ops(struct idp_config *cfg, const char *key,
    const char *value, char *err, size_t errlen);
void idp_config_free_ops(struct idp_config *cfg);

/* config_keys.c: the keys of signing keys and their rotation. Returns 1
 * when key is not one of them. */
int idp_config_set_keys(struct idp_config *cfg, const char *key,
    const char *value, char *err, size_t errlen);
int idp_config_finish_keys(struct idp_config *cfg, char *err, size_t errlen);
void idp_config_free_keys(struct idp_config *cfg);
/* Read smtp_password_file into smtp_password (the daemon, at start). */
int idp_config_read_smtp_password(struct idp_config *cfg, char *err,
    size_t errlen);
/* smtp_url names this machine (127.0.0.0/8, ::1, localhost), where a relay
 * may be reached without TLS. */
bool idp_smtp_host_is_loopback(const char *url);
/* config_request.c: the keys of PAR and DPoP. Returns 1 when key is not
 * one of them. */
int idp_config_set_request(struct idp_config *cfg, const char *key,
    const char *value, char *err, size_t errlen);

#endif

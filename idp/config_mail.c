/* The configuration keys of mail, the outbox, the password policy and
 * password resets. Part of config.c's loader (idp_config_set asks here). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "util/mem.h"
#include "util/str.h"

struct mail_int {
	const char *key;
	size_t off;
	bool wide;
	int64_t min, max;
};

#define MI(k, f, lo, hi) { k, offsetof(struct idp_config, f), false, lo, hi }
#define MW(k, f, lo, hi) { k, offsetof(struct idp_config, f), true, lo, hi }

static const struct mail_int mail_ints[] = {
	MI("smtp_timeout", smtp_timeout, 1, 300),
	MW("mail_give_up", mail_give_up, 60, 2592000),
	MI("outbox_workers", outbox_workers, 1, 64),
	MI("outbox_poll_interval", outbox_poll_interval, 1, 3600),
	MI("outbox_retry_base", outbox_retry_base, 1, 3600),
	MI("outbox_retry_max", outbox_retry_max, 1, 86400),
	MW("outbox_retention", outbox_retention, 60, 31536000),
	MI("logout_timeout", logout_timeout, 1, 30),
	MI("logout_delivery_concurrency", logout_delivery_concurrency, 1, 256),
	MW("logout_give_up", logout_give_up, 60, 2592000),
	MI("password_min_length", password_min_length, 8, 64),
	MW("reset_link_ttl", reset_link_ttl, 300, 86400),
	MW("reset_code_ttl", reset_code_ttl, 600, 604800),
	MI("reset_code_tries", reset_code_tries, 1, 10),
};

/* A host of smtp_url that may be reached without TLS: this machine. */
bool
idp_smtp_host_is_loopback(const char *url)
{
	const char *h = strstr(url, "://");
	size_t n;

	if (h == NULL)
		return false;
	h += 3;
	n = *h == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/");
	return (n == 9 && !strncasecmp(h, "localhost", 9)) ||
	    (n == 5 && !strncmp(h, "[::1]", 5)) ||
	    (n >= 9 && n <= 15 && !strncmp(h, "127.", 4) &&
	    strspn(h, "0123456789.") == n);
}

/* smtp://host[:port] or smtps://host[:port], nothing else: the path of an
 * SMTP URL is the EHLO name, which libcurl takes from the host anyway. */
static int
set_smtp_url(struct idp_config *cfg, const char *v, char *err, size_t errlen)
{
	const char *host;
	size_t n;

	if (*v == '\0')
		goto ok;
	if (idp_has_prefix(v, "smtps://"))
		host = v + 8;
	else if (idp_has_prefix(v, "smtp://"))
		host = v + 7;
	else
		goto bad;
	n = strlen(host);
	if (n == 0 || n > 253 || host[0] == ':' || host[n - 1] == ':' ||
	    strpbrk(host, "/?#@ \t\\") != NULL)
		goto bad;
	for (const char *p = host; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			goto bad;
ok:
	free(cfg->smtp_url);
	cfg->smtp_url = idp_xstrdup(v);
	return 0;
bad:
	snprintf(err, errlen, "smtp_url: \"%s\" is not smtps://host[:port] or "
	    "smtp://host[:port] (empty: no mail)", v);
	return -1;
}

static int
set_text(char **dst, const char *key, const char *v, char *err,
    size_t errlen)
{
	for (const char *p = v; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "%s: must not contain control "
			    "characters", key);
			return -1;
		}
	}
	free(*dst);
	*dst = idp_xstrdup(v);
	return 0;
}

int
idp_config_set_mail(struct idp_config *cfg, const char *key, const char *v,
    char *err, size_t errlen)
{
	int64_t n;

	for (size_t i = 0; i < sizeof(mail_ints) / sizeof(mail_ints[0]); i++) {
		const struct mail_int *k = &mail_ints[i];

		if (strcmp(key, k->key) != 0)
			continue;
		if (idp_parse_i64(v, k->min, k->max, &n) != 0) {
			snprintf(err, errlen, "%s: \"%s\" is not a whole "
			    "number from %lld to %lld", key, v,
			    (long long)k->min, (long long)k->max);
			return -1;
		}
		if (k->wide)
			*(int64_t *)((char *)cfg + k->off) = n;
		else
			*(int *)((char *)cfg + k->off) = (int)n;
		return 0;
	}
	if (!strcmp(key, "smtp_url"))
		return set_smtp_url(cfg, v, err, errlen);
	if (!strcmp(key, "mail_from")) {
		if (*v != '\0' && !idp_email_addr_ok(v)) {
			snprintf(err, errlen, "mail_from: \"%s\" is not an "
			    "address like sso@baliprov.go.id", v);
			return -1;
		}
		return set_text(&cfg->mail_from, key, v, err, errlen);
	}
	if (!strcmp(key, "smtp_user"))
		return set_text(&cfg->smtp_user, key, v, err, errlen);
	if (!strcmp(key, "smtp_password_file"))
		return set_text(&cfg->smtp_password_file, key, v, err, errlen);
	if (!strcmp(key, "password_dictionary")) {
		if (*v == '\0') {
			snprintf(err, errlen, "password_dictionary: must not be "
			    "empty");
			return -1;
		}
		return set_text(&cfg->password_dictionary, key, v, err,
		    errlen);
	}
	return 1;
}

int
idp_config_finish_mail(struct idp_config *cfg, char *err, size_t errlen)
{
	if (*cfg->smtp_url != '\0' && *cfg->mail_from == '\0') {
		snprintf(err, errlen, "mail_from: required when smtp_url is "
		    "set");
		return -1;
	}
	if (cfg->outbox_retry_max < cfg->outbox_retry_base) {
		snprintf(err, errlen, "outbox_retry_max: must not be shorter "
		    "than outbox_retry_base");
		return -1;
	}
	return 0;
}

/* The relay's password, from its own file (0600, owned by the service):
 * its first line, without the newline. */
int
idp_config_read_smtp_password(struct idp_config *cfg, char *err,
    size_t errlen)
{
	char buf[1024];
	FILE *f;
	size_t n;

	if (*cfg->smtp_password_file == '\0')
		return 0;
	if ((f = fopen(cfg->smtp_password_file, "r")) == NULL) {
		snprintf(err, errlen, "smtp_password_file: cannot open %s: %s",
		    cfg->smtp_password_file, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0') {
		snprintf(err, errlen, "smtp_password_file: %s is empty",
		    cfg->smtp_password_file);
		return -1;
	}
	free(cfg->smtp_password);
	cfg->smtp_password = idp_xstrdup(buf);
	idp_wipe(buf, sizeof(buf));
	return 0;
}

void
idp_config_free_mail(struct idp_config *cfg)
{
	if (cfg->smtp_password != NULL)
		idp_wipe(cfg->smtp_password, strlen(cfg->smtp_password));
	free(cfg->smtp_password);
	free(cfg->smtp_url);
	free(cfg->smtp_user);
	free(cfg->smtp_password_file);
	free(cfg->mail_from);
	free(cfg->password_dictionary);
}

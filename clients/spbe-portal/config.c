#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "oidc.h"
#include "util.h"

#define SECRET_MAX	4096

static const char *
env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

static int
bad(char *err, size_t errlen, const char *name, const char *why)
{
	snprintf(err, errlen, "%s: %s", name, why);
	return -1;
}

/* RFC 6749 App. A.1: a client_id is visible ASCII (VSCHAR). */
static bool
vschar(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* The secret from a file (a Docker or systemd credential), one line. */
static char *
read_secret(const char *path, char *err, size_t errlen)
{
	char *s;
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "PORTAL_CLIENT_SECRET_FILE: %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	if ((s = calloc(1, SECRET_MAX + 1)) == NULL) {
		fclose(fp);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n = fread(s, 1, SECRET_MAX, fp);
	fclose(fp);
	/* One trailing newline (as echo and editors write) is not secret. */
	if (n > 0 && s[n - 1] == '\n')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '\r')
		s[--n] = '\0';
	if (n == 0 || n == SECRET_MAX || strlen(s) != n) {
		snprintf(err, errlen, "PORTAL_CLIENT_SECRET_FILE: %s: empty, "
		    "binary or longer than %d bytes", path, SECRET_MAX - 1);
		wipe_free(s);
		return NULL;
	}
	return s;
}

static int
load_secret(struct config *cf, char *err, size_t errlen)
{
	const char *v = env("PORTAL_CLIENT_SECRET", NULL);
	const char *file = env("PORTAL_CLIENT_SECRET_FILE", NULL);

	if (v != NULL && file != NULL)
		return bad(err, errlen, "PORTAL_CLIENT_SECRET", "set "
		    "PORTAL_CLIENT_SECRET or PORTAL_CLIENT_SECRET_FILE, not both");
	if (v == NULL && file == NULL)
		return bad(err, errlen, "PORTAL_CLIENT_SECRET", "not set (nor "
		    "PORTAL_CLIENT_SECRET_FILE)");
	if (file != NULL)
		cf->cf_client_secret = read_secret(file, err, errlen);
	else if ((cf->cf_client_secret = strdup(v)) == NULL)
		snprintf(err, errlen, "out of memory");
	return cf->cf_client_secret != NULL ? 0 : -1;
}

/* "127.0.0.1:8081" or "[::1]:8081": numeric host and port only. */
static int
parse_listen(struct config *cf, const char *v, char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL;
	const char *port, *end;
	char host[64];
	size_t hlen;
	long p;

	if (v[0] == '[') {
		end = strchr(v, ']');
		if (end == NULL || end[1] != ':')
			goto invalid;
		hlen = (size_t)(end - v - 1);
		port = end + 2;
		v++;
	} else {
		if ((end = strrchr(v, ':')) == NULL)
			goto invalid;
		hlen = (size_t)(end - v);
		port = end + 1;
	}
	if (hlen == 0 || hlen >= sizeof(host) || strspn(port, "0123456789") !=
	    strlen(port) || strlen(port) == 0 || strlen(port) > 5)
		goto invalid;
	p = strtol(port, NULL, 10);
	if (p < 1 || p > 65535)
		goto invalid;
	memcpy(host, v, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai) != 0 || ai == NULL ||
	    ai->ai_addrlen > sizeof(cf->cf_listen_addr))
		goto invalid;
	memcpy(&cf->cf_listen_addr, ai->ai_addr, ai->ai_addrlen);
	cf->cf_listen_addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
invalid:
	if (ai != NULL)
		freeaddrinfo(ai);
	return bad(err, errlen, "PORTAL_LISTEN", "expected an IP address and "
	    "port, such as 127.0.0.1:8081 or [::1]:8081");
}

/* The issuer is compared exactly; a query or fragment is not allowed. */
static int
check_issuer(const char *v, char *err, size_t errlen)
{
	if (!oidc_url_ok(v) || strchr(v, '?') != NULL)
		return bad(err, errlen, "PORTAL_ISSUER", "must be an https URL "
		    "(http only for 127.0.0.1, [::1] or localhost), without "
		    "query or fragment");
	return 0;
}

/* The callback route and the post-logout URI come from the redirect URI. */
static int
derive_from_redirect(struct config *cf, char *err, size_t errlen)
{
	const char *ru = cf->cf_redirect_uri;

	if (!oidc_url_ok(ru) || strchr(ru, '?') != NULL ||
	    (cf->cf_origin = url_origin(ru)) == NULL ||
	    ru[strlen(cf->cf_origin)] != '/')
		return bad(err, errlen, "PORTAL_REDIRECT_URI", "must be an "
		    "https URL with a path (http only for 127.0.0.1, [::1] or "
		    "localhost), without query or fragment");
	cf->cf_callback_path = ru + strlen(cf->cf_origin);
	if (strcmp(cf->cf_callback_path, "/") == 0)
		return bad(err, errlen, "PORTAL_REDIRECT_URI", "the path / is "
		    "the home page; use e.g. /callback");
	cf->cf_https = strncmp(ru, "https://", 8) == 0;
	if ((cf->cf_post_logout_uri = malloc(strlen(cf->cf_origin) + 2)) ==
	    NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(cf->cf_post_logout_uri, strlen(cf->cf_origin) + 2, "%s/",
	    cf->cf_origin);
	return 0;
}

int
config_load(struct config *cf, const char *default_data, char *err,
    size_t errlen)
{
	const char *issuer = env("PORTAL_ISSUER", NULL);
	const char *id = env("PORTAL_CLIENT_ID", "spbe-portal");
	const char *ru = env("PORTAL_REDIRECT_URI",
	    "http://127.0.0.1:8081/callback");
	const char *listen = env("PORTAL_LISTEN", "127.0.0.1:8081");
	const char *data = env("PORTAL_DATA", default_data);
	int rc = -1;

	memset(cf, 0, sizeof(*cf));
	if (issuer == NULL) {
		bad(err, errlen, "PORTAL_ISSUER", "not set (the provider's "
		    "issuer, e.g. http://127.0.0.1:8080)");
		goto out;
	}
	if (check_issuer(issuer, err, errlen) != 0)
		goto out;
	if (strlen(id) > 255 || !vschar(id)) {
		bad(err, errlen, "PORTAL_CLIENT_ID", "must be at most 255 "
		    "printable ASCII characters");
		goto out;
	}
	if ((cf->cf_issuer = strdup(issuer)) == NULL ||
	    (cf->cf_client_id = strdup(id)) == NULL ||
	    (cf->cf_redirect_uri = strdup(ru)) == NULL ||
	    (cf->cf_listen = strdup(listen)) == NULL ||
	    (cf->cf_data = strdup(data)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (load_secret(cf, err, errlen) != 0 ||
	    derive_from_redirect(cf, err, errlen) != 0 ||
	    parse_listen(cf, listen, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		config_free(cf);
	return rc;
}

void
config_free(struct config *cf)
{
	free(cf->cf_issuer);
	free(cf->cf_client_id);
	wipe_free(cf->cf_client_secret);
	free(cf->cf_redirect_uri);
	free(cf->cf_data);
	free(cf->cf_origin);
	free(cf->cf_post_logout_uri);
	free(cf->cf_listen);
	memset(cf, 0, sizeof(*cf));
}

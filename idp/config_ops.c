/* The configuration keys of monitoring: the bearer token of /metrics and
 * the log format, whether anything is counted (metrics_enabled). Part of config.c's loader (idp_config_set asks here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util/mem.h"
#include "util/str.h"

/* RFC 6750 b64token characters, 16 to 256 of them. */
static bool
token_ok(const char *v)
{
	size_t n = strlen(v);

	if (n < 16 || n > 256)
		return false;
	for (; *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		    (*v >= '0' && *v <= '9') || strchr("-._~+/", *v)))
			return false;
	return true;
}

int
idp_config_set_ops(struct idp_config *cfg, const char *key, const char *v,
    char *err, size_t errlen)
{
	if (!strcmp(key, "metrics_token")) {
		if (*v != '\0' && !token_ok(v)) {
			snprintf(err, errlen, "metrics_token: must be 16-256 "
			    "letters, digits or - . _ ~ + / (or empty: off)");
			return -1;
		}
		if (cfg->metrics_token != NULL)
			idp_wipe(cfg->metrics_token, strlen(cfg->metrics_token));
		free(cfg->metrics_token);
		cfg->metrics_token = idp_xstrdup(v);
		return 0;
	}
	if (!strcmp(key, "metrics_enabled")) {
		if (idp_parse_bool(v, &cfg->metrics_enabled) != 0) {
			snprintf(err, errlen, "metrics_enabled: \"%s\" is not "
			    "true or false", v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "console_require_second_factor")) {
		if (idp_parse_bool(v, &cfg->console_require_second_factor)
		    != 0) {
			snprintf(err, errlen, "console_require_second_factor: "
			    "\"%s\" is not true or false", v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "log_format")) {
		if (strcmp(v, "kv") != 0 && strcmp(v, "json") != 0) {
			snprintf(err, errlen, "log_format: \"%s\" is not kv or "
			    "json", v);
			return -1;
		}
		cfg->log_json = !strcmp(v, "json");
		return 0;
	}
	return 1;
}

void
idp_config_free_ops(struct idp_config *cfg)
{
	if (cfg->metrics_token != NULL)
		idp_wipe(cfg->metrics_token, strlen(cfg->metrics_token));
	free(cfg->metrics_token);
	cfg->metrics_token = NULL;
}

/* The configuration keys of how clients send requests: pushed
 * authorization requests (RFC 9126) and DPoP (RFC 9449). Part of
 * config.c's loader (idp_config_set asks here). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util/str.h"

static const struct {
	const char *key;
	size_t off;
	int64_t min, max;
} int_keys[] = {
	{ "par_ttl", offsetof(struct idp_config, par_ttl), 10, 600 },
	{ "dpop_proof_max_age", offsetof(struct idp_config,
	    dpop_proof_max_age), 10, 3600 },
	{ "dpop_nonce_rotation", offsetof(struct idp_config,
	    dpop_nonce_rotation), 30, 3600 },
};

static const struct {
	const char *key;
	size_t off;
} bool_keys[] = {
	{ "require_pushed_authorization_requests",
	    offsetof(struct idp_config, require_par) },
	{ "dpop_require_nonce", offsetof(struct idp_config,
	    dpop_require_nonce) },
};

int
idp_config_set_request(struct idp_config *cfg, const char *key,
    const char *v, char *err, size_t errlen)
{
	int64_t n;

	for (size_t i = 0; i < sizeof(int_keys) / sizeof(int_keys[0]); i++) {
		if (strcmp(key, int_keys[i].key) != 0)
			continue;
		if (idp_parse_i64(v, int_keys[i].min, int_keys[i].max, &n)
		    != 0) {
			snprintf(err, errlen, "%s: \"%s\" is not a whole number "
			    "from %lld to %lld", key, v,
			    (long long)int_keys[i].min,
			    (long long)int_keys[i].max);
			return -1;
		}
		*(int64_t *)((char *)cfg + int_keys[i].off) = n;
		return 0;
	}
	for (size_t i = 0; i < sizeof(bool_keys) / sizeof(bool_keys[0]); i++) {
		if (strcmp(key, bool_keys[i].key) != 0)
			continue;
		if (idp_parse_bool(v, (bool *)((char *)cfg +
		    bool_keys[i].off)) != 0) {
			snprintf(err, errlen, "%s: \"%s\" is not true or false",
			    key, v);
			return -1;
		}
		return 0;
	}
	return 1;
}

/* The configuration keys of signing keys: where the key-encryption key is,
 * the rotation schedule and the algorithms kept. Part of config.c's loader
 * (idp_config_set asks here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto/key.h"
#include "util/mem.h"
#include "util/str.h"

static int
set_algs(struct idp_config *cfg, const char *v, char *err, size_t errlen)
{
	static const char sep[] = " \t,";
	unsigned algs = 0;

	for (const char *p = v + strspn(v, sep); *p; p += strspn(p, sep)) {
		size_t n = strcspn(p, sep);
		char word[8];
		enum idp_alg a;

		if (n >= sizeof(word))
			goto bad;
		memcpy(word, p, n);
		word[n] = '\0';
		if ((a = idp_alg_parse(word)) == IDP_ALG_NONE)
			goto bad;
		algs |= 1u << a;
		p += n;
	}
	if ((algs & (1u << IDP_ALG_RS256)) == 0)
		goto bad;
	cfg->signing_algs = algs;
	return 0;
bad:
	snprintf(err, errlen, "signing_algs: \"%s\" is not a list of RS256, "
	    "ES256, PS256 and EdDSA that includes RS256", v);
	return -1;
}

int
idp_config_set_keys(struct idp_config *cfg, const char *key, const char *v,
    char *err, size_t errlen)
{
	int64_t n;

	if (!strcmp(key, "key_rotation_interval") ||
	    !strcmp(key, "key_prepublish")) {
		int64_t max = key[4] == 'r' ? 31536000 : 2592000;

		if (idp_parse_i64(v, 0, max, &n) != 0) {
			snprintf(err, errlen, "%s: \"%s\" is not a whole number "
			    "of seconds from 0 to %lld", key, v,
			    (long long)max);
			return -1;
		}
		*(key[4] == 'r' ? &cfg->key_rotation_interval :
		    &cfg->key_prepublish) = n;
		return 0;
	}
	if (!strcmp(key, "signing_algs"))
		return set_algs(cfg, v, err, errlen);
	if (!strcmp(key, "key_encryption_key_file")) {
		if (strpbrk(v, "\n\r") != NULL) {
			snprintf(err, errlen, "key_encryption_key_file: must "
			    "be one path");
			return -1;
		}
		free(cfg->kek_file);
		cfg->kek_file = idp_xstrdup(v);
		return 0;
	}
	return 1;
}

int
idp_config_finish_keys(struct idp_config *cfg, char *err, size_t errlen)
{
	if (cfg->key_rotation_interval > 0 &&
	    cfg->key_prepublish >= cfg->key_rotation_interval) {
		snprintf(err, errlen, "key_prepublish: must be shorter than "
		    "key_rotation_interval");
		return -1;
	}
	return 0;
}

void
idp_config_free_keys(struct idp_config *cfg)
{
	free(cfg->kek_file);
}

/* What the two files of `idpctl keys` share (cmd_keys.c: generate, rotate,
 * retire, list; cmd_keys_move.c: import, export). */
#ifndef IDP_CTL_KEYS_H
#define IDP_CTL_KEYS_H

#include <stdbool.h>

#include "core/signkeys.h"
#include "ctl/ctl.h"

struct ctl_kek {
	struct idp_kek kek;
	bool have;
	char path[4096];
};

/* Read the KEK the configuration names (none is not an error). */
int ctl_kek_open(struct ctl *c, struct ctl_kek *k);
/* Audit a key event: details kid, alg and where the key is kept. */
int ctl_key_audit(struct ctl *c, const char *event, const char *kid,
    const char *alg, const struct ctl_kek *k);

int ctl_keys_import(struct ctl *c, int argc, char **argv);
int ctl_keys_export(struct ctl *c, int argc, char **argv);

#endif

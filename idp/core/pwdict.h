/* Checking a new password: the policy's rules (oidc/pwpolicy.h) and then
 * cracklib's dictionary (Debian cracklib-runtime), of which only the
 * dictionary, repetition and username verdicts count (see
 * idp_pwpolicy_cracklib). cracklib keeps static buffers, so its calls are
 * serialised with a mutex; one check reads a few pages of the dictionary
 * (well under a millisecond). Used by the account and reset pages and by
 * idpctl. */
#ifndef IDP_CORE_PWDICT_H
#define IDP_CORE_PWDICT_H

#include <stddef.h>

#include "oidc/pwpolicy.h"
#include "util/arena.h"

/* 0 when the dictionary at path opens and answers; else -1 and a line
 * in err (the daemon and idpctl stop with it). */
int idp_pwdict_ready(const char *path, char *err, size_t errlen);

/* The verdict on a new password (n bytes as typed) for ctx, with the
 * dictionary at path. */
enum idp_pw_verdict idp_password_check(struct idp_arena *a, const char *path,
    const char *pw, size_t n, const struct idp_pw_context *ctx);

#endif

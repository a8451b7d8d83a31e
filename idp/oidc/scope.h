/* Scopes (RFC 6749 §3.3): parsing, the scopes the provider knows, and the
 * intersection of what a client asks for with what it may have. */
#ifndef IDP_OIDC_SCOPE_H
#define IDP_OIDC_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

#define IDP_SCOPE_MAX_LEN 1024
#define IDP_SCOPE_MAX_ITEMS 32

/* Scopes with a meaning to the provider itself (identity claims). */
extern const char *const idp_scopes_known[];

/* A scope token is 1*( %x21 / %x23-5B / %x5D-7E ) (RFC 6749 §3.3). */
bool idp_scope_token_valid(const char *s);

/* Parse a scope string into a de-duplicated list. IDP_ERR_INVALID_SCOPE on
 * bad syntax, too many items or too long. */
enum idp_err idp_scope_parse(struct idp_arena *a, const char *s,
    char ***out, size_t *n);

/* Join a list with single spaces. */
char *idp_scope_join(struct idp_arena *a, char *const *v, size_t n);

/* Every requested scope must be allowed; IDP_ERR_INVALID_SCOPE otherwise. */
enum idp_err idp_scope_check_allowed(char *const *req, size_t n,
    char *const *allowed);

/* Is every item of sub also in super? (consent already covers it) */
bool idp_scope_subset(char *const *sub, char *const *super);

#endif

/* Client names people may confuse. A self-registered client must not
 * look like another organisation's service on the login and consent
 * pages, so its name is compared by a fold key: two names with the same
 * key are confusingly close. The key ignores case, spaces, punctuation
 * and accents, and maps look-alike characters to one (Unicode TR 39
 * confusables, through ICU: Cyrillic "С" and Latin "C", "rn" and "m",
 * "1", "I" and "l", "0" and "O", full-width letters). Pure but for
 * opening ICU on first use. */
#ifndef IDP_OIDC_CLIENT_NAME_H
#define IDP_OIDC_CLIENT_NAME_H

#include <stdbool.h>

#include "util/arena.h"

#define IDP_CLIENT_NAME_MAX 200

/* Whether ICU could be opened (at the first call; the reason is logged
 * when not). */
bool idp_client_name_ready(void);

/* The fold key of a UTF-8 name, in the arena: "" when the name has no
 * letter or digit, NULL when it is not valid UTF-8 or too long, or ICU
 * is missing. */
char *idp_client_name_key(struct idp_arena *a, const char *name);

#endif

/* The password policy, after NIST SP 800-63B §5.1.1.2: a length (at least
 * password_min_length characters, up to IDP_PW_MAX_CHARS), any printable
 * Unicode including spaces, counted and compared in NFKC; no composition
 * rules and no expiry. Refused: passwords common in Indonesia (the list
 * in pwlist_id.c, also with digits or symbols around them and with common
 * letter-for-digit swaps), and passwords that contain the person's
 * username, name, email, NIP or the service's name. cracklib's dictionary
 * and its repetition checks come on top (core/pwdict.c), and
 * idp_pwpolicy_cracklib() says which of its verdicts count. Pure: no I/O.
 * The same rules for /account, the reset pages and idpctl. */
#ifndef IDP_OIDC_PWPOLICY_H
#define IDP_OIDC_PWPOLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#define IDP_PW_MAX_CHARS 256

enum idp_pw_verdict {
	IDP_PW_OK = 0,
	IDP_PW_EMPTY,
	IDP_PW_UNTYPABLE,	/* not UTF-8, or control characters */
	IDP_PW_TOO_SHORT,
	IDP_PW_TOO_LONG,
	IDP_PW_COMMON,		/* a list or dictionary word */
	IDP_PW_REPETITIVE,	/* repeated or sequential characters */
	IDP_PW_PERSONAL,	/* contains the username, name, service */
};

/* Whose password it is; every field may be NULL. */
struct idp_pw_context {
	const char *username;
	const char *name;
	const char *email;
	const char *nip;
	const char *service;	/* provider_name */
	int min_length;
};

/* Every rule but cracklib's. n bytes of pw, as typed. */
enum idp_pw_verdict idp_pwpolicy_check(struct idp_arena *a, const char *pw,
    size_t n, const struct idp_pw_context *ctx);

/* What a cracklib message means for this policy: its dictionary verdicts
 * are IDP_PW_COMMON, its too-few-different and too-systematic verdicts
 * IDP_PW_REPETITIVE, its username/GECOS verdicts IDP_PW_PERSONAL; the
 * rest (its length rule, "National Insurance number") are not ours and
 * IDP_PW_OK. NULL (no objection) is IDP_PW_OK. */
enum idp_pw_verdict idp_pwpolicy_cracklib(const char *msg);

/* Whether a case-folded NFKC word is on the list of passwords common in
 * Indonesia. */
bool idp_pwlist_id_has(const char *folded);
/* The list itself (for tests): n entries. */
extern const char *const idp_pwlist_id[];
extern const size_t idp_pwlist_id_n;

/* A sentence for the operator (idpctl), in English. */
const char *idp_pwpolicy_reason(enum idp_pw_verdict v);

#endif

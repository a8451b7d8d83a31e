#include <string.h>

#include "oidc/pwpolicy.h"
#include "util/mem.h"
#include "util/nfkc.h"
#include "util/str.h"

/* Parts of names shorter than this are too common to refuse ("ni",
 * "i", "uji"). */
#define PART_MIN 4

static bool
has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return true;
		/* C1 controls: U+0080..U+009F, 0xc2 0x80..0x9f in UTF-8. */
		if (c == 0xc2 && i + 1 < n &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f)
			return true;
	}
	return false;
}

static bool
is_junk(char c)
{
	return c != '\0' && ((c >= '0' && c <= '9') || c == ' ' ||
	    strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) != NULL);
}

/* The word inside digits and symbols: "bismillah123!" -> "bismillah". */
static char *
core_of(struct idp_arena *a, const char *s)
{
	size_t n = strlen(s), i = 0;

	while (i < n && is_junk(s[i]))
		i++;
	while (n > i && is_junk(s[n - 1]))
		n--;
	return idp_arena_strndup(a, s + i, n - i);
}

static char *
without_spaces(struct idp_arena *a, const char *s)
{
	char *o = idp_arena_alloc(a, strlen(s) + 1), *p = o;

	for (; *s; s++)
		if (*s != ' ')
			*p++ = *s;
	*p = '\0';
	return o;
}

/* Digits and symbols read as letters: "r4h4s1a" -> "rahasia". */
static char *
unleet(struct idp_arena *a, const char *s, char one)
{
	static const char from[] = "0134578@$!", to[] = "oieastbasi";
	char *o = idp_arena_strdup(a, s);

	for (char *p = o; *p; p++) {
		const char *k = strchr(from, *p);

		if (*p == '1')
			*p = one;
		else if (k != NULL && *k)
			*p = to[k - from];
	}
	return o;
}

static bool
listed(struct idp_arena *a, const char *f)
{
	const char *forms[6];
	char *c = core_of(a, f);

	forms[0] = f;
	forms[1] = c;
	forms[2] = without_spaces(a, c);
	forms[3] = core_of(a, unleet(a, f, 'i'));
	forms[4] = core_of(a, unleet(a, f, 'l'));
	forms[5] = without_spaces(a, forms[3]);
	for (size_t i = 0; i < 6; i++) {
		/* A short core ("ab" of "ab123456") says nothing. */
		if (i > 0 && strlen(forms[i]) < PART_MIN)
			continue;
		if (idp_pwlist_id_has(forms[i]))
			return true;
	}
	return false;
}

/* Does f contain word, or (split) one of its parts of PART_MIN or more
 * characters? */
static bool
contains_parts(struct idp_arena *a, const char *f, const char *word,
    const char *seps, bool whole)
{
	size_t n;
	char *w, *p;

	if (word == NULL || *word == '\0')
		return false;
	if ((w = idp_nfkc_fold(a, word, strlen(word), &n)) == NULL)
		return false;
	if (whole && idp_utf8_count(w, n) >= 3 && strstr(f, w) != NULL)
		return true;
	if (idp_utf8_count(w, n) >= PART_MIN &&
	    strstr(f, without_spaces(a, w)) != NULL)
		return true;
	for (p = w; *p; ) {
		size_t len = strcspn(p, seps);
		char *part = idp_arena_strndup(a, p, len);

		if (idp_utf8_count(part, len) >= PART_MIN &&
		    strstr(f, part) != NULL)
			return true;
		p += len;
		p += strspn(p, seps);
	}
	return false;
}

static bool
personal(struct idp_arena *a, const char *f, const struct idp_pw_context *c)
{
	const char *local = NULL;

	if (c->email != NULL && strchr(c->email, '@') != NULL)
		local = idp_arena_strndup(a, c->email,
		    (size_t)(strchr(c->email, '@') - c->email));
	return contains_parts(a, f, c->username, "._@-+ ", true) ||
	    contains_parts(a, f, c->name, " .,'-", false) ||
	    contains_parts(a, f, local, "._-+", true) ||
	    (c->nip != NULL && strlen(c->nip) >= 6 &&
	    strstr(f, c->nip) != NULL) ||
	    contains_parts(a, f, c->service, " .,-()", false);
}

enum idp_pw_verdict
idp_pwpolicy_check(struct idp_arena *a, const char *pw, size_t n,
    const struct idp_pw_context *ctx)
{
	char norm[IDP_NFKC_MAX];
	size_t chars, flen;
	long len;
	char *f;

	if (pw == NULL || n == 0)
		return IDP_PW_EMPTY;
	if (n > 4 * IDP_PW_MAX_CHARS)
		return IDP_PW_TOO_LONG;
	if (!idp_utf8_valid(pw, n) || has_control(pw, n))
		return IDP_PW_UNTYPABLE;
	if ((len = idp_nfkc(pw, n, norm, sizeof(norm))) < 0)
		return IDP_PW_TOO_LONG;
	chars = idp_utf8_count(norm, (size_t)len);
	if (has_control(norm, (size_t)len)) {
		idp_wipe(norm, sizeof(norm));
		return IDP_PW_UNTYPABLE;
	}
	f = idp_nfkc_fold(a, norm, (size_t)len, &flen);
	idp_wipe(norm, sizeof(norm));
	if (chars > IDP_PW_MAX_CHARS)
		return IDP_PW_TOO_LONG;
	if (chars < (size_t)(ctx->min_length > 0 ? ctx->min_length : 8))
		return IDP_PW_TOO_SHORT;
	if (f == NULL)
		return IDP_PW_UNTYPABLE;
	if (listed(a, f))
		return IDP_PW_COMMON;
	if (personal(a, f, ctx))
		return IDP_PW_PERSONAL;
	return IDP_PW_OK;
}

enum idp_pw_verdict
idp_pwpolicy_cracklib(const char *msg)
{
	if (msg == NULL)
		return IDP_PW_OK;
	if (strstr(msg, "dictionary word") != NULL)
		return IDP_PW_COMMON;
	if (strstr(msg, "DIFFERENT characters") != NULL ||
	    strstr(msg, "simplistic/systematic") != NULL ||
	    strstr(msg, "all whitespace") != NULL)
		return IDP_PW_REPETITIVE;
	if (strstr(msg, "your username") != NULL ||
	    strstr(msg, "password entry") != NULL)
		return IDP_PW_PERSONAL;
	return IDP_PW_OK;
}

const char *
idp_pwpolicy_reason(enum idp_pw_verdict v)
{
	switch (v) {
	case IDP_PW_OK:
		return "acceptable";
	case IDP_PW_EMPTY:
		return "the password is empty";
	case IDP_PW_UNTYPABLE:
		return "the password is not UTF-8 text or has control "
		    "characters";
	case IDP_PW_TOO_SHORT:
		return "the password is too short";
	case IDP_PW_TOO_LONG:
		return "the password is longer than 256 characters";
	case IDP_PW_COMMON:
		return "the password is a common or breached password";
	case IDP_PW_REPETITIVE:
		return "the password repeats characters or runs in sequence";
	case IDP_PW_PERSONAL:
		return "the password contains the username, the person's name "
		    "or the service's name";
	}
	return "refused";
}

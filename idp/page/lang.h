/* Which language a page speaks, and the message catalogues it speaks from.
 * A page speaks one language, Bahasa Indonesia ("id") or English ("en"),
 * chosen in this order:
 *   1. the `lang` parameter of this request: the switch link a person just
 *      followed, or the hidden field of the form they submitted;
 *   2. ui_locales of the authorization request (the service knows them);
 *   3. the `idp_lang` cookie, the person's last explicit choice;
 *   4. Accept-Language (q-values honoured, order breaks ties);
 *   5. the configured default_locale.
 * The switch link comes first so that it works on every page, also when a
 * service sent ui_locales. Pure functions: no request, no I/O. */
#ifndef IDP_PAGE_LANG_H
#define IDP_PAGE_LANG_H

#include <stdbool.h>
#include <stddef.h>

#define IDP_LANG_COOKIE "idp_lang"

enum idp_lang_source {
	IDP_LANG_FROM_PARAM,
	IDP_LANG_FROM_UI_LOCALES,
	IDP_LANG_FROM_COOKIE,
	IDP_LANG_FROM_ACCEPT,
	IDP_LANG_FROM_DEFAULT,
};

struct idp_lang_in {
	const char *param;		/* lang= of this request */
	const char *ui_locales;		/* space-separated BCP 47 tags */
	const char *cookie;		/* idp_lang cookie */
	const char *accept;		/* Accept-Language header */
	const char *fallback;		/* default_locale: "id" or "en" */
};

/* "id" or "en" (static strings); *src, when not NULL, says why. */
const char *idp_lang_choose(const struct idp_lang_in *in,
    enum idp_lang_source *src);

/* "id" or "en" when s is exactly one of them, else NULL. */
const char *idp_lang_exact(const char *s);
/* The first tag of ours in a space-separated list (ui_locales). */
const char *idp_lang_from_list(const char *list);
/* Our best language in an Accept-Language header, or NULL. */
const char *idp_lang_from_accept(const char *header);

/* Whether an Accept header asks for HTML rather than JSON: text/html with
 * a q at least that of application/json. Browsers send it; API clients,
 * curl and fetch() (which send no Accept or a plain wildcard) do not. */
bool idp_accept_wants_html(const char *accept);

/* One message of a catalogue, in both languages. "%s" marks where an
 * argument goes; arguments are escaped when written. */
struct idp_msg {
	const char *id;
	const char *en;
};

const char *idp_msg_get(const struct idp_msg *m, const char *lang);

/* For tests of every catalogue: each of the n messages has both texts and
 * the same number of %s in each. Returns the index of the first bad one,
 * or n when all are good. */
size_t idp_msgs_check(const struct idp_msg *m, size_t n);

#endif

/*
 * The portal's HTML, in Bahasa Indonesia. Every value that comes from the
 * provider or the request is HTML-escaped here. No JavaScript; the style
 * sheet is served from /style.css so the Content-Security-Policy can forbid
 * inline code and styles. Functions return heap strings (NULL: no memory).
 */
#ifndef SPBE_PORTAL_PAGES_H
#define SPBE_PORTAL_PAGES_H

#include <stdbool.h>

#include <jansson.h>

#include "spbe.h"

extern const char page_css[];

/* The home page for someone not signed in: the sign-in button. */
char	*page_signed_out(void);

/* The home page for a signed-in person: who they are, and the table. */
char	*page_home(const json_t *claims, const struct spbe_table *);

/*
 * A page explaining a problem: a title, a sentence, an optional detail
 * (escaped; e.g. the provider's error_description), and a link to sign in
 * again or to the home page.
 */
char	*page_message(const char *title, const char *message,
	    const char *detail, bool offer_login);

#endif

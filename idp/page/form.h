/* Forms of the provider's pages: always POST, always with a CSRF token and
 * the page's language as hidden fields; fields with a label, an optional
 * hint and a per-field error, tied to the input with aria-describedby;
 * buttons at least 44 px high; and the confirmation pattern for actions
 * that cannot be undone (sign out, withdraw a consent, end a session): the
 * first request shows what will happen with a button that posts
 * confirm=yes and a way back, only the second one acts. */
#ifndef IDP_PAGE_FORM_H
#define IDP_PAGE_FORM_H

#include <stdbool.h>

#include "page/page.h"

/* <form method="post" action> with csrf_token and lang fields. */
void idp_form_begin(struct idp_page *pg, const char *action,
    const char *csrf_token);
void idp_form_hidden(struct idp_page *pg, const char *name,
    const char *value);
void idp_form_end(struct idp_page *pg);

struct idp_field {
	const char *name;		/* also the id, unless id is set */
	const char *id;			/* when several forms share a name */
	const char *type;		/* text, password, email, tel, ... */
	const struct idp_msg *label;
	const struct idp_msg *hint;	/* may be NULL */
	const struct idp_msg *error;	/* may be NULL: no error */
	const char *describedby;	/* another element's id, or NULL */
	const char *value;		/* may be NULL */
	const char *autocomplete;	/* "username", "one-time-code", ... */
	const char *inputmode;		/* "numeric", "email", or NULL */
	int maxlength;			/* 0: none */
	bool required;
	bool autofocus;
};
void idp_form_field(struct idp_page *pg, const struct idp_field *f);

/* A <textarea> with the same label, hint and error as a field (type,
 * autocomplete and inputmode are ignored); rows of text, 0 for 4. */
void idp_form_textarea(struct idp_page *pg, const struct idp_field *f,
    int rows);

/* One choice of a group: the value sent, its label (a message with one
 * argument, or plain text when label is NULL) and whether it is chosen. */
struct idp_choice {
	const char *value;
	const struct idp_msg *label;
	const char *arg;		/* the label's argument, or its text */
	const struct idp_msg *hint;	/* may be NULL */
	bool checked;
};
/* A <fieldset> with a <legend> of radio buttons (one value under name) or
 * checkboxes (multiple: each is its own parameter, named by its value and
 * sent as "yes", since a repeated parameter is refused). Ids are name-N. */
void idp_form_choices(struct idp_page *pg, const char *name,
    const struct idp_msg *legend, const struct idp_msg *error,
    const struct idp_choice *c, size_t n, bool multiple);
/* A checkbox with its label beside it (value "yes"), 24 px. */
void idp_form_checkbox(struct idp_page *pg, const char *name,
    const struct idp_msg *label, bool checked);

/* <button type="submit" class name value>. cls: NULL (the main action),
 * "secondary" or "danger". */
void idp_form_button(struct idp_page *pg, const char *cls, const char *name,
    const char *value, const struct idp_msg *label);

/* A hidden field of a confirmation form; the list ends with a NULL name,
 * and a NULL value is left out. */
struct idp_hidden {
	const char *name;
	const char *value;
};

struct idp_confirm {
	const char *action;		/* where the form posts */
	const char *csrf_token;
	const struct idp_hidden *hidden;	/* may be NULL */
	const struct idp_msg *yes;	/* the button that acts */
	const struct idp_msg *cancel;	/* the way back */
	const char *cancel_href;	/* a local path, or NULL: no way back */
};
/* The confirmation form: hidden fields, confirm=yes, a danger button and
 * the way back. The question is the page's heading, written before. */
void idp_form_confirm(struct idp_page *pg, const struct idp_confirm *c);
/* A POST that came from a confirmation form. */
bool idp_form_confirmed(const struct idp_req *rq);

#endif

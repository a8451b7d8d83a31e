/* Mail to people: composed in their language (the person's locale, Bahasa
 * Indonesia unless it is en), put into the outbox in the caller's
 * transaction, and delivered by the outbox's "mail" kind through the
 * outbound fetcher to the operator's relay (smtp_url). Plain text and
 * simple HTML, the provider's name, no images, no tracking. */
#ifndef IDP_CORE_MAIL_H
#define IDP_CORE_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "core/ctx.h"
#include "core/outbox.h"
#include "store/directory.h"

enum idp_mail_template {
	IDP_MAIL_RESET_LINK,		/* a reset link was asked for */
	IDP_MAIL_PASSWORD_CHANGED,	/* on /account */
	IDP_MAIL_PASSWORD_RESET,	/* by a link or a helpdesk code */
	IDP_MAIL_MFA_ADDED,		/* a second factor was set up */
	IDP_MAIL_MFA_REMOVED,		/* one was removed, or all by the
					 * helpdesk */
};

struct idp_mail_vars {
	const struct idp_user *user;	/* name, username, email, locale */
	const char *link;		/* IDP_MAIL_RESET_LINK */
	int64_t valid_for;		/* seconds the link is valid */
	int64_t when;			/* the event's time */
};

/* Whether mail can be sent: smtp_url is set. */
bool idp_mail_enabled(const struct idp_config *cfg);

/* Compose template t for v->user and put it into the outbox with c,
 * retried for give_up seconds (at most mail_give_up). IDP_ERR_NOT_FOUND
 * when the person has no address (nothing is put). */
enum idp_err idp_mail_put(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_config *cfg, enum idp_mail_template t,
    const struct idp_mail_vars *v, int64_t give_up);

/* The outbox kind "mail" (delivery to smtp_url), for idp_outbox_add_kind;
 * k must live as long as the outbox. */
void idp_mail_kind(struct idp_outbox_kind *k, struct idp_ctx *ctx);

/* The composed message of t, for tests and the benchmark (NULL on bad
 * input). */
char *idp_mail_compose(struct idp_arena *a, const struct idp_config *cfg,
    enum idp_mail_template t, const struct idp_mail_vars *v);

#endif

/* The one way the provider calls out to an address someone else chose: a
 * client's jwks_uri, sector identifier and backchannel_logout_uri, the
 * operator's mail relay (IDP_FETCH_SMTP). The only user of libcurl: one
 * call at a time (idp_fetch) or many from one thread (idp_fetch_multi).
 *
 * Every call: the URI passes idp_outbound_uri_check() (https; plain http
 * only to loopback with the development setting); libcurl resolves the
 * name, and each address it is about to connect to is vetted right there,
 * in the socket callback, so the address checked is the address connected
 * to and a DNS answer that changes in between cannot reach a refused
 * range. No proxy, no redirects, no compression; the body is capped, the
 * whole call has a deadline, and a process-wide number of calls may be in
 * flight at once (the rest fail at once instead of waiting). A refusal is
 * logged and written to the audit table.
 *
 * The mail relay is the operator's choice, not a client's, so it gets its
 * own rule (idp_fetch_relay_ok): smtps://, or smtp:// with STARTTLS
 * required, to a public, private or shared address; plain smtp:// only to
 * loopback (the host in smtp_url is 127.0.0.0/8, ::1 or localhost, and the
 * address connected to is loopback). Link-local, metadata, multicast and
 * the other special ranges stay refused, and the address is still vetted
 * in the socket callback. Calls made by background workers (the outbox)
 * have their own pool of slots, so a mail backlog never takes the slots
 * of requests. */
#ifndef IDP_CORE_FETCH_H
#define IDP_CORE_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"
#include "util/arena.h"

#define IDP_FETCH_BODY_MAX (1024 * 1024)	/* ceiling of max_bytes */

struct idp_fetcher;

struct idp_fetch_limits {
	bool allow_loopback;	/* outbound_allow_loopback (development) */
	int timeout_ms;		/* resolving, connecting, TLS and transfer */
	int max_in_flight;	/* calls at once, process-wide */
	int max_background;	/* background calls at once (the outbox) */
};

/* Once, before threads start (it initialises libcurl). */
struct idp_fetcher *idp_fetcher_new(const struct idp_fetch_limits *l);
void idp_fetcher_free(struct idp_fetcher *f);	/* accepts NULL */

enum idp_fetch_method {
	IDP_FETCH_GET,
	IDP_FETCH_POST_FORM,	/* body: application/x-www-form-urlencoded */
	IDP_FETCH_SMTP,		/* send upload as a mail to the relay uri */
};

enum idp_fetch_result {
	IDP_FETCH_OK = 0,	/* a response came back (any status) */
	IDP_FETCH_REFUSED,	/* the URI or an address it resolved to */
	IDP_FETCH_BUSY,		/* max_in_flight calls already running */
	IDP_FETCH_TOO_LARGE,	/* the body passed max_bytes */
	IDP_FETCH_FAILED,	/* name, connection, TLS, deadline */
};

/* Who a call is for: its log lines and the audit row of a refusal. */
struct idp_fetch_caller {
	const char *request_id;	/* "-" outside a request */
	const char *client_id;	/* whose URI it is; may be NULL */
	const char *ip;		/* who caused the call; may be NULL */
	/* The connection for an audit row, asked for only when a call is
	 * refused. NULL, or returning NULL: the refusal is only logged. */
	struct idp_dbconn *(*audit_db)(void *arg);
	void *arg;
};

struct idp_fetch {
	/* the call */
	enum idp_fetch_method method;
	const char *purpose;	/* "jwks_uri", ...: logs and audit */
	const char *uri;
	const char *form;	/* the body of IDP_FETCH_POST_FORM */
	const char *accept;	/* Accept header, or NULL */
	size_t max_bytes;	/* body kept, up to IDP_FETCH_BODY_MAX; 0: only
				 * the status is wanted, the body is not read */
	bool background;	/* a worker's call: the background slots */
	int timeout_ms;		/* 0: the fetcher's timeout */
	/* IDP_FETCH_SMTP: the envelope, the message (CRLF lines) and the
	 * relay's credentials (NULL user: no AUTH). */
	const char *mail_from;
	const char *mail_rcpt;
	const char *upload;
	const char *user;
	const char *password;
	/* the answer */
	long status;		/* HTTP status or last SMTP reply code, 0
				 * without a response */
	char *body;		/* arena, NUL-terminated; NULL without one */
	size_t body_len;
	const char *why;	/* what went wrong, for logs (not clients) */
};

enum idp_fetch_result idp_fetch(struct idp_fetcher *f, struct idp_arena *a,
    const struct idp_fetch_caller *who, struct idp_fetch *call);

/* Many calls at once from one thread (libcurl multi), each under every
 * rule idp_fetch applies: the URI, the address vetted in the socket
 * callback, no proxy or redirect, the body cap and the deadline. At most
 * max calls are in flight; a slow or endless answer holds only its own.
 * Idle connections to a service are kept for its next call. A set belongs
 * to one thread; only idp_fetch_multi_wakeup may be called from others. */
struct idp_fetch_multi;

struct idp_fetch_multi *idp_fetch_multi_new(struct idp_fetcher *f, int max);
/* Calls still running are dropped without a report. Accepts NULL. */
void idp_fetch_multi_free(struct idp_fetch_multi *m);
int idp_fetch_multi_free_slots(const struct idp_fetch_multi *m);

/* Start call. IDP_FETCH_OK: it runs, and idp_fetch_multi_run reports it
 * with tag; a, call and who's strings must live until then (who itself is
 * copied). Anything else: it ended at once, call filled in as idp_fetch
 * does (IDP_FETCH_BUSY when max calls are running). */
enum idp_fetch_result idp_fetch_multi_add(struct idp_fetch_multi *m,
    struct idp_arena *a, const struct idp_fetch_caller *who,
    struct idp_fetch *call, void *tag);

/* A call ended: its struct idp_fetch holds the answer, as after idp_fetch. */
typedef void (*idp_fetch_done_fn)(void *arg, void *tag,
    enum idp_fetch_result res);

/* Move the calls on: wait up to wait_ms for one of them to make progress
 * or for idp_fetch_multi_wakeup, and report each call that ended with
 * done(arg, tag, result). Returns the calls still running. */
int idp_fetch_multi_run(struct idp_fetch_multi *m, int wait_ms,
    idp_fetch_done_fn done, void *arg);
/* From any thread: end the wait of idp_fetch_multi_run now. */
void idp_fetch_multi_wakeup(struct idp_fetch_multi *m);

/* The relay rule: 0 when uri (smtp_url) may be used; else -1 and *why.
 * *plain is set when the relay is reached without TLS (loopback only). */
int idp_fetch_relay_ok(const char *uri, bool *plain, const char **why);

#endif

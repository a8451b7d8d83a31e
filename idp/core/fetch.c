#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <jansson.h>

#include "config.h"
#include "core/fetch.h"
#include "idp_build.h"
#include "oidc/outbound.h"
#include "store/audit.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

struct idp_fetcher {
	struct idp_fetch_limits lim;
	atomic_int in_flight;		/* a pool of call slots */
	atomic_int bg_in_flight;	/* ... and one for background calls */
};

/* One call's state, shared with libcurl's callbacks. */
struct transfer {
	CURL *h;
	CURLU *u;
	struct curl_slist *hdrs;
	struct idp_outbound_target t;
	bool https;
	bool allow_loopback;
	bool refused;			/* nothing more is connected to */
	bool vetted;			/* addr holds the last address seen */
	struct idp_netaddr addr;
	bool head_only;			/* only the status is wanted */
	bool stopped;			/* ... and the body was not read */
	bool too_large;
	struct idp_buf body;
	bool relay;			/* the operator's mail relay */
	struct curl_slist *rcpt;
	bool plain;			/* ... reached without TLS */
	const char *up;			/* what is uploaded (SMTP) */
	size_t up_len, up_off;
	/* a call of a multi set: what it reports when it ends */
	struct idp_arena *a;
	struct idp_fetch *call;
	struct idp_fetch_caller who;
	void *tag;
	struct transfer *prev, *next;	/* the multi set's calls */
};

/* Calls in flight at once on one thread (libcurl multi). */
struct idp_fetch_multi {
	struct idp_fetcher *f;
	CURLM *h;
	int max, running;
	struct transfer *calls;		/* running, for idp_fetch_multi_free */
};

struct idp_fetcher *
idp_fetcher_new(const struct idp_fetch_limits *l)
{
	struct idp_fetcher *f = idp_xcalloc(1, sizeof(*f));

	curl_global_init(CURL_GLOBAL_DEFAULT);
	f->lim = *l;
	if (f->lim.max_in_flight < 1)
		f->lim.max_in_flight = 1;
	if (f->lim.max_background < 1)
		f->lim.max_background = 1;
	atomic_init(&f->in_flight, 0);
	atomic_init(&f->bg_in_flight, 0);
	return f;
}

void
idp_fetcher_free(struct idp_fetcher *f)
{
	if (f == NULL)
		return;
	free(f);
	curl_global_cleanup();
}

/* The operator's relay may be on the operator's own network; without TLS
 * only on this machine. */
static bool
relay_addr_ok(enum idp_addr_class c, bool plain)
{
	if (plain)
		return c == IDP_ADDR_LOOPBACK;
	return c == IDP_ADDR_PUBLIC || c == IDP_ADDR_PRIVATE ||
	    c == IDP_ADDR_SHARED || c == IDP_ADDR_LOOPBACK;
}

int
idp_fetch_relay_ok(const char *uri, bool *plain, const char **why)
{
	*plain = false;
	if (idp_has_prefix(uri, "smtps://"))
		return 0;
	if (!idp_has_prefix(uri, "smtp://")) {
		*why = "the relay must be smtps:// or smtp://";
		return -1;
	}
	/* smtp:// to another machine: STARTTLS is required (CURLUSESSL_ALL),
	 * so it is not plain. */
	*plain = idp_smtp_host_is_loopback(uri);
	return 0;
}

/* The message libcurl uploads, read from memory. */
static size_t
on_upload(char *p, size_t size, size_t n, void *arg)
{
	struct transfer *x = arg;
	size_t left = x->up_len - x->up_off, k = size * n;

	if (k > left)
		k = left;
	memcpy(p, x->up + x->up_off, k);
	x->up_off += k;
	return k;
}

/* libcurl asks for a socket for each address it is about to connect to;
 * the address is vetted here, so it is exactly the one connected to. */
static curl_socket_t
open_vetted(void *arg, curlsocktype purpose, struct curl_sockaddr *sa)
{
	struct transfer *x = arg;

	if (x->refused)
		return CURL_SOCKET_BAD;
	if (purpose != CURLSOCKTYPE_IPCXN || idp_netaddr_from_sockaddr(
	    &sa->addr, sa->addrlen, &x->addr) != 0) {
		x->vetted = false;
		x->refused = true;
		return CURL_SOCKET_BAD;
	}
	x->vetted = true;
	if (x->relay ? !relay_addr_ok(idp_netaddr_class(&x->addr), x->plain) :
	    !idp_outbound_addr_ok(idp_netaddr_class(&x->addr), x->https,
	    x->allow_loopback)) {
		x->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(sa->family, sa->socktype | SOCK_CLOEXEC, sa->protocol);
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct transfer *x = arg;

	if (x->head_only) {
		x->stopped = true;
		return 0;
	}
	idp_buf_add(&x->body, p, size * n);
	if (x->body.overflow) {
		x->too_large = true;
		return 0;
	}
	return size * n;
}

/* The host libcurl reads from the URI must be the host the rule checked:
 * two URL parsers that disagree are a classic way around such rules. */
static bool
same_host(CURLU *u, const struct idp_outbound_target *t)
{
	struct idp_netaddr a;
	char *host = NULL;
	bool same;

	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		return false;
	if (t->literal)
		same = idp_netaddr_parse(host, strlen(host), &a) == 0 &&
		    a.family == t->addr.family && !memcmp(a.b, t->addr.b, 16);
	else
		same = strcasecmp(host, t->host) == 0;
	curl_free(host);
	return same;
}

/* The envelope, the upload and TLS: implicit for smtps://, STARTTLS
 * required for smtp:// unless the relay is on this machine. */
static CURLcode
configure_smtp(CURL *h, const struct idp_fetch *call, struct transfer *x)
{
	CURLcode cc;

	x->rcpt = curl_slist_append(NULL, call->mail_rcpt);
	if (x->rcpt == NULL)
		return CURLE_OUT_OF_MEMORY;
	x->up = call->upload;
	x->up_len = strlen(call->upload);
	if ((cc = curl_easy_setopt(h, CURLOPT_MAIL_FROM, call->mail_from)) ||
	    (cc = curl_easy_setopt(h, CURLOPT_MAIL_RCPT, x->rcpt)) ||
	    (cc = curl_easy_setopt(h, CURLOPT_UPLOAD, 1L)) ||
	    (cc = curl_easy_setopt(h, CURLOPT_READFUNCTION, on_upload)) ||
	    (cc = curl_easy_setopt(h, CURLOPT_READDATA, x)) ||
	    (cc = curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)x->up_len)) ||
	    (cc = curl_easy_setopt(h, CURLOPT_USE_SSL, x->plain ?
	    (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL)))
		return cc;
	if (call->user != NULL && ((cc = curl_easy_setopt(h,
	    CURLOPT_USERNAME, call->user)) || (cc = curl_easy_setopt(h,
	    CURLOPT_PASSWORD, call->password ? call->password : ""))))
		return cc;
	return CURLE_OK;
}

static CURLcode
configure(CURL *h, CURLU *u, struct curl_slist *hdrs,
    const struct idp_fetcher *f, const struct idp_fetch *call,
    struct transfer *x)
{
	long ms = call->timeout_ms > 0 ? call->timeout_ms : f->lim.timeout_ms;
	const char *form = call->form != NULL ? call->form : "";
	const struct { CURLoption opt; long v; } longs[] = {
		{ CURLOPT_FOLLOWLOCATION, 0 }, { CURLOPT_MAXREDIRS, 0 },
		{ CURLOPT_NOSIGNAL, 1 }, { CURLOPT_TIMEOUT_MS, ms },
		{ CURLOPT_CONNECTTIMEOUT_MS, ms },
		{ CURLOPT_SSL_VERIFYPEER, 1 }, { CURLOPT_SSL_VERIFYHOST, 2 },
	};
	/* No proxy: it would connect to an address nobody vetted. */
	const struct { CURLoption opt; const void *v; } ptrs[] = {
		{ CURLOPT_CURLU, u },
		{ CURLOPT_PROTOCOLS_STR, x->relay ? "smtp,smtps" :
		    x->https ? "https" : "http" },
		{ CURLOPT_PROXY, "" }, { CURLOPT_NOPROXY, "*" },
		{ CURLOPT_OPENSOCKETDATA, x }, { CURLOPT_WRITEDATA, x },
		{ CURLOPT_USERAGENT, "idp/" IDP_VERSION },
		{ CURLOPT_HTTPHEADER, hdrs },
	};
	CURLcode cc;

	for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++)
		if ((cc = curl_easy_setopt(h, longs[i].opt, longs[i].v)) !=
		    CURLE_OK)
			return cc;
	for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++)
		if ((cc = curl_easy_setopt(h, ptrs[i].opt, ptrs[i].v)) !=
		    CURLE_OK)
			return cc;
	if ((cc = curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION,
	    open_vetted)) != CURLE_OK ||
	    (cc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body)) !=
	    CURLE_OK)
		return cc;
	if (!x->head_only && (cc = curl_easy_setopt(h,
	    CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->body.max)) != CURLE_OK)
		return cc;
	if (x->relay)
		return configure_smtp(h, call, x);
	if (call->method == IDP_FETCH_POST_FORM && ((cc = curl_easy_setopt(h,
	    CURLOPT_POSTFIELDSIZE, (long)strlen(form))) != CURLE_OK ||
	    (cc = curl_easy_setopt(h, CURLOPT_POSTFIELDS, form)) != CURLE_OK))
		return cc;
	return CURLE_OK;
}

static struct curl_slist *
headers(struct idp_arena *a, const struct idp_fetch *call)
{
	struct curl_slist *l = curl_slist_append(NULL, "Expect:");

	if (l != NULL && call->accept != NULL &&
	    curl_slist_append(l, idp_arena_printf(a, "Accept: %s",
	    call->accept)) == NULL) {
		curl_slist_free_all(l);
		return NULL;
	}
	return l;
}

/* The handles of one call, ready to run; FAILED (x->refused when libcurl
 * disagrees about the host) otherwise. */
static enum idp_fetch_result
prepare(const struct idp_fetcher *f, struct idp_arena *a,
    struct idp_fetch *call, struct transfer *x)
{
	CURLcode cc;

	x->h = curl_easy_init();
	x->u = curl_url();
	x->hdrs = headers(a, call);
	call->why = "libcurl could not start";
	if (x->h == NULL || x->u == NULL || x->hdrs == NULL)
		return IDP_FETCH_FAILED;
	if (curl_url_set(x->u, CURLUPART_URL, call->uri, x->relay ?
	    CURLU_NON_SUPPORT_SCHEME : 0) != CURLUE_OK ||
	    (!x->relay && !same_host(x->u, &x->t))) {
		call->why = "libcurl reads another host from the URI";
		x->refused = true;
		return IDP_FETCH_FAILED;
	}
	if ((cc = configure(x->h, x->u, x->hdrs, f, call, x)) != CURLE_OK ||
	    (cc = curl_easy_setopt(x->h, CURLOPT_PRIVATE, x)) != CURLE_OK) {
		call->why = curl_easy_strerror(cc);
		return IDP_FETCH_FAILED;
	}
	return IDP_FETCH_OK;
}

/* What libcurl's answer (cc) means; the handles are freed. */
static enum idp_fetch_result
outcome(struct idp_fetch *call, struct transfer *x, CURLcode cc)
{
	enum idp_fetch_result res = IDP_FETCH_FAILED;

	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &call->status);
	if (cc == CURLE_OK || (cc == CURLE_WRITE_ERROR && x->stopped &&
	    call->status > 0)) {
		res = IDP_FETCH_OK;
		call->why = NULL;
		if (!x->head_only) {
			call->body = x->body.data;
			call->body_len = x->body.len;
		}
	} else if (x->too_large || cc == CURLE_FILESIZE_EXCEEDED) {
		res = IDP_FETCH_TOO_LARGE;
		call->why = "the response is larger than allowed";
	} else {
		call->why = curl_easy_strerror(cc);
	}
	return res;
}

static void
release(struct transfer *x)
{
	curl_slist_free_all(x->rcpt);
	curl_slist_free_all(x->hdrs);
	curl_url_cleanup(x->u);
	curl_easy_cleanup(x->h);
	x->rcpt = x->hdrs = NULL;
	x->u = NULL;
	x->h = NULL;
}

static void
audit_refusal(const struct idp_fetch_caller *who, json_t *details)
{
	struct idp_dbconn *c = who->audit_db ? who->audit_db(who->arg) : NULL;
	char *js = json_dumps(details, JSON_COMPACT);
	struct idp_audit ev = { .event = "outbound.refused",
		.client_id = who->client_id, .ip = who->ip,
		.request_id = who->request_id, .details_json = js };

	if (c == NULL || js == NULL || idp_store_audit(c, &ev) != IDP_OK)
		IDP_WARN("audit.lost", " req=%s event=outbound.refused",
		    who->request_id);
	free(js);
	json_decref(details);
}

static enum idp_fetch_result
refuse(struct idp_arena *a, const struct idp_fetch_caller *who,
    struct idp_fetch *call, const struct idp_outbound_target *t,
    const struct transfer *x)
{
	const struct idp_netaddr *na = x != NULL && x->vetted ? &x->addr :
	    t->literal ? &t->addr : NULL;
	char addr[IDP_NETADDR_STRLEN] = "-";
	const char *cls = "-", *host = t->host;
	json_t *d;

	if (!idp_utf8_valid(host, strlen(host)))
		host = "?";	/* a stored URI nobody checked */
	if (na != NULL) {
		idp_netaddr_format(na, addr);
		cls = idp_addr_class_name(idp_netaddr_class(na));
	}
	if (x != NULL && x->vetted)
		call->why = "the address is not allowed";
	IDP_WARN("outbound.refused", " req=%s client=%s purpose=%s host=%s "
	    "addr=%s class=%s msg=%s", who->request_id,
	    idp_logq(a, who->client_id), call->purpose, idp_logq(a, host),
	    addr, cls, idp_logq(a, call->why));
	d = json_pack("{s:s, s:s, s:s}", "purpose", call->purpose, "host",
	    host, "reason", call->why);
	if (strcmp(cls, "-") != 0) {
		json_object_set_new(d, "address", json_string(addr));
		json_object_set_new(d, "class", json_string(cls));
	}
	audit_refusal(who, d);
	return IDP_FETCH_REFUSED;
}

/* The relay's rule, and its host for the log lines. */
static int
relay_target(struct idp_fetch *call, struct idp_outbound_target *t,
    bool *plain)
{
	const char *h = strstr(call->uri, "://");
	size_t n;

	memset(t, 0, sizeof(*t));
	if (h != NULL) {
		h += 3;
		n = strcspn(h, "/?#");
		if (n > IDP_HOST_MAX)
			n = IDP_HOST_MAX;
		memcpy(t->host, h, n);
		t->host[n] = '\0';
	}
	if (call->mail_from == NULL || call->mail_rcpt == NULL ||
	    call->upload == NULL) {
		call->why = "a mail needs a sender, a recipient and a message";
		return -1;
	}
	return idp_fetch_relay_ok(call->uri, plain, &call->why);
}

/* The rule for the URI and the transfer's settings: 0, or -1 with
 * call->why (a refusal). */
static int
begin(const struct idp_fetcher *f, struct idp_arena *a,
    struct idp_fetch *call, struct transfer *x)
{
	size_t max = call->max_bytes;

	call->status = 0;
	call->body = NULL;
	call->body_len = 0;
	call->why = NULL;
	x->relay = call->method == IDP_FETCH_SMTP;
	if (x->relay ? relay_target(call, &x->t, &x->plain) :
	    idp_outbound_uri_check(call->uri, f->lim.allow_loopback, &x->t,
	    &call->why) != 0)
		return -1;
	x->https = x->t.https;
	x->allow_loopback = f->lim.allow_loopback;
	x->head_only = max == 0;
	idp_buf_init(&x->body, a, max < IDP_FETCH_BODY_MAX ? max :
	    IDP_FETCH_BODY_MAX);
	return 0;
}

/* The end of every call that got past the rule: refusals audited,
 * failures logged. */
static enum idp_fetch_result
conclude(struct idp_arena *a, const struct idp_fetch_caller *who,
    struct idp_fetch *call, struct transfer *x, enum idp_fetch_result res)
{
	release(x);
	if (x->refused)
		return refuse(a, who, call, &x->t, x);
	if (res != IDP_FETCH_OK)
		IDP_WARN("outbound.failed", " req=%s client=%s purpose=%s "
		    "host=%s msg=%s", who->request_id,
		    idp_logq(a, who->client_id), call->purpose,
		    idp_logq(a, x->t.host), idp_logq(a, call->why));
	return res;
}

enum idp_fetch_result
idp_fetch(struct idp_fetcher *f, struct idp_arena *a,
    const struct idp_fetch_caller *who, struct idp_fetch *call)
{
	struct transfer x = { 0 };
	enum idp_fetch_result res;
	atomic_int *slots = call->background ? &f->bg_in_flight :
	    &f->in_flight;
	int limit = call->background ? f->lim.max_background :
	    f->lim.max_in_flight;

	if (begin(f, a, call, &x) != 0)
		return refuse(a, who, call, &x.t, NULL);
	if (atomic_fetch_add(slots, 1) >= limit) {
		atomic_fetch_sub(slots, 1);
		call->why = "too many outbound calls in flight";
		IDP_WARN("outbound.busy", " req=%s client=%s purpose=%s "
		    "host=%s", who->request_id, idp_logq(a, who->client_id),
		    call->purpose, idp_logq(a, x.t.host));
		return IDP_FETCH_BUSY;
	}
	res = prepare(f, a, call, &x);
	if (res == IDP_FETCH_OK)
		res = outcome(call, &x, curl_easy_perform(x.h));
	atomic_fetch_sub(slots, 1);
	return conclude(a, who, call, &x, res);
}

struct idp_fetch_multi *
idp_fetch_multi_new(struct idp_fetcher *f, int max)
{
	struct idp_fetch_multi *m = idp_xcalloc(1, sizeof(*m));

	m->f = f;
	m->max = max < 1 ? 1 : max;
	if ((m->h = curl_multi_init()) == NULL)
		idp_oom();
	/* Idle connections kept for the next calls to the same services. */
	curl_multi_setopt(m->h, CURLMOPT_MAXCONNECTS, (long)m->max);
	return m;
}

int
idp_fetch_multi_free_slots(const struct idp_fetch_multi *m)
{
	return m->max - m->running;
}

enum idp_fetch_result
idp_fetch_multi_add(struct idp_fetch_multi *m, struct idp_arena *a,
    const struct idp_fetch_caller *who, struct idp_fetch *call, void *tag)
{
	struct transfer *x = idp_arena_zalloc(a, sizeof(*x));
	enum idp_fetch_result res;

	if (begin(m->f, a, call, x) != 0)
		return refuse(a, who, call, &x->t, NULL);
	if (m->running >= m->max) {
		call->why = "too many outbound calls in flight";
		return IDP_FETCH_BUSY;
	}
	x->a = a;
	x->call = call;
	x->who = *who;
	x->tag = tag;
	res = prepare(m->f, a, call, x);
	if (res == IDP_FETCH_OK && curl_multi_add_handle(m->h, x->h) !=
	    CURLM_OK) {
		call->why = "libcurl could not start";
		res = IDP_FETCH_FAILED;
	}
	if (res != IDP_FETCH_OK)
		return conclude(a, who, call, x, res);
	x->next = m->calls;
	if (m->calls != NULL)
		m->calls->prev = x;
	m->calls = x;
	m->running++;
	return IDP_FETCH_OK;
}

static void
unlink_call(struct idp_fetch_multi *m, struct transfer *x)
{
	curl_multi_remove_handle(m->h, x->h);
	if (x->prev != NULL)
		x->prev->next = x->next;
	else
		m->calls = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	m->running--;
}

/* Report the calls that ended. */
static int
collect(struct idp_fetch_multi *m, idp_fetch_done_fn done, void *arg)
{
	CURLMsg *msg;
	int left, ended = 0;

	while ((msg = curl_multi_info_read(m->h, &left)) != NULL) {
		struct transfer *x;
		enum idp_fetch_result res;
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		x = (struct transfer *)(void *)priv;
		res = outcome(x->call, x, msg->data.result);
		unlink_call(m, x);
		res = conclude(x->a, &x->who, x->call, x, res);
		ended++;
		done(arg, x->tag, res);
	}
	return ended;
}

int
idp_fetch_multi_run(struct idp_fetch_multi *m, int wait_ms,
    idp_fetch_done_fn done, void *arg)
{
	int still = 0;

	curl_multi_perform(m->h, &still);
	if (collect(m, done, arg) > 0)
		return m->running;
	curl_multi_poll(m->h, NULL, 0, wait_ms, NULL);
	curl_multi_perform(m->h, &still);
	collect(m, done, arg);
	return m->running;
}

void
idp_fetch_multi_wakeup(struct idp_fetch_multi *m)
{
	curl_multi_wakeup(m->h);
}

void
idp_fetch_multi_free(struct idp_fetch_multi *m)
{
	if (m == NULL)
		return;
	/* Calls still running are dropped unreported (their memory is
	 * their callers' arenas). */
	while (m->calls != NULL) {
		struct transfer *x = m->calls;

		unlink_call(m, x);
		release(x);
	}
	curl_multi_cleanup(m->h);
	free(m);
}

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

static enum idp_fetch_result
perform(const struct idp_fetcher *f, struct idp_arena *a,
    struct idp_fetch *call, const struct idp_outbound_target *t,
    struct transfer *x)
{
	CURL *h = curl_easy_init();
	CURLU *u = curl_url();
	struct curl_slist *hdrs = headers(a, call);
	enum idp_fetch_result res = IDP_FETCH_FAILED;
	CURLcode cc;

	call->why = "libcurl could not start";
	if (h == NULL || u == NULL || hdrs == NULL)
		goto out;
	if (curl_url_set(u, CURLUPART_URL, call->uri, x->relay ?
	    CURLU_NON_SUPPORT_SCHEME : 0) != CURLUE_OK ||
	    (!x->relay && !same_host(u, t))) {
		call->why = "libcurl reads another host from the URI";
		x->refused = true;
		goto out;
	}
	if ((cc = configure(h, u, hdrs, f, call, x)) != CURLE_OK) {
		call->why = curl_easy_strerror(cc);
		goto out;
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &call->status);
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
out:
	curl_slist_free_all(x->rcpt);
	curl_slist_free_all(hdrs);
	curl_url_cleanup(u);
	curl_easy_cleanup(h);
	return res;
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

enum idp_fetch_result
idp_fetch(struct idp_fetcher *f, struct idp_arena *a,
    const struct idp_fetch_caller *who, struct idp_fetch *call)
{
	struct idp_outbound_target t;
	struct transfer x = { 0 };
	enum idp_fetch_result res;
	size_t max = call->max_bytes;
	atomic_int *slots = call->background ? &f->bg_in_flight :
	    &f->in_flight;
	int limit = call->background ? f->lim.max_background :
	    f->lim.max_in_flight;

	call->status = 0;
	call->body = NULL;
	call->body_len = 0;
	call->why = NULL;
	x.relay = call->method == IDP_FETCH_SMTP;
	if (x.relay ? relay_target(call, &t, &x.plain) :
	    idp_outbound_uri_check(call->uri, f->lim.allow_loopback, &t,
	    &call->why) != 0)
		return refuse(a, who, call, &t, NULL);
	if (atomic_fetch_add(slots, 1) >= limit) {
		atomic_fetch_sub(slots, 1);
		call->why = "too many outbound calls in flight";
		IDP_WARN("outbound.busy", " req=%s client=%s purpose=%s "
		    "host=%s", who->request_id, idp_logq(a, who->client_id),
		    call->purpose, idp_logq(a, t.host));
		return IDP_FETCH_BUSY;
	}
	x.https = t.https;
	x.allow_loopback = f->lim.allow_loopback;
	x.head_only = max == 0;
	idp_buf_init(&x.body, a, max < IDP_FETCH_BODY_MAX ? max :
	    IDP_FETCH_BODY_MAX);
	res = perform(f, a, call, &t, &x);
	atomic_fetch_sub(slots, 1);
	if (x.refused)
		return refuse(a, who, call, &t, &x);
	if (res != IDP_FETCH_OK)
		IDP_WARN("outbound.failed", " req=%s client=%s purpose=%s "
		    "host=%s msg=%s", who->request_id,
		    idp_logq(a, who->client_id), call->purpose,
		    idp_logq(a, t.host), idp_logq(a, call->why));
	return res;
}

/*
 * spbe-portal: the SPBE evaluation portal, a small OpenID Connect relying
 * party. It signs people in with the provincial SSO (authorization code
 * flow with PKCE) and shows them the 2023 SPBE index of Bali's
 * governments, with their own institution highlighted.
 *
 * This file is the web server: configuration, start, and one function per
 * route. The protocol rules are in oidc.c, the network side of signing in
 * in flow.c, sessions in session.c, the table in spbe.c, HTML in pages.c.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "config.h"
#include "fetch.h"
#include "flow.h"
#include "oidc.h"
#include "pages.h"
#include "session.h"
#include "spbe.h"
#include "util.h"

#ifndef PORTAL_DEFAULT_DATA
#define PORTAL_DEFAULT_DATA	"data/spbe-2023-bali.csv"
#endif

#define DISCOVERY_WAIT		30	/* seconds the provider may take */
#define PARAM_MAX		4096	/* longest callback parameter */
#define HTML			"text/html; charset=utf-8"

/* Process-wide state: read-only after start, but for the locked parts. */
static struct {
	struct config		 cfg;
	struct flow		 flow;		/* provider; JWKS cache locked */
	struct session_table	*sessions;	/* locked inside */
	struct spbe_table	 table;
	const char		*cookie;	/* the session cookie's name */
	char			*csp;
} portal;

/* What a route answers; send_reply() turns it into an MHD response. */
struct reply {
	unsigned int	 status;
	const char	*ctype;
	char		*body;		/* heap; NULL: out of memory */
	char		*location;	/* heap, for redirects */
	char		 cookie[160];	/* Set-Cookie value, or "" */
	const char	*allow;		/* for 405 */
	bool		 cache;		/* public and cacheable (style.css) */
};

static long long
now(void)
{
	return (long long)time(NULL);
}

static void
reply_page(struct reply *r, unsigned int status, char *html)
{
	r->status = status;
	r->ctype = HTML;
	r->body = html;
}

static void
reply_message(struct reply *r, unsigned int status, const char *title,
    const char *message, const char *detail, bool offer_login)
{
	reply_page(r, status, page_message(title, message, detail,
	    offer_login));
}

/* A redirect to url (taken); the body is a short page with the link. */
static void
reply_redirect(struct reply *r, unsigned int status, char *url)
{
	r->status = status;
	r->location = url;
	r->ctype = "text/plain; charset=utf-8";
	r->body = url != NULL ? strdup("Dialihkan.\n") : NULL;
}

/*
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (not
 * sent on cross-site POSTs, so another site cannot sign a person out),
 * Secure and the __Host- prefix when the portal runs on https.
 */
static void
set_cookie(struct reply *r, const char *sid)
{
	snprintf(r->cookie, sizeof(r->cookie), "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Lax%s", portal.cookie, sid,
	    portal.cfg.cf_https ? "; Secure" : "");
}

static void
clear_cookie(struct reply *r)
{
	snprintf(r->cookie, sizeof(r->cookie), "%s=; Path=/; Max-Age=0; "
	    "HttpOnly; SameSite=Lax%s", portal.cookie,
	    portal.cfg.cf_https ? "; Secure" : "");
}

static const char *
session_id(struct MHD_Connection *c)
{
	return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, portal.cookie);
}

/* GET / : the sign-in button, or the person and the table. */
static void
route_home(struct MHD_Connection *c, struct reply *r)
{
	char *claims_json = NULL, *id_token = NULL;
	json_error_t jerr;
	json_t *claims;

	if (session_user_get(portal.sessions, now(), session_id(c),
	    &claims_json, &id_token) != 0) {
		reply_page(r, 200, page_signed_out());
		return;
	}
	claims = json_loads(claims_json, 0, &jerr);
	reply_page(r, 200, page_home(claims, &portal.table));
	json_decref(claims);
	wipe_free(claims_json);
	wipe_free(id_token);
}

/* GET /login : start the authorization code flow with PKCE. */
static void
route_login(struct MHD_Connection *c, struct reply *r)
{
	char challenge[OIDC_PKCE_CHALLENGE_LEN + 1], sid[SESSION_ID_LEN + 1];
	char *claims_json, *id_token;
	struct session_login l;
	const char *old = session_id(c);
	struct oidc_client oc = portal.flow.fl_client;

	if (session_user_get(portal.sessions, now(), old, &claims_json,
	    &id_token) == 0) {
		/* Already signed in: nothing to do. */
		wipe_free(claims_json);
		wipe_free(id_token);
		reply_redirect(r, 302, strdup("/"));
		return;
	}
	/*
	 * state (RFC 6749 §10.12) ties the answer to this browser, nonce
	 * (OIDC Core §15.5.2) ties the ID token to this request, and the
	 * code_verifier (RFC 7636 §4.1) proves at the token endpoint that we
	 * started the flow. Each is 256 bits from the CSPRNG (RFC 7636
	 * §7.1), kept on the server; the browser only holds the cookie.
	 */
	if (random_token(l.sl_state) != 0 || random_token(l.sl_nonce) != 0 ||
	    random_token(l.sl_verifier) != 0 ||
	    oidc_pkce_challenge(l.sl_verifier, challenge) != 0) {
		reply_message(r, 500, "Terjadi kesalahan", "Portal tidak dapat "
		    "memulai proses masuk. Silakan coba lagi.", NULL, true);
		goto out;
	}
	if (session_login_new(portal.sessions, now(), &l, sid) != 0) {
		reply_message(r, 503, "Portal sedang sibuk", "Terlalu banyak "
		    "proses masuk berjalan bersamaan. Silakan coba lagi "
		    "sebentar lagi.", NULL, true);
		goto out;
	}
	session_drop(portal.sessions, old);
	set_cookie(r, sid);
	reply_redirect(r, 302, oidc_authorize_url(&portal.flow.fl_op, &oc,
	    l.sl_state, l.sl_nonce, challenge));
out:
	OPENSSL_cleanse(&l, sizeof(l));
}

/* The parameters of the authorization response (RFC 6749 §4.1.2). */
struct callback_query {
	const char	*cq_code;
	const char	*cq_state;
	const char	*cq_iss;
	const char	*cq_error;
	const char	*cq_error_description;
	bool		 cq_repeated;
	bool		 cq_too_long;
};

static enum MHD_Result
callback_param(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct callback_query *q = cls;
	const char **slot = NULL;

	(void)kind;
	if (strcmp(key, "code") == 0)
		slot = &q->cq_code;
	else if (strcmp(key, "state") == 0)
		slot = &q->cq_state;
	else if (strcmp(key, "iss") == 0)
		slot = &q->cq_iss;
	else if (strcmp(key, "error") == 0)
		slot = &q->cq_error;
	else if (strcmp(key, "error_description") == 0)
		slot = &q->cq_error_description;
	if (slot == NULL)
		return MHD_YES;
	/* RFC 6749 §3.1: a parameter must not appear twice. */
	if (*slot != NULL)
		q->cq_repeated = true;
	if (value != NULL && strlen(value) > PARAM_MAX)
		q->cq_too_long = true;
	/* An empty value counts as absent. */
	*slot = value != NULL && *value != '\0' ? value : NULL;
	return MHD_YES;
}

/* The error response of the provider (OIDC Core §3.1.2.6), explained. */
static void
provider_error(struct reply *r, const char *error, const char *description)
{
	static const struct {
		const char	*error;
		unsigned int	 status;
		const char	*text;
	} known[] = {
		{ "access_denied", 403, "Proses masuk dibatalkan, atau akun "
		    "Anda tidak diizinkan memakai portal ini." },
		{ "login_required", 403, "Anda perlu masuk di SSO Provinsi "
		    "Bali terlebih dahulu." },
		{ "consent_required", 403, "Portal ini memerlukan persetujuan "
		    "Anda untuk membaca data akun Anda." },
		{ "interaction_required", 403, "SSO Provinsi Bali memerlukan "
		    "tindakan Anda. Silakan masuk lagi." },
		{ "temporarily_unavailable", 503, "SSO Provinsi Bali sedang "
		    "sibuk atau dalam pemeliharaan. Silakan coba lagi "
		    "beberapa saat lagi." },
		{ "server_error", 502, "SSO Provinsi Bali sedang mengalami "
		    "gangguan. Silakan coba lagi beberapa saat lagi." },
	};
	char desc[301];
	size_t i;

	/* RFC 6749 §4.1.2.1: error_description is printable ASCII. */
	snprintf(desc, sizeof(desc), "%s", description ? description : "");
	for (i = 0; desc[i] != '\0'; i++)
		if (desc[i] < 0x20 || desc[i] > 0x7e)
			desc[i] = '?';
	logx("warn", "signin.error error=%.64s", error);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i].error, error) == 0) {
			reply_message(r, known[i].status, "Tidak dapat masuk",
			    known[i].text, desc[0] ? desc : NULL, true);
			return;
		}
	/* invalid_request, invalid_scope, unauthorized_client, ...: ours. */
	reply_message(r, 400, "Tidak dapat masuk", "SSO Provinsi Bali menolak "
	    "permintaan masuk dari portal ini. Bila masalah ini berulang, "
	    "hubungi pengelola portal.", desc[0] ? desc : NULL, true);
}

/* The token endpoint or a validation failed: say what the person can do. */
static void
exchange_error(struct reply *r, enum flow_result fr, const char *oauth_error)
{
	if (fr == FLOW_REJECTED && strcmp(oauth_error, "invalid_grant") == 0)
		reply_message(r, 400, "Tidak dapat masuk", "Kode masuk sudah "
		    "kedaluwarsa atau sudah dipakai. Silakan masuk lagi.", NULL,
		    true);
	else if (fr == FLOW_REJECTED)
		reply_message(r, 502, "Tidak dapat masuk", "SSO Provinsi Bali "
		    "tidak mengenali portal ini (pendaftaran atau rahasia "
		    "klien salah). Hubungi pengelola portal.", NULL, false);
	else if (fr == FLOW_UNREACHABLE)
		reply_message(r, 502, "Tidak dapat masuk", "SSO Provinsi Bali "
		    "tidak dapat dihubungi. Silakan coba lagi beberapa saat "
		    "lagi.", NULL, true);
	else
		reply_message(r, 502, "Tidak dapat masuk", "Jawaban SSO "
		    "Provinsi Bali tidak lolos pemeriksaan keamanan portal, "
		    "jadi Anda belum dimasukkan. Silakan coba lagi; bila "
		    "berulang, hubungi pengelola portal.", NULL, true);
}

/* GET /callback : the provider sends the browser back here. */
static void
route_callback(struct MHD_Connection *c, struct reply *r)
{
	char sid[SESSION_ID_LEN + 1], oauth_error[64], err[512];
	struct callback_query q = { 0 };
	struct flow_identity id = { 0 };
	struct session_login l;
	enum flow_result fr;

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, callback_param,
	    &q);
	if (q.cq_code == NULL && q.cq_state == NULL && q.cq_error == NULL) {
		reply_message(r, 400, "Permintaan tidak sah", "Alamat ini hanya "
		    "dipakai SSO Provinsi Bali untuk mengembalikan Anda ke "
		    "portal setelah masuk.", NULL, true);
		return;
	}
	if (q.cq_repeated || q.cq_too_long) {
		reply_message(r, 400, "Permintaan tidak sah", "Alamat kembali "
		    "dari SSO berisi parameter ganda atau terlalu panjang.",
		    NULL, true);
		return;
	}
	/*
	 * RFC 9207 §2.4: iss names who answered. If it is not our provider,
	 * the browser was sent here by another one (a mix-up attack); if
	 * our provider promises iss and it is missing, refuse as well.
	 */
	if ((q.cq_iss != NULL &&
	    strcmp(q.cq_iss, portal.flow.fl_op.op_issuer) != 0) ||
	    (q.cq_iss == NULL && portal.flow.fl_op.op_iss_parameter_supported)) {
		logx("warn", "signin.refused reason=iss");
		reply_message(r, 400, "Permintaan tidak sah", "Jawaban ini "
		    "tidak berasal dari SSO Provinsi Bali yang dipakai portal "
		    "ini.", NULL, true);
		return;
	}
	if (q.cq_state == NULL) {
		reply_message(r, 400, "Permintaan tidak sah", "Parameter state "
		    "tidak ada.", NULL, true);
		return;
	}
	/*
	 * RFC 6749 §10.12: the state must be the one this browser's session
	 * sent (compared in constant time); a response is used only once.
	 */
	switch (session_login_take(portal.sessions, now(), session_id(c),
	    q.cq_state, &l)) {
	case SESSION_TAKEN:
		break;
	case SESSION_NONE:
		reply_message(r, 400, "Sesi masuk tidak ditemukan", "Proses "
		    "masuk ini sudah selesai, kedaluwarsa (lebih dari 10 "
		    "menit), atau dimulai di peramban lain. Silakan masuk "
		    "lagi.", NULL, true);
		return;
	case SESSION_STATE_MISMATCH:
		logx("warn", "signin.refused reason=state");
		reply_message(r, 400, "Permintaan tidak sah", "Parameter state "
		    "tidak cocok dengan sesi masuk Anda.", NULL, true);
		return;
	}
	clear_cookie(r);
	if (q.cq_error != NULL) {
		provider_error(r, q.cq_error, q.cq_error_description);
		goto out;
	}
	if (q.cq_code == NULL) {
		reply_message(r, 400, "Permintaan tidak sah", "Parameter code "
		    "tidak ada.", NULL, true);
		goto out;
	}
	fr = flow_exchange(&portal.flow, q.cq_code, &l, &id, oauth_error,
	    sizeof(oauth_error), err, sizeof(err));
	if (fr != FLOW_OK) {
		logx("warn", "signin.failed %s", err);
		exchange_error(r, fr, oauth_error);
		goto out;
	}
	/* A fresh session id for the signed-in session (no fixation). */
	if (session_user_new(portal.sessions, now(), id.fi_claims,
	    id.fi_id_token, sid) != 0) {
		reply_message(r, 503, "Portal sedang sibuk", "Silakan coba "
		    "lagi sebentar lagi.", NULL, true);
		goto out;
	}
	logx("info", "signin.ok sub=%.255s", id.fi_sub);
	set_cookie(r, sid);
	reply_redirect(r, 302, strdup("/"));
out:
	flow_identity_free(&id);
	OPENSSL_cleanse(&l, sizeof(l));
}

/* POST /logout : end the local session, then the SSO session. */
static void
route_logout(struct MHD_Connection *c, struct reply *r)
{
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Origin");
	char *claims_json = NULL, *id_token = NULL;
	const char *sid = session_id(c);
	char *url = NULL;

	/* A form of another site must not sign people out (CSRF). */
	if (origin != NULL && strcmp(origin, portal.cfg.cf_origin) != 0) {
		reply_message(r, 403, "Permintaan ditolak", "Permintaan keluar "
		    "ini tidak datang dari portal.", NULL, false);
		return;
	}
	(void)session_user_get(portal.sessions, now(), sid, &claims_json,
	    &id_token);
	session_drop(portal.sessions, sid);
	clear_cookie(r);
	/*
	 * RP-Initiated Logout 1.0 §2: with the ID token as a hint, the
	 * provider ends its session without asking and sends the browser
	 * back to our registered post_logout_redirect_uri.
	 */
	if (id_token != NULL && portal.flow.fl_op.op_end_session_endpoint)
		url = oidc_logout_url(&portal.flow.fl_op,
		    portal.cfg.cf_client_id, id_token,
		    portal.cfg.cf_post_logout_uri);
	else
		url = strdup("/");
	/* 303: the browser follows a POST's redirect with a GET. */
	reply_redirect(r, 303, url);
	wipe_free(claims_json);
	wipe_free(id_token);
}

static enum MHD_Result
send_reply(struct MHD_Connection *c, struct reply *r)
{
	static char oom[] = "Terjadi kesalahan internal.\n";
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->body != NULL)
		resp = MHD_create_response_from_buffer(strlen(r->body), r->body,
		    MHD_RESPMEM_MUST_FREE);
	else {
		r->status = 500;
		r->ctype = "text/plain; charset=utf-8";
		resp = MHD_create_response_from_buffer(strlen(oom), oom,
		    MHD_RESPMEM_PERSISTENT);
	}
	if (resp == NULL) {
		free(r->body);
		free(r->location);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", r->ctype);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/* The callback URL holds a code: never send it on as a Referer. */
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy", portal.csp);
	/* Pages show personal data: no cache may keep them. */
	MHD_add_response_header(resp, "Cache-Control",
	    r->cache ? "public, max-age=3600" : "no-store");
	if (r->location != NULL && r->body != NULL)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->cookie[0] != '\0')
		MHD_add_response_header(resp, "Set-Cookie", r->cookie);
	if (r->allow != NULL)
		MHD_add_response_header(resp, "Allow", r->allow);
	ret = MHD_queue_response(c, r->status, resp);
	MHD_destroy_response(resp);
	free(r->location);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **req_cls)
{
	static int started;
	struct reply r = { .status = 200 };
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	bool post = strcmp(method, "POST") == 0;

	(void)cls;
	(void)version;
	(void)upload;
	/* MHD calls first with the headers, then with any body, then done. */
	if (*req_cls == NULL) {
		*req_cls = &started;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;	/* no route reads a body */
		return MHD_YES;
	}
	if (strcmp(url, "/") == 0 && get)
		route_home(c, &r);
	else if (strcmp(url, "/login") == 0 && get)
		route_login(c, &r);
	else if (strcmp(url, portal.cfg.cf_callback_path) == 0 && get)
		route_callback(c, &r);
	else if (strcmp(url, "/logout") == 0 && post)
		route_logout(c, &r);
	else if (strcmp(url, "/healthz") == 0 && get) {
		r.ctype = "text/plain; charset=utf-8";
		r.body = strdup("ok\n");
	} else if (strcmp(url, "/style.css") == 0 && get) {
		r.ctype = "text/css; charset=utf-8";
		r.body = strdup(page_css);
		r.cache = true;
	} else if (strcmp(url, "/") == 0 || strcmp(url, "/login") == 0 ||
	    strcmp(url, portal.cfg.cf_callback_path) == 0 ||
	    strcmp(url, "/healthz") == 0 || strcmp(url, "/style.css") == 0) {
		r.allow = "GET, HEAD";
		reply_message(&r, 405, "Metode tidak didukung", "Halaman ini "
		    "hanya dapat dibuka dengan GET.", NULL, false);
	} else if (strcmp(url, "/logout") == 0) {
		r.allow = "POST";
		reply_message(&r, 405, "Metode tidak didukung", "Untuk keluar, "
		    "pakai tombol Keluar di beranda.", NULL, false);
	} else
		reply_message(&r, 404, "Halaman tidak ditemukan", "Alamat ini "
		    "tidak ada di portal.", NULL, false);
	return send_reply(c, &r);
}

/*
 * The Content-Security-Policy: no scripts, styles only from /style.css,
 * forms only to the portal and (logout redirects there) the provider.
 */
static char *
build_csp(void)
{
	const char *es = portal.flow.fl_op.op_end_session_endpoint;
	char *es_origin = es != NULL ? url_origin(es) : NULL;
	struct buf b;

	buf_init(&b, 4096);
	buf_puts(&b, "default-src 'none'; style-src 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	if (es_origin != NULL) {
		buf_puts(&b, " ");
		buf_puts(&b, es_origin);
	}
	free(es_origin);
	return buf_steal(&b);
}

static struct MHD_Daemon *
start_server(void)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;

	if (portal.cfg.cf_listen_addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/*
	 * A thread per connection: the callback waits on the provider (up to
	 * 10 s per call) without holding up other people.
	 */
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&portal.cfg.cf_listen_addr,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_END);
}

int
main(void)
{
	struct oidc_client oc;
	struct MHD_Daemon *d = NULL;
	sigset_t sigs;
	char err[512];
	int sig, rc = 1;

	setvbuf(stderr, NULL, _IOLBF, 0);
	if (config_load(&portal.cfg, PORTAL_DEFAULT_DATA, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "spbe-portal: %s\n", err);
		return 1;
	}
	if (spbe_load(portal.cfg.cf_data, &portal.table, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "spbe-portal: PORTAL_DATA: %s\n", err);
		goto out;
	}
	portal.cookie = portal.cfg.cf_https ? "__Host-spbe_sid" : "spbe_sid";
	if (fetch_global_init() != 0 || (portal.sessions =
	    session_table_new(SESSION_MAX, SESSION_TTL)) == NULL) {
		fprintf(stderr, "spbe-portal: cannot initialise\n");
		goto out;
	}
	oc.oc_client_id = portal.cfg.cf_client_id;
	oc.oc_client_secret = portal.cfg.cf_client_secret;
	oc.oc_redirect_uri = portal.cfg.cf_redirect_uri;
	if (flow_init(&portal.flow, &oc, portal.cfg.cf_issuer, DISCOVERY_WAIT,
	    err, sizeof(err)) != 0) {
		/* logx: err may quote the provider's words; keep them inert. */
		logx("error", "PORTAL_ISSUER: %s", err);
		goto out;
	}
	if ((portal.csp = build_csp()) == NULL) {
		fprintf(stderr, "spbe-portal: out of memory\n");
		goto out;
	}
	/*
	 * Block the stop signals before MHD starts its threads, so they
	 * inherit the mask and only sigwait() below receives them. SIGPIPE
	 * is ignored: libcurl is told not to handle signals itself.
	 */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if ((d = start_server()) == NULL) {
		fprintf(stderr, "spbe-portal: PORTAL_LISTEN: cannot listen on "
		    "%s\n", portal.cfg.cf_listen);
		goto out;
	}
	logx("info", "listening on %s; issuer %s; client %s",
	    portal.cfg.cf_listen, portal.cfg.cf_issuer,
	    portal.cfg.cf_client_id);
	sigwait(&sigs, &sig);
	logx("info", "stopping (signal %d)", sig);
	rc = 0;
out:
	if (d != NULL)
		MHD_stop_daemon(d);
	free(portal.csp);
	session_table_free(portal.sessions);
	flow_free(&portal.flow);
	config_free(&portal.cfg);
	return rc;
}

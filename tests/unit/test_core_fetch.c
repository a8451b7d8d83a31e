/* core/fetch: the outbound fetcher against a small HTTP server on
 * loopback (with the development setting, which opens loopback): GET with
 * a body cap, POST of a form, status only, no redirects, the refusals
 * without it (nothing connected to, the audit asked for), failures; many
 * calls from one thread (idp_fetch_multi). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include "core/fetch.h"
#include "unit.h"

struct server {
	int fd;
	int port;
	pthread_t thread;
	const char *response;
	int accepted;
	char request[16384];
	size_t len;
};

static struct server srv;
static struct idp_arena *a;
static int audits;

static size_t
content_length(const char *head)
{
	const char *p = strcasestr(head, "\r\nContent-Length:");

	return p ? strtoul(p + 17, NULL, 10) : 0;
}

/* One request at a time: read its head and body, answer, close. */
static void *
serve(void *arg)
{
	struct server *s = arg;
	int c;

	while ((c = accept(s->fd, NULL, NULL)) >= 0) {
		char *end = NULL;
		ssize_t n;

		s->accepted++;
		s->len = 0;
		while (s->len < sizeof(s->request) - 1 &&
		    (n = read(c, s->request + s->len,
		    sizeof(s->request) - 1 - s->len)) > 0) {
			s->len += (size_t)n;
			s->request[s->len] = '\0';
			if (s->request[0] < 'A' || s->request[0] > 'Z')
				break;	/* not HTTP: a TLS handshake */
			end = strstr(s->request, "\r\n\r\n");
			if (end != NULL && s->len >= (size_t)(end + 4 -
			    s->request) + content_length(s->request))
				break;
		}
		/* The fetcher may hang up early (status only, the cap). */
		if (write(c, s->response, strlen(s->response)) < 0)
			s->len = 0;
		close(c);
	}
	return NULL;
}

static void
setup(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);

	signal(SIGPIPE, SIG_IGN);
	memset(&srv, 0, sizeof(srv));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv.fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(srv.fd, 0);
	ck_assert_int_eq(bind(srv.fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(srv.fd, 8), 0);
	ck_assert_int_eq(getsockname(srv.fd, (struct sockaddr *)&sin, &len), 0);
	srv.port = ntohs(sin.sin_port);
	ck_assert_int_eq(pthread_create(&srv.thread, NULL, serve, &srv), 0);
	a = idp_arena_new(4096);
	audits = 0;
}

static void
teardown(void)
{
	shutdown(srv.fd, SHUT_RDWR);
	close(srv.fd);
	pthread_join(srv.thread, NULL);
	idp_arena_free(a);
}

static struct idp_dbconn *
no_db(void *arg)
{
	(void)arg;
	audits++;
	return NULL;
}

static const struct idp_fetch_caller who = { "-", "rp-test", NULL, no_db,
	NULL };

static enum idp_fetch_result
run(bool loopback, struct idp_fetch *call)
{
	struct idp_fetch_limits lim = { loopback, 3000, 2, 2 };
	struct idp_fetcher *f = idp_fetcher_new(&lim);
	enum idp_fetch_result r = idp_fetch(f, a, &who, call);

	idp_fetcher_free(f);
	return r;
}

static char *
url(const char *scheme, const char *host, const char *path)
{
	return idp_arena_printf(a, "%s://%s:%d%s", scheme, host, srv.port,
	    path);
}

START_TEST(get_keeps_the_body)
{
	struct idp_fetch call = { .method = IDP_FETCH_GET, .purpose = "test",
		.accept = "application/json", .max_bytes = 64 };

	srv.response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
	    "Connection: close\r\n\r\nhello";
	call.uri = url("http", "127.0.0.1", "/keys?x=1");
	ck_assert_int_eq(run(true, &call), IDP_FETCH_OK);
	ck_assert_int_eq(call.status, 200);
	ck_assert_str_eq(call.body, "hello");
	ck_assert_uint_eq(call.body_len, 5);
	ck_assert(!strncmp(srv.request, "GET /keys?x=1 HTTP/1.1\r\n", 24));
	ck_assert_ptr_nonnull(strstr(srv.request,
	    "\r\nAccept: application/json\r\n"));
	ck_assert_ptr_null(strcasestr(srv.request, "Accept-Encoding"));
	ck_assert_int_eq(audits, 0);
}
END_TEST

START_TEST(post_of_a_form)
{
	struct idp_fetch call = { .method = IDP_FETCH_POST_FORM,
		.purpose = "test", .form = "logout_token=a.b.c&x=%20",
		.max_bytes = 64 };

	srv.response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	call.uri = url("http", "localhost", "/bcl");
	ck_assert_int_eq(run(true, &call), IDP_FETCH_OK);
	ck_assert_int_eq(call.status, 200);
	ck_assert(!strncmp(srv.request, "POST /bcl HTTP/1.1\r\n", 20));
	ck_assert_ptr_nonnull(strstr(srv.request, "\r\nContent-Type: "
	    "application/x-www-form-urlencoded\r\n"));
	ck_assert_ptr_null(strcasestr(srv.request, "Expect:"));
	ck_assert_str_eq(strstr(srv.request, "\r\n\r\n") + 4,
	    "logout_token=a.b.c&x=%20");
}
END_TEST

/* A response of head followed by n bytes of c. */
static const char *
response(const char *head, char c, size_t n)
{
	static char buf[200000];
	size_t len = strlen(head);

	ck_assert_uint_lt(len + n, sizeof(buf));
	memcpy(buf, head, len);
	memset(buf + len, c, n);
	buf[len + n] = '\0';
	return buf;
}

START_TEST(status_only)
{
	struct idp_fetch call = { .method = IDP_FETCH_POST_FORM,
		.purpose = "test", .form = "a=1", .max_bytes = 0 };

	srv.response = response("HTTP/1.1 400 Bad Request\r\n"
	    "Content-Length: 150000\r\n\r\n", 'x', 150000);
	call.uri = url("http", "127.0.0.1", "/bcl");
	ck_assert_int_eq(run(true, &call), IDP_FETCH_OK);
	ck_assert_int_eq(call.status, 400);
	ck_assert_ptr_null(call.body);
	srv.response = "HTTP/1.1 204 No Content\r\n\r\n";
	ck_assert_int_eq(run(true, &call), IDP_FETCH_OK);
	ck_assert_int_eq(call.status, 204);
}
END_TEST

START_TEST(body_cap)
{
	struct idp_fetch call = { .method = IDP_FETCH_GET, .purpose = "test",
		.max_bytes = 1000 };

	srv.response = response("HTTP/1.1 200 OK\r\nContent-Length: 2000"
	    "\r\n\r\n", 'x', 2000);
	call.uri = url("http", "127.0.0.1", "/");
	ck_assert_int_eq(run(true, &call), IDP_FETCH_TOO_LARGE);
	ck_assert_ptr_null(call.body);
	/* without a length: the cap is counted while reading */
	srv.response = response("HTTP/1.1 200 OK\r\nConnection: close\r\n"
	    "\r\n", 'y', 2000);
	ck_assert_int_eq(run(true, &call), IDP_FETCH_TOO_LARGE);
	/* exactly the cap is fine */
	srv.response = response("HTTP/1.1 200 OK\r\nContent-Length: 1000"
	    "\r\n\r\n", 'z', 1000);
	ck_assert_int_eq(run(true, &call), IDP_FETCH_OK);
	ck_assert_uint_eq(call.body_len, 1000);
}
END_TEST

START_TEST(no_redirects)
{
	struct idp_fetch call = { .method = IDP_FETCH_GET, .purpose = "test",
		.max_bytes = 64 };

	srv.response = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/"
	    "\r\nContent-Length: 0\r\n\r\n";
	call.uri = url("http", "127.0.0.1", "/");
	ck_assert_int_eq(run(true, &call), IDP_FETCH_OK);
	ck_assert_int_eq(call.status, 302);
	ck_assert_int_eq(srv.accepted, 1);
}
END_TEST

START_TEST(refused_without_the_development_setting)
{
	const char *uris[] = { url("https", "localhost", "/"),
		url("https", "127.0.0.1", "/"), url("http", "127.0.0.1", "/"),
		url("https", "[::ffff:127.0.0.1]", "/"), "https://10.0.0.1/",
		"https://169.254.169.254/", "ftp://rp.example.com/", NULL };

	srv.response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	for (int i = 0; uris[i]; i++) {
		struct idp_fetch call = { .method = IDP_FETCH_GET,
			.purpose = "test", .uri = uris[i], .max_bytes = 64 };

		ck_assert_msg(run(false, &call) == IDP_FETCH_REFUSED, "%s",
		    uris[i]);
		ck_assert_ptr_nonnull(call.why);
		ck_assert_int_eq(audits, i + 1);
	}
	ck_assert_int_eq(srv.accepted, 0);
	/* the setting opens loopback only */
	for (int i = 4; uris[i]; i++) {
		struct idp_fetch call = { .method = IDP_FETCH_GET,
			.purpose = "test", .uri = uris[i], .max_bytes = 64 };

		ck_assert_msg(run(true, &call) == IDP_FETCH_REFUSED, "%s",
		    uris[i]);
	}
}
END_TEST

START_TEST(failures_are_not_refusals)
{
	struct idp_fetch call = { .method = IDP_FETCH_GET, .purpose = "test",
		.max_bytes = 64 };

	call.uri = "http://127.0.0.1:1/";	/* nothing listens */
	ck_assert_int_eq(run(true, &call), IDP_FETCH_FAILED);
	ck_assert_ptr_nonnull(call.why);
	/* TLS to a server that speaks plain HTTP */
	srv.response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	call.uri = url("https", "127.0.0.1", "/");
	ck_assert_int_eq(run(true, &call), IDP_FETCH_FAILED);
	ck_assert_int_eq(audits, 0);
}
END_TEST

struct ended {
	int n;
	enum idp_fetch_result res[4];
	int tags[4];
};

static void
on_done(void *arg, void *tag, enum idp_fetch_result res)
{
	struct ended *e = arg;

	ck_assert_int_lt(e->n, 4);
	e->res[e->n] = res;
	e->tags[e->n++] = *(int *)tag;
}

/* Several calls from one thread, under the same rules: a refusal and a
 * full set end at once, the others are reported as they end. */
START_TEST(multi_runs_calls_together)
{
	struct idp_fetch_limits lim = { true, 3000, 2, 2 };
	struct idp_fetcher *f = idp_fetcher_new(&lim);
	struct idp_fetch_multi *m = idp_fetch_multi_new(f, 2);
	struct idp_fetch calls[4];
	int tags[4] = { 0, 1, 2, 3 };
	struct ended e = { 0 };

	srv.response = "HTTP/1.1 204 No Content\r\n\r\n";
	for (int i = 0; i < 4; i++)
		calls[i] = (struct idp_fetch){ .method = IDP_FETCH_POST_FORM,
			.purpose = "test", .form = "a=1" };
	calls[0].uri = url("http", "127.0.0.1", "/one");
	calls[1].uri = "http://127.0.0.1:1/";	/* nothing listens */
	calls[2].uri = url("http", "127.0.0.1", "/three");
	calls[3].uri = "https://10.0.0.1/";
	ck_assert_int_eq(idp_fetch_multi_add(m, a, &who, &calls[3], &tags[3]),
	    IDP_FETCH_REFUSED);
	ck_assert_int_eq(audits, 1);
	ck_assert_int_eq(idp_fetch_multi_add(m, a, &who, &calls[0], &tags[0]),
	    IDP_FETCH_OK);
	ck_assert_int_eq(idp_fetch_multi_add(m, a, &who, &calls[1], &tags[1]),
	    IDP_FETCH_OK);
	ck_assert_int_eq(idp_fetch_multi_free_slots(m), 0);
	ck_assert_int_eq(idp_fetch_multi_add(m, a, &who, &calls[2], &tags[2]),
	    IDP_FETCH_BUSY);
	for (int i = 0; i < 100 && e.n < 2; i++)
		idp_fetch_multi_run(m, 100, on_done, &e);
	ck_assert_int_eq(e.n, 2);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(e.res[i], e.tags[i] == 0 ? IDP_FETCH_OK :
		    IDP_FETCH_FAILED);
	ck_assert_int_eq(calls[0].status, 204);
	ck_assert_ptr_nonnull(calls[1].why);
	ck_assert_int_eq(idp_fetch_multi_free_slots(m), 2);
	/* a slot is free again */
	ck_assert_int_eq(idp_fetch_multi_add(m, a, &who, &calls[2], &tags[2]),
	    IDP_FETCH_OK);
	for (int i = 0; i < 100 && e.n < 3; i++)
		idp_fetch_multi_run(m, 100, on_done, &e);
	ck_assert_int_eq(e.tags[2], 2);
	ck_assert_int_eq(calls[2].status, 204);
	ck_assert(!strncmp(srv.request, "POST /three HTTP/1.1\r\n", 22));
	ck_assert_int_eq(audits, 1);
	idp_fetch_multi_free(m);
	idp_fetcher_free(f);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("core_fetch");
	TCase *tc = unit_tcase(s, "fetch");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, get_keeps_the_body);
	tcase_add_test(tc, post_of_a_form);
	tcase_add_test(tc, status_only);
	tcase_add_test(tc, body_cap);
	tcase_add_test(tc, no_redirects);
	tcase_add_test(tc, refused_without_the_development_setting);
	tcase_add_test(tc, failures_are_not_refusals);
	tcase_add_test(tc, multi_runs_calls_together);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

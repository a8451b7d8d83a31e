/* The browsers and services of bench/logout.sh's steady sign-outs, in C:
 * on a machine where the benchmark shares two cores with the provider,
 * Node.js browsers (fetch) and receivers cost about as much CPU as the
 * sign-outs themselves, and that CPU was taken from the client_credentials
 * throughput the benchmark measures next to them.
 *
 *   logout_load HOST PORT RECEIVERS
 *
 * Opens RECEIVERS back-channel logout receivers on 127.0.0.1 and prints
 *
 *   PORTS p1 p2 ...
 *
 * then reads commands on stdin, one a line, and answers each on stdout:
 *
 *   run FILE DURATION_MS DOWN   the first DOWN receivers stop listening;
 *                               each line of FILE is the Cookie header of
 *                               a person signed in, who signs out
 *                               (GET /logout, then POST its form), at an
 *                               even pace over DURATION_MS; halfway the
 *                               DOWN receivers listen again. When every
 *                               sign-out has its answer:
 *                               RAN signouts=N errors=E back_ms=T
 *   wait N TIMEOUT_MS           when N tokens have arrived, or at the
 *                               timeout: WAITED got=N at_ms=T
 *   dump FILE                   every token received, a line each:
 *                               "RECEIVER AT_MS TOKEN"; DUMPED n=N
 *   quit
 *
 * Times are CLOCK_MONOTONIC milliseconds. A receiver answers 200 to any
 * POST with a logout_token and 400 otherwise; bench/logout.mjs verifies
 * the tokens from the dump afterwards (signature, claims, one each).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define REQ_MAX (64 * 1024)	/* a logout token form is a few KB */
#define PAGE_MAX (512 * 1024)
#define COOKIE_MAX 8192
#define DRIVERS 4		/* sign-outs in flight at once, at most */

enum kind { K_LISTEN, K_CONN, K_STDIN, K_TIMER, K_DONE };

struct obj {
	enum kind kind;
};

struct receiver {
	struct obj o;
	int fd;			/* -1 while down */
	int index;
	uint16_t port;
};

struct conn {
	struct obj o;
	int fd;
	int rx;
	size_t len;
	char buf[REQ_MAX];
};

struct token {
	int rx;
	uint64_t at_ms;
	char *jwt;
};

/* What the drivers share; set before they start. */
struct run {
	struct sockaddr_in idp;
	char host[64];
	char **cookies;
	int n;
	uint64_t t0_ms;
	double gap_ms;
	atomic_int errors;
	atomic_int finished;	/* driver threads done */
	int done_fd;		/* eventfd: the last driver is done */
};

static int ep;
static struct receiver *rxs;
static int nrx;
static struct conn **conns;	/* open connections, to close a receiver's */
static int nconns, maxconns;
static struct token *tokens;
static size_t ntokens, maxtokens;
static struct run run;
static int down_count;
static uint64_t back_ms;
static long wait_for = -1;
static struct obj stdin_obj = { K_STDIN }, timer_obj = { K_TIMER },
    done_obj = { K_DONE };
static int timer_fd;

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL) {
		fprintf(stderr, "logout_load: out of memory\n");
		exit(1);
	}
	return q;
}

static void
watch(int fd, struct obj *o, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = o };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
		perror("logout_load: epoll_ctl");
		exit(1);
	}
}

/* --- The receivers ---------------------------------------------------- */

static int
listen_on(struct receiver *r)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
		.sin_port = htons(r->port) };
	socklen_t alen = sizeof(a);
	int one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (r->fd < 0)
		return -1;
	setsockopt(r->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(r->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(r->fd, 512) != 0 ||
	    getsockname(r->fd, (struct sockaddr *)&a, &alen) != 0) {
		close(r->fd);
		r->fd = -1;
		return -1;
	}
	r->port = ntohs(a.sin_port);
	watch(r->fd, &r->o, EPOLLIN);
	return 0;
}

static void
conn_close(struct conn *c)
{
	for (int i = 0; i < nconns; i++)
		if (conns[i] == c) {
			conns[i] = conns[--nconns];
			break;
		}
	close(c->fd);	/* leaves the epoll set with it */
	free(c);
}

/* A receiver stops listening, and its open connections go with it: the
 * provider sees a refused connection, as from a service that is down. */
static void
receiver_down(struct receiver *r)
{
	for (int i = nconns - 1; i >= 0; i--)
		if (conns[i]->rx == r->index)
			conn_close(conns[i]);
	close(r->fd);
	r->fd = -1;
}

static void
on_accept(struct receiver *r)
{
	for (;;) {
		int fd = accept4(r->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;

		if (fd < 0)
			return;
		c = xrealloc(NULL, sizeof(*c));
		c->o.kind = K_CONN;
		c->fd = fd;
		c->rx = r->index;
		c->len = 0;
		if (nconns == maxconns) {
			maxconns = maxconns ? maxconns * 2 : 64;
			conns = xrealloc(conns, sizeof(*conns) *
			    (size_t)maxconns);
		}
		conns[nconns++] = c;
		watch(fd, &c->o, EPOLLIN | EPOLLRDHUP);
	}
}

/* The value of header name in the head [h, end), or NULL. */
static const char *
header(const char *h, const char *end, const char *name, size_t *vlen)
{
	size_t nl = strlen(name);

	for (const char *p = h; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - p) > nl + 1 && p[nl] == ':' &&
		    strncasecmp(p, name, nl) == 0) {
			const char *v = p + nl + 1;

			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			*vlen = (size_t)(eol - v);
			while (*vlen > 0 && (v[*vlen - 1] == '\r' ||
			    v[*vlen - 1] == ' '))
				(*vlen)--;
			return v;
		}
		p = eol + 1;
	}
	return NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The form field name of body [b, b + n), %-decoded, or NULL. */
static char *
form_field(const char *b, size_t n, const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && b[j] != '&')
			j++;
		if (j - i > nl && b[i + nl] == '=' &&
		    memcmp(b + i, name, nl) == 0) {
			char *out = xrealloc(NULL, j - i), *o = out;

			for (size_t k = i + nl + 1; k < j; k++) {
				int hi, lo;

				if (b[k] == '%' && k + 2 < j &&
				    (hi = hexval(b[k + 1])) >= 0 &&
				    (lo = hexval(b[k + 2])) >= 0) {
					*o++ = (char)(hi * 16 + lo);
					k += 2;
				} else {
					*o++ = b[k] == '+' ? ' ' : b[k];
				}
			}
			*o = '\0';
			return out;
		}
		i = j + 1;
	}
	return NULL;
}

static void
answer(struct conn *c, int status, bool close_after)
{
	char out[160];
	int n = snprintf(out, sizeof(out), "HTTP/1.1 %d %s\r\n"
	    "Content-Length: 0\r\n%s\r\n", status, status == 200 ? "OK" :
	    status == 413 ? "Content Too Large" : "Bad Request",
	    close_after ? "Connection: close\r\n" : "");

	/* A few bytes to a fresh socket: they fit its buffer. */
	(void)send(c->fd, out, (size_t)n, MSG_NOSIGNAL);
}

static void
keep(int rx, char *jwt)
{
	if (ntokens == maxtokens) {
		maxtokens = maxtokens ? maxtokens * 2 : 1024;
		tokens = xrealloc(tokens, sizeof(*tokens) * maxtokens);
	}
	tokens[ntokens++] = (struct token){ rx, now_ms(), jwt };
}

/* The requests complete in c's buffer, answered; false when the
 * connection is to close. */
static bool
serve(struct conn *c)
{
	for (;;) {
		char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
		const char *v;
		size_t vlen, head, body = 0, total;
		bool close_after;
		char *jwt;

		if (end == NULL)
			return c->len < sizeof(c->buf);
		head = (size_t)(end - c->buf) + 4;
		if ((v = header(c->buf, end, "Content-Length", &vlen)) != NULL)
			body = strtoul(v, NULL, 10);
		if (body > sizeof(c->buf) - head) {
			answer(c, 413, true);
			return false;
		}
		total = head + body;
		if (c->len < total)
			return true;
		v = header(c->buf, end, "Connection", &vlen);
		close_after = v != NULL && vlen == 5 &&
		    strncasecmp(v, "close", 5) == 0;
		jwt = form_field(c->buf + head, body, "logout_token");
		answer(c, jwt != NULL ? 200 : 400, close_after);
		if (jwt != NULL)
			keep(c->rx, jwt);
		memmove(c->buf, c->buf + total, c->len - total);
		c->len -= total;
		if (close_after)
			return false;
	}
}

/* false when c was closed (and freed) */
static bool
on_readable(struct conn *c)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len,
		    0);

		if (n > 0) {
			c->len += (size_t)n;
			if (!serve(c)) {
				conn_close(c);
				return false;
			}
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		conn_close(c);	/* the caller hung up, or an error */
		return false;
	}
}

/* --- The browsers ----------------------------------------------------- */

static int
dial(void)
{
	struct timeval tv = { 30, 0 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&run.idp, sizeof(run.idp)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One request on a connection of its own (Connection: close); the answer
 * into page (NUL-terminated), its status, or -1. */
static int
exchange(const char *req, size_t reqlen, char *page, size_t *len)
{
	int fd = dial(), status = -1;
	size_t off = 0;
	ssize_t n;

	*len = 0;
	if (fd < 0)
		return -1;
	while (off < reqlen) {
		n = send(fd, req + off, reqlen - off, MSG_NOSIGNAL);
		if (n <= 0)
			goto out;
		off += (size_t)n;
	}
	while (*len < PAGE_MAX - 1 &&
	    (n = recv(fd, page + *len, PAGE_MAX - 1 - *len, 0)) > 0)
		*len += (size_t)n;
	page[*len] = '\0';
	if (n < 0 || sscanf(page, "HTTP/1.%*c %d", &status) != 1)
		status = -1;
out:
	close(fd);
	return status;
}

/* Whether the attributes [a, end) of a Set-Cookie say Max-Age=0. */
static bool
cleared(const char *a, const char *end)
{
	for (const char *p = a; p + 9 <= end; p++)
		if (strncasecmp(p, "max-age=0", 9) == 0 &&
		    (p + 9 == end || p[9] == ';' || p[9] == ' '))
			return true;
	return false;
}

/* name=value of each Set-Cookie in the head of page, into the Cookie
 * header jar (replaced if the name is there; dropped if emptied). */
static void
take_cookies(const char *page, char *jar)
{
	const char *end = strstr(page, "\r\n\r\n");
	size_t vlen;

	for (const char *p = page; end != NULL && p < end;) {
		const char *v = header(p, end, "Set-Cookie", &vlen), *eq, *semi;
		char name[256], out[COOKIE_MAX] = "";
		size_t nl;

		if (v == NULL)
			break;
		p = v + vlen;
		semi = memchr(v, ';', vlen);
		if (semi == NULL)
			semi = v + vlen;
		eq = memchr(v, '=', (size_t)(semi - v));
		if (eq == NULL || (size_t)(eq - v) >= sizeof(name))
			continue;
		nl = (size_t)(eq - v);
		memcpy(name, v, nl);
		name[nl] = '\0';
		/* Keep the others, then this one unless it was cleared. */
		for (char *c = jar; *c != '\0';) {
			char *next = strstr(c, "; ");
			size_t clen = next ? (size_t)(next - c) : strlen(c);

			if (!(clen > nl && c[nl] == '=' &&
			    strncmp(c, name, nl) == 0))
				snprintf(out + strlen(out), sizeof(out) -
				    strlen(out), "%s%.*s", *out ? "; " : "",
				    (int)clen, c);
			c = next ? next + 2 : c + clen;
		}
		if (semi > eq + 1 && !cleared(semi, v + vlen))
			snprintf(out + strlen(out), sizeof(out) - strlen(out),
			    "%s%.*s", *out ? "; " : "", (int)(semi - v), v);
		strcpy(jar, out);
	}
}

/* The attribute attr="..." of the tag [t, end), HTML entities undone,
 * %-encoded onto form. */
static void
add_attr(const char *t, const char *end, const char *attr, char *form,
    size_t cap)
{
	char key[16];
	const char *v, *q;
	size_t fl = strlen(form);

	snprintf(key, sizeof(key), " %s=\"", attr);
	v = memmem(t, (size_t)(end - t), key, strlen(key));
	if (v == NULL)
		return;
	v += strlen(key);
	q = memchr(v, '"', (size_t)(end - v));
	if (q == NULL)
		return;
	while (v < q && fl + 4 < cap) {
		static const struct { const char *e; char c; } ents[] = {
			{ "&amp;", '&' }, { "&quot;", '"' }, { "&#39;", '\'' },
			{ "&lt;", '<' }, { "&gt;", '>' } };
		unsigned char c = (unsigned char)*v++;

		for (size_t i = 0; c == '&' && i < 5; i++)
			if (strncmp(v - 1, ents[i].e, strlen(ents[i].e)) == 0) {
				c = (unsigned char)ents[i].c;
				v += strlen(ents[i].e) - 1;
				break;
			}
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL)
			form[fl++] = (char)c;
		else
			fl += (size_t)snprintf(form + fl, cap - fl, "%%%02X", c);
	}
	form[fl] = '\0';
}

/* The <input> fields of page as a form body. */
static void
inputs(const char *page, char *form, size_t cap)
{
	*form = '\0';
	for (const char *t = strstr(page, "<input"); t != NULL;
	    t = strstr(t + 1, "<input")) {
		const char *end = strchr(t, '>');

		if (end == NULL)
			break;
		if (memmem(t, (size_t)(end - t), " name=\"", 7) == NULL)
			continue;
		if (*form != '\0' && strlen(form) + 1 < cap)
			strcat(form, "&");
		add_attr(t, end, "name", form, cap);
		if (strlen(form) + 1 < cap)
			strcat(form, "=");
		add_attr(t, end, "value", form, cap);
	}
}

/* The sign-out of a browser holding cookies: 0, or -1. */
static int
sign_out(const char *cookies, char *page, char *req)
{
	char jar[COOKIE_MAX], form[16384];
	size_t len;
	int n;

	snprintf(jar, sizeof(jar), "%s", cookies);
	n = snprintf(req, PAGE_MAX, "GET /logout HTTP/1.1\r\nHost: %s\r\n"
	    "Cookie: %s\r\nConnection: close\r\n\r\n", run.host, jar);
	if (exchange(req, (size_t)n, page, &len) != 200)
		return -1;
	take_cookies(page, jar);
	inputs(page, form, sizeof(form));
	n = snprintf(req, PAGE_MAX, "POST /logout HTTP/1.1\r\nHost: %s\r\n"
	    "Cookie: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", run.host,
	    jar, strlen(form), form);
	return exchange(req, (size_t)n, page, &len) == 200 ? 0 : -1;
}

/* Driver k signs out people k, k + DRIVERS, ..., each at its time. */
static void *
driver(void *arg)
{
	int k = (int)(intptr_t)arg;
	char *page = xrealloc(NULL, PAGE_MAX), *req = xrealloc(NULL, PAGE_MAX);
	uint64_t one = 1;

	for (int i = k; i < run.n; i += DRIVERS) {
		uint64_t due = run.t0_ms + (uint64_t)(i * run.gap_ms), now;

		while ((now = now_ms()) < due)
			usleep((useconds_t)((due - now) * 1000));
		if (sign_out(run.cookies[i], page, req) != 0)
			atomic_fetch_add(&run.errors, 1);
	}
	free(page);
	free(req);
	if (atomic_fetch_add(&run.finished, 1) + 1 == DRIVERS)
		(void)write(run.done_fd, &one, sizeof(one));
	return NULL;
}

/* --- The commands ----------------------------------------------------- */

static void
arm(uint64_t in_ms)
{
	struct itimerspec it = { .it_value = { (time_t)(in_ms / 1000),
		(long)(in_ms % 1000) * 1000000 + 1 } };

	timerfd_settime(timer_fd, 0, &it, NULL);
}

static int
read_cookies(const char *file)
{
	FILE *f = fopen(file, "r");
	char line[COOKIE_MAX];

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		run.cookies = xrealloc(run.cookies, sizeof(char *) *
		    (size_t)(run.n + 1));
		run.cookies[run.n++] = strdup(line);
	}
	fclose(f);
	return 0;
}

static void
cmd_run(const char *file, long duration, int down)
{
	pthread_t t;

	if (read_cookies(file) != 0 || run.n == 0 || down > nrx) {
		printf("RAN error=bad-arguments\n");
		return;
	}
	down_count = down;
	for (int i = 0; i < down; i++)
		receiver_down(&rxs[i]);
	run.gap_ms = (double)duration / run.n;
	run.t0_ms = now_ms();
	arm((uint64_t)duration / 2);	/* the down receivers come back */
	for (int k = 0; k < DRIVERS; k++) {
		if (pthread_create(&t, NULL, driver, (void *)(intptr_t)k) != 0) {
			perror("logout_load: pthread_create");
			exit(1);
		}
		pthread_detach(t);
	}
}

static void
on_timer(void)
{
	uint64_t x;

	(void)read(timer_fd, &x, sizeof(x));
	if (down_count > 0) {
		for (int i = 0; i < down_count; i++)
			if (listen_on(&rxs[i]) != 0) {
				perror("logout_load: listen again");
				exit(1);
			}
		down_count = 0;
		back_ms = now_ms();
		return;
	}
	if (wait_for >= 0) {	/* the wait's timeout */
		printf("WAITED got=%zu at_ms=%llu\n", ntokens,
		    (unsigned long long)now_ms());
		wait_for = -1;
	}
}

static void
check_wait(void)
{
	if (wait_for >= 0 && (long)ntokens >= wait_for) {
		printf("WAITED got=%zu at_ms=%llu\n", ntokens,
		    (unsigned long long)tokens[ntokens - 1].at_ms);
		wait_for = -1;
		timerfd_settime(timer_fd, 0, &(struct itimerspec){ 0 }, NULL);
	}
}

static void
cmd_dump(const char *file)
{
	FILE *f = fopen(file, "w");

	if (f == NULL) {
		printf("DUMPED error=%s\n", strerror(errno));
		return;
	}
	for (size_t i = 0; i < ntokens; i++)
		fprintf(f, "%d %llu %s\n", tokens[i].rx,
		    (unsigned long long)tokens[i].at_ms, tokens[i].jwt);
	fclose(f);
	printf("DUMPED n=%zu\n", ntokens);
}

/* One command line; false on quit (or end of input). */
static bool
command(char *line)
{
	char a[4096];
	long x, y;

	if (sscanf(line, "run %4095s %ld %ld", a, &x, &y) == 3)
		cmd_run(a, x, (int)y);
	else if (sscanf(line, "wait %ld %ld", &x, &y) == 2) {
		wait_for = x;
		arm((uint64_t)y);
		check_wait();
	} else if (sscanf(line, "dump %4095s", a) == 1)
		cmd_dump(a);
	else if (strncmp(line, "quit", 4) == 0)
		return false;
	else
		printf("ERROR unknown command\n");
	return true;
}

static bool
on_stdin(void)
{
	static char line[8192];
	static size_t len;
	ssize_t n = read(0, line + len, sizeof(line) - 1 - len);
	char *nl;

	if (n <= 0)
		return false;
	len += (size_t)n;
	while ((nl = memchr(line, '\n', len)) != NULL) {
		*nl = '\0';
		if (!command(line))
			return false;
		len -= (size_t)(nl + 1 - line);
		memmove(line, nl + 1, len);
	}
	if (len == sizeof(line) - 1)
		len = 0;	/* a line too long: dropped */
	return true;
}

int
main(int argc, char **argv)
{
	struct epoll_event evs[64];
	char *end;
	long port;

	if (argc != 4 || (nrx = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: logout_load HOST PORT RECEIVERS\n");
		return 2;
	}
	port = strtol(argv[2], &end, 10);
	run.idp.sin_family = AF_INET;
	if (*end != '\0' || port <= 0 || port > 65535 ||
	    inet_pton(AF_INET, argv[1], &run.idp.sin_addr) != 1) {
		fprintf(stderr, "logout_load: bad address %s:%s\n", argv[1],
		    argv[2]);
		return 2;
	}
	run.idp.sin_port = htons((uint16_t)port);
	snprintf(run.host, sizeof(run.host), "%s:%ld", argv[1], port);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	run.done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ep < 0 || timer_fd < 0 || run.done_fd < 0) {
		perror("logout_load");
		return 1;
	}
	watch(0, &stdin_obj, EPOLLIN);
	watch(timer_fd, &timer_obj, EPOLLIN);
	watch(run.done_fd, &done_obj, EPOLLIN);
	rxs = xrealloc(NULL, sizeof(*rxs) * (size_t)nrx);
	printf("PORTS");
	for (int i = 0; i < nrx; i++) {
		rxs[i] = (struct receiver){ { K_LISTEN }, -1, i, 0 };
		if (listen_on(&rxs[i]) != 0) {
			perror("logout_load: listen");
			return 1;
		}
		printf(" %u", rxs[i].port);
	}
	printf("\n");
	for (;;) {
		int n = epoll_wait(ep, evs, 64, -1);

		for (int i = 0; i < n; i++) {
			struct obj *o = evs[i].data.ptr;
			uint64_t x;

			switch (o->kind) {
			case K_LISTEN:
				on_accept((struct receiver *)o);
				break;
			/* A connection closed here may be a later event's of
			 * this batch: after a close, wait again for events. */
			case K_CONN:
				if (!on_readable((struct conn *)o))
					i = n;
				check_wait();
				break;
			case K_STDIN:	/* run closes receivers */
				if (!on_stdin())
					return 0;
				i = n;
				break;
			case K_TIMER:
				on_timer();
				i = n;
				break;
			case K_DONE:
				(void)read(run.done_fd, &x, sizeof(x));
				printf("RAN signouts=%d errors=%d back_ms=%llu\n",
				    run.n, atomic_load(&run.errors),
				    (unsigned long long)back_ms);
				break;
			}
		}
	}
}

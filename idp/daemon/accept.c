#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/accept.h"
#include "daemon/guard.h"
#include "http/head.h"
#include "util/log.h"
#include "util/mem.h"

#define PEEK_BYTES 4096
#define ACCEPT_BATCH 64

struct idp_acceptor {
	int lfd;
	int wake[2];		/* a byte on wake[1] stops the thread */
	pthread_t thread;
	struct idp_guard *guard;
	idp_handoff_fn handoff;
	void *cls;
};

#define BAD_BODY "{\"error\":\"invalid_request\",\"error_description\":" \
    "\"The request is not valid HTTP.\"}"

/* The first bytes, if any have arrived, decide: garbage is answered here,
 * the rest goes to the HTTP server untouched. */
static void
admit(struct idp_acceptor *a, int fd, const struct sockaddr *sa,
    socklen_t salen)
{
	char buf[PEEK_BYTES];
	ssize_t n = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
	int len;

	if (n <= 0 || idp_head_plausible(buf, (size_t)n)) {
		a->handoff(a->cls, fd, sa, salen);
		return;
	}
	IDP_INFO("http.rejected", " msg=\"not HTTP\" bytes=%zd", n);
	len = snprintf(buf, sizeof(buf), "HTTP/1.1 400 Bad Request\r\n"
	    "Content-Type: application/json\r\nCache-Control: no-store\r\n"
	    "Connection: close\r\nContent-Length: %zu\r\n\r\n%s",
	    strlen(BAD_BODY), BAD_BODY);
	(void)send(fd, buf, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);
	shutdown(fd, SHUT_WR);
	idp_guard_linger_fd(a->guard, fd);
}

static void
accept_some(struct idp_acceptor *a)
{
	for (int i = 0; i < ACCEPT_BATCH; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd = accept4(a->lfd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				IDP_WARN("http.accept", " msg=\"out of file "
				    "descriptors\"");
				usleep(100000);
			}
			return;
		}
		admit(a, fd, (struct sockaddr *)&ss, len);
	}
}

static void *
run(void *p)
{
	struct idp_acceptor *a = p;
	struct pollfd pf[2] = {
		{ .fd = a->lfd, .events = POLLIN },
		{ .fd = a->wake[0], .events = POLLIN },
	};

	for (;;) {
		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			break;
		if (pf[1].revents != 0)
			break;
		if (pf[0].revents != 0)
			accept_some(a);
	}
	return NULL;
}

static int
listen_on(const char *host, int port, char *why, size_t whylen)
{
	struct sockaddr_in addr;
	int one = 1, defer = 1;
	int fd;

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		snprintf(why, whylen, "listen: %s is not an IPv4 address",
		    host);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(why, whylen, "listen: socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Wake up when the first bytes are there (or after about a second
	 * without any), so they can be looked at before the hand-over. */
	setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(fd, 1024) != 0) {
		snprintf(why, whylen, "listen: cannot listen on %s:%d (%s)",
		    host, port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct idp_acceptor *
idp_acceptor_start(const char *host, int port, struct idp_guard *g,
    idp_handoff_fn handoff, void *cls, char *why, size_t whylen)
{
	struct idp_acceptor *a = idp_xcalloc(1, sizeof(*a));

	a->guard = g;
	a->handoff = handoff;
	a->cls = cls;
	a->lfd = listen_on(host, port, why, whylen);
	if (a->lfd < 0)
		goto fail;
	if (pipe2(a->wake, O_CLOEXEC) != 0) {
		snprintf(why, whylen, "listen: pipe: %s", strerror(errno));
		close(a->lfd);
		goto fail;
	}
	if (pthread_create(&a->thread, NULL, run, a) != 0) {
		snprintf(why, whylen, "listen: cannot start the accept thread");
		close(a->lfd);
		close(a->wake[0]);
		close(a->wake[1]);
		goto fail;
	}
	return a;
fail:
	free(a);
	return NULL;
}

/* One byte on the pipe ends the accept thread's poll. Should the write
 * fail (a bug: the pipe is ours and empty), the thread is cancelled at
 * its poll instead, so that stopping never hangs in pthread_join. */
static void
wake_to_stop(struct idp_acceptor *a)
{
	ssize_t n;

	do
		n = write(a->wake[1], "x", 1);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		return;
	IDP_ERROR("http.accept", " msg=\"cannot wake the accept thread (%s): "
	    "cancelling it\"", n < 0 ? strerror(errno) : "short write");
	pthread_cancel(a->thread);
}

void
idp_acceptor_stop(struct idp_acceptor *a)
{
	if (a == NULL)
		return;
	wake_to_stop(a);
	pthread_join(a->thread, NULL);
	close(a->lfd);
	close(a->wake[0]);
	close(a->wake[1]);
	free(a);
}

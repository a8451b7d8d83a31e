/* Slow clients for the benchmark and the fault test: holds CONNS
 * connections from one source address to the provider, each sending the
 * start of a request head and then one more byte every INTERVAL seconds,
 * never finishing it. A connection the server closes is opened again at
 * once, so the pressure stays. Stops after DURATION seconds and prints
 *
 *   SLOWRESULT opened=N cut=N refused=N open=N max_held=N cut_after_ms=N
 *
 * cut: connections the server closed a second or more after connect
 * (deadline or shedding); refused: closed or failed within a second (a
 * connection or per-address limit); max_held: the most connections open
 * for a second or more at one time (what the server let one address
 * hold); cut_after_ms: the mean time from connect to cut. Progress goes to stderr every 5 s.
 *
 *   slow_clients HOST PORT FROM CONNS INTERVAL DURATION [RATE]
 *   e.g. slow_clients 127.0.0.1 8080 127.0.0.2 4000 10 60 1000
 *
 * RATE caps new connections per second (default: as fast as slots close),
 * so that on a machine shared with the server the generator itself does
 * not take the cores a remote attacker's machine would spend.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char head[] = "GET /.well-known/openid-configuration HTTP/1.1\r\n"
    "Host: slow.example\r\nX-Slow: ";

struct slot {
	int fd;
	int connected;
	uint64_t opened_ms, next_ms;
};

static struct sockaddr_in to, from;
static volatile sig_atomic_t stop;
static uint64_t opened, cut, refused, cut_ms_sum;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 1000000) {
		fprintf(stderr, "slow_clients: %s is not a number\n", s);
		exit(2);
	}
	return (int)v;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int
open_slot(int ep, struct slot *s, uint32_t idx)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP,
		.data.u32 = idx };
	int one = 1;

	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -1;
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&from, sizeof(from)) != 0 ||
	    (connect(s->fd, (struct sockaddr *)&to, sizeof(to)) != 0 &&
	    errno != EINPROGRESS)) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	s->connected = 0;
	s->opened_ms = now_ms();
	epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
	opened++;
	return 0;
}

static void
drop_slot(int ep, struct slot *s)
{
	uint64_t now = now_ms();

	epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	s->fd = -1;
	if (s->connected && now - s->opened_ms >= 1000) {
		cut++;
		cut_ms_sum += now - s->opened_ms;
	} else {
		refused++;
	}
}

static void
on_event(int ep, struct slot *s, uint32_t idx, uint32_t events,
    int interval_ms)
{
	char buf[512];

	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		ssize_t n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT);

		/* Any answer or end of input ends this connection; a slot
		 * that never got its head out counts as refused. */
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
			drop_slot(ep, s);
			return;
		}
	}
	if ((events & EPOLLOUT) && !s->connected) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP,
			.data.u32 = idx };

		if (send(s->fd, head, sizeof(head) - 1, MSG_NOSIGNAL) !=
		    (ssize_t)sizeof(head) - 1) {
			drop_slot(ep, s);
			return;
		}
		s->connected = 1;
		s->next_ms = now_ms() + (uint64_t)interval_ms;
		epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
	}
}

int
main(int argc, char **argv)
{
	struct epoll_event evs[256];
	struct slot *slots;
	struct rlimit rl;
	uint64_t end, next_report;
	int conns, interval_ms, ep, max_held = 0, rate, made_this_s = 0;
	uint64_t second = 0;

	if (argc != 7 && argc != 8) {
		fprintf(stderr, "usage: slow_clients HOST PORT FROM CONNS "
		    "INTERVAL_S DURATION_S [RATE]\n");
		return 2;
	}
	memset(&to, 0, sizeof(to));
	memset(&from, 0, sizeof(from));
	to.sin_family = from.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)number(argv[2]));
	if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 ||
	    inet_pton(AF_INET, argv[3], &from.sin_addr) != 1) {
		fprintf(stderr, "slow_clients: bad address\n");
		return 2;
	}
	conns = number(argv[4]);
	rate = argc == 8 ? number(argv[7]) : 0;
	interval_ms = number(argv[5]) * 1000;
	end = now_ms() + (uint64_t)number(argv[6]) * 1000u;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)conns + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	slots = calloc((size_t)conns, sizeof(*slots));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (slots == NULL || ep < 0)
		return 1;
	for (int i = 0; i < conns; i++)
		slots[i].fd = -1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	next_report = now_ms() + 5000;
	while (!stop && now_ms() < end) {
		uint64_t now;
		int n, open_now = 0, held_now = 0;

		/* Refill closed slots, a few hundred per turn, at most RATE a
		 * second. */
		if (now_ms() / 1000 != second) {
			second = now_ms() / 1000;
			made_this_s = 0;
		}
		for (int i = 0, made = 0; i < conns && made < 500 &&
		    (rate == 0 || made_this_s < rate); i++)
			if (slots[i].fd < 0 && open_slot(ep, &slots[i],
			    (uint32_t)i) == 0) {
				made++;
				made_this_s++;
			}
		n = epoll_wait(ep, evs, 256, 100);
		for (int i = 0; i < n; i++) {
			struct slot *s = &slots[evs[i].data.u32];

			if (s->fd >= 0)
				on_event(ep, s, evs[i].data.u32,
				    evs[i].events, interval_ms);
		}
		now = now_ms();
		for (int i = 0; i < conns; i++) {
			struct slot *s = &slots[i];

			if (s->fd < 0)
				continue;
			open_now += s->connected;
			held_now += s->connected && now - s->opened_ms >= 1000;
			if (s->connected && now >= s->next_ms) {
				if (send(s->fd, "a", 1, MSG_NOSIGNAL) != 1)
					drop_slot(ep, s);
				else
					s->next_ms = now + (uint64_t)interval_ms;
			}
		}
		if (held_now > max_held)
			max_held = held_now;
		if (now >= next_report) {
			fprintf(stderr, "slow_clients: open=%d opened=%llu "
			    "cut=%llu refused=%llu\n", open_now,
			    (unsigned long long)opened,
			    (unsigned long long)cut,
			    (unsigned long long)refused);
			next_report = now + 5000;
		}
	}
	{
		int open_now = 0;

		for (int i = 0; i < conns; i++)
			open_now += slots[i].fd >= 0 && slots[i].connected;
		printf("SLOWRESULT opened=%llu cut=%llu refused=%llu open=%d "
		    "max_held=%d cut_after_ms=%llu\n",
		    (unsigned long long)opened, (unsigned long long)cut,
		    (unsigned long long)refused, open_now, max_held,
		    (unsigned long long)(cut ? cut_ms_sum / cut : 0));
	}
	return 0;
}

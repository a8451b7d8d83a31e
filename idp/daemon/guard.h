/* The connection guard: deadlines and a cap for the HTTP connections, so
 * that slow or idle clients cannot hold the server's slots. Each
 * connection has a clock that starts at accept and again when a response
 * has been sent (keep-alive); the request head must be complete within
 * head_ms of it and the body within body_ms. A watchdog thread shuts down
 * (shutdown(2), never close) the sockets past their deadline, and when
 * more than max_connections are open the oldest connections still waiting
 * for a head or body are shed first (those of the address holding most of
 * them), so new clients are not refused for old slow ones. Closing connections whose request was not read to the
 * end (an early 413) are drained for linger_ms so the client can read the
 * answer instead of getting a reset.
 *
 * No libmicrohttpd here: daemon/server.c calls these from its
 * notifications. Records are touched only under the guard's mutex, and a
 * socket is shut down only while its record is open, so no descriptor is
 * used after its owner closed it. */
#ifndef IDP_DAEMON_GUARD_H
#define IDP_DAEMON_GUARD_H

#include <stdbool.h>
#include <sys/socket.h>

struct idp_guard_limits {
	unsigned max_connections;	/* past this, shed the oldest waiting */
	unsigned max_held;		/* open and reserved: refuse past this */
	unsigned max_per_addr;		/* open from one address; 0: no limit */
	int head_ms;			/* request head complete within */
	int body_ms;			/* request body complete within */
	int linger_ms;			/* drain a closing socket for at most */
};

struct idp_guard;
struct idp_guard_conn;

/* Starts the watchdog thread; NULL when it cannot be started. */
struct idp_guard *idp_guard_new(const struct idp_guard_limits *lim);
/* Stops the watchdog, closes lingering sockets. Every connection must
 * have been closed (idp_guard_close) before. Accepts NULL. */
void idp_guard_free(struct idp_guard *g);

/* Before a connection from peer is handed to its owner: false (refuse
 * it) when peer's address holds max_per_addr connections. At
 * max_connections, waiting connections are shed to make room (false when
 * peer's address already holds half of them or more but not all); when
 * max_held are open (shed ones still closing do not count) or reserved,
 * waits up to a second for room, then returns false. A reservation becomes
 * the record of idp_guard_open, or is returned with idp_guard_unreserve
 * when the owner refused the socket. */
bool idp_guard_reserve(struct idp_guard *g, const struct sockaddr *peer);
void idp_guard_unreserve(struct idp_guard *g, const struct sockaddr *peer);

/* A reserved connection from peer was accepted on fd (still owned by the
 * caller). */
struct idp_guard_conn *idp_guard_open(struct idp_guard *g, int fd,
    const struct sockaddr *peer);
/* The head is complete; the body is still to come when body_follows. */
void idp_guard_head_done(struct idp_guard *g, struct idp_guard_conn *c,
    bool body_follows);
void idp_guard_body_done(struct idp_guard *g, struct idp_guard_conn *c);
/* A response was sent: the clock starts again for the next request. */
void idp_guard_request_done(struct idp_guard *g, struct idp_guard_conn *c);
/* The answer went out before the request was read to its end: drain the
 * socket when it closes. */
void idp_guard_linger_on_close(struct idp_guard *g,
    struct idp_guard_conn *c);
/* The owner is about to close fd: forget it (or keep a duplicate of the
 * socket to drain it). Frees c. */
void idp_guard_close(struct idp_guard *g, struct idp_guard_conn *c);

/* A socket the caller answered and half-closed itself: the guard drains
 * and closes it. */
void idp_guard_linger_fd(struct idp_guard *g, int fd);

#endif

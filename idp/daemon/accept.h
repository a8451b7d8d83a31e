/* The listening socket and its accept thread. Connections are accepted
 * once their first bytes have arrived (TCP_DEFER_ACCEPT), and those bytes
 * are looked at before libmicrohttpd sees the socket: a head that cannot
 * be HTTP (NUL bytes, a bare CR, a broken request line) is answered 400 at
 * once and closed gracefully, where libmicrohttpd would wait for a line end
 * that never comes. Everything else is handed over unread. */
#ifndef IDP_DAEMON_ACCEPT_H
#define IDP_DAEMON_ACCEPT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct idp_guard;
struct idp_acceptor;

/* Take over fd (accepted from peer); the callee owns it afterwards. */
typedef void (*idp_handoff_fn)(void *cls, int fd, const struct sockaddr *peer,
    socklen_t peerlen);

/* Bind host:port (IPv4) and start accepting. NULL (with why) on error. */
struct idp_acceptor *idp_acceptor_start(const char *host, int port,
    struct idp_guard *g, idp_handoff_fn handoff, void *cls, char *why,
    size_t whylen);
/* Stop accepting and close the listening socket. Accepts NULL. */
void idp_acceptor_stop(struct idp_acceptor *a);

#endif

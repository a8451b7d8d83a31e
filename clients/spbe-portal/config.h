/*
 * The portal's configuration, read once from the environment at start and
 * never changed afterwards. README.md documents each variable.
 */
#ifndef SPBE_PORTAL_CONFIG_H
#define SPBE_PORTAL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct config {
	char			*cf_issuer;		/* PORTAL_ISSUER */
	char			*cf_client_id;		/* PORTAL_CLIENT_ID */
	char			*cf_client_secret;	/* wiped at exit */
	char			*cf_redirect_uri;	/* PORTAL_REDIRECT_URI */
	char			*cf_data;		/* PORTAL_DATA */
	/* Derived from the redirect URI. */
	char			*cf_origin;		/* scheme://host:port */
	const char		*cf_callback_path;	/* in cf_redirect_uri */
	char			*cf_post_logout_uri;	/* origin + "/" */
	bool			 cf_https;
	/* PORTAL_LISTEN */
	char			*cf_listen;
	struct sockaddr_storage	 cf_listen_addr;
	socklen_t		 cf_listen_addrlen;
};

/*
 * Reads the PORTAL_* variables. Returns 0, or -1 with a message naming the
 * variable in err.
 */
int	 config_load(struct config *, const char *default_data, char *err,
	    size_t errlen) __attribute__((warn_unused_result));
void	 config_free(struct config *);

#endif

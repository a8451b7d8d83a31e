/*
 * The portal's HTTP client (libcurl): GET, or POST of a form, to the
 * provider. TLS certificates are verified, redirects are not followed,
 * every call ends within FETCH_TIMEOUT seconds and a response body larger
 * than FETCH_MAX_BODY is refused.
 */
#ifndef SPBE_PORTAL_FETCH_H
#define SPBE_PORTAL_FETCH_H

#include <stddef.h>

#define FETCH_TIMEOUT	10L
#define FETCH_MAX_BODY	(1024 * 1024)

struct fetch_req {
	const char	*fr_url;
	const char	*fr_authorization;	/* header value, or NULL */
	const char	*fr_form;		/* POST body; NULL: GET */
};

struct fetch_resp {
	long	 fs_status;		/* HTTP status; 0 if none came */
	char	*fs_body;		/* NUL-terminated */
	size_t	 fs_len;
	char	 fs_error[256];		/* why the call failed */
};

/* Call once at start, before any thread runs. */
int	 fetch_global_init(void);

/*
 * Performs the request. Returns 0 when a response arrived (any status), or
 * -1 when none did, with the reason in fs_error. fetch_resp_free() either
 * way.
 */
int	 fetch(const struct fetch_req *, struct fetch_resp *)
	    __attribute__((warn_unused_result));

/* Wipes (it may hold tokens) and frees the body. */
void	 fetch_resp_free(struct fetch_resp *);

#endif

/*
 * Small helpers the other files share: a bounded string buffer, base64url,
 * URL and HTML escaping, random tokens, constant-time comparison, wiping,
 * logging. No network, no server: the unit tests link this file directly.
 */
#ifndef SPBE_PORTAL_UTIL_H
#define SPBE_PORTAL_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A growable string with a hard maximum (curl's dynbuf "toobig"). Once an
 * append fails (no memory, or over the maximum) the buffer stays failed and
 * buf_steal() returns NULL, so callers check once at the end.
 */
struct buf {
	char	*b_data;
	size_t	 b_len;
	size_t	 b_cap;
	size_t	 b_max;
	bool	 b_failed;
};

void	 buf_init(struct buf *, size_t max);
void	 buf_add(struct buf *, const char *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Percent-encodes all but RFC 3986 unreserved characters. */
void	 buf_urlenc(struct buf *, const char *);
/* Escapes & < > " ' for HTML text and attribute values. */
void	 buf_html(struct buf *, const char *);
/* The NUL-terminated contents (caller frees), or NULL if anything failed. */
char	*buf_steal(struct buf *);
/* Wipes and frees the contents; safe after buf_steal(). */
void	 buf_free(struct buf *);

/* base64url without padding (RFC 7515 §2, RFC 4648 §5). Callers free. */
char	*b64url_encode(const unsigned char *, size_t);
/* Strict decoding: no padding, no whitespace, no other alphabet. */
unsigned char	*b64url_decode(const char *, size_t, size_t *outlen);

/* 256 random bits from the OpenSSL CSPRNG, base64url: 43 characters. */
#define RANDOM_TOKEN_LEN	43
int	 random_token(char out[RANDOM_TOKEN_LEN + 1])
	    __attribute__((warn_unused_result));

/*
 * Constant-time string equality for values derived from secrets (state,
 * at_hash). NULL matches nothing; the length is not hidden, only the
 * content (mod_auth_openidc oidc_util_strcmp_const_time).
 */
bool	 ct_streq(const char *, const char *);

/* Wipes a NUL-terminated secret, then frees it. Accepts NULL. */
void	 wipe_free(char *);

/*
 * The origin (scheme://authority) of an absolute URL, as a heap string, or
 * NULL if url has no "//" authority.
 */
char	*url_origin(const char *url);

/*
 * One log line on stderr: time, level, message. Control characters (from
 * values the provider or a browser chose) become '?', so a value cannot
 * forge a line. Never pass tokens, codes, secrets or cookies.
 */
void	 logx(const char *level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* A heap copy of at most n bytes of s, NUL-terminated (NULL: no memory). */
char	*str_ndup(const char *, size_t);

#endif

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "crypto/random.h"
#include "http/req.h"
#include "util/str.h"

static const char *
kv_get(const struct idp_kv *kv, size_t n, const char *key, bool nocase)
{
	for (size_t i = 0; i < n; i++)
		if (nocase ? !strcasecmp(kv[i].key, key) : !strcmp(kv[i].key, key))
			return kv[i].val;
	return NULL;
}

const char *
idp_req_query(const struct idp_req *rq, const char *key)
{
	return kv_get(rq->query, rq->nquery, key, false);
}

const char *
idp_req_form(const struct idp_req *rq, const char *key)
{
	return kv_get(rq->form, rq->nform, key, false);
}

const char *
idp_req_param(const struct idp_req *rq, const char *key)
{
	return rq->method == IDP_POST ? idp_req_form(rq, key) :
	    idp_req_query(rq, key);
}

const char *
idp_req_header(const struct idp_req *rq, const char *name)
{
	return kv_get(rq->headers, rq->nheaders, name, true);
}

const char *
idp_req_cookie(const struct idp_req *rq, const char *name)
{
	return kv_get(rq->cookies, rq->ncookies, name, false);
}

const char *
idp_req_cookie_token(const struct idp_req *rq, const char *name)
{
	const char *v = idp_req_cookie(rq, name);

	return idp_token_syntax_ok(v) ? v : NULL;
}

void
idp_req_set_params(struct idp_req *rq, const struct idp_kv *kv, size_t n)
{
	struct idp_kv *dst = rq->method == IDP_POST ? rq->form : rq->query;
	size_t *count = rq->method == IDP_POST ? &rq->nform : &rq->nquery;

	if (n > IDP_MAX_PARAMS)
		n = IDP_MAX_PARAMS;
	memcpy(dst, kv, n * sizeof(*kv));
	*count = n;
}

int
idp_parse_form(struct idp_arena *a, const char *s, size_t n,
    struct idp_kv *kv, size_t max, size_t *count, const char **dup,
    const char **bad)
{
	size_t i = 0;

	*count = 0;
	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - s) : n;
		const char *eq = memchr(s + i, '=', end - i);
		size_t klen = eq ? (size_t)(eq - (s + i)) : end - i;
		char *key, *val;
		size_t vlen = 0;

		if (end == i) {		/* empty pair: "a=1&&b=2" */
			i = end + 1;
			continue;
		}
		key = idp_form_decode(a, s + i, klen, NULL);
		val = eq ? idp_form_decode(a, eq + 1, end - klen - i - 1, &vlen)
		    : idp_form_decode(a, "", 0, &vlen);
		if (key == NULL || val == NULL || !idp_utf8_valid(val, vlen) ||
		    !idp_utf8_valid(key, strlen(key))) {
			if (*bad == NULL)
				*bad = key && idp_utf8_valid(key, strlen(key)) ?
				    key : "(parameter name)";
		} else if (*key != '\0') {
			if (kv_get(kv, *count, key, false) != NULL) {
				if (*dup == NULL)
					*dup = key;
			} else {
				if (*count == max)
					return -1;
				kv[*count].key = key;
				kv[*count].val = val;
				kv[*count].len = vlen;
				(*count)++;
			}
		}
		i = end + 1;
	}
	return 0;
}

/* RFC 3986 §3.3 pchar and '/', raw: unreserved, sub-delims, ':', '@',
 * and '%' to start an escape. */
static bool
path_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-._~!$&'()*+,;=:@/%", c) != NULL;
}

static bool
control_byte(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

enum idp_err
idp_parse_target(struct idp_req *rq, const char *raw, size_t len)
{
	const char *q = memchr(raw, '?', len);
	size_t plen = q ? (size_t)(q - raw) : len, dlen, i;
	char *path;

	if (plen == 0 || raw[0] != '/')
		return IDP_ERR_INVALID_REQUEST;
	for (i = 0; i < plen; i++)
		if (!path_char((unsigned char)raw[i]))
			return IDP_ERR_INVALID_REQUEST;
	path = idp_pct_decode(rq->arena, raw, plen, false, &dlen);
	if (path == NULL || !idp_utf8_valid(path, dlen))
		return IDP_ERR_INVALID_REQUEST;
	for (i = 0; i < dlen; i++)
		if (control_byte((unsigned char)path[i]))
			return IDP_ERR_INVALID_REQUEST;
	rq->path = path;
	rq->path_len = dlen;
	if (q == NULL)
		return IDP_OK;
	q++;
	len -= plen + 1;
	for (i = 0; i < len; i++) {
		if (control_byte((unsigned char)q[i]) || q[i] == ' ' ||
		    q[i] == '#') {
			rq->bad_param = "(query)";
			return IDP_OK;
		}
	}
	if (idp_parse_form(rq->arena, q, len, rq->query, IDP_MAX_PARAMS,
	    &rq->nquery, &rq->dup_param, &rq->bad_param) != 0)
		rq->bad_param = "(too many parameters)";
	return IDP_OK;
}

void
idp_req_add_header(struct idp_req *rq, const char *name, const char *val)
{
	/* Headers whose repetition would make the request ambiguous:
	 * credentials and their proof (RFC 9449 §4.3), body type, message
	 * framing (RFC 9112 §6.3). */
	static const char *const once[] = { "Authorization", "DPoP",
		"Content-Type", "Content-Length", "Transfer-Encoding", NULL };

	for (const char *const *o = once; *o != NULL; o++)
		if (!strcasecmp(name, *o) && rq->dup_header == NULL &&
		    idp_req_header(rq, name) != NULL)
			rq->dup_header = *o;
	if (rq->nheaders == IDP_MAX_HEADERS)
		return;
	rq->headers[rq->nheaders].key = name;
	rq->headers[rq->nheaders].val = val ? val : "";
	rq->headers[rq->nheaders].len = val ? strlen(val) : 0;
	rq->nheaders++;
}

void
idp_resp_header(struct idp_resp *rs, const char *name, const char *val)
{
	for (size_t i = 0; i < rs->nheaders; i++) {
		if (!strcasecmp(rs->headers[i].key, name) &&
		    strcasecmp(name, "Set-Cookie") != 0) {
			rs->headers[i].val = val;
			return;
		}
	}
	if (rs->nheaders < IDP_MAX_RESP_HEADERS) {
		rs->headers[rs->nheaders].key = name;
		rs->headers[rs->nheaders].val = val;
		rs->nheaders++;
	}
}

void
idp_resp_body(struct idp_resp *rs, int status, const char *ctype,
    const char *body, size_t len)
{
	rs->status = status;
	rs->content_type = ctype;
	rs->body = body;
	rs->body_len = len;
}

void
idp_resp_json(struct idp_resp *rs, int status, const char *json)
{
	idp_resp_body(rs, status, "application/json", json, strlen(json));
}

void
idp_resp_redirect(struct idp_resp *rs, const char *location)
{
	rs->status = 302;
	rs->content_type = NULL;
	rs->body = "";
	rs->body_len = 0;
	idp_resp_header(rs, "Location", location);
}

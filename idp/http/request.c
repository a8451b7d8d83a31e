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

#include <string.h>

#include "oidc/logout.h"
#include "util/buf.h"

#define NOTICE_MEMBER_MAX 255

/* A string member of 1-255 bytes, copied into a; NULL otherwise. */
static const char *
member(struct idp_arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	size_t n;

	if (!json_is_string(v))
		return NULL;
	n = json_string_length(v);
	if (n == 0 || n > NOTICE_MEMBER_MAX ||
	    memchr(json_string_value(v), '\0', n) != NULL)
		return NULL;
	return idp_arena_strdup(a, json_string_value(v));
}

static void
decref(void *p)
{
	json_decref(p);
}

int
idp_logout_notice_parse(struct idp_arena *a, const char *payload,
    struct idp_logout_notice *out)
{
	json_t *o;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (payload == NULL)
		return -1;
	o = json_loads(payload, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o))
		goto out;
	out->sub = member(a, o, "sub");
	out->sid = member(a, o, "sid");
	out->jti = member(a, o, "jti");
	if (json_object_get(o, "alg") != NULL &&
	    !json_is_null(json_object_get(o, "alg")) &&
	    (out->alg = member(a, o, "alg")) == NULL)
		goto out;
	if ((out->subject = json_object_get(o, "subject")) != NULL) {
		if (!json_is_object(out->subject))
			goto out;
		json_incref(out->subject);
		idp_arena_on_free(a, decref, out->subject);
	}
	if (out->sub != NULL && out->sid != NULL && out->jti != NULL)
		rc = 0;
out:
	if (rc != 0)
		out->subject = NULL;
	json_decref(o);
	return rc;
}

json_t *
idp_logout_token_claims(const char *issuer, const char *client_id,
    const struct idp_logout_notice *n, int64_t now)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:{s:{}}}",
	    "iss", issuer, "aud", client_id, "iat", (json_int_t)now,
	    "exp", (json_int_t)(now + IDP_LOGOUT_TOKEN_TTL), "jti", n->jti,
	    "sub", n->sub, "sid", n->sid, "events", IDP_LOGOUT_EVENT);
}

char *
idp_frontchannel_uri(struct idp_arena *a, const char *uri,
    const char *issuer, const char *sid, size_t max)
{
	struct idp_buf b;

	idp_buf_init(&b, a, max);
	idp_buf_adds(&b, uri);
	idp_buf_adds(&b, strchr(uri, '?') ? "&iss=" : "?iss=");
	idp_buf_add_urlenc(&b, issuer);
	idp_buf_adds(&b, "&sid=");
	idp_buf_add_urlenc(&b, sid);
	return b.overflow ? NULL : b.data;
}

#include <stdlib.h>
#include <string.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "crypto/jws.h"
#include "util/buf.h"

static void
decref(void *p)
{
	json_decref(p);
}

char *
idp_jws_sign(struct idp_arena *a, const struct idp_key *k, const char *typ,
    json_t *payload)
{
	unsigned char sig[IDP_SIG_MAX];
	size_t siglen = sizeof(sig);
	char *hjson = NULL, *pjson = NULL, *out = NULL;
	json_t *h;
	struct idp_buf b;

	h = json_pack("{s:s, s:s, s:s}", "alg", idp_alg_name(idp_key_alg(k)),
	    "kid", idp_key_kid(k), "typ", typ);
	if (h == NULL)
		goto out;
	hjson = json_dumps(h, JSON_COMPACT);
	pjson = json_dumps(payload, JSON_COMPACT);
	if (hjson == NULL || pjson == NULL)
		goto out;
	idp_buf_init(&b, a, 64 * 1024);
	idp_buf_adds(&b, idp_b64url_encode(a, hjson, strlen(hjson)));
	idp_buf_addc(&b, '.');
	idp_buf_adds(&b, idp_b64url_encode(a, pjson, strlen(pjson)));
	if (b.overflow)
		goto out;
	if (idp_key_sign(k, b.data, b.len, sig, &siglen) != 0)
		goto out;
	idp_buf_addc(&b, '.');
	idp_buf_adds(&b, idp_b64url_encode(a, sig, siglen));
	if (!b.overflow)
		out = b.data;
out:
	free(hjson);
	free(pjson);
	json_decref(h);
	return out;
}

static json_t *
decode_json_part(struct idp_arena *a, const char *s, size_t n)
{
	unsigned char *raw;
	size_t len;
	json_t *o;

	raw = idp_b64url_decode(a, s, n, &len);
	if (raw == NULL)
		return NULL;
	o = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL);
	if (o == NULL)
		return NULL;
	idp_arena_on_free(a, decref, o);
	return json_is_object(o) ? o : NULL;
}

int
idp_jws_parse(struct idp_arena *a, const char *compact, struct idp_jws *out)
{
	const char *d1, *d2;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (compact == NULL)
		return -1;
	n = strnlen(compact, IDP_JWS_MAX + 1);
	if (n > IDP_JWS_MAX)
		return -1;
	d1 = strchr(compact, '.');
	if (d1 == NULL)
		return -1;
	d2 = strchr(d1 + 1, '.');
	if (d2 == NULL || strchr(d2 + 1, '.') != NULL)
		return -1;
	out->header = decode_json_part(a, compact, (size_t)(d1 - compact));
	out->payload = decode_json_part(a, d1 + 1, (size_t)(d2 - d1 - 1));
	if (out->header == NULL || out->payload == NULL)
		return -1;
	out->sig = idp_b64url_decode(a, d2 + 1, strlen(d2 + 1), &out->siglen);
	if (out->sig == NULL || out->siglen == 0)
		return -1;
	out->alg = idp_alg_parse(json_string_value(
	    json_object_get(out->header, "alg")));
	if (out->alg == IDP_ALG_NONE)
		return -1;
	/* A critical extension we do not understand must be refused. */
	if (json_object_get(out->header, "crit") != NULL)
		return -1;
	out->kid = json_string_value(json_object_get(out->header, "kid"));
	out->typ = json_string_value(json_object_get(out->header, "typ"));
	out->signing_input = compact;
	out->signing_input_len = (size_t)(d2 - compact);
	return 0;
}

int
idp_jws_verify(const struct idp_jws *j, const struct idp_key *k)
{
	return idp_key_verify(k, j->alg, j->signing_input, j->signing_input_len,
	    j->sig, j->siglen);
}

char *
idp_jose_half_hash(struct idp_arena *a, const char *value)
{
	unsigned char d[IDP_SHA256_LEN];

	idp_sha256_str(value, d);
	return idp_b64url_encode(a, d, sizeof(d) / 2);
}

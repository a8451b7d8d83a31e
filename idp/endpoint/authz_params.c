#include <stdlib.h>
#include <string.h>

#include "core/reqdb.h"
#include "core/request_object.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "endpoint/authz_params.h"
#include "store/par.h"
#include "util/log.h"

char *
idp_authz_params_json(struct idp_arena *a, const struct idp_kv *kv, size_t n)
{
	json_t *o = json_object();
	char *s, *out;

	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, kv[i].key, json_string(kv[i].val));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	out = idp_arena_strdup(a, s);
	free(s);
	return out;
}

/* A pushed request's parameters, which the provider wrote itself. */
static size_t
params_from_json(struct idp_arena *a, const char *text, struct idp_kv *kv)
{
	json_t *o = json_loads(text, 0, NULL), *v;
	const char *k;
	size_t n = 0;

	json_object_foreach(o, k, v) {
		if (n == IDP_MAX_PARAMS || !json_is_string(v))
			continue;
		kv[n].key = idp_arena_strdup(a, k);
		kv[n].val = idp_arena_strdup(a, json_string_value(v));
		kv[n].len = strlen(kv[n].val);
		n++;
	}
	json_decref(o);
	return n;
}

/* RFC 9126 §4: a request_uri /par handed out to this very client, not
 * expired, used once. */
static enum idp_err
from_pushed(struct idp_req *rq, const struct idp_client *c, const char *uri,
    struct idp_authz_opts *o, enum idp_trouble_kind *kind, const char **why)
{
	const char *ref = uri + strlen(IDP_PAR_URN);
	unsigned char d[IDP_SHA256_LEN];
	struct idp_kv *kv;
	struct idp_dbconn *db;
	char *params = NULL;
	bool signed_object = false;
	enum idp_err rc;

	if (strncmp(uri, IDP_PAR_URN, strlen(IDP_PAR_URN)) != 0)
		return idp_fail_why(why, IDP_ERR_REQUEST_URI_NOT_SUPPORTED,
		    "Only request_uri values from the pushed authorization "
		    "request endpoint are accepted.");
	*kind = IDP_TROUBLE_EXPIRED;
	if (!idp_token_syntax_ok(ref))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST_URI,
		    "The request_uri is not one the provider handed out.");
	if ((rc = idp_reqdb(rq, &db)) != IDP_OK)
		return rc;
	idp_sha256_str(ref, d);
	rc = idp_store_par_consume(db, rq->arena, d, c->client_id, &params,
	    &signed_object);
	if (rc == IDP_ERR_NOT_FOUND) {
		IDP_INFO("par.unknown", " req=%s client=%s", rq->id,
		    idp_logq(rq->arena, c->client_id));
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST_URI, "The "
		    "request_uri is unknown, expired, used, or another "
		    "client's.");
	}
	if (rc != IDP_OK)
		return rc;
	kv = idp_arena_zalloc(rq->arena, IDP_MAX_PARAMS * sizeof(*kv));
	idp_req_set_params(rq, kv, params_from_json(rq->arena, params, kv));
	o->pushed = true;
	o->signed_request = signed_object;
	return IDP_OK;
}

enum idp_err
idp_authz_params_unpack(struct idp_req *rq, const struct idp_client *c,
    struct idp_authz_opts *o, enum idp_trouble_kind *kind, const char **why)
{
	const char *request = idp_req_param(rq, "request");
	const char *uri = idp_req_param(rq, "request_uri");
	struct idp_kv *kv;
	size_t n = 0;
	enum idp_err rc;

	*kind = IDP_TROUBLE_FROM_ERROR;
	if (request == NULL && uri == NULL)
		return IDP_OK;
	if (request != NULL && uri != NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "request and "
		    "request_uri cannot be used together.");
	if (uri != NULL)
		return from_pushed(rq, c, uri, o, kind, why);
	kv = idp_arena_zalloc(rq->arena, IDP_MAX_PARAMS * sizeof(*kv));
	rc = idp_request_object_open(rq, c, request,
	    idp_req_param(rq, "response_type"), kv, IDP_MAX_PARAMS, &n, why);
	if (rc != IDP_OK)
		return rc;
	idp_req_set_params(rq, kv, n);
	o->signed_request = true;
	return IDP_OK;
}

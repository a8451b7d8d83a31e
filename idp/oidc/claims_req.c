#include <stdlib.h>
#include <string.h>

#include "oidc/claims.h"
#include "oidc/claims_req.h"
#include "util/str.h"

static const char *const members[2] = { "id_token", "userinfo" };

static void
decref(void *p)
{
	json_decref(p);
}

static bool
known_claim(const char *name)
{
	for (const char *const *k = idp_claims_known; *k != NULL; k++)
		if (!strcmp(*k, name))
			return true;
	return false;
}

/* §5.5.1: "value" is one that is valid for the claim; every claim the
 * provider releases is a string, a number or a boolean at its top. */
static bool
scalar(json_t *v)
{
	return json_is_string(v) || json_is_number(v) || json_is_boolean(v);
}

/* One claim's request, normalised into *out (null or an object with only
 * the understood members). */
static enum idp_err
one_claim(json_t *in, json_t **out, const char **why)
{
	json_t *ess, *val, *vals, *e;
	size_t i;

	*out = NULL;
	if (json_is_null(in)) {
		*out = json_null();
		return IDP_OK;
	}
	if (!json_is_object(in))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "claims: "
		    "each claim must be null or an object.");
	ess = json_object_get(in, "essential");
	val = json_object_get(in, "value");
	vals = json_object_get(in, "values");
	if (ess != NULL && !json_is_boolean(ess))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "claims: "
		    "essential must be true or false.");
	if (val != NULL && !scalar(val))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "claims: "
		    "value must be a string, a number or a boolean.");
	if (vals != NULL && (!json_is_array(vals) || json_array_size(vals) == 0
	    || json_array_size(vals) > IDP_CLAIMS_VALUES_MAX))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "claims: "
		    "values must be an array of 1 to 16 values.");
	json_array_foreach(vals, i, e)
		if (!scalar(e))
			return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
			    "claims: values must be strings, numbers or "
			    "booleans.");
	*out = json_object();
	if (json_is_true(ess))
		json_object_set_new(*out, "essential", json_true());
	if (val != NULL)
		json_object_set(*out, "value", val);
	if (vals != NULL)
		json_object_set(*out, "values", vals);
	if (json_object_size(*out) == 0) {
		json_decref(*out);
		*out = json_null();
	}
	return IDP_OK;
}

/* The member userinfo or id_token of the request, normalised. */
static enum idp_err
one_member(json_t *in, json_t **out, const char **why)
{
	const char *name;
	json_t *v, *norm;
	enum idp_err rc;

	*out = json_object();
	if (in == NULL)
		return IDP_OK;
	if (!json_is_object(in) || json_object_size(in) > IDP_CLAIMS_ASK_MAX)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "claims: "
		    "userinfo and id_token must be objects of at most 64 "
		    "claims.");
	json_object_foreach(in, name, v) {
		if (strlen(name) > IDP_CLAIMS_NAME_MAX)
			return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
			    "claims: a claim name is too long.");
		if ((rc = one_claim(v, &norm, why)) != IDP_OK)
			return rc;
		/* Claims the provider never releases are ignored. */
		if (known_claim(name))
			json_object_set_new(*out, name, norm);
		else
			json_decref(norm);
	}
	return IDP_OK;
}

static void
index_member(struct idp_arena *a, struct idp_claims_req *r,
    enum idp_claims_dest d)
{
	json_t *m = json_object_get(r->doc, members[d]), *v;
	const char *name;
	size_t k = 0;

	r->ask[d] = idp_arena_zalloc(a, (json_object_size(m) + 1) *
	    sizeof(*r->ask[d]));
	json_object_foreach(m, name, v) {
		struct idp_claim_ask *q = &r->ask[d][k++];

		q->name = idp_arena_strdup(a, name);
		q->essential = json_is_true(json_object_get(v, "essential"));
		q->value = json_object_get(v, "value");
		q->values = json_object_get(v, "values");
	}
	r->n[d] = k;
}

enum idp_err
idp_claims_req_parse(struct idp_arena *a, const char *s,
    struct idp_claims_req *out, const char **why)
{
	json_t *in, *m;
	enum idp_err rc = IDP_OK;
	size_t n;

	memset(out, 0, sizeof(*out));
	n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > IDP_CLAIMS_PARAM_MAX || !idp_utf8_valid(s, n))
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "claims must "
		    "be a JSON object of at most 4096 bytes.");
	in = json_loadb(s, n, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(in)) {
		json_decref(in);
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST, "claims "
		    "is not a JSON object.");
	}
	out->doc = json_object();
	idp_arena_on_free(a, decref, out->doc);
	for (int d = 0; d < 2 && rc == IDP_OK; d++) {
		rc = one_member(json_object_get(in, members[d]), &m, why);
		if (json_object_size(m) > 0)
			json_object_set(out->doc, members[d], m);
		json_decref(m);
	}
	json_decref(in);
	if (rc != IDP_OK)
		return rc;
	index_member(a, out, IDP_CLAIMS_ID_TOKEN);
	index_member(a, out, IDP_CLAIMS_USERINFO);
	return IDP_OK;
}

char *
idp_claims_req_text(struct idp_arena *a, const struct idp_claims_req *r)
{
	char *s, *o;

	if (r == NULL || r->doc == NULL || json_object_size(r->doc) == 0)
		return NULL;
	s = json_dumps(r->doc, JSON_COMPACT | JSON_SORT_KEYS);
	o = idp_arena_strdup(a, s);
	free(s);
	return o;
}

const struct idp_claim_ask *
idp_claims_req_find(const struct idp_claims_req *r, enum idp_claims_dest d,
    const char *name)
{
	if (r == NULL)
		return NULL;
	for (size_t i = 0; i < r->n[d]; i++)
		if (!strcmp(r->ask[d][i].name, name))
			return &r->ask[d][i];
	return NULL;
}

bool
idp_claim_value_ok(const struct idp_claim_ask *ask, json_t *have)
{
	size_t i;
	json_t *v;

	if (ask == NULL || (ask->value == NULL && ask->values == NULL))
		return true;
	if (have == NULL)
		return false;
	if (ask->value != NULL && json_equal(ask->value, have))
		return true;
	json_array_foreach(ask->values, i, v)
		if (json_equal(v, have))
			return true;
	return false;
}

const char *
idp_claims_req_sub(const struct idp_claims_req *r)
{
	const struct idp_claim_ask *q = idp_claims_req_find(r,
	    IDP_CLAIMS_ID_TOKEN, "sub");

	return q != NULL ? json_string_value(q->value) : NULL;
}

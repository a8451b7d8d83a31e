#include <string.h>

#include "oidc/client.h"
#include "oidc/exchange.h"
#include "oidc/scope.h"
#include "util/str.h"

/* A client_id as manifests allow them: 3-128 of [A-Za-z0-9._-], first a
 * letter or digit. */
static bool
client_id_shape(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n < 3 || n > 128 || strchr("._-", s[0]) != NULL)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == n;
}

static bool
is_uri(const char *s)
{
	const char *why;

	return s != NULL && strchr(s, ':') != NULL &&
	    idp_uri_check(s, false, &why) == 0;
}

/* A non-empty array of distinct strings, each passing ok. */
static json_t *
string_list(json_t *v, bool (*ok)(const char *), bool may_be_empty)
{
	json_t *out, *e;
	size_t i;

	if (!json_is_array(v) || json_array_size(v) > IDP_EXCHANGE_LIST_MAX ||
	    (!may_be_empty && json_array_size(v) == 0))
		return NULL;
	out = json_array();
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);
		json_t *f;
		size_t j;
		bool dup = false;

		json_array_foreach(out, j, f)
			dup = dup || idp_str_eq(json_string_value(f), s);
		if (s == NULL || !ok(s) || dup) {
			json_decref(out);
			return NULL;
		}
		json_array_append(out, e);
	}
	return out;
}

static bool
scope_ok(const char *s)
{
	return idp_scope_token_valid(s);
}

static enum idp_err
rule_check(struct idp_arena *a, json_t *r, size_t i, char *const *ceiling,
    json_t *seen, json_t **out, const char **why)
{
	json_t *aud = json_object_get(r, "audience"), *sc, *subj = NULL, *e;
	const char *audience = json_string_value(aud), *k;
	size_t j;

	*out = NULL;
	json_object_foreach(r, k, e)
		if (strcmp(k, "audience") && strcmp(k, "scopes") &&
		    strcmp(k, "subject_clients"))
			return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
			    idp_arena_printf(a, "token_exchange[%zu]: unknown "
			    "member %s", i, k));
	if (audience == NULL || (!is_uri(audience) &&
	    !client_id_shape(audience)))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    idp_arena_printf(a, "token_exchange[%zu].audience must be "
		    "an absolute URI or a client_id", i));
	json_array_foreach(seen, j, e)
		if (!strcmp(json_string_value(e), audience))
			return idp_fail_why(why,
			    IDP_ERR_INVALID_CLIENT_METADATA,
			    idp_arena_printf(a, "token_exchange[%zu]: a rule "
			    "for this audience comes before", i));
	sc = string_list(json_object_get(r, "scopes"), scope_ok, false);
	if (sc == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    idp_arena_printf(a, "token_exchange[%zu].scopes must be "
		    "1-32 distinct scope values", i));
	json_array_foreach(sc, j, e) {
		if (!idp_list_has(ceiling, json_string_value(e))) {
			*why = idp_arena_printf(a, "token_exchange[%zu].scopes: "
			    "%s is not in the client's scope", i,
			    json_string_value(e));
			json_decref(sc);
			return IDP_ERR_INVALID_CLIENT_METADATA;
		}
	}
	if (json_object_get(r, "subject_clients") != NULL &&
	    (subj = string_list(json_object_get(r, "subject_clients"),
	    client_id_shape, true)) == NULL) {
		json_decref(sc);
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    idp_arena_printf(a, "token_exchange[%zu].subject_clients "
		    "must be up to 32 distinct client_ids", i));
	}
	json_array_append_new(seen, json_string(audience));
	*out = json_pack("{s:s, s:o, s:o}", "audience", audience, "scopes", sc,
	    "subject_clients", subj != NULL ? subj : json_array());
	return IDP_OK;
}

enum idp_err
idp_exchange_policy_check(struct idp_arena *a, json_t *in,
    char *const *ceiling, json_t **out, const char **why)
{
	json_t *seen, *r, *norm;
	size_t i;
	enum idp_err rc = IDP_OK;

	*out = NULL;
	if (!json_is_array(in) || json_array_size(in) == 0 ||
	    json_array_size(in) > IDP_EXCHANGE_RULES_MAX)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "token_exchange must be an array of 1-16 rules");
	seen = json_array();
	*out = json_array();
	json_array_foreach(in, i, r) {
		if (!json_is_object(r)) {
			rc = idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
			    idp_arena_printf(a, "token_exchange[%zu] must be "
			    "an object", i));
			break;
		}
		if ((rc = rule_check(a, r, i, ceiling, seen, &norm, why))
		    != IDP_OK)
			break;
		json_array_append_new(*out, norm);
	}
	json_decref(seen);
	if (rc != IDP_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static char **
strings_of(struct idp_arena *a, json_t *arr)
{
	size_t n = json_array_size(arr), i;
	char **v = idp_arena_zalloc(a, (n + 1) * sizeof(*v));
	json_t *e;

	json_array_foreach(arr, i, e)
		v[i] = idp_arena_strdup(a, json_string_value(e));
	return v;
}

int
idp_exchange_policy_parse(struct idp_arena *a, json_t *v,
    struct idp_exchange_rule **out, size_t *n)
{
	struct idp_exchange_rule *r;
	json_t *e;
	size_t i;

	*out = NULL;
	*n = 0;
	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return -1;
	r = idp_arena_zalloc(a, (json_array_size(v) + 1) * sizeof(*r));
	json_array_foreach(v, i, e) {
		r[i].audience = idp_arena_strdup(a,
		    json_string_value(json_object_get(e, "audience")));
		if (r[i].audience == NULL)
			return -1;
		r[i].scopes = strings_of(a, json_object_get(e, "scopes"));
		r[i].subject_clients = strings_of(a, json_object_get(e,
		    "subject_clients"));
	}
	*out = r;
	*n = json_array_size(v);
	return 0;
}

static const struct idp_exchange_rule *
rule_named(const struct idp_exchange_rule *r, size_t n, const char *target)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].audience, target))
			return &r[i];
	return NULL;
}

enum idp_err
idp_exchange_rule_find(const struct idp_exchange_rule *r, size_t n,
    const char *audience, const char *resource,
    const struct idp_exchange_rule **out, const char **why)
{
	const struct idp_exchange_rule *by_aud = NULL, *by_res = NULL;

	*out = NULL;
	if (resource != NULL && !is_uri(resource))
		return idp_fail_why(why, IDP_ERR_INVALID_TARGET,
		    "resource must be an absolute URI without a fragment.");
	if (audience == NULL && resource == NULL) {
		if (n != 1)
			return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
			    "Name the target service with audience or "
			    "resource.");
		*out = &r[0];
		return IDP_OK;
	}
	if (audience != NULL && (by_aud = rule_named(r, n, audience)) == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_TARGET,
		    "This client may not exchange tokens for that audience.");
	if (resource != NULL && (by_res = rule_named(r, n, resource)) == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_TARGET,
		    "This client may not exchange tokens for that resource.");
	if (by_aud != NULL && by_res != NULL && by_aud != by_res)
		return idp_fail_why(why, IDP_ERR_INVALID_TARGET,
		    "audience and resource name different targets.");
	*out = by_aud != NULL ? by_aud : by_res;
	return IDP_OK;
}

bool
idp_exchange_subject_ok(const struct idp_exchange_rule *rule,
    const char *client_id, const char *subject_client)
{
	if (subject_client == NULL)
		return false;
	return !strcmp(client_id, subject_client) ||
	    idp_list_has(rule->subject_clients, subject_client);
}

enum idp_err
idp_exchange_scope(struct idp_arena *a, const struct idp_exchange_rule *rule,
    char *const *subject, char *const *ceiling, const char *requested,
    const char **scope, const char **why)
{
	char **asked, **out;
	size_t n = 0, k = 0;

	if (requested != NULL) {
		if (idp_scope_parse(a, requested, &asked, &n) != IDP_OK ||
		    n == 0)
			return idp_fail_why(why, IDP_ERR_INVALID_SCOPE,
			    "scope is malformed.");
	} else {
		asked = rule->scopes;
		while (asked[n] != NULL)
			n++;
	}
	out = idp_arena_zalloc(a, (n + 1) * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		bool within = idp_list_has(rule->scopes, asked[i]) &&
		    idp_list_has(subject, asked[i]) &&
		    idp_list_has(ceiling, asked[i]);

		if (within)
			out[k++] = asked[i];
		else if (requested != NULL)
			return idp_fail_why(why, IDP_ERR_INVALID_SCOPE,
			    idp_arena_printf(a, "%s is beyond the subject token "
			    "or this client's exchange policy.", asked[i]));
	}
	if (k == 0)
		return idp_fail_why(why, IDP_ERR_INVALID_SCOPE,
		    "The subject token carries none of the scopes this "
		    "exchange may grant.");
	*scope = idp_scope_join(a, out, k);
	return IDP_OK;
}

enum idp_err
idp_exchange_token_type(const char *type, const char *token, const char **why)
{
	if (type == NULL)
		return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
		    "The token type is required with the token.");
	if (!strcmp(type, IDP_TOKEN_TYPE_ACCESS))
		return IDP_OK;
	if (!strcmp(type, IDP_TOKEN_TYPE_JWT)) {
		if (token == NULL || strchr(token, '.') == NULL)
			return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
			    "A token of type jwt must be a JWT.");
		return IDP_OK;
	}
	return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
	    "Only access tokens (access_token or jwt) can be exchanged.");
}

enum idp_err
idp_exchange_requested(const char *requested, bool client_jwt, bool *jwt,
    const char **issued_type, const char **why)
{
	if (requested == NULL || !strcmp(requested, IDP_TOKEN_TYPE_ACCESS)) {
		*jwt = client_jwt;
		*issued_type = IDP_TOKEN_TYPE_ACCESS;
		return IDP_OK;
	}
	if (!strcmp(requested, IDP_TOKEN_TYPE_JWT)) {
		*jwt = true;
		*issued_type = IDP_TOKEN_TYPE_JWT;
		return IDP_OK;
	}
	return idp_fail_why(why, IDP_ERR_INVALID_REQUEST,
	    "requested_token_type must be access_token or jwt.");
}

json_t *
idp_exchange_act(const char *actor_sub, json_t *subject_act)
{
	json_t *o = json_pack("{s:s}", "sub", actor_sub);

	if (o != NULL && json_is_object(subject_act))
		json_object_set(o, "act", subject_act);
	return o;
}

json_t *
idp_exchange_response(const char *access_token, const char *issued_type,
    long long expires_in, const char *scope)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "access_token",
	    access_token, "issued_token_type", issued_type, "token_type",
	    "Bearer", "expires_in", (json_int_t)expires_in);

	if (o != NULL && scope != NULL)
		json_object_set_new(o, "scope", json_string(scope));
	return o;
}

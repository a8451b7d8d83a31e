#include <string.h>

#include "oidc/claims.h"
#include "util/str.h"

const char *const idp_claims_known[] = { "sub", "iss", "aud", "exp", "iat",
	"auth_time", "nonce", "acr", "amr", "sid", "at_hash", "azp",
	"name", "given_name", "family_name", "preferred_username", "locale",
	"updated_at", "email", "email_verified", "phone_number",
	"phone_number_verified", "organisation", "nip", "job_title",
	"roles", "groups", NULL };

static const struct {
	const char *claim;
	const char *scope;
} carried[] = {
	{ "name", "profile" }, { "given_name", "profile" },
	{ "family_name", "profile" }, { "preferred_username", "profile" },
	{ "locale", "profile" }, { "updated_at", "profile" },
	{ "email", "email" }, { "email_verified", "email" },
	{ "phone_number", "phone" }, { "phone_number_verified", "phone" },
	{ "organisation", "organisation" }, { "nip", "organisation" },
	{ "job_title", "organisation" },
	{ "roles", "roles" }, { "groups", "roles" },
};

const char *
idp_claim_scope(const char *claim)
{
	for (size_t i = 0; i < sizeof(carried) / sizeof(carried[0]); i++)
		if (!strcmp(carried[i].claim, claim))
			return carried[i].scope;
	return NULL;
}

static void
set_str(json_t *o, const char *k, const char *v)
{
	if (v != NULL && *v != '\0')
		json_object_set_new(o, k, json_string(v));
}

json_t *
idp_claims_for_user(const struct idp_user *u, char *const *scopes)
{
	json_t *o = json_pack("{s:s}", "sub", u->sub);

	if (idp_list_has(scopes, "profile")) {
		set_str(o, "name", u->name);
		set_str(o, "given_name", u->given_name);
		set_str(o, "family_name", u->family_name);
		set_str(o, "preferred_username", u->username);
		set_str(o, "locale", u->locale);
		json_object_set_new(o, "updated_at",
		    json_integer((json_int_t)u->updated_at));
	}
	if (idp_list_has(scopes, "email") && u->email != NULL) {
		set_str(o, "email", u->email);
		json_object_set_new(o, "email_verified",
		    json_boolean(u->email_verified));
	}
	if (idp_list_has(scopes, "phone") && u->phone_number != NULL) {
		set_str(o, "phone_number", u->phone_number);
		json_object_set_new(o, "phone_number_verified",
		    json_boolean(u->phone_number_verified));
	}
	if (idp_list_has(scopes, "organisation")) {
		if (u->org.code != NULL) {
			json_t *org = json_pack("{s:s, s:s, s:s}",
			    "code", u->org.code, "name", u->org.name,
			    "kind", u->org.kind);

			set_str(org, "parent", u->org.parent_code);
			json_object_set_new(o, "organisation", org);
		}
		set_str(o, "nip", u->nip);
		set_str(o, "job_title", u->job_title);
	}
	return o;
}

static json_t *
string_array(char *const *v)
{
	json_t *a = json_array();

	for (; v != NULL && *v != NULL; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

/* The person's claims for scopes, roles and groups included. */
static json_t *
all_claims(const struct idp_claims_ctx *x, char *const *scopes)
{
	json_t *o = idp_claims_for_user(x->user, scopes);

	if (idp_list_has(scopes, "roles") && x->roles != NULL) {
		json_object_set_new(o, "roles", string_array(x->roles));
		json_object_set_new(o, "groups", string_array(x->groups));
	}
	return o;
}

/* May the request name claim one by one? Only a claim of a scope the
 * client may be given (the person's claims; protocol claims are not
 * released this way). */
static bool
releasable(const struct idp_claims_ctx *x, const char *claim)
{
	const char *scope = idp_claim_scope(claim);

	return scope != NULL && idp_list_has(x->releasable, scope);
}

json_t *
idp_claims_release(const struct idp_claims_ctx *x, enum idp_claims_dest d)
{
	json_t *o = all_claims(x, x->granted), *full = NULL, *v;
	const struct idp_claims_req *r = x->req;

	for (size_t i = 0; r != NULL && i < r->n[d]; i++) {
		const struct idp_claim_ask *q = &r->ask[d][i];

		if (!releasable(x, q->name))
			continue;
		if (full == NULL)
			full = all_claims(x, x->releasable);
		if ((v = json_object_get(full, q->name)) != NULL)
			json_object_set(o, q->name, v);
		if (!idp_claim_value_ok(q, json_object_get(o, q->name)))
			json_object_del(o, q->name);
	}
	json_decref(full);
	json_object_set_new(o, "sub", json_string(x->sub));
	return o;
}

bool
idp_claims_need_roles(const struct idp_claims_ctx *x)
{
	static const char *const names[] = { "roles", "groups" };

	if (idp_list_has(x->granted, "roles"))
		return true;
	if (!idp_list_has(x->releasable, "roles"))
		return false;
	for (int d = 0; d < 2; d++)
		for (size_t i = 0; i < 2; i++)
			if (idp_claims_req_find(x->req, (enum idp_claims_dest)d,
			    names[i]) != NULL)
				return true;
	return false;
}

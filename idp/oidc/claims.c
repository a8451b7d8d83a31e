#include "oidc/claims.h"
#include "util/str.h"

const char *const idp_claims_known[] = { "sub", "iss", "aud", "exp", "iat",
	"auth_time", "nonce", "acr", "amr", "sid", "at_hash", "azp",
	"name", "given_name", "family_name", "preferred_username", "locale",
	"updated_at", "email", "email_verified", "phone_number",
	"phone_number_verified", "organisation", "nip", "job_title", NULL };

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

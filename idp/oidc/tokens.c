#include <string.h>

#include "crypto/jws.h"
#include "oidc/tokens.h"

json_t *
idp_id_token_claims(struct idp_arena *a, const struct idp_id_token_in *in)
{
	json_t *o = json_object(), *amr = json_array(), *v;
	const char *k;

	/* Profile claims first, so the protocol claims below always win. */
	if (in->user_claims != NULL)
		json_object_foreach(in->user_claims, k, v)
			json_object_set(o, k, v);
	json_object_set_new(o, "iss", json_string(in->issuer));
	json_object_set_new(o, "sub", json_string(in->sub));
	json_object_set_new(o, "aud", json_string(in->client_id));
	json_object_set_new(o, "azp", json_string(in->client_id));
	json_object_set_new(o, "exp", json_integer((json_int_t)in->exp));
	json_object_set_new(o, "iat", json_integer((json_int_t)in->iat));
	json_object_set_new(o, "auth_time",
	    json_integer((json_int_t)in->auth_time));
	if (in->nonce != NULL)
		json_object_set_new(o, "nonce", json_string(in->nonce));
	if (in->sid != NULL)
		json_object_set_new(o, "sid", json_string(in->sid));
	json_object_set_new(o, "acr", json_string(in->acr ? in->acr : "1"));
	for (char *const *m = in->amr; m != NULL && *m != NULL; m++)
		json_array_append_new(amr, json_string(*m));
	json_object_set_new(o, "amr", amr);
	if (in->access_token != NULL)
		json_object_set_new(o, "at_hash",
		    json_string(idp_jose_half_hash(a, in->access_token)));
	return o;
}

static json_t *
audience(const struct idp_jwt_at_in *in)
{
	json_t *a;

	if (in->aud == NULL || in->aud[0] == NULL)
		return json_string(in->client_id);
	if (in->aud[1] == NULL)
		return json_string(in->aud[0]);
	a = json_array();
	for (char *const *v = in->aud; *v != NULL; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

json_t *
idp_jwt_at_claims(const struct idp_jwt_at_in *in)
{
	json_t *o = json_pack("{s:s, s:o, s:s, s:s, s:s, s:I, s:I, s:I}",
	    "iss", in->issuer, "aud", audience(in), "sub", in->sub,
	    "client_id", in->client_id, "jti", in->jti,
	    "iat", (json_int_t)in->iat, "nbf", (json_int_t)in->iat,
	    "exp", (json_int_t)in->exp);

	if (in->scope != NULL && *in->scope != '\0')
		json_object_set_new(o, "scope", json_string(in->scope));
	if (in->auth_time > 0)
		json_object_set_new(o, "auth_time",
		    json_integer((json_int_t)in->auth_time));
	if (in->jkt != NULL)
		json_object_set_new(o, "cnf", json_pack("{s:s}", "jkt",
		    in->jkt));
	return o;
}

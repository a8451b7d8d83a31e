#include <string.h>

#include "core/client_keys.h"
#include "core/jwks_uri.h"
#include "core/reqdb.h"

enum idp_err
idp_client_keys_verify(struct idp_req *rq, const struct idp_client *c,
    const struct idp_jws *j, bool *found)
{
	json_t *jwks = NULL, *keys, *jwk;
	enum idp_err rc;
	size_t i;

	*found = false;
	/* A fetch may take seconds: the database connection (and its
	 * deadline) must not wait for it. */
	if (c->jwks == NULL && c->jwks_uri != NULL)
		idp_reqdb_release(rq);
	if (c->jwks != NULL)
		jwks = json_incref(c->jwks);
	else if (c->jwks_uri != NULL && (rc = idp_jwks_uri_get(rq,
	    c->client_id, c->jwks_uri, j->kid, &jwks)) != IDP_OK)
		return rc;
	keys = json_object_get(jwks, "keys");
	json_array_foreach(keys, i, jwk) {
		const char *kid = json_string_value(json_object_get(jwk, "kid"));
		struct idp_key *k = NULL;
		bool ok;

		if (j->kid != NULL && kid != NULL && strcmp(kid, j->kid) != 0)
			continue;
		if (idp_key_from_jwk(jwk, &k) != 0)
			continue;
		ok = idp_jws_verify(j, k) == 0;
		idp_key_free(k);
		if (ok) {
			*found = true;
			break;
		}
	}
	json_decref(jwks);
	return IDP_OK;
}

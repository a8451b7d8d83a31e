/* Client credentials at the token, introspection and revocation endpoints
 * (oidc/client_auth.c): the Basic credentials of the Authorization header
 * and the form parameters that name a method. Input: the Authorization
 * header value on the first line, the form body on the second. */
#include <string.h>

#include "http/req.h"
#include "oidc/client_auth.h"
#include "util/str.h"

#include "fuzz.h"

static void
check_basic(struct idp_arena *a, const char *b64)
{
	const char *id = NULL, *secret = NULL;

	if (idp_basic_credentials_parse(a, b64, &id, &secret) != 0)
		return;
	FUZZ_ASSERT(id != NULL && *id != '\0' && secret != NULL);
}

static void
check_creds(struct idp_arena *a, const struct idp_client_creds_in *in)
{
	struct idp_client_creds cr;
	const char *why = NULL;
	enum idp_err rc = idp_client_creds_parse(a, in, &cr, &why);

	if (rc != IDP_OK) {
		FUZZ_ASSERT(rc == IDP_ERR_INVALID_CLIENT ||
		    rc == IDP_ERR_INVALID_REQUEST);
		FUZZ_ASSERT(why != NULL && *why != '\0');
		return;
	}
	switch (cr.method) {
	case IDP_AUTH_BASIC:
		FUZZ_ASSERT(cr.client_id != NULL && cr.secret != NULL);
		FUZZ_ASSERT(in->client_id == NULL ||
		    strcmp(in->client_id, cr.client_id) == 0);
		break;
	case IDP_AUTH_POST:
		FUZZ_ASSERT(cr.secret == in->client_secret);
		FUZZ_ASSERT(cr.client_id == in->client_id);
		break;
	case IDP_AUTH_PRIVATE_KEY_JWT:
		FUZZ_ASSERT(cr.assertion != NULL && cr.assertion ==
		    in->assertion);
		FUZZ_ASSERT(strcmp(in->assertion_type, IDP_ASSERTION_TYPE) == 0);
		break;
	case IDP_AUTH_NONE:
		FUZZ_ASSERT(cr.secret == NULL && cr.assertion == NULL);
		FUZZ_ASSERT(in->client_secret == NULL &&
		    in->assertion == NULL && in->assertion_type == NULL);
		break;
	default:
		FUZZ_ASSERT(!"unknown method");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idp_arena *a = idp_arena_new(1024);
	char *s = fuzz_cstr(data, size), *line[2];
	struct idp_client_creds_in in;
	struct idp_req rq;

	fuzz_lines(s, line, 2);
	fuzz_form_request(a, line[1] ? line[1] : "",
	    line[1] ? strlen(line[1]) : 0, &rq);
	in.authorization = line[0];
	in.client_id = idp_req_form(&rq, "client_id");
	in.client_secret = idp_req_form(&rq, "client_secret");
	in.assertion_type = idp_req_form(&rq, "client_assertion_type");
	in.assertion = idp_req_form(&rq, "client_assertion");
	check_basic(a, line[0]);
	check_creds(a, &in);
	free(s);
	idp_arena_free(a);
	return 0;
}

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "flow.h"
#include "util.h"

/* Fetches url and accepts only a 200 answer. */
static enum flow_result
get_200(const struct fetch_req *rq, struct fetch_resp *rs, const char *what,
    char *err, size_t errlen)
{
	if (fetch(rq, rs) != 0) {
		snprintf(err, errlen, "%s: %s", what, rs->fs_error);
		return FLOW_UNREACHABLE;
	}
	if (rs->fs_status != 200) {
		snprintf(err, errlen, "%s: HTTP %ld", what, rs->fs_status);
		return rs->fs_status >= 500 ? FLOW_UNREACHABLE : FLOW_INVALID;
	}
	return FLOW_OK;
}

/*
 * OIDC Discovery §4: the document is at the issuer plus
 * /.well-known/openid-configuration (without doubling a trailing slash).
 */
static int
discover(const char *issuer, int wait_seconds, struct oidc_provider *op,
    char *err, size_t errlen)
{
	time_t deadline = time(NULL) + wait_seconds;
	struct fetch_req rq = { 0 };
	struct fetch_resp rs;
	struct buf url;
	char *u;
	size_t n = strlen(issuer);
	int rc = -1, tries = 0;

	buf_init(&url, 4096);
	buf_add(&url, issuer, n > 0 && issuer[n - 1] == '/' ? n - 1 : n);
	buf_puts(&url, "/.well-known/openid-configuration");
	if ((u = buf_steal(&url)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rq.fr_url = u;
	for (;;) {
		/* The provider may still be starting: retry what is temporary. */
		if (get_200(&rq, &rs, "discovery", err, errlen) == FLOW_OK) {
			rc = oidc_discovery_parse(rs.fs_body, rs.fs_len,
			    issuer, op, err, errlen);
			fetch_resp_free(&rs);
			break;
		}
		fetch_resp_free(&rs);
		if (time(NULL) >= deadline)
			break;
		if (tries++ % 5 == 0)
			logx("info", "waiting for the provider (%s)", err);
		sleep(1);
	}
	free(u);
	return rc;
}

/* Fetches the JWK Set and makes it the cached one. */
static enum flow_result
jwks_refresh(struct flow *f, char *err, size_t errlen)
{
	struct fetch_req rq = { .fr_url = f->fl_op.op_jwks_uri };
	enum flow_result fr;
	struct fetch_resp rs;
	json_error_t jerr;
	json_t *set, *old;

	if ((fr = get_200(&rq, &rs, "jwks_uri", err, errlen)) != FLOW_OK) {
		fetch_resp_free(&rs);
		return fr;
	}
	set = json_loadb(rs.fs_body, rs.fs_len, JSON_REJECT_DUPLICATES, &jerr);
	fetch_resp_free(&rs);
	if (!json_is_array(json_object_get(set, "keys"))) {
		json_decref(set);
		snprintf(err, errlen, "jwks_uri: not a JWK Set");
		return FLOW_INVALID;
	}
	pthread_mutex_lock(&f->fl_jwks_lock);
	old = f->fl_jwks;
	f->fl_jwks = set;
	pthread_mutex_unlock(&f->fl_jwks_lock);
	json_decref(old);
	return FLOW_OK;
}

/* The cached JWK Set, with a reference the caller drops. */
static json_t *
jwks_get(struct flow *f)
{
	json_t *set;

	pthread_mutex_lock(&f->fl_jwks_lock);
	set = json_incref(f->fl_jwks);
	pthread_mutex_unlock(&f->fl_jwks_lock);
	return set;
}

int
flow_init(struct flow *f, const struct oidc_client *oc, const char *issuer,
    int wait_seconds, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->fl_client = *oc;
	pthread_mutex_init(&f->fl_jwks_lock, NULL);
	if (discover(issuer, wait_seconds, &f->fl_op, err, errlen) != 0)
		return -1;
	/* Fetched now so a wrong jwks_uri shows at start, not at sign-in. */
	if (jwks_refresh(f, err, errlen) != FLOW_OK)
		return -1;
	return 0;
}

void
flow_free(struct flow *f)
{
	oidc_provider_free(&f->fl_op);
	json_decref(f->fl_jwks);
	f->fl_jwks = NULL;
	pthread_mutex_destroy(&f->fl_jwks_lock);
}

/*
 * RFC 6749 §4.1.3 and §2.3.1: POST the code to the token endpoint,
 * authenticated with HTTP Basic (client_secret_basic).
 */
static enum flow_result
redeem_code(struct flow *f, const char *code, const struct session_login *l,
    struct oidc_tokens *t, char *oauth_error, size_t oauth_errlen,
    char *err, size_t errlen)
{
	enum flow_result fr = FLOW_INVALID;
	struct fetch_req rq = { .fr_url = f->fl_op.op_token_endpoint };
	struct fetch_resp rs = { 0 };
	char *form, *auth;

	form = oidc_token_form(&f->fl_client, code, l->sl_verifier);
	auth = oidc_basic_auth(f->fl_client.oc_client_id,
	    f->fl_client.oc_client_secret);
	if (form == NULL || auth == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rq.fr_form = form;
	rq.fr_authorization = auth;
	if (fetch(&rq, &rs) != 0) {
		snprintf(err, errlen, "token endpoint: %s", rs.fs_error);
		fr = FLOW_UNREACHABLE;
		goto out;
	}
	/* RFC 6749 §5.2: 400 (or 401 for client authentication) and error. */
	if (rs.fs_status == 400 || rs.fs_status == 401) {
		oidc_error_code(rs.fs_body, rs.fs_len, oauth_error,
		    oauth_errlen);
		snprintf(err, errlen, "token endpoint: HTTP %ld error=%s",
		    rs.fs_status, oauth_error);
		fr = FLOW_REJECTED;
		goto out;
	}
	if (rs.fs_status != 200) {
		snprintf(err, errlen, "token endpoint: HTTP %ld", rs.fs_status);
		fr = FLOW_UNREACHABLE;
		goto out;
	}
	if (oidc_token_response_parse(rs.fs_body, rs.fs_len, t, err,
	    errlen) != 0)
		goto out;
	fr = FLOW_OK;
out:
	fetch_resp_free(&rs);
	wipe_free(form);
	wipe_free(auth);
	return fr;
}

/* OIDC Core §3.1.3.7: signature (refetching keys once), then claims. */
static enum flow_result
validate_id_token(struct flow *f, const struct oidc_tokens *t,
    const struct session_login *l, json_t **claims, char *err, size_t errlen)
{
	struct oidc_expect x = {
		.oe_issuer = f->fl_op.op_issuer,
		.oe_client_id = f->fl_client.oc_client_id,
		.oe_nonce = l->sl_nonce,
		.oe_access_token = t->ot_access_token,
		.oe_now = (long long)time(NULL),
	};
	enum oidc_sig sig = OIDC_SIG_INVALID;
	enum flow_result fr;
	json_t *jwks;
	int attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		jwks = jwks_get(f);
		sig = oidc_id_token_verify(t->ot_id_token, jwks, claims, err,
		    errlen);
		json_decref(jwks);
		/*
		 * A kid we do not know may mean the provider rotated its
		 * keys since we fetched them: fetch once more, then give up.
		 */
		if (sig != OIDC_SIG_UNKNOWN_KEY || attempt > 0)
			break;
		logx("info", "unknown signing key, refetching the JWKS");
		if ((fr = jwks_refresh(f, err, errlen)) != FLOW_OK)
			return fr;
	}
	if (sig != OIDC_SIG_OK)
		return FLOW_INVALID;
	if (oidc_id_token_check(*claims, &x, err, errlen) != 0) {
		json_decref(*claims);
		*claims = NULL;
		return FLOW_INVALID;
	}
	return FLOW_OK;
}

/* OIDC Core §5.3: the person's claims, with the access token. */
static enum flow_result
fetch_userinfo(struct flow *f, const struct oidc_tokens *t, const char *sub,
    json_t **claims, char *err, size_t errlen)
{
	struct fetch_req rq = { .fr_url = f->fl_op.op_userinfo_endpoint };
	enum flow_result fr;
	struct fetch_resp rs;
	struct buf b;
	char *bearer;

	/* RFC 6750 §2.1: the access token in the Authorization header. */
	buf_init(&b, FETCH_MAX_BODY);
	buf_puts(&b, "Bearer ");
	buf_puts(&b, t->ot_access_token);
	if ((bearer = buf_steal(&b)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return FLOW_INVALID;
	}
	rq.fr_authorization = bearer;
	fr = get_200(&rq, &rs, "userinfo", err, errlen);
	if (fr == FLOW_OK && oidc_userinfo_parse(rs.fs_body, rs.fs_len, sub,
	    claims, err, errlen) != 0)
		fr = FLOW_INVALID;
	fetch_resp_free(&rs);
	wipe_free(bearer);
	return fr;
}

enum flow_result
flow_exchange(struct flow *f, const char *code, const struct session_login *l,
    struct flow_identity *id, char *oauth_error, size_t oauth_errlen,
    char *err, size_t errlen)
{
	struct oidc_tokens t = { 0 };
	json_t *idc = NULL, *uic = NULL;
	enum flow_result fr;
	const char *sub;

	memset(id, 0, sizeof(*id));
	oauth_error[0] = '\0';
	fr = redeem_code(f, code, l, &t, oauth_error, oauth_errlen, err,
	    errlen);
	if (fr != FLOW_OK)
		goto out;
	if ((fr = validate_id_token(f, &t, l, &idc, err, errlen)) != FLOW_OK)
		goto out;
	sub = json_string_value(json_object_get(idc, "sub"));
	if ((fr = fetch_userinfo(f, &t, sub, &uic, err, errlen)) != FLOW_OK)
		goto out;
	/*
	 * UserInfo has the profile, e-mail and organisation claims; the ID
	 * token fills in what UserInfo left out.
	 */
	fr = FLOW_INVALID;
	if (json_object_update_missing(uic, idc) != 0 ||
	    (id->fi_sub = strdup(sub)) == NULL ||
	    (id->fi_claims = json_dumps(uic, JSON_COMPACT)) == NULL ||
	    (id->fi_id_token = strdup(t.ot_id_token)) == NULL) {
		flow_identity_free(id);
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	fr = FLOW_OK;
out:
	json_decref(idc);
	json_decref(uic);
	oidc_tokens_free(&t);
	return fr;
}

void
flow_identity_free(struct flow_identity *id)
{
	free(id->fi_sub);
	wipe_free(id->fi_claims);
	wipe_free(id->fi_id_token);
	id->fi_sub = id->fi_claims = id->fi_id_token = NULL;
}

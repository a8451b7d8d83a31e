/* The passkey ceremonies (passkey.h). The rules of WebAuthn Level 2 §7.1
 * and §7.2 are checked here in their order, on what crypto/webauthn.h
 * parsed: type, challenge (ours, unused, for this person and ceremony),
 * origin (the issuer's), rpIdHash, user presence, the signature, and the
 * signature counter (a counter that does not move on while either side
 * is non-zero is the sign of a cloned authenticator: refused, audited). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/reqdb.h"
#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "crypto/webauthn.h"
#include "endpoint/flow.h"
#include "endpoint/passkey.h"
#include "store/credential.h"
#include "store/mfa.h"
#include "util/log.h"

#define CHALLENGE_TTL 300
#define TIMEOUT_MS 120000

/* The issuer's origin (scheme://host[:port]) and host, in the arena. */
static bool
issuer_parts(struct idp_req *rq, const char **origin, const char **host)
{
	const char *iss = rq->ctx->cfg->issuer, *p = strstr(iss, "://"), *e;
	const char *colon;

	if (p == NULL)
		return false;
	p += 3;
	e = strchr(p, '/');
	if (e == NULL)
		e = p + strlen(p);
	*origin = idp_arena_strndup(rq->arena, iss, (size_t)(e - iss));
	colon = memchr(p, ':', (size_t)(e - p));
	*host = idp_arena_strndup(rq->arena, p, (size_t)((colon ? colon : e) -
	    p));
	return true;
}

static const char *
rp_id(struct idp_req *rq)
{
	const char *origin, *host;

	if (!issuer_parts(rq, &origin, &host) || *host == '\0' ||
	    *host == '[' || strspn(host, "0123456789.") == strlen(host))
		return NULL;
	return host;
}

bool
idp_passkey_available(struct idp_req *rq)
{
	return rp_id(rq) != NULL;
}

/* A fresh challenge for purpose, stored by digest; its base64url. */
static enum idp_err
challenge(struct idp_req *rq, long long user_id, const char *purpose,
    const char **b64)
{
	unsigned char raw[32], d[IDP_SHA256_LEN];
	struct idp_dbconn *c;
	enum idp_err rc;

	if (idp_random_bytes(raw, sizeof(raw)) != 0)
		return IDP_ERR_INTERNAL;
	idp_sha256(raw, sizeof(raw), d);
	*b64 = idp_b64url_encode(rq->arena, raw, sizeof(raw));
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	return idp_store_webauthn_challenge_put(c, d, user_id, purpose,
	    CHALLENGE_TTL);
}

/* The person's passkeys as PublicKeyCredentialDescriptors. */
static enum idp_err
descriptors(struct idp_req *rq, long long user_id, json_t **out)
{
	struct idp_credential *list = NULL;
	struct idp_dbconn *c;
	int n = 0;
	enum idp_err rc;

	*out = json_array();
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_store_cred_list(c, rq->arena, user_id,
	    IDP_CRED_WEBAUTHN, &list, &n)) != IDP_OK) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	for (int i = 0; i < n; i++)
		if (list[i].confirmed_at > 0)
			json_array_append_new(*out, json_pack("{s:s, s:s}",
			    "type", "public-key", "id", idp_b64url_encode(
			    rq->arena, list[i].webauthn_id.data,
			    list[i].webauthn_id.len)));
	return IDP_OK;
}

static enum idp_err
dump(struct idp_req *rq, json_t *o, const char **json)
{
	char *s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	if (s == NULL)
		return IDP_ERR_INTERNAL;
	*json = idp_arena_strdup(rq->arena, s);
	free(s);
	return IDP_OK;
}

enum idp_err
idp_passkey_request(struct idp_req *rq, long long user_id, const char **json)
{
	const char *rp = rp_id(rq), *ch;
	json_t *allow;
	enum idp_err rc;

	*json = NULL;
	if (rp == NULL)
		return IDP_OK;
	if ((rc = challenge(rq, user_id, "login", &ch)) != IDP_OK ||
	    (rc = descriptors(rq, user_id, &allow)) != IDP_OK)
		return rc;
	return dump(rq, json_pack("{s:s, s:{s:s, s:s, s:o, s:s, s:i}}",
	    "mode", "get", "publicKey", "challenge", ch, "rpId", rp,
	    "allowCredentials", allow, "userVerification", "preferred",
	    "timeout", TIMEOUT_MS), json);
}

enum idp_err
idp_passkey_create_options(struct idp_req *rq, const struct idp_user *user,
    const char **json)
{
	const char *rp = rp_id(rq), *ch;
	json_t *exclude;
	enum idp_err rc;

	*json = NULL;
	if (rp == NULL)
		return IDP_OK;
	if ((rc = challenge(rq, user->id, "register", &ch)) != IDP_OK ||
	    (rc = descriptors(rq, user->id, &exclude)) != IDP_OK)
		return rc;
	return dump(rq, json_pack("{s:s, s:{s:s, s:{s:s, s:s}, "
	    "s:{s:s, s:s, s:s}, s:[{s:s, s:i}, {s:s, s:i}], s:o, "
	    "s:{s:s, s:s}, s:s, s:i}}",
	    "mode", "create", "publicKey", "challenge", ch,
	    "rp", "id", rp, "name", rq->ctx->cfg->provider_name,
	    "user", "id", idp_b64url_encode(rq->arena, user->sub,
	    strlen(user->sub)), "name", user->username, "displayName",
	    user->name,
	    "pubKeyCredParams", "type", "public-key", "alg", -7, "type",
	    "public-key", "alg", -257,
	    "excludeCredentials", exclude,
	    "authenticatorSelection", "userVerification", "preferred",
	    "residentKey", "preferred",
	    "attestation", "none", "timeout", TIMEOUT_MS), json);
}

/* A base64url form field, decoded; NULL when absent or bad. */
static unsigned char *
field(struct idp_req *rq, const char *name, size_t *n)
{
	const char *v = idp_req_form(rq, name);

	if (v == NULL || *v == '\0' || strlen(v) > IDP_WEBAUTHN_MAX * 4 / 3 + 4)
		return NULL;
	return idp_b64url_decode(rq->arena, v, strlen(v), n);
}

/* §7.1 steps 7-9, §7.2 steps 11-13 (tokenBinding is not used), and the
 * challenge used once. reason gets what failed. */
static enum idp_err
client_data_ok(struct idp_req *rq, const unsigned char *cd, size_t cdn,
    const char *type, const char *purpose, long long user_id,
    const char **reason)
{
	struct idp_webauthn_client_data d;
	const char *origin, *host;
	unsigned char dg[IDP_SHA256_LEN];
	struct idp_dbconn *c;
	enum idp_err rc;

	if (idp_webauthn_client_data_parse(rq->arena, cd, cdn, &d) != 0) {
		*reason = "client_data_malformed";
		return IDP_OK;
	}
	if (strcmp(d.type, type) != 0) {
		*reason = "wrong_type";
		return IDP_OK;
	}
	if (!issuer_parts(rq, &origin, &host) || strcmp(d.origin, origin) ||
	    d.cross_origin) {
		*reason = "wrong_origin";
		return IDP_OK;
	}
	idp_sha256(d.challenge, d.challenge_len, dg);
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_webauthn_challenge_take(c, dg, user_id, purpose);
	if (rc == IDP_ERR_NOT_FOUND)
		*reason = "wrong_challenge";
	return rc == IDP_ERR_NOT_FOUND ? IDP_OK : rc;
}

/* §7.1 steps 13-15, §7.2 steps 15-17: rpIdHash, user present. */
static const char *
auth_data_rule(struct idp_req *rq, const struct idp_webauthn_auth_data *ad)
{
	unsigned char want[IDP_SHA256_LEN];
	const char *rp = rp_id(rq);

	if (rp == NULL)
		return "no_rp_id";
	idp_sha256(rp, strlen(rp), want);
	if (!idp_ct_eq(want, sizeof(want), ad->rp_id_hash, sizeof(want)))
		return "wrong_rp_id_hash";
	if (!(ad->flags & IDP_WA_UP))
		return "user_not_present";
	return NULL;
}

static void
refused(struct idp_req *rq, long long user_id, const char *event,
    const char *reason)
{
	IDP_INFO(event, " req=%s user=%lld reason=%s", rq->id, user_id, reason);
	idp_flow_audit(rq, event, user_id, NULL, json_pack("{s:s}", "reason",
	    reason));
}

/* The person's passkey with credential id id, or NULL. */
static const struct idp_credential *
find(const struct idp_credential *list, int n, const unsigned char *id,
    size_t len)
{
	for (int i = 0; i < n; i++)
		if (list[i].confirmed_at > 0 && list[i].webauthn_id.len == len &&
		    memcmp(list[i].webauthn_id.data, id, len) == 0)
			return &list[i];
	return NULL;
}

enum idp_err
idp_passkey_verify_login(struct idp_req *rq, long long user_id, bool *ok)
{
	size_t idn = 0, cdn = 0, adn = 0, sgn = 0;
	unsigned char *id = field(rq, "credential_id", &idn);
	unsigned char *cd = field(rq, "client_data", &cdn);
	unsigned char *ad = field(rq, "authenticator_data", &adn);
	unsigned char *sg = field(rq, "signature", &sgn);
	struct idp_webauthn_auth_data a;
	const struct idp_credential *k;
	struct idp_credential *list = NULL;
	const char *reason = NULL;
	struct idp_dbconn *c;
	int n = 0;
	enum idp_err rc;

	*ok = false;
	if (id == NULL || cd == NULL || ad == NULL || sg == NULL) {
		refused(rq, user_id, "mfa.passkey_refused", "fields_missing");
		return IDP_OK;
	}
	if ((rc = client_data_ok(rq, cd, cdn, "webauthn.get", "login",
	    user_id, &reason)) != IDP_OK)
		return rc;
	if (reason == NULL && idp_webauthn_auth_data_parse(ad, adn, &a) != 0)
		reason = "auth_data_malformed";
	if (reason == NULL)
		reason = auth_data_rule(rq, &a);
	if (reason != NULL) {
		refused(rq, user_id, "mfa.passkey_refused", reason);
		return IDP_OK;
	}
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK ||
	    (rc = idp_store_cred_list(c, rq->arena, user_id,
	    IDP_CRED_WEBAUTHN, &list, &n)) != IDP_OK)
		return rc;
	k = find(list, n, id, idn);
	if (k == NULL || idp_webauthn_verify(k->webauthn_public_key.data,
	    k->webauthn_public_key.len, ad, adn, cd, cdn, sg, sgn) != 0) {
		refused(rq, user_id, "mfa.passkey_refused", k == NULL ?
		    "unknown_credential" : "bad_signature");
		return IDP_OK;
	}
	/* §7.2 step 21: the counter; the store refuses one that did not
	 * move on (unless both are 0: an authenticator without one). */
	rc = idp_store_cred_mark_used(c, user_id, k->id, a.sign_count);
	if (rc == IDP_ERR_CONFLICT) {
		IDP_WARN("mfa.passkey_clone_suspected", " req=%s user=%lld "
		    "stored=%lld got=%u", rq->id, user_id,
		    (long long)k->webauthn_sign_count, a.sign_count);
		idp_flow_audit(rq, "mfa.passkey_clone_suspected", user_id,
		    NULL, json_pack("{s:I, s:I, s:I}", "credential",
		    (json_int_t)k->id, "stored", (json_int_t)
		    k->webauthn_sign_count, "got", (json_int_t)a.sign_count));
		return IDP_OK;
	}
	if (rc != IDP_OK)
		return rc;
	idp_flow_audit(rq, "mfa.passkey_ok", user_id, NULL, json_pack(
	    "{s:I, s:b}", "credential", (json_int_t)k->id, "uv",
	    (a.flags & IDP_WA_UV) != 0));
	*ok = true;
	return IDP_OK;
}

static char *
aaguid_text(struct idp_req *rq, const unsigned char g[16])
{
	return idp_arena_printf(rq->arena, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", g[0], g[1], g[2], g[3], g[4],
	    g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14],
	    g[15]);
}

enum idp_err
idp_passkey_register(struct idp_req *rq, const struct idp_user *user,
    bool *ok)
{
	size_t idn = 0, cdn = 0, atn = 0, adn = 0;
	unsigned char *id = field(rq, "credential_id", &idn);
	unsigned char *cd = field(rq, "client_data", &cdn);
	unsigned char *at = field(rq, "attestation", &atn);
	unsigned char *ad = NULL;
	struct idp_webauthn_auth_data a;
	struct idp_credential cr = { 0 };
	const char *reason = NULL;
	struct idp_dbconn *c;
	enum idp_err rc;

	*ok = false;
	if (id == NULL || cd == NULL || at == NULL) {
		refused(rq, user->id, "mfa.passkey_register_refused",
		    "fields_missing");
		return IDP_OK;
	}
	if ((rc = client_data_ok(rq, cd, cdn, "webauthn.create", "register",
	    user->id, &reason)) != IDP_OK)
		return rc;
	if (reason == NULL && idp_webauthn_attestation_parse(rq->arena, at, atn,
	    &ad, &adn) != 0)
		reason = "attestation_refused";
	if (reason == NULL && (idp_webauthn_auth_data_parse(ad, adn, &a) != 0
	    || !(a.flags & IDP_WA_AT)))
		reason = "auth_data_malformed";
	if (reason == NULL)
		reason = auth_data_rule(rq, &a);
	if (reason == NULL && (a.cred_id_len != idn ||
	    memcmp(a.cred_id, id, idn) != 0))
		reason = "credential_id_mismatch";
	if (reason != NULL) {
		refused(rq, user->id, "mfa.passkey_register_refused", reason);
		return IDP_OK;
	}
	cr.user_id = user->id;
	cr.kind = IDP_CRED_WEBAUTHN;
	cr.label = idp_arena_strdup(rq->arena, "Passkey");
	cr.webauthn_id.data = id;
	cr.webauthn_id.len = idn;
	cr.webauthn_public_key.data = idp_arena_alloc(rq->arena,
	    a.cose_key_len);
	memcpy(cr.webauthn_public_key.data, a.cose_key, a.cose_key_len);
	cr.webauthn_public_key.len = a.cose_key_len;
	cr.webauthn_sign_count = a.sign_count;
	cr.webauthn_aaguid = aaguid_text(rq, a.aaguid);
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_cred_add(c, &cr, true, NULL);
	if (rc == IDP_ERR_CONFLICT) {
		refused(rq, user->id, "mfa.passkey_register_refused",
		    "already_registered");
		return IDP_OK;
	}
	*ok = rc == IDP_OK;
	return rc;
}

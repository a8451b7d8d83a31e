#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/reqdb.h"
#include "core/throttle.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "store/audit.h"
#include "util/log.h"
#include "util/mem.h"

static const char *const scope_names[] = {
	[IDP_THROTTLE_LOGIN] = "login",
	[IDP_THROTTLE_TOTP] = "totp",
	[IDP_THROTTLE_RECOVERY_CODE] = "recovery_code",
	[IDP_THROTTLE_RESET_CODE] = "reset_code",
	[IDP_THROTTLE_RESET_REQUEST] = "reset_request",
	[IDP_THROTTLE_USER_CODE] = "user_code",
};

const char *
idp_throttle_scope_name(enum idp_throttle_scope s)
{
	return (unsigned)s <= IDP_THROTTLE_USER_CODE ? scope_names[s] :
	    "unknown";
}

const char *
idp_throttle_address(struct idp_arena *a, const char *ip)
{
	unsigned char v6[16];
	char buf[INET6_ADDRSTRLEN];

	if (ip == NULL || strcmp(ip, "-") == 0)
		return NULL;
	if (inet_pton(AF_INET6, ip, v6) != 1 || (v6[0] == 0 && v6[1] == 0 &&
	    memcmp(v6 + 2, "\0\0\0\0\0\0\0\0\xff\xff", 10) == 0))
		return ip;	/* IPv4, or IPv4-mapped: one address */
	memset(v6 + 8, 0, 8);
	if (inet_ntop(AF_INET6, v6, buf, sizeof(buf)) == NULL)
		return ip;
	return idp_arena_printf(a, "%s/64", buf);
}

/* keys[i] = SHA-256 hex of "scope|kind|value". */
static void
key_set(struct idp_throttle *t, const char *kind, const char *value,
    int free, bool reserve)
{
	struct idp_throttle_key *k = &t->keys[t->nkeys++];
	char text[600];
	unsigned char d[IDP_SHA256_LEN];

	snprintf(text, sizeof(text), "%s|%s|%s",
	    idp_throttle_scope_name(t->scope), kind, value);
	idp_sha256_str(text, d);
	for (int i = 0; i < IDP_SHA256_LEN; i++)
		snprintf(k->hex + 2 * i, 3, "%02x", d[i]);
	k->free = free;
	k->reserve = reserve;
	idp_wipe(text, sizeof(text));
}

/* The device cookie's token for t->user_id, if the browser has one. */
static void
find_device(struct idp_req *rq, struct idp_throttle *t)
{
	t->dev_match = -1;
	t->ndev = idp_device_cookie_parse(rq->ctx->device_key,
	    idp_req_cookie(rq, IDP_DEVICE_COOKIE), rq->now, t->dev);
	for (int i = 0; i < t->ndev && t->user_id != 0; i++)
		if (t->dev[i].user_id == t->user_id)
			t->dev_match = i;
}

static void
choose_keys(struct idp_req *rq, struct idp_throttle *t)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	const char *addr = idp_throttle_address(rq->arena, rq->ip);
	char v[300], nonce[2 * IDP_DEVICE_NONCE_LEN + 1];

	t->nkeys = 0;
	find_device(rq, t);
	t->known_device = t->dev_match >= 0;
	if (t->known_device) {
		/* Its own count: guessing elsewhere does not reach it. */
		for (int i = 0; i < IDP_DEVICE_NONCE_LEN; i++)
			snprintf(nonce + 2 * i, 3, "%02x",
			    t->dev[t->dev_match].nonce[i]);
		key_set(t, "device", nonce, cfg->throttle_account_free, true);
		return;
	}
	if (t->user_id != 0 || t->name != NULL) {
		if (t->user_id != 0) {
			snprintf(v, sizeof(v), "u:%lld", t->user_id);
		} else {
			size_t i;

			for (i = 0; t->name[i] && i + 3 < sizeof(v); i++)
				v[i + 2] = (char)tolower((unsigned char)t->name[i]);
			v[0] = 'n';
			v[1] = ':';
			v[i + 2] = '\0';
		}
		key_set(t, "account", v, cfg->throttle_account_free, true);
		idp_wipe(v, sizeof(v));
	}
	if (addr != NULL)
		key_set(t, "address", addr, cfg->throttle_address_free, false);
}

static struct idp_throttle_limits
limits_of(const struct idp_config *cfg)
{
	return (struct idp_throttle_limits){ cfg->throttle_base_delay,
	    cfg->throttle_max_delay, cfg->throttle_window };
}

json_t *
idp_throttle_details(const struct idp_throttle *t)
{
	return json_pack("{s:f, s:b}", "level", t->level, "known_device",
	    t->known_device);
}

/* A refusal: logged and audited (failures to audit are logged only). */
static void
audit_refusal(struct idp_req *rq, struct idp_dbconn *c,
    const struct idp_throttle *t)
{
	json_t *d = idp_throttle_details(t);
	char *js;
	struct idp_audit ev = { 0 };

	json_object_set_new(d, "wait", json_integer(t->wait));
	if (t->user_id == 0 && t->name != NULL)
		json_object_set_new(d, "username", json_string(t->name));
	js = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	ev.event = idp_arena_printf(rq->arena, "%s.throttled",
	    idp_throttle_scope_name(t->scope));
	ev.user_id = t->user_id;
	ev.ip = strcmp(rq->ip, "-") ? rq->ip : NULL;
	ev.request_id = rq->id;
	ev.details_json = js;
	if (idp_store_audit(c, &ev) != IDP_OK)
		IDP_WARN("audit.failed", " req=%s event=%s", rq->id, ev.event);
	free(js);
	IDP_WARN(ev.event, " req=%s ip=%s user=%lld wait=%d level=%.1f "
	    "known_device=%d", rq->id, rq->ip, t->user_id, t->wait, t->level,
	    t->known_device);
}

enum idp_err
idp_throttle_begin(struct idp_req *rq, struct idp_throttle *t)
{
	struct idp_throttle_limits l = limits_of(rq->ctx->cfg);
	struct idp_dbconn *c;
	enum idp_err rc;

	t->allowed = true;
	t->wait = 0;
	t->level = 0;
	choose_keys(rq, t);
	if (t->nkeys == 0)
		return IDP_OK;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	rc = idp_store_throttle_begin(c, t->keys, t->nkeys, &l, &t->allowed,
	    &t->wait, &t->level);
	if (rc == IDP_OK && !t->allowed)
		audit_refusal(rq, c, t);
	return rc;
}

enum idp_err
idp_throttle_failed(struct idp_req *rq, struct idp_throttle *t)
{
	struct idp_throttle_limits l = limits_of(rq->ctx->cfg);
	struct idp_dbconn *c;
	enum idp_err rc;

	if (t->nkeys == 0)
		return IDP_OK;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	return idp_store_throttle_failed(c, t->keys, t->nkeys, &l);
}

/* Set-Cookie: this account's token first (its nonce kept, so the
 * browser's own count stays with it), then the other accounts'. */
static void
renew_device(struct idp_req *rq, struct idp_resp *rs, struct idp_throttle *t)
{
	const struct idp_config *cfg = rq->ctx->cfg;
	struct idp_device_token tok = { .user_id = t->user_id,
		.expires = rq->now + cfg->device_cookie_ttl };
	const char *v;

	if (t->dev_match >= 0)
		memcpy(tok.nonce, t->dev[t->dev_match].nonce, sizeof(tok.nonce));
	else if (idp_random_bytes(tok.nonce, sizeof(tok.nonce)) != 0)
		return;
	v = idp_device_cookie_value(rq->arena, rq->ctx->device_key, &tok,
	    t->dev, t->ndev);
	idp_resp_header(rs, "Set-Cookie", idp_arena_printf(rq->arena,
	    "%s=%s; Max-Age=%lld; Path=/; HttpOnly; SameSite=Lax%s",
	    IDP_DEVICE_COOKIE, v, (long long)cfg->device_cookie_ttl,
	    cfg->cookie_secure_effective ? "; Secure" : ""));
}

enum idp_err
idp_throttle_succeeded(struct idp_req *rq, struct idp_resp *rs,
    struct idp_throttle *t)
{
	struct idp_throttle_limits l = limits_of(rq->ctx->cfg);
	struct idp_dbconn *c;
	enum idp_err rc;

	if (rs != NULL && t->user_id != 0)
		renew_device(rq, rs, t);
	if (t->nkeys == 0)
		return IDP_OK;
	if ((rc = idp_reqdb(rq, &c)) != IDP_OK)
		return rc;
	return idp_store_throttle_succeeded(c, t->keys, t->nkeys, &l);
}

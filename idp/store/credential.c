#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/credential.h"
#include "store/statements.h"
#include "util/buf.h"

#define EPOCH(x) "coalesce(floor(extract(epoch FROM " x "))::bigint, 0)"

const struct idp_stmt idp_credential_stmts[] = {
	{ "cred_list",
	  "SELECT id, user_id, kind, label, " EPOCH("created_at") ", "
	  EPOCH("confirmed_at") ", " EPOCH("last_used_at") ", password_hash, "
	  "encode(totp_secret, 'hex'), coalesce(totp_last_step, -1), "
	  "encode(webauthn_credential_id, 'hex'), "
	  "encode(webauthn_public_key, 'hex'), "
	  "coalesce(webauthn_sign_count, 0), "
	  "array_to_string(webauthn_transports, ' '), webauthn_aaguid::text, "
	  "encode(recovery_digest, 'hex'), " EPOCH("used_at") ", "
	  "encode(totp_sealed, 'hex'), totp_kek_id "
	  "FROM credentials WHERE user_id = $1 "
	  "AND ($2::text IS NULL OR kind = $2) ORDER BY created_at, id", 2 },
	{ "cred_add",
	  "INSERT INTO credentials (user_id, kind, label, password_hash, "
	  "totp_secret, webauthn_credential_id, webauthn_public_key, "
	  "webauthn_sign_count, webauthn_transports, webauthn_aaguid, "
	  "recovery_digest, confirmed_at, totp_sealed, totp_kek_id) "
	  "VALUES ($1, $2, $3, $4, $5, $6, $7, "
	  "$8::bigint, string_to_array($9, ' '), $10::uuid, $11, "
	  "CASE WHEN $12::boolean THEN now() END, $13, $14) RETURNING id", 14 },
	{ "cred_confirm",
	  "UPDATE credentials SET confirmed_at = now() WHERE user_id = $1 "
	  "AND id = $2 AND confirmed_at IS NULL", 2 },
	/* The conditions make a replay, a counter regression or a second use
	 * change nothing; the second column tells those from a missing row. */
	{ "cred_mark_used",
	  "WITH u AS (UPDATE credentials SET last_used_at = now(), "
	  "totp_last_step = CASE WHEN kind = 'totp' THEN $3::bigint "
	  "ELSE totp_last_step END, "
	  "webauthn_sign_count = CASE WHEN kind = 'webauthn' THEN $3::bigint "
	  "ELSE webauthn_sign_count END, "
	  "used_at = CASE WHEN kind = 'recovery_code' THEN now() "
	  "ELSE used_at END "
	  "WHERE user_id = $1 AND id = $2 AND confirmed_at IS NOT NULL "
	  "AND (kind <> 'totp' OR totp_last_step IS NULL "
	  "OR totp_last_step < $3::bigint) "
	  "AND (kind <> 'webauthn' OR webauthn_sign_count < $3::bigint "
	  "OR (webauthn_sign_count = 0 AND $3::bigint = 0)) "
	  "AND (kind <> 'recovery_code' OR used_at IS NULL) RETURNING id) "
	  "SELECT (SELECT count(*) FROM u), EXISTS (SELECT 1 FROM credentials "
	  "WHERE user_id = $1 AND id = $2 AND confirmed_at IS NOT NULL)", 3 },
	{ "cred_remove",
	  "DELETE FROM credentials WHERE user_id = $1 "
	  "AND ($2::bigint = 0 OR id = $2) AND ($3::text IS NULL OR kind = $3)",
	  3 },
	{ "totp_plain",
	  "SELECT id, user_id, encode(totp_secret, 'hex') FROM credentials "
	  "WHERE kind = 'totp' AND totp_secret IS NOT NULL AND id > $1 "
	  "ORDER BY id LIMIT $2", 2 },
	{ "totp_seal",
	  "UPDATE credentials SET totp_secret = NULL, totp_sealed = $2, "
	  "totp_kek_id = $3 WHERE id = $1 AND kind = 'totp' "
	  "AND totp_secret = $4", 4 },
	{ "totp_seal_many",
	  "UPDATE credentials c SET totp_secret = NULL, "
	  "totp_sealed = decode(v.sealed, 'hex'), totp_kek_id = $4 "
	  "FROM unnest($1::bigint[], $2::text[], $3::text[]) "
	  "AS v(id, sealed, plain) WHERE c.id = v.id AND c.kind = 'totp' "
	  "AND c.totp_secret = decode(v.plain, 'hex')", 4 },
	/* Every TOTP row, for moving the keys to another KEK; the digest
	 * names the stored form, so that a row changed since is left alone. */
	{ "totp_export",
	  "SELECT id, user_id, encode(totp_secret, 'hex'), "
	  "encode(totp_sealed, 'hex'), totp_kek_id, "
	  "encode(sha256(coalesce(totp_sealed, totp_secret)), 'hex') "
	  "FROM credentials WHERE kind = 'totp' AND id > $1 "
	  "AND coalesce(totp_sealed, totp_secret) IS NOT NULL "
	  "ORDER BY id LIMIT $2", 2 },
	{ "totp_reseal",
	  "UPDATE credentials SET totp_secret = NULL, totp_sealed = $3, "
	  "totp_kek_id = $4 WHERE id = $1 AND user_id = $2 AND kind = 'totp' "
	  "AND totp_kek_id IS DISTINCT FROM $4 "
	  "AND encode(sha256(coalesce(totp_sealed, totp_secret)), 'hex') = $5",
	  5 },
	{ "password_get",
	  "SELECT password_hash, id FROM credentials WHERE user_id = $1 "
	  "AND kind = 'password'", 1 },
	{ "password_set",
	  "WITH u AS (UPDATE users SET password_changed_at = now() "
	  "WHERE lower(username) = lower($1) RETURNING id) "
	  "INSERT INTO credentials (user_id, kind, password_hash, confirmed_at) "
	  "SELECT id, 'password', $2, now() FROM u "
	  "ON CONFLICT (user_id) WHERE kind = 'password' DO UPDATE SET "
	  "password_hash = EXCLUDED.password_hash, created_at = now(), "
	  "confirmed_at = now(), last_used_at = NULL", 2 },
	{ "password_rehash",
	  "UPDATE credentials SET password_hash = $3, last_used_at = now() "
	  "WHERE user_id = $1 AND kind = 'password' AND password_hash = $2", 3 },
	{ NULL, NULL, 0 },
};

static const char *const kind_names[] = {
	[IDP_CRED_PASSWORD] = "password",
	[IDP_CRED_TOTP] = "totp",
	[IDP_CRED_WEBAUTHN] = "webauthn",
	[IDP_CRED_RECOVERY_CODE] = "recovery_code",
	[IDP_CRED_ANY] = NULL,
};

const char *
idp_cred_kind_name(enum idp_cred_kind k)
{
	return (unsigned)k <= IDP_CRED_ANY ? kind_names[k] : NULL;
}

static enum idp_cred_kind
kind_of(const char *s)
{
	for (int k = 0; k < IDP_CRED_ANY; k++)
		if (s != NULL && !strcmp(s, kind_names[k]))
			return (enum idp_cred_kind)k;
	return IDP_CRED_ANY;
}

static char *
dup(struct idp_arena *a, const PGresult *r, int row, int col)
{
	return idp_arena_strdup(a, idp_db_val(r, row, col));
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* A bytea column the statement returned as encode(x, 'hex'). */
static struct idp_cred_bytes
bytes(struct idp_arena *a, const PGresult *r, int row, int col)
{
	const char *hex = idp_db_val(r, row, col);
	struct idp_cred_bytes b = { NULL, 0 };
	size_t n;

	if (hex == NULL || (n = strlen(hex)) % 2 != 0)
		return b;
	b.data = idp_arena_alloc(a, n / 2 + 1);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return (struct idp_cred_bytes){ NULL, 0 };
		b.data[i] = (unsigned char)(hi << 4 | lo);
	}
	b.len = n / 2;
	return b;
}

static void
read_row(struct idp_arena *a, const PGresult *r, int i,
    struct idp_credential *cr)
{
	cr->id = idp_db_ll(r, i, 0);
	cr->user_id = idp_db_ll(r, i, 1);
	cr->kind = kind_of(idp_db_val(r, i, 2));
	cr->label = dup(a, r, i, 3);
	cr->created_at = idp_db_ll(r, i, 4);
	cr->confirmed_at = idp_db_ll(r, i, 5);
	cr->last_used_at = idp_db_ll(r, i, 6);
	cr->password_hash = dup(a, r, i, 7);
	cr->totp_secret = bytes(a, r, i, 8);
	cr->totp_last_step = idp_db_ll(r, i, 9);
	cr->webauthn_id = bytes(a, r, i, 10);
	cr->webauthn_public_key = bytes(a, r, i, 11);
	cr->webauthn_sign_count = idp_db_ll(r, i, 12);
	cr->webauthn_transports = dup(a, r, i, 13);
	cr->webauthn_aaguid = dup(a, r, i, 14);
	cr->recovery_digest = bytes(a, r, i, 15);
	cr->used_at = idp_db_ll(r, i, 16);
	cr->totp_sealed = bytes(a, r, i, 17);
	cr->totp_kek_id = dup(a, r, i, 18);
}

enum idp_err
idp_store_cred_list(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, enum idp_cred_kind kind, struct idp_credential **out,
    int *n)
{
	char ub[24];
	struct idp_param p[2] = { P_TXT(ub), P_TXT(idp_cred_kind_name(kind)) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(ub, sizeof(ub), "%lld", user_id);
	if ((rc = idp_db_exec(c, "cred_list", p, 2, &r)) != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++)
		read_row(a, r, i, &(*out)[i]);
	PQclear(r);
	return IDP_OK;
}

/* A bytea parameter, binary; SQL NULL when absent. */
static struct idp_param
p_bytes(const struct idp_cred_bytes *b)
{
	return b->data != NULL && b->len > 0 ? P_BIN(b->data, (int)b->len) :
	    P_NULL;
}

enum idp_err
idp_store_cred_add(struct idp_dbconn *c, const struct idp_credential *cr,
    bool confirmed, long long *id)
{
	char ub[24], cb[24];
	bool passkey = cr->kind == IDP_CRED_WEBAUTHN;
	bool totp = cr->kind == IDP_CRED_TOTP;
	struct idp_param p[14] = {
		P_TXT(ub), P_TXT(idp_cred_kind_name(cr->kind)), P_TXT(cr->label),
		P_TXT(cr->kind == IDP_CRED_PASSWORD ? cr->password_hash : NULL),
		totp && cr->totp_kek_id == NULL ? p_bytes(&cr->totp_secret) :
		    P_NULL,
		passkey ? p_bytes(&cr->webauthn_id) : P_NULL,
		passkey ? p_bytes(&cr->webauthn_public_key) : P_NULL,
		P_TXT(passkey ? cb : NULL),
		P_TXT(passkey ? cr->webauthn_transports : NULL),
		P_TXT(passkey ? cr->webauthn_aaguid : NULL),
		cr->kind == IDP_CRED_RECOVERY_CODE ?
		    p_bytes(&cr->recovery_digest) : P_NULL,
		P_TXT(confirmed ? "true" : "false"),
		totp && cr->totp_kek_id != NULL ? p_bytes(&cr->totp_sealed) :
		    P_NULL,
		P_TXT(totp ? cr->totp_kek_id : NULL),
	};
	PGresult *r = NULL;
	enum idp_err rc;

	if (idp_cred_kind_name(cr->kind) == NULL)
		return IDP_ERR_INVALID_REQUEST;
	snprintf(ub, sizeof(ub), "%lld", cr->user_id);
	snprintf(cb, sizeof(cb), "%lld", (long long)cr->webauthn_sign_count);
	if ((rc = idp_db_exec_row(c, "cred_add", p, 14, &r)) != IDP_OK)
		return rc;
	if (id != NULL)
		*id = idp_db_ll(r, 0, 0);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_cred_confirm(struct idp_dbconn *c, long long user_id, long long id)
{
	char ub[24], ib[24];
	struct idp_param p[2] = { P_TXT(ub), P_TXT(ib) };

	snprintf(ub, sizeof(ub), "%lld", user_id);
	snprintf(ib, sizeof(ib), "%lld", id);
	return idp_db_run_one(c, "cred_confirm", p, 2);
}

enum idp_err
idp_store_cred_mark_used(struct idp_dbconn *c, long long user_id,
    long long id, int64_t counter)
{
	char ub[24], ib[24], nb[24];
	struct idp_param p[3] = { P_TXT(ub), P_TXT(ib), P_TXT(nb) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(ub, sizeof(ub), "%lld", user_id);
	snprintf(ib, sizeof(ib), "%lld", id);
	snprintf(nb, sizeof(nb), "%lld", (long long)counter);
	if ((rc = idp_db_exec_row(c, "cred_mark_used", p, 3, &r)) != IDP_OK)
		return rc;
	rc = idp_db_ll(r, 0, 0) == 1 ? IDP_OK : idp_db_bool(r, 0, 1) ?
	    IDP_ERR_CONFLICT : IDP_ERR_NOT_FOUND;
	PQclear(r);
	return rc;
}

enum idp_err
idp_store_cred_remove(struct idp_dbconn *c, long long user_id,
    enum idp_cred_kind kind, long long id)
{
	char ub[24], ib[24];
	struct idp_param p[3] = { P_TXT(ub), P_TXT(ib),
		P_TXT(idp_cred_kind_name(kind)) };
	PGresult *r = NULL;
	enum idp_err rc;
	long long n;

	if (id == 0 && idp_cred_kind_name(kind) == NULL)
		return IDP_ERR_INVALID_REQUEST;	/* never "everything" */
	snprintf(ub, sizeof(ub), "%lld", user_id);
	snprintf(ib, sizeof(ib), "%lld", id);
	if ((rc = idp_db_exec(c, "cred_remove", p, 3, &r)) != IDP_OK)
		return rc;
	n = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return n > 0 ? IDP_OK : IDP_ERR_NOT_FOUND;
}

enum idp_err
idp_store_totp_plain(struct idp_dbconn *c, struct idp_arena *a,
    long long after, int max, struct idp_totp_plain **out, int *n)
{
	char ab[24], mb[24];
	struct idp_param p[2] = { P_TXT(ab), P_TXT(mb) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(ab, sizeof(ab), "%lld", after);
	snprintf(mb, sizeof(mb), "%d", max);
	if ((rc = idp_db_exec(c, "totp_plain", p, 2, &r)) != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		(*out)[i].id = idp_db_ll(r, i, 0);
		(*out)[i].user_id = idp_db_ll(r, i, 1);
		(*out)[i].secret = bytes(a, r, i, 2);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_totp_seal(struct idp_dbconn *c, long long id,
    const struct idp_cred_bytes *plain, const unsigned char *sealed,
    size_t sealed_len, const char *kek_id)
{
	char ib[24];
	struct idp_param p[4] = { P_TXT(ib), P_BIN(sealed, (int)sealed_len),
		P_TXT(kek_id), p_bytes(plain) };

	snprintf(ib, sizeof(ib), "%lld", id);
	return idp_db_run_one(c, "totp_seal", p, 4);
}

enum idp_err
idp_store_totp_export(struct idp_dbconn *c, struct idp_arena *a,
    long long after, int max, struct idp_totp_row **out, int *n)
{
	char ab[24], mb[24];
	struct idp_param p[2] = { P_TXT(ab), P_TXT(mb) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(ab, sizeof(ab), "%lld", after);
	snprintf(mb, sizeof(mb), "%d", max);
	if ((rc = idp_db_exec(c, "totp_export", p, 2, &r)) != IDP_OK)
		return rc;
	*n = PQntuples(r);
	*out = idp_arena_zalloc(a, sizeof(**out) * (size_t)(*n ? *n : 1));
	for (int i = 0; i < *n; i++) {
		struct idp_totp_row *t = &(*out)[i];

		t->id = idp_db_ll(r, i, 0);
		t->user_id = idp_db_ll(r, i, 1);
		t->plain = bytes(a, r, i, 2);
		t->sealed = bytes(a, r, i, 3);
		t->kek_id = PQgetisnull(r, i, 4) ? NULL : dup(a, r, i, 4);
		t->digest = dup(a, r, i, 5);
	}
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_totp_reseal(struct idp_dbconn *c, long long id, long long user_id,
    const char *digest, const unsigned char *sealed, size_t sealed_len,
    const char *kek_id)
{
	char ib[24], ub[24];
	struct idp_param p[5] = { P_TXT(ib), P_TXT(ub),
		P_BIN(sealed, (int)sealed_len), P_TXT(kek_id), P_TXT(digest) };

	snprintf(ib, sizeof(ib), "%lld", id);
	snprintf(ub, sizeof(ub), "%lld", user_id);
	return idp_db_run_one(c, "totp_reseal", p, 5);
}

/* Array literals of the batch: {1,2} and {hex,hex} (hex needs no quotes). */
static void
add_hex(struct idp_buf *b, const struct idp_cred_bytes *v)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < v->len; i++) {
		idp_buf_addc(b, digits[v->data[i] >> 4]);
		idp_buf_addc(b, digits[v->data[i] & 15]);
	}
}

enum idp_err
idp_store_totp_seal_many(struct idp_dbconn *c, struct idp_arena *a,
    const struct idp_totp_plain *rows, const struct idp_cred_bytes *sealed,
    int n, const char *kek_id, long long *done)
{
	struct idp_buf ids, seals, plains;
	PGresult *r = NULL;
	enum idp_err rc;

	*done = 0;
	if (n <= 0)
		return IDP_OK;
	idp_buf_init(&ids, a, (size_t)n * 24 + 2);
	idp_buf_init(&seals, a, (size_t)n * 200 + 2);
	idp_buf_init(&plains, a, (size_t)n * 140 + 2);
	for (int i = 0; i < n; i++) {
		const char *sep = i == 0 ? "{" : ",";

		idp_buf_addf(&ids, "%s%lld", sep, rows[i].id);
		idp_buf_adds(&seals, sep);
		add_hex(&seals, &sealed[i]);
		idp_buf_adds(&plains, sep);
		add_hex(&plains, &rows[i].secret);
	}
	idp_buf_addc(&ids, '}');
	idp_buf_addc(&seals, '}');
	idp_buf_addc(&plains, '}');
	if (ids.overflow || seals.overflow || plains.overflow)
		return IDP_ERR_INTERNAL;
	rc = idp_db_exec(c, "totp_seal_many", (struct idp_param[]){
	    P_TXT(ids.data), P_TXT(seals.data), P_TXT(plains.data),
	    P_TXT(kek_id) }, 4, &r);
	if (rc == IDP_OK) {
		*done = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
	}
	return rc;
}

enum idp_err
idp_store_password_get(struct idp_dbconn *c, struct idp_arena *a,
    long long user_id, char **hash, long long *cred_id)
{
	char ub[24];
	struct idp_param p[1] = { P_TXT(ub) };
	PGresult *r = NULL;
	enum idp_err rc;

	snprintf(ub, sizeof(ub), "%lld", user_id);
	if ((rc = idp_db_exec_row(c, "password_get", p, 1, &r)) != IDP_OK)
		return rc;
	*hash = dup(a, r, 0, 0);
	if (cred_id != NULL)
		*cred_id = idp_db_ll(r, 0, 1);
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_user_set_password(struct idp_dbconn *c, const char *username,
    const char *hash)
{
	struct idp_param p[2] = { P_TXT(username), P_TXT(hash) };

	return idp_db_run_one(c, "password_set", p, 2);
}

enum idp_err
idp_store_password_rehash(struct idp_dbconn *c, long long user_id,
    const char *old_hash, const char *new_hash)
{
	char ub[24];
	struct idp_param p[3] = { P_TXT(ub), P_TXT(old_hash), P_TXT(new_hash) };

	snprintf(ub, sizeof(ub), "%lld", user_id);
	return idp_db_run_one(c, "password_rehash", p, 3);
}

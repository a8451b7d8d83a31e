#include <stdio.h>
#include <stdlib.h>

#include "store/statements.h"
#include "store/throttle.h"

const struct idp_stmt idp_throttle_stmts[] = {
	{ "throttle_begin",
	  "SELECT allowed, wait_s, level FROM throttle_begin($1::text[], "
	  "$2::integer[], $3::boolean[], $4, $5, $6)", 6 },
	{ "throttle_failed",
	  "SELECT throttle_failed($1::text[], $2::integer[], $3, $4, $5)", 5 },
	{ "throttle_succeeded",
	  "SELECT throttle_succeeded($1::text[], $2)", 2 },
	{ NULL, NULL, 0 },
};

/* The keys chosen by which (reserved, not reserved, or all: -1) as three
 * array literals: {hex,...} {free,...} {t|f,...}. Hex digits and numbers
 * need no quoting. */
struct arrays {
	char keys[IDP_THROTTLE_KEYS_MAX * 66 + 3];
	char frees[IDP_THROTTLE_KEYS_MAX * 12 + 3];
	char reserve[IDP_THROTTLE_KEYS_MAX * 2 + 3];
	int n;
};

static void
arrays_of(const struct idp_throttle_key *k, int n, int which,
    struct arrays *a)
{
	size_t ko = 0, fo = 0, ro = 0;

	a->n = 0;
	a->keys[ko++] = a->frees[fo++] = a->reserve[ro++] = '{';
	for (int i = 0; i < n && i < IDP_THROTTLE_KEYS_MAX; i++) {
		if (which >= 0 && k[i].reserve != (which == 1))
			continue;
		if (a->n++ > 0)
			a->keys[ko++] = a->frees[fo++] = a->reserve[ro++] = ',';
		ko += (size_t)snprintf(a->keys + ko, sizeof(a->keys) - ko, "%s",
		    k[i].hex);
		fo += (size_t)snprintf(a->frees + fo, sizeof(a->frees) - fo,
		    "%d", k[i].free);
		a->reserve[ro++] = k[i].reserve ? 't' : 'f';
	}
	a->keys[ko++] = a->frees[fo++] = a->reserve[ro++] = '}';
	a->keys[ko] = a->frees[fo] = a->reserve[ro] = '\0';
}

enum idp_err
idp_store_throttle_begin(struct idp_dbconn *c,
    const struct idp_throttle_key *keys, int n,
    const struct idp_throttle_limits *l, bool *allowed, int *wait,
    double *level)
{
	struct arrays a;
	char b[12], m[12], w[12];
	struct idp_param p[6] = { P_TXT(a.keys), P_TXT(a.frees),
		P_TXT(a.reserve), P_TXT(b), P_TXT(m), P_TXT(w) };
	PGresult *r = NULL;
	enum idp_err rc;

	arrays_of(keys, n, -1, &a);
	snprintf(b, sizeof(b), "%d", l->base_delay);
	snprintf(m, sizeof(m), "%d", l->max_delay);
	snprintf(w, sizeof(w), "%d", l->window);
	if ((rc = idp_db_exec_row(c, "throttle_begin", p, 6, &r)) != IDP_OK)
		return rc;
	*allowed = idp_db_bool(r, 0, 0);
	*wait = (int)idp_db_ll(r, 0, 1);
	*level = idp_db_val(r, 0, 2) ? strtod(idp_db_val(r, 0, 2), NULL) : 0;
	PQclear(r);
	return IDP_OK;
}

enum idp_err
idp_store_throttle_failed(struct idp_dbconn *c,
    const struct idp_throttle_key *keys, int n,
    const struct idp_throttle_limits *l)
{
	struct arrays a;
	char b[12], m[12], w[12];
	struct idp_param p[5] = { P_TXT(a.keys), P_TXT(a.frees), P_TXT(b),
		P_TXT(m), P_TXT(w) };

	arrays_of(keys, n, 0, &a);
	if (a.n == 0)
		return IDP_OK;
	snprintf(b, sizeof(b), "%d", l->base_delay);
	snprintf(m, sizeof(m), "%d", l->max_delay);
	snprintf(w, sizeof(w), "%d", l->window);
	return idp_db_run(c, "throttle_failed", p, 5);
}

enum idp_err
idp_store_throttle_succeeded(struct idp_dbconn *c,
    const struct idp_throttle_key *keys, int n,
    const struct idp_throttle_limits *l)
{
	struct arrays a;
	char w[12];
	struct idp_param p[2] = { P_TXT(a.keys), P_TXT(w) };

	arrays_of(keys, n, 1, &a);
	if (a.n == 0)
		return IDP_OK;
	snprintf(w, sizeof(w), "%d", l->window);
	return idp_db_run(c, "throttle_succeeded", p, 2);
}

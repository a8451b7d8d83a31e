/* The console's operations pages: the signing keys and their rotation
 * (admin only, through core/keyrotate.h as idpctl keys rotate), and the
 * back-channel sign-out deliveries per service, the failing ones first
 * (admin and auditor, the data of idpctl logout status --failed). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "core/housekeeping.h"
#include "core/keyrotate.h"
#include "core/logout.h"
#include "core/reqdb.h"
#include "endpoint/admin.h"
#include "http/response.h"
#include "page/form.h"
#include "store/keys.h"
#include "store/outbox.h"
#include "util/log.h"

/* ---- Keys ---- */

static const struct idp_flash key_flashes[] = {
	{ "keys_rotated", AM(AM_ROTATED) },
	{ NULL, NULL },
};

static int
key_state_msg(const struct idp_key_meta *k)
{
	if (k->active)
		return AM_ACTIVE;
	return !strcmp(k->state, "next") ? AM_KEY_NEXT : AM_KEY_RETIRED;
}

static void
rotate_form(struct admin *ad, struct idp_page *pg)
{
	char secs[24];
	const struct idp_choice when[] = {
		{ "next", AM(AM_ROTATE_NEXT), secs, NULL, true },
		{ "now", AM(AM_ROTATE_NOW), NULL, NULL, false },
	};

	snprintf(secs, sizeof(secs), "%lld",
	    (long long)ad->rq->ctx->cfg->key_prepublish);
	idp_page_heading(pg, 2, AM(AM_ROTATE), NULL);
	idp_form_begin(pg, "/admin/keys", ad->csrf);
	idp_form_hidden(pg, "action", "rotate");
	idp_form_choices(pg, "when", AM(AM_ROTATE_WHEN), NULL, when, 2, false);
	idp_form_button(pg, "danger", NULL, NULL, AM(AM_ROTATE));
	idp_form_end(pg);
}

static enum idp_err
keys_page(struct admin *ad)
{
	static const struct idp_msg *const cols[] = { AM(AM_KID), AM(AM_ALG),
		AM(AM_STATUS), AM(AM_CREATED), AM(AM_PUBLISHED_UNTIL) };
	struct idp_key_meta *k = NULL;
	struct idp_page pg;
	enum idp_err rc;
	int n = 0;

	if ((rc = idp_store_keys_all(ad->db, ad->rq->arena, &k, &n)) != IDP_OK)
		return rc;
	idp_admin_page(ad, &pg, AM(AM_KEYS), NULL);
	idp_page_flash(&pg, key_flashes);
	idp_page_para(&pg, "muted", AM(AM_KEYS_NOTE), NULL);
	idp_page_table_begin(&pg, "keys", AM(AM_KEYS), cols, 5);
	for (int i = 0; i < n; i++) {
		idp_page_row_begin(&pg);
		idp_page_cell(&pg, k[i].kid);
		idp_page_cell(&pg, k[i].alg);
		idp_page_cell(&pg, idp_page_str(&pg, AM(key_state_msg(&k[i]))));
		idp_page_cell_time(&pg, k[i].created_at);
		if (k[i].publish_until == 0)
			idp_page_cell(&pg, "-");
		else
			idp_page_cell_time(&pg, k[i].publish_until);
		idp_page_row_end(&pg);
	}
	idp_page_table_end(&pg);
	/* Keys kept as files live on each node, and the daemon may not
	 * write key_dir (the systemd unit keeps it read-only). */
	if (ad->rq->ctx->kek != NULL)
		rotate_form(ad, &pg);
	else
		idp_page_para(&pg, NULL, AM(AM_ROTATE_FILES), NULL);
	return idp_page_send(&pg, 200);
}

static enum idp_err
rotate_confirm(struct admin *ad, const char *when)
{
	const struct idp_hidden hidden[] = { { "action", "rotate" },
		{ "when", when }, { NULL, NULL } };
	const struct idp_confirm c = { "/admin/keys", ad->csrf, hidden,
		AM(AM_ROTATE), AM(AM_CANCEL), "/admin/keys" };
	struct idp_page pg;

	idp_admin_page(ad, &pg, AM(AM_CONFIRM_ROTATE), NULL);
	idp_page_para(&pg, NULL, AM(strcmp(when, "now") ?
	    AM_ROTATE_WHAT_NEXT : AM_ROTATE_WHAT_NOW), NULL);
	idp_form_confirm(&pg, &c);
	return idp_page_send(&pg, 200);
}

static enum idp_err
rotate(struct admin *ad)
{
	struct idp_req *rq = ad->rq;
	const char *action = idp_req_form(rq, "action");
	const char *when = idp_req_form(rq, "when");
	struct idp_key_made made[IDP_ALG_COUNT];
	struct idp_operator op = { .actor = ad->s->user.username,
		.actor_user_id = ad->s->user.id, .request_id = rq->id };
	char why[512];
	enum idp_err rc;
	int n = 0;

	if (action == NULL || strcmp(action, "rotate") != 0)
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "The action is not one of the keys page's.");
	if (when == NULL || (strcmp(when, "next") && strcmp(when, "now")))
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "when must be next or now.");
	if (rq->ctx->kek == NULL)
		return idp_fail(ad->rs, IDP_ERR_CONFLICT, "The keys of this node "
		    "are files in key_dir: rotate them with idpctl keys rotate.");
	if (!idp_form_confirmed(rq))
		return rotate_confirm(ad, when);
	if (strcmp(rq->ip, "-") != 0)
		op.ip = rq->ip;
	rc = idp_signkeys_rotate(rq->ctx->cfg, rq->ctx->kek, ad->db, rq->arena,
	    IDP_ALG_NONE, !strcmp(when, "now"), &op, made, &n, why,
	    sizeof(why));
	if (rc == IDP_ERR_CONFLICT)
		return idp_fail(ad->rs, rc, "A next key is already published: "
		    "it signs after key_prepublish.");
	if (rc != IDP_OK) {
		IDP_WARN("admin.keys_rotate", " req=%s why=%s", rq->id,
		    idp_logq(rq->arena, why));
		return rc;
	}
	/* This node publishes the new keys at once; the others within
	 * key_reload_interval. */
	idp_reqdb_release(rq);
	ad->db = NULL;
	if (idp_keys_reload(rq->ctx, why, sizeof(why)) != IDP_OK)
		IDP_WARN("admin.keys_reload", " req=%s why=%s", rq->id,
		    idp_logq(rq->arena, why));
	idp_page_see_other(rq, ad->rs, "/admin/keys", "keys_rotated");
	return IDP_OK;
}

enum idp_err
idp_admin_keys(struct admin *ad)
{
	return ad->rq->method == IDP_POST ? rotate(ad) : keys_page(ad);
}

/* ---- Sign-out deliveries ---- */

static enum idp_err
deliveries(struct admin *ad, bool all)
{
	static const struct idp_msg *const cols[] = { AM(AM_SERVICE),
		AM(AM_PENDING_N), AM(AM_DELIVERED), AM(AM_FAILED),
		AM(AM_OLDEST), AM(AM_LAST_ERROR) };
	struct idp_outbox_stat *st = NULL;
	struct idp_page pg;
	enum idp_err rc;
	int n = 0, shown = 0;

	rc = idp_store_outbox_status(ad->db, ad->rq->arena, IDP_LOGOUT_KIND,
	    &st, &n);
	if (rc != IDP_OK)
		return rc;
	idp_admin_page(ad, &pg, AM(AM_DELIVERIES), NULL);
	idp_page_para(&pg, NULL, AM(all ? AM_DELIVERIES_ALL :
	    AM_DELIVERIES_INTRO), NULL);
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, NULL, all ? "/admin/deliveries" :
	    "/admin/deliveries?all=yes", AM(all ? AM_SHOW_FAILING :
	    AM_SHOW_ALL), NULL);
	idp_page_raw(&pg, "</p>");
	idp_page_table_begin(&pg, "deliveries", AM(AM_DELIVERIES), cols, 6);
	for (int i = 0; i < n; i++) {
		if (!all && st[i].failed == 0)
			continue;
		shown++;
		idp_page_row_begin(&pg);
		idp_page_cell(&pg, st[i].label ? st[i].label : "-");
		idp_page_cell(&pg, idp_page_num(&pg, st[i].pending));
		idp_page_cell(&pg, idp_page_num(&pg, st[i].delivered));
		idp_page_cell(&pg, idp_page_num(&pg, st[i].failed));
		idp_page_cell(&pg, st[i].oldest_pending > 0 ?
		    idp_page_num(&pg, st[i].oldest_pending) : "-");
		idp_page_cell(&pg, st[i].last_error ? st[i].last_error : "-");
		idp_page_row_end(&pg);
	}
	idp_page_table_end(&pg);
	if (shown == 0)
		idp_page_para(&pg, "muted", AM(all ? AM_DELIVERIES_EMPTY :
		    AM_DELIVERIES_NONE), NULL);
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_admin_deliveries(struct admin *ad)
{
	const char *all = idp_req_query(ad->rq, "all");

	if (ad->rq->method != IDP_GET)
		return idp_fail(ad->rs, IDP_ERR_METHOD, "GET only.");
	if (all != NULL && strcmp(all, "yes") != 0)
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "all must be yes.");
	return deliveries(ad, all != NULL);
}

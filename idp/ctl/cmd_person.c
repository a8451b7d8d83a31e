/* idpctl user show|delete|disable|enable|reset-code: one person, as the
 * helpdesk sees them; the actions go through core/helpdesk.h, as the
 * console's do, and are audited with the operator. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/helpdesk.h"
#include "ctl/ctl.h"
#include "store/audit.h"
#include "store/consent.h"
#include "store/credential.h"
#include "store/directory.h"
#include "store/member.h"
#include "store/usersession.h"
#include "util/mem.h"

/* Connect and find USERNAME (the one operand). -1 to go on, or the exit
 * code (0 after --help). */
int
ctl_person(struct ctl *c, int argc, char **argv, struct idp_user **u)
{
	enum idp_err e;
	char **op;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "USERNAME is required",
	    &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_user_by_username(c->conn, c->arena, op[0], u);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("%s: no user %s", c->cmd, op[0]);
	if (e != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	return -1;
}

/* Everything the helpdesk reads about a person, gathered once. */
struct person_view {
	struct idp_user *u;
	struct idp_member *roles;
	int nroles;
	struct idp_credential *factors;
	int nfactors;
	struct idp_session_row *sessions;
	int nsessions;
	struct idp_consent *consents;
	int nconsents;
	struct idp_audit_row *signins;
	int nsignins;
};

static enum idp_err
gather(struct ctl *c, struct person_view *v)
{
	struct idp_audit_filter f = { .user_id = v->u->id, .event = "login.",
		.limit = 10 };
	enum idp_err e;

	if ((e = idp_store_member_list(c->conn, c->arena, NULL,
	    v->u->username, &v->roles, &v->nroles)) != IDP_OK ||
	    (e = idp_store_cred_list(c->conn, c->arena, v->u->id, IDP_CRED_ANY,
	    &v->factors, &v->nfactors)) != IDP_OK ||
	    (e = idp_store_sessions_of(c->conn, c->arena, v->u->id,
	    &v->sessions, &v->nsessions)) != IDP_OK ||
	    (e = idp_store_consent_list(c->conn, c->arena, v->u->id,
	    &v->consents, &v->nconsents)) != IDP_OK)
		return e;
	return idp_store_audit_list(c->conn, c->arena, &f, &v->signins,
	    &v->nsignins);
}

static json_t *
view_json(const struct person_view *v)
{
	const struct idp_user *u = v->u;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s, "
	    "s:b, s:b}", "username", u->username, "sub", u->sub, "name",
	    u->name, "email", u->email, "nip", u->nip, "job_title",
	    u->job_title, "organisation", u->org.code, "locale", u->locale,
	    "disabled", u->disabled, "has_password", u->has_password);
	json_t *a;

	a = json_array();
	for (int i = 0; i < v->nroles; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "organisation",
		    v->roles[i].org, "role", v->roles[i].role));
	json_object_set_new(o, "roles", a);
	a = json_array();
	for (int i = 0; i < v->nfactors; i++)
		json_array_append_new(a, json_pack("{s:s, s:s?, s:b}", "kind",
		    idp_cred_kind_name(v->factors[i].kind), "label",
		    v->factors[i].label, "confirmed",
		    v->factors[i].confirmed_at != 0));
	json_object_set_new(o, "factors", a);
	a = json_array();
	for (int i = 0; i < v->nsessions; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:s?, s:i}",
		    "sid", v->sessions[i].sid, "started",
		    (json_int_t)v->sessions[i].started, "last_used",
		    (json_int_t)v->sessions[i].last_used, "ip",
		    v->sessions[i].ip, "services", v->sessions[i].clients));
	json_object_set_new(o, "sessions", a);
	a = json_array();
	for (int i = 0; i < v->nconsents; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}",
		    "client_id", v->consents[i].client_id, "scope",
		    v->consents[i].scopes, "granted_at",
		    (json_int_t)v->consents[i].granted_at));
	json_object_set_new(o, "consents", a);
	a = json_array();
	for (int i = 0; i < v->nsignins; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s?, s:s?}",
		    "at", (json_int_t)v->signins[i].at, "event",
		    v->signins[i].event, "client_id", v->signins[i].client_id,
		    "ip", v->signins[i].ip));
	json_object_set_new(o, "recent_sign_ins", a);
	return o;
}

static void
view_print(struct ctl *c, const struct person_view *v)
{
	const struct idp_user *u = v->u;

	printf("username      %s\nsub           %s\nname          %s\n"
	    "e-mail        %s\nNIP           %s\njob title     %s\n"
	    "organisation  %s%s%s%s\nstate         %s\n", u->username, u->sub,
	    u->name, u->email ? u->email : "-", u->nip ? u->nip : "-",
	    u->job_title ? u->job_title : "-", u->org.code ? u->org.code : "-",
	    u->org.name ? " (" : "", u->org.name ? u->org.name : "",
	    u->org.name ? ")" : "", u->disabled ? "disabled" : "active");
	printf("roles        ");
	for (int i = 0; i < v->nroles; i++)
		printf(" %s@%s", v->roles[i].role, v->roles[i].org);
	printf("%s\nfactors      ", v->nroles ? "" : " -");
	for (int i = 0; i < v->nfactors; i++)
		printf(" %s%s", idp_cred_kind_name(v->factors[i].kind),
		    v->factors[i].confirmed_at ? "" : "(pending)");
	printf("%s\n\nsessions (%d)\n", v->nfactors ? "" : " -", v->nsessions);
	for (int i = 0; i < v->nsessions; i++)
		printf("  %s  since %s  last %s  %s  %d services\n",
		    v->sessions[i].sid, ctl_utc(c, v->sessions[i].started),
		    ctl_utc(c, v->sessions[i].last_used),
		    v->sessions[i].ip ? v->sessions[i].ip : "-",
		    v->sessions[i].clients);
	printf("\nconsents (%d)\n", v->nconsents);
	for (int i = 0; i < v->nconsents; i++)
		printf("  %-32s %s\n", v->consents[i].client_id,
		    v->consents[i].scopes);
	printf("\nrecent sign-ins\n");
	for (int i = 0; i < v->nsignins; i++)
		printf("  %s  %-14s %-24s %s\n", ctl_utc(c, v->signins[i].at),
		    v->signins[i].event, v->signins[i].client_id ?
		    v->signins[i].client_id : "-", v->signins[i].ip ?
		    v->signins[i].ip : "-");
}

int
ctl_user_show(struct ctl *c, int argc, char **argv)
{
	struct person_view v = { 0 };
	enum idp_err e;
	int rc;

	if ((rc = ctl_person(c, argc, argv, &v.u)) != -1)
		return rc;
	if ((e = gather(c, &v)) != IDP_OK)
		return ctl_err("user show: %s", ctl_db_msg(c, e));
	if (c->json)
		return ctl_print_json(view_json(&v));
	view_print(c, &v);
	return CTL_OK;
}

static int
set_disabled(struct ctl *c, int argc, char **argv, bool disable)
{
	struct idp_operator op;
	struct idp_ended ended = { 0 };
	struct idp_user *u;
	enum idp_err e;
	int rc;

	if ((rc = ctl_person(c, argc, argv, &u)) != -1)
		return rc;
	ctl_operator(c, &op);
	e = idp_helpdesk_set_disabled(c->conn, &op, u->id, disable, &ended);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("%s: %s was deleted", c->cmd, u->username);
	if (e != IDP_OK)
		return ctl_err("%s: %s", c->cmd, ctl_db_msg(c, e));
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:b, s:i, s:i, s:i}",
		    "username", u->username, "disabled", disable,
		    "sessions_ended", ended.sessions, "grants_revoked",
		    ended.grants, "logout_tokens", ended.logout_tokens));
	printf("user %s %s", u->username, disable ? "disabled" : "enabled");
	if (disable)
		printf(": %d sessions ended, %d grants revoked, %d services "
		    "to be told", ended.sessions, ended.grants,
		    ended.logout_tokens);
	printf("\n");
	return CTL_OK;
}

int
ctl_user_disable(struct ctl *c, int argc, char **argv)
{
	return set_disabled(c, argc, argv, true);
}

int
ctl_user_enable(struct ctl *c, int argc, char **argv)
{
	return set_disabled(c, argc, argv, false);
}

int
ctl_user_delete(struct ctl *c, int argc, char **argv)
{
	struct idp_operator op;
	struct idp_user *u;
	enum idp_err e;
	int rc;

	if ((rc = ctl_person(c, argc, argv, &u)) != -1)
		return rc;
	ctl_operator(c, &op);
	e = idp_helpdesk_erase(c->conn, &op, u->id);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("user delete: %s was deleted before",
		    u->username);
	if (e != IDP_OK)
		return ctl_err("user delete: %s", ctl_db_msg(c, e));
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:s, s:b}", "username",
		    u->username, "sub", u->sub, "deleted", 1));
	printf("user %s deleted: sessions ended, grants revoked, personal "
	    "data erased;\nsub %s stays reserved\n", u->username, u->sub);
	return CTL_OK;
}

int
ctl_user_reset_code(struct ctl *c, int argc, char **argv)
{
	char shown[IDP_RESET_CODE_SHOWN + 1];
	struct idp_operator op;
	struct idp_user *u;
	enum idp_err e;
	int rc;

	if ((rc = ctl_person(c, argc, argv, &u)) != -1)
		return rc;
	if (u->disabled)
		return ctl_err("user reset-code: %s is disabled (idpctl user "
		    "enable first)", u->username);
	ctl_operator(c, &op);
	e = idp_helpdesk_reset_code(c->conn, &op, u->id, c->cfg.reset_code_ttl,
	    shown);
	if (e != IDP_OK)
		return ctl_err("user reset-code: %s", ctl_db_msg(c, e));
	rc = CTL_OK;
	if (c->json)
		rc = ctl_print_json(json_pack("{s:s, s:s, s:I, s:i}",
		    "username", u->username, "code", shown, "valid_seconds",
		    (json_int_t)c->cfg.reset_code_ttl, "tries",
		    c->cfg.reset_code_tries));
	else
		printf("reset code for %s: %s\n(read it to the person; it is "
		    "entered at %s/reset/code, works once, for %lld hours "
		    "and %d wrong tries)\n", u->username, shown,
		    c->cfg.issuer ? c->cfg.issuer : "", (long long)
		    (c->cfg.reset_code_ttl / 3600), c->cfg.reset_code_tries);
	idp_wipe(shown, sizeof(shown));
	return rc;
}

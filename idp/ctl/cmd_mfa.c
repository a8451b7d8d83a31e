/* The second factor from the command line: the helpdesk's reset for a
 * person who lost their phone or security key (idpctl user mfa-reset),
 * and the organisation rule (idpctl org require-mfa). The reset is
 * core/mfa.h's, which the operator console calls too. */
#include <stdio.h>
#include <string.h>

#include "core/mfa.h"
#include "ctl/ctl.h"
#include "store/directory.h"
#include "store/mfa.h"

int
ctl_user_mfa_reset(struct ctl *c, int argc, char **argv)
{
	struct idp_mfa_reset r = { 0 };
	struct idp_user *u = NULL;
	enum idp_err e;
	int rc;

	if ((rc = ctl_person(c, argc, argv, &u)) != -1)
		return rc;
	r.user_id = u->id;
	r.logout_give_up = c->cfg.logout_give_up;
	if ((e = idp_db_begin(c->conn)) != IDP_OK ||
	    (e = idp_mfa_reset_tx(c->conn, &r)) != IDP_OK) {
		idp_db_rollback(c->conn);
		return ctl_err("user mfa-reset: %s", ctl_db_msg(c, e));
	}
	if ((rc = ctl_audit(c, "mfa.reset", u->id, NULL, json_pack(
	    "{s:I, s:i, s:i, s:i}", "factors_removed", (json_int_t)r.factors,
	    "sessions_ended", r.sessions, "grants_revoked", r.revoked,
	    "logout_tokens", r.notified)))
	    != 0) {
		idp_db_rollback(c->conn);
		return rc;
	}
	if ((e = idp_db_commit(c->conn)) != IDP_OK)
		return ctl_err("user mfa-reset: %s", ctl_db_msg(c, e));
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:I, s:i}", "username",
		    u->username, "factors_removed", (json_int_t)r.factors,
		    "sessions_ended", r.sessions));
	printf("two-step verification of %s reset: %lld factors removed, %d "
	    "sessions ended\n(the person signs in with the password and sets "
	    "it up again)\n", u->username, r.factors, r.sessions);
	return 0;
}

int
ctl_org_require_mfa(struct ctl *c, int argc, char **argv)
{
	enum idp_err e;
	bool on;
	char **op;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 2, 2, "CODE and yes|no are "
	    "required", &op)) != -1)
		return rc;
	if (strcmp(op[1], "yes") != 0 && strcmp(op[1], "no") != 0)
		return ctl_usage("org require-mfa: the second operand is yes "
		    "or no, not %s", op[1]);
	on = !strcmp(op[1], "yes");
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((e = idp_db_begin(c->conn)) != IDP_OK ||
	    (e = idp_store_org_set_require_mfa(c->conn, op[0], on)) != IDP_OK) {
		idp_db_rollback(c->conn);
		return e == IDP_ERR_NOT_FOUND ? ctl_err("org require-mfa: no "
		    "organisation %s", op[0]) : ctl_err("org require-mfa: %s",
		    ctl_db_msg(c, e));
	}
	if ((rc = ctl_audit(c, "org.require_mfa", 0, NULL, json_pack(
	    "{s:s, s:b}", "organisation", op[0], "require_mfa", on))) != 0) {
		idp_db_rollback(c->conn);
		return rc;
	}
	if ((e = idp_db_commit(c->conn)) != IDP_OK)
		return ctl_err("org require-mfa: %s", ctl_db_msg(c, e));
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:b}", "organisation",
		    op[0], "require_mfa", on));
	printf("%s: members %s two-step verification\n", op[0], on ?
	    "now need" : "no longer need");
	return 0;
}

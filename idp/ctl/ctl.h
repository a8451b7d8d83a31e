/* idpctl: the operator's and service developer's command line. One file
 * per command group (cmd_*.c), each with a table of its subcommands; each
 * subcommand parses its options with getopt_long (ctl_getopt) and prints
 * either a table (people) or JSON (--json, scripts). Errors are one line
 * on stderr and an exit code that travels back to main() as a return
 * value: nothing below main() calls exit(). */
#ifndef IDP_CTL_CTL_H
#define IDP_CTL_CTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "store/db.h"
#include "util/arena.h"

struct ctl {
	struct idp_config cfg;
	bool cfg_loaded;
	bool json;
	struct idp_arena *arena;
	struct idp_db *db;
	struct idp_dbconn *conn;
	const char *cfgpath;
	const char *cmd;	/* "user add": names the command in messages */
	void (*usage)(void);	/* of the running command group */
	/* --as USERNAME: the person a decision is made for (audited as
	 * the actor, roles checked); NULL when the operator acts. */
	const char *as_name;
	long long as_user_id;
};

/* Exit codes */
#define CTL_OK 0
#define CTL_FAIL 1	/* the operation failed */
#define CTL_USAGE 2	/* bad arguments */
#define CTL_DB 3	/* database unreachable */

/* ---- common.c: what every command uses ---- */

/* One line on stderr, "idpctl: " first; return CTL_FAIL / CTL_USAGE. */
int ctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Load the configuration; database_url and issuer are checked only when
 * a command needs them. */
int ctl_config(struct ctl *c);
/* Connect (once); prepared=false for migrate. Returns 0 or the exit
 * code to return (CTL_FAIL for configuration, CTL_DB for the database). */
int ctl_connect(struct ctl *c, bool prepared);
/* Release the connection, the pool and the configuration. */
void ctl_close(struct ctl *c);
/* Print JSON to stdout and take the reference: CTL_OK, or CTL_FAIL when
 * o is NULL or cannot be serialised. */
int ctl_print_json(json_t *o);
/* Read one line (a password) from stdin without echoing it anywhere.
 * Returns -1 when stdin is empty or the line is too long. */
int ctl_read_secret(char *buf, size_t len);
/* A message for an idp_err from the store, naming what failed. */
const char *ctl_db_msg(struct ctl *c, enum idp_err e);
/* Who runs idpctl, for the audit log: "idpctl:<name>", name being the
 * user sudo was run by (SUDO_USER) when set, else the login name of the
 * real uid. */
const char *ctl_actor(struct ctl *c);
/* Record a change idpctl made in the audit log (store/audit.h), inside
 * the command's transaction when it has one: the actor is the --as
 * person when given (ctl_actor then goes in details.via), else
 * ctl_actor. Takes the reference to details. 0, or CTL_FAIL after a
 * message: a change that cannot be audited is not made. */
int ctl_audit(struct ctl *c, const char *event, long long user_id,
    const char *client_id, json_t *details);
/* --as USERNAME: look the person up, check they may do act on org
 * (core/roles.h), and make them the actor. 0, or the exit code after a
 * message. */
int ctl_as(struct ctl *c, const char *username, int act, const char *org);
/* A time for a table: "2026-12-01T08:00:00Z", "-" for 0 (in the arena). */
const char *ctl_utc(struct ctl *c, int64_t t);
/* The operator for core/helpdesk.h: the --as person, else ctl_actor. */
struct idp_operator;
void ctl_operator(struct ctl *c, struct idp_operator *op);

/* ---- sector.c ---- */

/* The sector identifier document of metadata (validated), when it names
 * one, lists every redirect URI (core/sector.h). 0, or CTL_FAIL after a
 * message naming what (a file, the client). */
int ctl_sector_check(struct ctl *c, const char *what, const char *client_id,
    json_t *metadata);

/* ---- args.c: command tables and options ---- */

struct ctl_cmd {
	const char *name;
	int (*run)(struct ctl *c, int argc, char **argv);
};

/* A top-level command: a group of subcommands (cmds, ended by a NULL
 * name), or a single command (cmds NULL, run). */
struct ctl_group {
	const char *name;
	const char *subs;	/* "generate|list|rotate", for idpctl --help */
	const char *summary;
	void (*usage)(void);
	const struct ctl_cmd *cmds;
	int (*run)(struct ctl *c, int argc, char **argv);
};

/* Run argv[0] (the group's name) with argv[1] as its subcommand. The
 * subcommand gets argv from its own name on, ready for ctl_getopt. */
int ctl_run(struct ctl *c, const struct ctl_group *g, int argc, char **argv);

/* The options every command takes; end each command's table with them. */
#define CTL_OPT_HELP 'h'
#define CTL_OPT_BAD '?'
#define CTL_OPT_JSON 0x100
#define CTL_OPTS_COMMON \
	{ "help", no_argument, NULL, CTL_OPT_HELP }, \
	{ "json", no_argument, NULL, CTL_OPT_JSON }, \
	{ NULL, 0, NULL, 0 }

/* getopt_long over a subcommand's argv: options and operands in any
 * order, operands left at argv[optind..argc). Handles --json itself.
 * Returns an option's val, -1 at the end, CTL_OPT_HELP after printing the
 * group's usage, or CTL_OPT_BAD after naming the unknown option or the
 * option without its value; for those two, return ctl_opt_exit(ch). */
int ctl_getopt(struct ctl *c, int argc, char **argv,
    const struct option *opts);
int ctl_opt_exit(int ch);
/* For a subcommand with no options of its own: parse the common ones,
 * then take its operands (at least min, at most max; a usage error names
 * what is missing or the first extra one). Returns -1 to go on (*ops set
 * to the operands) or the exit code. */
int ctl_operands(struct ctl *c, int argc, char **argv, int min, int max,
    const char *need, char ***ops);
/* The operands after a ctl_getopt loop, at most max of them. Returns their
 * number, or -1 after a usage error naming the first extra one. */
int ctl_rest(struct ctl *c, int argc, char **argv, int max, char ***ops);
/* For a subcommand whose one operand is a USERNAME: connect and look the
 * person up. Returns -1 to go on (*u set) or the exit code, after naming
 * an unknown person. */
struct idp_user;
int ctl_person(struct ctl *c, int argc, char **argv, struct idp_user **u);

/* ---- the commands, one group per file ---- */

extern const struct ctl_group ctl_migrate_group;	/* cmd_migrate.c */
extern const struct ctl_group ctl_keys_group;		/* cmd_keys.c */
extern const struct ctl_group ctl_org_group;		/* cmd_org.c */
/* cmd_mfa.c: user mfa-reset, org require-mfa */
int ctl_user_mfa_reset(struct ctl *c, int argc, char **argv);
int ctl_org_require_mfa(struct ctl *c, int argc, char **argv);
extern const struct ctl_group ctl_user_group;		/* cmd_user.c */
extern const struct ctl_group ctl_client_group;		/* cmd_client.c */
extern const struct ctl_group ctl_iat_group;		/* cmd_iat.c */
extern const struct ctl_group ctl_consent_group;	/* cmd_consent.c */
extern const struct ctl_group ctl_scope_group;		/* cmd_scope.c */
extern const struct ctl_group ctl_member_group;		/* cmd_member.c */
extern const struct ctl_group ctl_outbox_group;		/* cmd_outbox.c */
/* cmd_outbox.c: outbox counts as a table or JSON; by_service for the
 * logout view (the label is a client_id). */
struct idp_outbox_stat;
int ctl_outbox_print(struct ctl *c, const struct idp_outbox_stat *st, int n,
    bool by_service);
extern const struct ctl_group ctl_session_group;	/* cmd_session.c */
extern const struct ctl_group ctl_logout_group;		/* cmd_logout.c */
extern const struct ctl_group ctl_audit_group;		/* cmd_audit.c */
/* user show|delete|disable|enable|reset-code (cmd_person.c) */
int ctl_user_show(struct ctl *c, int argc, char **argv);
int ctl_user_delete(struct ctl *c, int argc, char **argv);
int ctl_user_disable(struct ctl *c, int argc, char **argv);
int ctl_user_enable(struct ctl *c, int argc, char **argv);
int ctl_user_reset_code(struct ctl *c, int argc, char **argv);
/* client apply, in a file of its own (cmd_apply.c) */
int ctl_client_apply(struct ctl *c, int argc, char **argv);

#endif

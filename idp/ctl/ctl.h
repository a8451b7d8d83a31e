/* idpctl: the operator's and service developer's command line. One file
 * per command group; each command parses its own options and prints
 * either a table (people) or JSON (--json, scripts). Errors are one line
 * on stderr and a non-zero exit. */
#ifndef IDP_CTL_CTL_H
#define IDP_CTL_CTL_H

#include <stdbool.h>

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
};

/* Exit codes */
#define CTL_OK 0
#define CTL_FAIL 1	/* the operation failed */
#define CTL_USAGE 2	/* bad arguments */
#define CTL_DB 3	/* database unreachable */

int ctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Load the configuration; database_url and issuer are checked only when
 * a command needs them. */
int ctl_config(struct ctl *c);
/* Connect (once); prepared=false for migrate. Returns 0 or the exit
 * code to return (CTL_FAIL for configuration, CTL_DB for the database). */
int ctl_connect(struct ctl *c, bool prepared);
/* Print JSON to stdout and take the reference. */
void ctl_print_json(json_t *o);
/* Read one line (a password) from stdin without echoing it anywhere.
 * Returns -1 when stdin is empty or the line is too long. */
int ctl_read_secret(char *buf, size_t len);
/* A message for an idp_err from the store, naming what failed. */
const char *ctl_db_msg(struct ctl *c, enum idp_err e);

/* getopt_long-style helper: returns the value of --name VALUE or
 * --name=VALUE at argv[*i], advancing *i; NULL when argv[*i] is not it. */
const char *ctl_opt(int argc, char **argv, int *i, const char *name);
bool ctl_flag(char **argv, int i, const char *name);
bool ctl_wants_help(int argc, char **argv);

int ctl_migrate(struct ctl *c, int argc, char **argv);
int ctl_keys(struct ctl *c, int argc, char **argv);
int ctl_user(struct ctl *c, int argc, char **argv);
int ctl_org(struct ctl *c, int argc, char **argv);
int ctl_client(struct ctl *c, int argc, char **argv);
int ctl_client_apply(struct ctl *c, int argc, char **argv);	/* cmd_apply.c */
int ctl_iat(struct ctl *c, int argc, char **argv);
int ctl_consent(struct ctl *c, int argc, char **argv);

#endif

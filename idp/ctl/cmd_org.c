#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "store/bulk.h"
#include "store/directory.h"

static void
org_usage(void)
{
	printf("usage: idpctl org add CODE --name NAME --kind KIND "
	    "[--parent CODE]\n"
	    "       idpctl org list\n"
	    "       idpctl org import FILE.csv\n"
	    "       idpctl org require-mfa CODE yes|no\n\n"
	    "KIND is one of province, provincial_agency, regency, city, "
	    "local_agency,\ndesa_adat, health_facility, central_agency.\n"
	    "add updates an existing organisation of the same CODE.\n"
	    "import reads CSV with the header code,name,kind,parent_code.\n"
	    "require-mfa: every member of the organisation, or of one below "
	    "it, signs in\nwith a second factor (and is led to set one up).\n");
}

static int
org_add(struct ctl *c, int argc, char **argv)
{
	enum { OPT_NAME = 0x100 + 1, OPT_KIND, OPT_PARENT };
	static const struct option opts[] = {
		{ "name", required_argument, NULL, OPT_NAME },
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "parent", required_argument, NULL, OPT_PARENT },
		CTL_OPTS_COMMON
	};
	const char *name = NULL, *kind = NULL, *parent = NULL;
	bool created = false;
	char **op, *code;
	enum idp_err e;
	int ch, n, rc;

	while ((ch = ctl_getopt(c, argc, argv, opts)) != -1) {
		if (ch == OPT_NAME)
			name = optarg;
		else if (ch == OPT_KIND)
			kind = optarg;
		else if (ch == OPT_PARENT)
			parent = optarg;
		else
			return ctl_opt_exit(ch);
	}
	if ((n = ctl_rest(c, argc, argv, 1, &op)) < 0)
		return CTL_USAGE;
	if (n == 0 || name == NULL || kind == NULL)
		return ctl_usage("org add: CODE, --name and --kind are "
		    "required");
	code = op[0];
	if (!idp_org_kind_valid(kind))
		return ctl_usage("org add: --kind %s is not a known kind (see "
		    "--help)", kind);
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_org_upsert(c->conn, code, name, kind, parent, &created);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("org add: parent %s does not exist", parent);
	if (e != IDP_OK)
		return ctl_err("org add: %s", ctl_db_msg(c, e));
	if (c->json)
		return ctl_print_json(json_pack("{s:s, s:b}", "code", code,
		    "created", created));
	printf("organisation %s %s\n", code, created ? "created" : "updated");
	return CTL_OK;
}

static int
org_list(struct ctl *c, int argc, char **argv)
{
	struct idp_org *o = NULL;
	enum idp_err e;
	char **op;
	int n = 0, rc;

	if ((rc = ctl_operands(c, argc, argv, 0, 0, "", &op)) != -1)
		return rc;
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	if ((e = idp_store_org_list(c->conn, c->arena, &o, &n)) != IDP_OK)
		return ctl_err("org list: %s", ctl_db_msg(c, e));
	if (c->json) {
		json_t *a = json_array();

		for (int i = 0; i < n; i++) {
			json_t *r = json_pack("{s:s, s:s, s:s}", "code",
			    o[i].code, "name", o[i].name, "kind", o[i].kind);

			json_object_set_new(r, "parent", o[i].parent_code ?
			    json_string(o[i].parent_code) : json_null());
			json_array_append_new(a, r);
		}
		return ctl_print_json(json_pack("{s:o}", "organisations", a));
	}
	printf("%-28s %-18s %-24s %s\n", "CODE", "KIND", "PARENT", "NAME");
	for (int i = 0; i < n; i++)
		printf("%-28s %-18s %-24s %s\n", o[i].code, o[i].kind,
		    o[i].parent_code ? o[i].parent_code : "-", o[i].name);
	return CTL_OK;
}

static int
org_import(struct ctl *c, int argc, char **argv)
{
	long long rows = 0;
	char why[1024], **op;
	enum idp_err e;
	FILE *f;
	int rc;

	if ((rc = ctl_operands(c, argc, argv, 1, 1, "FILE.csv is required",
	    &op)) != -1)
		return rc;
	f = fopen(op[0], "r");
	if (f == NULL)
		return ctl_err("org import: cannot open %s: %s", op[0],
		    strerror(errno));
	if ((rc = ctl_connect(c, true)) != 0) {
		fclose(f);
		return rc;
	}
	e = idp_store_orgs_import(c->conn, f, &rows, why, sizeof(why));
	fclose(f);
	if (e != IDP_OK)
		return ctl_err("org import: %s", why);
	if (c->json)
		return ctl_print_json(json_pack("{s:I}", "imported",
		    (json_int_t)rows));
	printf("%lld organisations imported or updated\n", rows);
	return CTL_OK;
}

static const struct ctl_cmd org_cmds[] = {
	{ "add", org_add },
	{ "list", org_list },
	{ "import", org_import },
	{ "require-mfa", ctl_org_require_mfa },
	{ NULL, NULL },
};

const struct ctl_group ctl_org_group = {
	.name = "org", .subs = "add|list|import|require-mfa",
	.summary = "manage organisations",
	.usage = org_usage, .cmds = org_cmds,
};

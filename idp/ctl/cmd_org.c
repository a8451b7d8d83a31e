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
	    "       idpctl org import FILE.csv\n\n"
	    "KIND is one of province, provincial_agency, regency, city, "
	    "local_agency,\ndesa_adat, health_facility, central_agency.\n"
	    "add updates an existing organisation of the same CODE.\n"
	    "import reads CSV with the header code,name,kind,parent_code.\n");
}

static int
org_add(struct ctl *c, int argc, char **argv)
{
	const char *code = NULL, *name = NULL, *kind = NULL, *parent = NULL;
	bool created = false;
	enum idp_err e;
	int rc;

	for (int i = 2; i < argc; i++) {
		const char *v;

		if ((v = ctl_opt(argc, argv, &i, "--name")) != NULL)
			name = v;
		else if ((v = ctl_opt(argc, argv, &i, "--kind")) != NULL)
			kind = v;
		else if ((v = ctl_opt(argc, argv, &i, "--parent")) != NULL)
			parent = v;
		else if (!strcmp(argv[i], "--json"))
			continue;
		else if (argv[i][0] != '-' && code == NULL)
			code = argv[i];
		else {
			ctl_err("org add: unexpected argument %s", argv[i]);
			return CTL_USAGE;
		}
	}
	if (code == NULL || name == NULL || kind == NULL) {
		ctl_err("org add: CODE, --name and --kind are required");
		return CTL_USAGE;
	}
	if (!idp_org_kind_valid(kind)) {
		ctl_err("org add: --kind %s is not a known kind (see --help)",
		    kind);
		return CTL_USAGE;
	}
	if ((rc = ctl_connect(c, true)) != 0)
		return rc;
	e = idp_store_org_upsert(c->conn, code, name, kind, parent, &created);
	if (e == IDP_ERR_NOT_FOUND)
		return ctl_err("org add: parent %s does not exist", parent);
	if (e != IDP_OK)
		return ctl_err("org add: %s", ctl_db_msg(c, e));
	if (c->json)
		ctl_print_json(json_pack("{s:s, s:b}", "code", code, "created",
		    created));
	else
		printf("organisation %s %s\n", code,
		    created ? "created" : "updated");
	return CTL_OK;
}

static int
org_list(struct ctl *c)
{
	struct idp_org *o = NULL;
	enum idp_err e;
	int n = 0, rc;

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
		ctl_print_json(json_pack("{s:o}", "organisations", a));
		return CTL_OK;
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
	char why[1024];
	enum idp_err e;
	FILE *f;
	int rc;

	if (argc < 3)
	{
		ctl_err("org import: FILE.csv is required");
		return CTL_USAGE;
	}
	f = fopen(argv[2], "r");
	if (f == NULL)
		return ctl_err("org import: cannot open %s: %s", argv[2],
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
		ctl_print_json(json_pack("{s:I}", "imported", (json_int_t)rows));
	else
		printf("%lld organisations imported or updated\n", rows);
	return CTL_OK;
}

int
ctl_org(struct ctl *c, int argc, char **argv)
{
	if (argc < 2 || ctl_wants_help(argc, argv)) {
		org_usage();
		return argc < 2 ? CTL_USAGE : CTL_OK;
	}
	if (!strcmp(argv[1], "add"))
		return org_add(c, argc, argv);
	if (!strcmp(argv[1], "list"))
		return org_list(c);
	if (!strcmp(argv[1], "import"))
		return org_import(c, argc, argv);
	ctl_err("org: unknown subcommand %s", argv[1]);
	return CTL_USAGE;
}

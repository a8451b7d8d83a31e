/* idpctl: a manifest's sector identifier document (OIDC Core §8.1),
 * fetched through the provider's outbound fetcher (core/fetch.h) with the
 * configuration's limits, as /register does. */
#include "core/sector.h"
#include "ctl/ctl.h"

static struct idp_dbconn *
ctl_db(void *arg)
{
	return ((struct ctl *)arg)->conn;
}

int
ctl_sector_check(struct ctl *c, const char *what, const char *client_id,
    json_t *metadata)
{
	struct idp_fetch_caller who = { "-", client_id, NULL, ctl_db, c };
	struct idp_fetcher *f;
	const char *why = NULL;
	enum idp_err e;

	if (json_object_get(metadata, "sector_identifier_uri") == NULL)
		return 0;
	if (ctl_config(c) != 0)
		return CTL_FAIL;
	f = idp_fetcher_new(&(struct idp_fetch_limits){
	    c->cfg.outbound_allow_loopback, c->cfg.outbound_timeout * 1000, 1, 0 });
	e = idp_sector_verify(f, c->arena, &who, metadata, &why);
	idp_fetcher_free(f);
	if (e != IDP_OK)
		return ctl_err("%s: %s: %s", c->cmd, what, why ? why :
		    "sector_identifier_uri cannot be checked");
	return 0;
}

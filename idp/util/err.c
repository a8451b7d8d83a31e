#include "util/err.h"

static const struct idp_err_info rows[] = {
#define IDP_ERR_ROW(id, num, nm, st, ds) \
	{ .err = id, .name = nm, .status = st, .desc = ds },
	IDP_ERR_TABLE(IDP_ERR_ROW)
#undef IDP_ERR_ROW
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

const struct idp_err_info *
idp_err_info(enum idp_err e)
{
	const struct idp_err_info *internal = NULL;

	/* Thirty rows, read only when an error is rendered: a scan is enough. */
	for (size_t i = 0; i < NROWS; i++) {
		if (rows[i].err == e)
			return &rows[i];
		if (rows[i].err == IDP_ERR_INTERNAL)
			internal = &rows[i];
	}
	return internal;
}

const struct idp_err_info *
idp_err_rows(size_t *n)
{
	*n = NROWS;
	return rows;
}

const char *
idp_err_str(enum idp_err e)
{
	return idp_err_info(e)->name;
}

int
idp_err_status(enum idp_err e)
{
	return idp_err_info(e)->status;
}

const char *
idp_err_public_desc(enum idp_err e, const char *desc)
{
	const struct idp_err_info *r = idp_err_info(e);

	return r->desc != NULL ? r->desc : desc;
}

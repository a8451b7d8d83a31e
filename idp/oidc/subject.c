#include <string.h>

#include "crypto/b64url.h"
#include "crypto/digest.h"
#include "oidc/outbound.h"
#include "oidc/site.h"
#include "oidc/subject.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/str.h"

char *
idp_pairwise_sub(struct idp_arena *a, const char *sector,
    const char *local_id, const unsigned char *salt, size_t saltlen)
{
	unsigned char d[IDP_SHA256_LEN];
	struct idp_buf b;

	/* The local id is a UUID and the salt has a fixed length, so the
	 * concatenation of §8.1 is unambiguous without separators. */
	idp_buf_init(&b, a, strlen(sector) + strlen(local_id) + saltlen + 1);
	idp_buf_adds(&b, sector);
	idp_buf_adds(&b, local_id);
	idp_buf_add(&b, salt, saltlen);
	idp_sha256(b.data, b.len, d);
	idp_wipe(b.data, b.len);
	return idp_b64url_encode(a, d, sizeof(d));
}

/* §8.1: without a sector_identifier_uri the sector is the host of the
 * redirect URIs, which must then be one. NULL when they name none or
 * several. */
static char *
redirect_host(struct idp_arena *a, json_t *uris)
{
	char *host = NULL, *h;
	size_t i;
	json_t *e;

	json_array_foreach(uris, i, e) {
		h = idp_uri_host(a, json_string_value(e));
		if (h == NULL || (host != NULL && strcmp(h, host) != 0))
			return NULL;
		host = h;
	}
	return host;
}

static enum idp_err
check_sector_uri(struct idp_arena *a, json_t *v, json_t *out,
    bool allow_loopback, const char **why)
{
	const char *sub = NULL;

	if (v == NULL || json_is_null(v))
		return IDP_OK;
	if (!json_is_string(v))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "sector_identifier_uri must be an https URI");
	if (idp_outbound_uri_check(json_string_value(v), allow_loopback, NULL,
	    &sub) != 0) {
		*why = idp_arena_printf(a, "sector_identifier_uri: %s", sub);
		return IDP_ERR_INVALID_CLIENT_METADATA;
	}
	json_object_set(out, "sector_identifier_uri", v);
	return IDP_OK;
}

enum idp_err
idp_subject_metadata_check(struct idp_arena *a, json_t *in, json_t *out,
    unsigned flags, bool allow_loopback, const char **why)
{
	json_t *v = json_object_get(in, "subject_type");
	const char *t;
	bool sector_known;
	enum idp_err rc;

	rc = check_sector_uri(a, json_object_get(in, "sector_identifier_uri"),
	    out, allow_loopback, why);
	if (rc != IDP_OK)
		return rc;
	sector_known = json_object_get(out, "sector_identifier_uri") != NULL ||
	    redirect_host(a, json_object_get(out, "redirect_uris")) != NULL;
	if (v == NULL || json_is_null(v))
		t = (flags & IDP_SUBJECT_DYNAMIC) && sector_known ? "pairwise" :
		    "public";
	else
		t = json_string_value(v);
	if (t == NULL || (strcmp(t, "public") != 0 && strcmp(t, "pairwise")))
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "subject_type must be public or pairwise");
	if (!strcmp(t, "pairwise") && !sector_known)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "a pairwise client whose redirect_uris are not on one host "
		    "needs a sector_identifier_uri");
	json_object_set_new(out, "subject_type", json_string(t));
	return IDP_OK;
}

char *
idp_subject_sector(struct idp_arena *a, json_t *md)
{
	const char *sector = json_string_value(json_object_get(md,
	    "sector_identifier_uri"));

	if (!idp_str_eq(json_string_value(json_object_get(md,
	    "subject_type")), "pairwise"))
		return NULL;
	if (sector != NULL)
		return idp_uri_host(a, sector);
	return redirect_host(a, json_object_get(md, "redirect_uris"));
}

enum idp_err
idp_sector_doc_check(struct idp_arena *a, const char *body, size_t len,
    json_t *redirect_uris, const char **why)
{
	json_t *doc, *e, *u;
	size_t i, j;
	enum idp_err rc = IDP_OK;

	if (body == NULL || len > IDP_SECTOR_DOC_MAX)
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "sector_identifier_uri: the document is larger than 64 KiB");
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(doc) || json_array_size(doc) == 0 ||
	    json_array_size(doc) > IDP_SECTOR_URIS_MAX) {
		json_decref(doc);
		return idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
		    "sector_identifier_uri: the document is not a JSON array "
		    "of 1 to 256 URIs");
	}
	json_array_foreach(doc, i, e)
		if (!json_is_string(e))
			rc = idp_fail_why(why, IDP_ERR_INVALID_CLIENT_METADATA,
			    "sector_identifier_uri: the document lists "
			    "something that is not a string");
	json_array_foreach(redirect_uris, i, u) {
		bool found = false;

		if (rc != IDP_OK)
			break;
		json_array_foreach(doc, j, e)
			found = found || json_equal(e, u);
		if (!found) {
			*why = idp_arena_printf(a, "sector_identifier_uri: the "
			    "document does not list the redirect URI %s",
			    json_string_value(u));
			rc = IDP_ERR_INVALID_CLIENT_METADATA;
		}
	}
	json_decref(doc);
	return rc;
}

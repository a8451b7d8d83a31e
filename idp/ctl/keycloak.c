#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/pwimport.h"
#include "ctl/keycloak.h"
#include "util/mem.h"
#include "util/str.h"

#define KC_HEADER "username,password_hash,name,given_name,family_name," \
	"email,email_verified,phone_number,nip,job_title,org_code\n"

/* A string member, or NULL (also for strings with NUL in them). */
static const char *
str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);

	return s != NULL && strlen(s) == json_string_length(v) ? s : NULL;
}

/* The first value of a Keycloak attribute (a list of strings). */
static const char *
attr_of(json_t *user, const char *name)
{
	json_t *a = json_object_get(json_object_get(user, "attributes"), name);
	const char *s = json_string_value(json_array_get(a, 0));

	return s != NULL && strlen(s) == json_string_length(json_array_get(a,
	    0)) ? s : NULL;
}

/* One CSV field, always quoted; NULL is empty (absent). */
static void
field(FILE *out, const char *s, int last)
{
	if (s != NULL) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	}
	fputc(last ? '\n' : ',', out);
}

/* The password hash of a user, or NULL when it has none. */
static int
password_of(json_t *user, char *hash, size_t hashlen, int *has,
    const char **why)
{
	json_t *creds = json_object_get(user, "credentials"), *cr;
	size_t i;

	*has = 0;
	if (creds != NULL && !json_is_array(creds)) {
		*why = "credentials is not a list";
		return -1;
	}
	json_array_foreach(creds, i, cr) {
		if (!idp_str_eq(str_of(cr, "type"), "password"))
			continue;
		if (*has) {
			*why = "more than one password credential";
			return -1;
		}
		if (idp_pwhash_from_keycloak(str_of(cr, "secretData"),
		    str_of(cr, "credentialData"), hash, hashlen, why) != 0)
			return -1;
		*has = 1;
	}
	return 0;
}

static const char *
bool_text(json_t *v)
{
	return json_is_true(v) ? "true" : json_is_false(v) ? "false" : NULL;
}

/* One user as a row into out; -1 and why on a user that cannot go. */
static int
user_row(json_t *u, const char *org, FILE *out, struct kc_result *res,
    const char **why)
{
	const char *first = str_of(u, "firstName"), *last = str_of(u,
	    "lastName"), *phone = attr_of(u, "phone_number");
	char hash[512], *name;
	int has;

	if (password_of(u, hash, sizeof(hash), &has, why) != 0)
		return -1;
	if (phone == NULL)
		phone = attr_of(u, "phoneNumber");
	if (first != NULL && last != NULL) {
		size_t n = strlen(first) + strlen(last) + 2;

		name = idp_xmalloc(n);
		snprintf(name, n, "%s %s", first, last);
	} else
		name = idp_xstrdup(first ? first : last ? last :
		    str_of(u, "username"));
	field(out, str_of(u, "username"), 0);
	field(out, has ? hash : NULL, 0);
	field(out, name, 0);
	field(out, first, 0);
	field(out, last, 0);
	field(out, str_of(u, "email"), 0);
	field(out, str_of(u, "email") ? bool_text(json_object_get(u,
	    "emailVerified")) : NULL, 0);
	field(out, phone, 0);
	field(out, attr_of(u, "nip"), 0);
	field(out, attr_of(u, "job_title"), 0);
	field(out, attr_of(u, "org_code") ? attr_of(u, "org_code") : org, 1);
	idp_wipe(hash, sizeof(hash));
	free(name);
	res->users++;
	res->no_password += !has;
	return 0;
}

static int
convert_all(json_t *users, const char *org, FILE *out,
    struct kc_result *res, char *why, size_t whylen)
{
	const char *reason = NULL;
	json_t *u;
	size_t i;

	fputs(KC_HEADER, out);
	json_array_foreach(users, i, u) {
		if (!json_is_object(u) || str_of(u, "username") == NULL) {
			snprintf(why, whylen, "users[%zu]: no username", i);
			return -1;
		}
		if (json_is_false(json_object_get(u, "enabled"))) {
			res->disabled++;
			continue;
		}
		if (user_row(u, org, out, res, &reason) != 0) {
			snprintf(why, whylen, "user %.128s: %s",
			    str_of(u, "username"), reason);
			return -1;
		}
	}
	return 0;
}

int
kc_convert_realm(const char *json, size_t len, const char *org, FILE *out,
    struct kc_result *res, char *why, size_t whylen)
{
	json_error_t jerr;
	json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *users = json_object_get(doc, "users");
	char *buf = NULL;
	size_t blen = 0;
	FILE *mem;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (doc == NULL) {
		snprintf(why, whylen, "not JSON: %s (line %d)", jerr.text,
		    jerr.line);
		return -1;
	}
	if (!json_is_array(users)) {
		snprintf(why, whylen, "no users list: a realm export (or a "
		    "users file of one) has \"users\": [...]");
		goto out;
	}
	/* Into memory first: a user that fails leaves out untouched. */
	if ((mem = open_memstream(&buf, &blen)) == NULL)
		idp_oom();
	rc = convert_all(users, org, mem, res, why, whylen);
	fclose(mem);
	if (rc == 0 && fwrite(buf, 1, blen, out) != blen) {
		snprintf(why, whylen, "cannot write the CSV");
		rc = -1;
	}
	idp_wipe(buf, blen);
	free(buf);
out:
	json_decref(doc);
	return rc;
}

#include <stdio.h>
#include <string.h>

#include "core/reset.h"
#include "crypto/random.h"
#include "store/reset.h"
#include "util/mem.h"

#define LINKS_PER_HOUR 5

enum idp_err
idp_reset_issue_link(struct idp_dbconn *c, long long user_id, int64_t ttl,
    const char *issued_by, const char *ip, struct idp_secret *out,
    bool *created)
{
	struct idp_reset_new n = { 0 };

	/* As core/mint.c makes them; idpctl has no mint. */
	idp_random_token_to(out->value);
	idp_sha256_str(out->value, out->digest);
	n.user_id = user_id;
	n.kind = "link";
	n.digest = out->digest;
	n.ttl = ttl;
	n.issued_by = issued_by;
	n.ip = ip;
	n.max_per_hour = strcmp(issued_by, "self") == 0 ? LINKS_PER_HOUR : 0;
	return idp_store_reset_create(c, &n, created);
}

void
idp_reset_code_digest(long long user_id, const char *digits,
    unsigned char out[IDP_SHA256_LEN])
{
	char buf[64];

	snprintf(buf, sizeof(buf), "reset-code|%lld|%s", user_id, digits);
	idp_sha256_str(buf, out);
	idp_wipe(buf, sizeof(buf));
}

/* Ten uniform digits: bytes above 249 are drawn again. */
static void
random_digits(char out[IDP_RESET_CODE_DIGITS + 1])
{
	int k = 0;

	while (k < IDP_RESET_CODE_DIGITS) {
		unsigned char b[16];

		if (idp_random_bytes(b, sizeof(b)) != 0)
			idp_oom();
		for (size_t i = 0; i < sizeof(b) && k < IDP_RESET_CODE_DIGITS;
		    i++)
			if (b[i] < 250)
				out[k++] = (char)('0' + b[i] % 10);
		idp_wipe(b, sizeof(b));
	}
	out[k] = '\0';
}

enum idp_err
idp_reset_issue_code(struct idp_dbconn *c, long long user_id, int64_t ttl,
    const char *issued_by, char shown[IDP_RESET_CODE_SHOWN + 1])
{
	char digits[IDP_RESET_CODE_DIGITS + 1];
	unsigned char d[IDP_SHA256_LEN];
	struct idp_reset_new n = { 0 };
	bool created = false;
	enum idp_err rc;

	random_digits(digits);
	idp_reset_code_digest(user_id, digits, d);
	n.user_id = user_id;
	n.kind = "code";
	n.digest = d;
	n.ttl = ttl;
	n.issued_by = issued_by;
	if ((rc = idp_store_reset_codes_end(c, user_id)) == IDP_OK &&
	    (rc = idp_store_reset_create(c, &n, &created)) == IDP_OK &&
	    !created)
		rc = IDP_ERR_INTERNAL;
	if (rc == IDP_OK)
		snprintf(shown, IDP_RESET_CODE_SHOWN + 1, "%.3s %.3s %.4s",
		    digits, digits + 3, digits + 6);
	idp_wipe(digits, sizeof(digits));
	return rc;
}

int
idp_reset_code_parse(const char *in, char out[IDP_RESET_CODE_DIGITS + 1])
{
	int k = 0;

	if (in == NULL || strlen(in) > 64)
		return -1;
	for (const char *p = in; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (k == IDP_RESET_CODE_DIGITS)
				return -1;
			out[k++] = *p;
		} else if (*p != ' ' && *p != '-' && *p != '.') {
			return -1;
		}
	}
	out[k] = '\0';
	return k == IDP_RESET_CODE_DIGITS ? 0 : -1;
}

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oidc/device.h"

static const char alphabet[] = IDP_USER_CODE_ALPHABET;

int
idp_user_code_from_bytes(const unsigned char *rnd, size_t n,
    struct idp_user_code *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < IDP_USER_CODE_LEN; i++)
		if (rnd[i] < 240)
			out->c[k++] = alphabet[rnd[i] % 20];
	out->c[k] = '\0';
	return k == IDP_USER_CODE_LEN ? 0 : -1;
}

static bool
in_alphabet(char ch)
{
	return ch != '\0' && strchr(alphabet, ch) != NULL;
}

enum idp_user_code_input
idp_user_code_parse(const char *typed, struct idp_user_code *out)
{
	size_t k = 0;

	memset(out, 0, sizeof(*out));
	if (typed == NULL)
		return IDP_USER_CODE_EMPTY;
	if (strlen(typed) > IDP_USER_CODE_INPUT_MAX)
		return IDP_USER_CODE_MALFORMED;
	for (const char *p = typed; *p != '\0'; p++) {
		char ch = *p;

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!in_alphabet(ch))
			continue;
		if (k == IDP_USER_CODE_LEN) {
			memset(out, 0, sizeof(*out));
			return IDP_USER_CODE_MALFORMED;
		}
		out->c[k++] = ch;
	}
	if (k == 0)
		return IDP_USER_CODE_EMPTY;
	if (k != IDP_USER_CODE_LEN) {
		memset(out, 0, sizeof(*out));
		return IDP_USER_CODE_MALFORMED;
	}
	return IDP_USER_CODE_OK;
}

void
idp_user_code_format(const struct idp_user_code *code, char out[10])
{
	memcpy(out, code->c, 4);
	out[4] = '-';
	memcpy(out + 5, code->c + 4, 4);
	out[9] = '\0';
}

int
idp_device_status_parse(const char *s)
{
	static const char *const names[] = { "pending", "approved", "denied",
		"used" };

	for (int i = 0; s != NULL && i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

enum idp_device_answer
idp_device_answer(const struct idp_device_poll *p, enum idp_err *err,
    const char **why)
{
	if (p->status == IDP_DEVICE_USED)
		return IDP_DEVICE_REUSED;
	*err = IDP_ERR_EXPIRED_TOKEN;
	*why = "The device code has expired; start again on the device.";
	if (p->expired)
		return IDP_DEVICE_ANSWER_ERROR;
	if (p->status == IDP_DEVICE_DENIED) {
		*err = IDP_ERR_ACCESS_DENIED;
		*why = "The user denied the request.";
		return IDP_DEVICE_ANSWER_ERROR;
	}
	if (p->status == IDP_DEVICE_APPROVED)
		return IDP_DEVICE_ISSUE;
	if (p->too_fast) {
		*err = IDP_ERR_SLOW_DOWN;
		*why = "Polled sooner than the interval; it is now 5 seconds "
		    "longer.";
		return IDP_DEVICE_ANSWER_ERROR;
	}
	*err = IDP_ERR_AUTHORIZATION_PENDING;
	*why = "The user has not yet approved the request.";
	return IDP_DEVICE_ANSWER_ERROR;
}

json_t *
idp_device_response(const char *issuer, const char *device_code,
    const struct idp_user_code *code, long long expires_in, int interval)
{
	char shown[10];
	size_t n = strlen(issuer) + 64;
	char *uri = malloc(n), *complete = malloc(n);
	json_t *o = NULL;

	if (uri != NULL && complete != NULL) {
		idp_user_code_format(code, shown);
		snprintf(uri, n, "%s/device", issuer);
		snprintf(complete, n, "%s/device?user_code=%s", issuer, shown);
		o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:i}", "device_code",
		    device_code, "user_code", shown, "verification_uri", uri,
		    "verification_uri_complete", complete, "expires_in",
		    (json_int_t)expires_in, "interval", interval);
	}
	free(uri);
	free(complete);
	return o;
}

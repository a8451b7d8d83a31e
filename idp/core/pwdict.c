#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <crack.h>

#include "core/pwdict.h"
#include "util/mem.h"
#include "util/nfkc.h"

static pthread_mutex_t crack_mu = PTHREAD_MUTEX_INITIALIZER;

/* cracklib on the NFKC form; user and gecos are passed so that it never
 * looks at the passwd entry of the process's own user. */
static const char *
ask_cracklib(const char *path, const char *pw, const char *user,
    const char *gecos)
{
	const char *msg;

	pthread_mutex_lock(&crack_mu);
	msg = FascistCheckUser(pw, path, user, gecos);
	pthread_mutex_unlock(&crack_mu);
	return msg;
}

int
idp_pwdict_ready(const char *path, char *err, size_t errlen)
{
	const char *msg = ask_cracklib(path, "password", "-", "");

	if (msg != NULL && strstr(msg, "dictionary word") != NULL)
		return 0;
	snprintf(err, errlen, "password_dictionary: %s does not answer as a "
	    "cracklib dictionary (%s; package cracklib-runtime)", path,
	    msg != NULL ? msg : "it knows no word \"password\"");
	return -1;
}

enum idp_pw_verdict
idp_password_check(struct idp_arena *a, const char *path, const char *pw,
    size_t n, const struct idp_pw_context *ctx)
{
	enum idp_pw_verdict v = idp_pwpolicy_check(a, pw, n, ctx);
	char norm[IDP_NFKC_MAX];
	const char *msg;

	if (v != IDP_PW_OK)
		return v;
	if (idp_nfkc(pw, n, norm, sizeof(norm)) < 0)
		return IDP_PW_TOO_LONG;
	msg = ask_cracklib(path, norm, ctx->username ? ctx->username : "-",
	    ctx->name ? ctx->name : "");
	idp_wipe(norm, sizeof(norm));
	if (msg != NULL && strstr(msg, "error loading dictionary") != NULL)
		return IDP_PW_COMMON;	/* fail closed */
	return idp_pwpolicy_cracklib(msg);
}

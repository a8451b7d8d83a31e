#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "util/useragent.h"

/* The header is looked at up to this many bytes. */
#define UA_MAX 512

static bool
has(const char *ua, size_t n, const char *what)
{
	size_t w = strlen(what);

	for (size_t i = 0; i + w <= n; i++)
		if (memcmp(ua + i, what, w) == 0)
			return true;
	return false;
}

/* Order matters: Edge, Opera, Samsung and UC all say Chrome and Safari
 * too; Chrome says Safari; Chrome and Firefox on iOS say CriOS, FxiOS. */
static enum idp_ua_browser
browser_of(const char *ua, size_t n)
{
	static const struct {
		const char *token;
		enum idp_ua_browser b;
	} tokens[] = {
		{ "Edg/", IDP_UA_EDGE }, { "EdgA/", IDP_UA_EDGE },
		{ "EdgiOS/", IDP_UA_EDGE }, { "Edge/", IDP_UA_EDGE },
		{ "OPR/", IDP_UA_OPERA }, { "Opera", IDP_UA_OPERA },
		{ "SamsungBrowser/", IDP_UA_SAMSUNG },
		{ "UCBrowser/", IDP_UA_UC }, { "UCWEB", IDP_UA_UC },
		{ "Firefox/", IDP_UA_FIREFOX }, { "FxiOS/", IDP_UA_FIREFOX },
		{ "CriOS/", IDP_UA_CHROME }, { "Chrome/", IDP_UA_CHROME },
		{ "Chromium/", IDP_UA_CHROME },
		{ "Trident/", IDP_UA_IE }, { "MSIE ", IDP_UA_IE },
		{ "Safari/", IDP_UA_SAFARI },
	};

	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		if (has(ua, n, tokens[i].token))
			return tokens[i].b;
	return IDP_UA_BROWSER_UNKNOWN;
}

static enum idp_ua_os
os_of(const char *ua, size_t n)
{
	if (has(ua, n, "Android"))
		return IDP_UA_ANDROID;
	if (has(ua, n, "iPhone") || has(ua, n, "iPad") || has(ua, n, "iPod"))
		return IDP_UA_IOS;
	if (has(ua, n, "Windows"))
		return IDP_UA_WINDOWS;
	if (has(ua, n, "CrOS"))
		return IDP_UA_CHROMEOS;
	if (has(ua, n, "Macintosh") || has(ua, n, "Mac OS X"))
		return IDP_UA_MACOS;
	if (has(ua, n, "Linux") || has(ua, n, "X11"))
		return IDP_UA_LINUX;
	return IDP_UA_OS_UNKNOWN;
}

void
idp_ua_parse(const char *ua, struct idp_ua *out)
{
	size_t n;

	out->browser = IDP_UA_BROWSER_UNKNOWN;
	out->os = IDP_UA_OS_UNKNOWN;
	if (ua == NULL)
		return;
	n = strnlen(ua, UA_MAX);
	out->browser = browser_of(ua, n);
	out->os = os_of(ua, n);
	/* Safari is only Apple's; a bare "Safari/" elsewhere is a webview or
	 * a bot we do not name. */
	if (out->browser == IDP_UA_SAFARI && out->os != IDP_UA_IOS &&
	    out->os != IDP_UA_MACOS)
		out->browser = IDP_UA_BROWSER_UNKNOWN;
}

const char *
idp_ua_browser_name(enum idp_ua_browser b)
{
	static const char *const names[] = { NULL, "Chrome", "Firefox",
		"Safari", "Edge", "Opera", "Samsung Internet", "UC Browser",
		"Internet Explorer" };

	return (size_t)b < sizeof(names) / sizeof(names[0]) ? names[b] : NULL;
}

const char *
idp_ua_os_name(enum idp_ua_os o)
{
	static const char *const names[] = { NULL, "Android", "iOS",
		"Windows", "macOS", "Linux", "ChromeOS" };

	return (size_t)o < sizeof(names) / sizeof(names[0]) ? names[o] : NULL;
}

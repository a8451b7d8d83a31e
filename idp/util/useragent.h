/* What a person recognises of a User-Agent header: the browser and the
 * operating system ("Chrome di Android"), for the list of sessions on
 * /account. Common browsers and systems only; anything else is "unknown".
 * Pure; any bytes are accepted (the header is the client's). */
#ifndef IDP_UTIL_USERAGENT_H
#define IDP_UTIL_USERAGENT_H

enum idp_ua_browser {
	IDP_UA_BROWSER_UNKNOWN,
	IDP_UA_CHROME,
	IDP_UA_FIREFOX,
	IDP_UA_SAFARI,
	IDP_UA_EDGE,
	IDP_UA_OPERA,
	IDP_UA_SAMSUNG,		/* Samsung Internet */
	IDP_UA_UC,		/* UC Browser */
	IDP_UA_IE,
};

enum idp_ua_os {
	IDP_UA_OS_UNKNOWN,
	IDP_UA_ANDROID,
	IDP_UA_IOS,		/* iPhone, iPad */
	IDP_UA_WINDOWS,
	IDP_UA_MACOS,
	IDP_UA_LINUX,
	IDP_UA_CHROMEOS,
};

struct idp_ua {
	enum idp_ua_browser browser;
	enum idp_ua_os os;
};

void idp_ua_parse(const char *ua, struct idp_ua *out);
/* "Chrome", "Firefox", ...; NULL for unknown. */
const char *idp_ua_browser_name(enum idp_ua_browser b);
/* "Android", "iOS", "Windows", "macOS", "Linux", "ChromeOS"; NULL. */
const char *idp_ua_os_name(enum idp_ua_os o);

#endif

/* util/useragent: the browsers and systems people in the province use,
 * as their real User-Agent strings say them, and what is not one. */
#include <string.h>

#include "util/useragent.h"
#include "unit.h"

static void
is(const char *ua, enum idp_ua_browser b, enum idp_ua_os o)
{
	struct idp_ua u;

	idp_ua_parse(ua, &u);
	ck_assert_msg(u.browser == b && u.os == o, "%s: %d/%d, not %d/%d",
	    ua ? ua : "(null)", u.browser, u.os, b, o);
}

START_TEST(common_browsers)
{
	is("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
	    IDP_UA_CHROME, IDP_UA_ANDROID);
	is("Mozilla/5.0 (Linux; Android 12; SAMSUNG SM-A325F) AppleWebKit/"
	    "537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 "
	    "Mobile Safari/537.36", IDP_UA_SAMSUNG, IDP_UA_ANDROID);
	is("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 "
	    "Safari/604.1", IDP_UA_SAFARI, IDP_UA_IOS);
	is("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/"
	    "605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 "
	    "Safari/604.1", IDP_UA_CHROME, IDP_UA_IOS);
	is("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
	    IDP_UA_EDGE, IDP_UA_WINDOWS);
	is("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 "
	    "Firefox/121.0", IDP_UA_FIREFOX, IDP_UA_WINDOWS);
	is("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
	    "(KHTML, like Gecko) Version/17.2 Safari/605.1.15", IDP_UA_SAFARI,
	    IDP_UA_MACOS);
	is("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
	    "Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0", IDP_UA_OPERA,
	    IDP_UA_LINUX);
	is("Mozilla/5.0 (Linux; U; Android 8.1.0; id-ID; Redmi 5A Build/OPM1) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/57.0 "
	    "UCBrowser/13.4.0.1306 Mobile Safari/537.36", IDP_UA_UC,
	    IDP_UA_ANDROID);
	is("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, "
	    "like Gecko) Chrome/120.0.0.0 Safari/537.36", IDP_UA_CHROME,
	    IDP_UA_CHROMEOS);
	is("Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko",
	    IDP_UA_IE, IDP_UA_WINDOWS);
	is("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
	    "Gecko) HeadlessChrome/120.0.0.0 Safari/537.36", IDP_UA_CHROME,
	    IDP_UA_LINUX);
}
END_TEST

START_TEST(unknown_and_hostile)
{
	char big[4096];

	is(NULL, IDP_UA_BROWSER_UNKNOWN, IDP_UA_OS_UNKNOWN);
	is("", IDP_UA_BROWSER_UNKNOWN, IDP_UA_OS_UNKNOWN);
	is("curl/7.88.1", IDP_UA_BROWSER_UNKNOWN, IDP_UA_OS_UNKNOWN);
	is("node", IDP_UA_BROWSER_UNKNOWN, IDP_UA_OS_UNKNOWN);
	/* "Safari/" on Linux without Chrome is a webview or a bot. */
	is("Mozilla/5.0 (X11; Linux) Safari/537", IDP_UA_BROWSER_UNKNOWN,
	    IDP_UA_LINUX);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big + 3000, "Firefox/1", 9);	/* past the part looked at */
	is(big, IDP_UA_BROWSER_UNKNOWN, IDP_UA_OS_UNKNOWN);
	ck_assert_ptr_null(idp_ua_browser_name(IDP_UA_BROWSER_UNKNOWN));
	ck_assert_str_eq(idp_ua_browser_name(IDP_UA_SAMSUNG),
	    "Samsung Internet");
	ck_assert_str_eq(idp_ua_os_name(IDP_UA_IOS), "iOS");
	ck_assert_ptr_null(idp_ua_os_name((enum idp_ua_os)99));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("util_useragent");
	TCase *tc = unit_tcase(s, "useragent");

	tcase_add_test(tc, common_browsers);
	tcase_add_test(tc, unknown_and_hostile);
	return unit_run(s);
}

/* oidc/outbound: which URIs the provider may call (https, a name or a
 * public address, never an internal one in any spelling), the development
 * setting (loopback, plain http only there), the address rule the fetcher
 * applies after resolving, and agreement with libcurl's URL parser on the
 * host of every URI the rule accepts. */
#include <curl/curl.h>
#include <strings.h>

#include "oidc/outbound.h"
#include "unit.h"

static void
ok(const char *uri, bool loopback)
{
	struct idp_outbound_target t;
	const char *why = NULL;

	ck_assert_msg(idp_outbound_uri_check(uri, loopback, &t, &why) == 0,
	    "refused%s: %s (%s)", loopback ? " with loopback" : "", uri, why);
}

static void
bad(const char *uri, bool loopback)
{
	const char *why = NULL;

	ck_assert_msg(idp_outbound_uri_check(uri, loopback, NULL, &why) == -1,
	    "accepted%s: %s", loopback ? " with loopback" : "",
	    uri ? uri : "(null)");
	ck_assert_msg(why != NULL && *why != '\0', "no why for %s", uri);
}

static const char *const accepted[] = {
	"https://rp.example.com/jwks", "https://RP.Example.COM/jwks",
	"https://rp.example.com:8443/oidc/jwks?tenant=bali",
	"https://keys.rp-1.example.go.id", "https://8.8.8.8/jwks",
	"https://[2606:4700::1111]:443/jwks", "https://[2001:4860::8888]",
	/* a name is judged by what it resolves to, at each call */
	"https://localhost/jwks", "https://internal.example/jwks",
	NULL,
};

START_TEST(https_names_and_public_addresses)
{
	for (const char *const *u = accepted; *u; u++) {
		ok(*u, false);
		ok(*u, true);
	}
}
END_TEST

START_TEST(internal_addresses_in_every_spelling)
{
	const char *const uris[] = { "https://127.0.0.1/jwks",
		"https://127.1/", "https://0x7f000001/", "https://2130706433/",
		"https://0177.0.0.1/", "https://127.0.0.1./", "https://[::1]/",
		"https://[::ffff:127.0.0.1]/", "https://[::]/",
		"https://0.0.0.0/", "https://0/", "https://10.0.0.1/",
		"https://10.1:8443/", "https://172.16.5.4/",
		"https://192.168.1.1/", "https://100.64.0.1/",
		"https://169.254.169.254/latest/meta-data/",
		"https://0xa9fea9fe/", "https://[fd00:ec2::254]/",
		"https://[::ffff:169.254.169.254]/",
		"https://[fe80::1%25eth0]/",
		"https://[fc00::1]/", "https://224.0.0.1/",
		"https://255.255.255.255/", "https://192.0.2.1/",
		"https://198.18.0.1/", "https://240.0.0.1/",
		"https://[2001:db8::1]/", "https://[64:ff9b::10.0.0.1]/",
		NULL };

	for (const char *const *u = uris; *u; u++)
		bad(*u, false);
	/* the development setting opens loopback, nothing else */
	for (const char *const *u = uris + 8; *u; u++)
		bad(*u, true);
	ok("https://127.0.0.1/jwks", true);
	ok("https://127.1/", true);
	ok("https://[::1]:8443/", true);
	ok("https://[::ffff:127.0.0.1]/", true);
}
END_TEST

START_TEST(plain_http_only_to_loopback_in_development)
{
	bad("http://rp.example.com/jwks", false);
	bad("http://rp.example.com/jwks", true);
	bad("http://8.8.8.8/jwks", true);
	bad("http://10.0.0.1/jwks", true);
	bad("http://169.254.169.254/", true);
	bad("http://127.0.0.1:8080/jwks", false);
	bad("http://localhost:8080/jwks", false);
	bad("http://[::1]:8080/jwks", false);
	ok("http://127.0.0.1:8080/jwks", true);
	ok("http://localhost:8080/jwks", true);
	ok("http://LOCALHOST/jwks", true);
	ok("http://[::1]:8080/jwks", true);
	/* idp_uri_check's loopback names only: no other spelling */
	bad("http://127.1:8080/jwks", true);
	bad("http://localhost.rp.example.com/jwks", true);
}
END_TEST

START_TEST(malformed)
{
	const char *const uris[] = { "", "rp.example.com/jwks",
		"ftp://rp.example.com/jwks", "file:///etc/passwd",
		"gopher://rp.example.com:70/", "dict://127.0.0.1:6379/",
		"javascript:alert(1)", "https://", "https:///jwks",
		"https://user@rp.example.com/", "https://u:p@rp.example.com/",
		"https://rp.example.com@127.0.0.1/",
		"https://rp.example.com/#frag", "https://rp.example.com:0/",
		"https://rp.example.com:65536/", "https://rp.example.com:/",
		"https://rp.example.com:12a/", "https://rp.example.com:-1/",
		"https://%6c%6fcalhost/", "https://-rp.example.com/",
		"https://.rp.example.com/", "https://rp example.com/",
		"https://rp.example.com\\@127.0.0.1/", "https://[::1/",
		"https://[rp.example.com]/", "https://[1.2.3.4]/",
		"https://*.example.com/", "https://r\xc3\xa9p.example.com/",
		NULL };

	bad(NULL, false);
	for (const char *const *u = uris; *u; u++) {
		bad(*u, false);
		bad(*u, true);
	}
}
END_TEST

START_TEST(target_fields)
{
	struct idp_outbound_target t;
	const char *why = NULL;

	ck_assert_int_eq(idp_outbound_uri_check(
	    "https://rp.example.com:8443/jwks?x=1", false, &t, &why), 0);
	ck_assert(t.https);
	ck_assert_str_eq(t.host, "rp.example.com");
	ck_assert_int_eq(t.port, 8443);
	ck_assert(!t.literal);
	ck_assert_int_eq(idp_outbound_uri_check("https://[2606:4700::1111]/",
	    false, &t, &why), 0);
	ck_assert_str_eq(t.host, "[2606:4700::1111]");
	ck_assert_int_eq(t.port, 0);
	ck_assert(t.literal);
	ck_assert_int_eq(t.addr.family, AF_INET6);
	ck_assert_int_eq(idp_outbound_uri_check("http://127.0.0.1:9/k", true,
	    &t, &why), 0);
	ck_assert(!t.https);
	ck_assert_int_eq(t.port, 9);
}
END_TEST

START_TEST(address_rule)
{
	for (int c = IDP_ADDR_PUBLIC; c <= IDP_ADDR_RESERVED; c++) {
		bool pub = c == IDP_ADDR_PUBLIC, lo = c == IDP_ADDR_LOOPBACK;

		ck_assert_msg(idp_outbound_addr_ok(c, true, false) == pub,
		    "https %s", idp_addr_class_name(c));
		ck_assert_msg(idp_outbound_addr_ok(c, true, true) ==
		    (pub || lo),
		    "https %s with loopback", idp_addr_class_name(c));
		ck_assert_msg(!idp_outbound_addr_ok(c, false, false),
		    "http %s", idp_addr_class_name(c));
		ck_assert_msg(idp_outbound_addr_ok(c, false, true) == lo,
		    "http %s with loopback", idp_addr_class_name(c));
	}
}
END_TEST

/* The fetcher refuses a URI whose host libcurl reads differently; for
 * every URI the rule accepts, it must read the same one. */
START_TEST(libcurl_reads_the_same_host)
{
	for (const char *const *u = accepted; *u; u++) {
		struct idp_outbound_target t;
		const char *why = NULL;
		CURLU *h = curl_url();
		char *host = NULL;

		ck_assert_int_eq(idp_outbound_uri_check(*u, false, &t, &why),
		    0);
		ck_assert_int_eq(curl_url_set(h, CURLUPART_URL, *u, 0),
		    CURLUE_OK);
		ck_assert_int_eq(curl_url_get(h, CURLUPART_HOST, &host, 0),
		    CURLUE_OK);
		ck_assert_msg(!strcasecmp(host, t.host), "%s: libcurl reads "
		    "%s, the rule %s", *u, host, t.host);
		curl_free(host);
		curl_url_cleanup(h);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("oidc_outbound");
	TCase *tc;

	tc = unit_tcase(s, "uris");
	tcase_add_test(tc, https_names_and_public_addresses);
	tcase_add_test(tc, internal_addresses_in_every_spelling);
	tcase_add_test(tc, plain_http_only_to_loopback_in_development);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, target_fields);
	tcase_add_test(tc, libcurl_reads_the_same_host);

	tc = unit_tcase(s, "addresses");
	tcase_add_test(tc, address_rule);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

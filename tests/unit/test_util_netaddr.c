/* util/netaddr: every special-purpose range and its edges, every way of
 * writing an address a resolver accepts (short, hex, octal, decimal IPv4;
 * IPv4 inside IPv6; zones), agreement with getaddrinfo(AI_NUMERICHOST),
 * and what is not an address. */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "util/netaddr.h"
#include "unit.h"

static enum idp_addr_class
class_of(const char *text)
{
	struct idp_netaddr a;

	ck_assert_msg(idp_netaddr_parse(text, strlen(text), &a) == 0,
	    "not parsed as an address: %s", text);
	return idp_netaddr_class(&a);
}

static void
is(enum idp_addr_class want, const char *const *texts)
{
	for (; *texts; texts++) {
		enum idp_addr_class got = class_of(*texts);

		ck_assert_msg(got == want, "%s: %s, want %s", *texts,
		    idp_addr_class_name(got), idp_addr_class_name(want));
	}
}

#define IS(want, ...) is(want, (const char *const[]){ __VA_ARGS__, NULL })

START_TEST(public_unicast)
{
	IS(IDP_ADDR_PUBLIC, "8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0",
	    "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
	    "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
	    "192.0.1.255", "192.0.3.0", "192.167.255.255", "192.169.0.0",
	    "198.17.255.255", "198.20.0.0", "203.0.112.255", "223.255.255.255",
	    "168.63.129.17", "168.63.129.15", "8.8.8.8.");
	IS(IDP_ADDR_PUBLIC, "2001:4860:4860::8888", "2606:4700::1111",
	    "[2a00:1450:4001::200e]", "2001:200::1", "3fff:1000::1",
	    "2001:db9::1", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8",
	    "2002:808:808::1");
}
END_TEST

START_TEST(loopback_in_every_form)
{
	IS(IDP_ADDR_LOOPBACK, "127.0.0.1", "127.255.255.255", "127.1",
	    "127.0.1", "0x7f.1", "0x7f.0.0.1", "0177.0.0.1", "0177.1",
	    "2130706433", "0x7f000001", "017700000001", "127.0.0.1.",
	    "127.000.000.001");
	IS(IDP_ADDR_LOOPBACK, "::1", "[::1]", "0:0:0:0:0:0:0:1",
	    "::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "::ffff:7f00:1",
	    "0:0:0:0:0:ffff:127.0.0.1", "::ffff:0:127.0.0.1",
	    "64:ff9b::127.0.0.1", "2002:7f00:1::1");
}
END_TEST

START_TEST(unspecified)
{
	IS(IDP_ADDR_UNSPECIFIED, "0.0.0.0", "0", "0.1.2.3", "0x0",
	    "0.255.255.255", "::", "[::]", "0:0:0:0:0:0:0:0",
	    "::ffff:0.0.0.0", "::ffff:0:0");
}
END_TEST

START_TEST(private_ranges)
{
	IS(IDP_ADDR_PRIVATE, "10.0.0.1", "10.255.255.255", "012.0.0.1",
	    "0xa000001", "167772161", "10.1", "172.16.0.1", "172.31.255.255",
	    "192.168.0.1", "192.168.255.255", "::ffff:10.0.0.1",
	    "::ffff:192.168.1.1", "64:ff9b::10.0.0.1", "2002:c0a8:101::1");
	IS(IDP_ADDR_PRIVATE, "fc00::1", "fd12:3456:789a::1",
	    "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::1", "feff::1");
}
END_TEST

START_TEST(link_local_and_shared)
{
	IS(IDP_ADDR_LINK_LOCAL, "169.254.0.1", "169.254.255.255",
	    "::ffff:169.254.1.1", "fe80::1", "fe80::1%eth0",
	    "[fe80::1%25eth0]", "fe80::1%2", "febf:ffff::1");
	IS(IDP_ADDR_SHARED, "100.64.0.0", "100.64.0.1", "100.127.255.255",
	    "::ffff:100.64.0.1");
}
END_TEST

START_TEST(cloud_metadata)
{
	IS(IDP_ADDR_METADATA, "169.254.169.254", "0xa9fea9fe", "2852039166",
	    "0251.0376.0251.0376", "169.254.43518", "::ffff:169.254.169.254",
	    "::ffff:a9fe:a9fe", "64:ff9b::169.254.169.254", "169.254.170.2",
	    "100.100.100.200", "168.63.129.16", "fd00:ec2::254",
	    "[fd00:ec2::254]", "fd00:ec2:0:0:0:0:0:254", "169.254.169.254.");
}
END_TEST

START_TEST(multicast_broadcast)
{
	IS(IDP_ADDR_MULTICAST, "224.0.0.1", "239.255.255.255", "ff02::1",
	    "ff05::1:3", "::ffff:224.0.0.251");
	IS(IDP_ADDR_BROADCAST, "255.255.255.255", "4294967295", "0xffffffff",
	    "::ffff:255.255.255.255");
}
END_TEST

START_TEST(documentation_benchmark_reserved)
{
	IS(IDP_ADDR_DOCUMENTATION, "192.0.2.1", "198.51.100.7",
	    "203.0.113.255", "2001:db8::1", "2001:db8:ffff::1", "3fff::1",
	    "3fff:fff:ffff::1");
	IS(IDP_ADDR_BENCHMARK, "198.18.0.1", "198.19.255.255", "2001:2::1",
	    "2001:2:0:ffff::1");
	IS(IDP_ADDR_RESERVED, "240.0.0.1", "254.255.255.255", "192.0.0.1",
	    "192.0.0.170", "192.88.99.1", "2001::1", "2001:10::1",
	    "2001:20::1", "2001:1ff::1", "100::1", "::1.2.3.4", "::2",
	    "64:ff9b:1::1", "5f00::1", "4000::1", "1::1", "e000::1");
}
END_TEST

START_TEST(not_addresses)
{
	const char *names[] = { "", "localhost", "rp.example.com", "1.2.3.4 x",
		"1.2.3.4x", "256.0.0.1", "1.2.3.4.5", "[1.2.3.4]", "fe80::1%",
		"fe80::1%e th0", "::g", "[::1", "::1]", "0x",
		"deadbeef", "1..2", "08.0.0.1", "-1", "+1", "1.2.3.-4",
		".1.2.3",
		"1.2.3.4..", "[]", "[", NULL };
	struct idp_netaddr a;

	for (const char **n = names; *n; n++)
		ck_assert_msg(idp_netaddr_parse(*n, strlen(*n), &a) == -1,
		    "parsed as an address: \"%s\"", *n);
	/* exactly n bytes: an embedded NUL is not the end */
	ck_assert_int_eq(idp_netaddr_parse("127.0.0.1\0x", 11, &a), -1);
	ck_assert_int_eq(idp_netaddr_parse("127.0.0.1x", 9, &a), 0);
	ck_assert_int_eq(idp_netaddr_class(&a), IDP_ADDR_LOOPBACK);
}
END_TEST

/* Whatever the resolver reads as a numeric address, we read the same. */
START_TEST(agrees_with_getaddrinfo)
{
	const char *forms[] = { "127.1", "0x7f.1", "0177.0.0.1", "2130706433",
		"10.1", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518",
		"0", "4294967295", "8.8.8.8", "::1", "::ffff:127.0.0.1",
		"fe80::1%1", "fd00:ec2::254", "1.2.3.4x", "256.1.1.1",
		"08.0.0.1", "1.2.3.4.5", "rp.example.com", NULL };
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST,
		.ai_socktype = SOCK_STREAM };

	for (const char **f = forms; *f; f++) {
		struct addrinfo *res = NULL;
		struct idp_netaddr ours, theirs;
		int ok = idp_netaddr_parse(*f, strlen(*f), &ours);

		if (getaddrinfo(*f, NULL, &hints, &res) != 0) {
			ck_assert_msg(ok == -1, "%s: we parse what the "
			    "resolver does not", *f);
			continue;
		}
		ck_assert_msg(ok == 0, "%s: the resolver reads an address", *f);
		ck_assert_int_eq(idp_netaddr_from_sockaddr(res->ai_addr,
		    res->ai_addrlen, &theirs), 0);
		ck_assert_int_eq(ours.family, theirs.family);
		ck_assert_msg(!memcmp(ours.b, theirs.b, 16), "%s differs", *f);
		freeaddrinfo(res);
	}
}
END_TEST

START_TEST(from_sockaddr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct idp_netaddr a;
	char text[IDP_NETADDR_STRLEN];

	ck_assert_int_eq(inet_pton(AF_INET, "169.254.169.254",
	    &sin.sin_addr), 1);
	ck_assert_int_eq(idp_netaddr_from_sockaddr((struct sockaddr *)&sin,
	    sizeof(sin), &a), 0);
	ck_assert_int_eq(idp_netaddr_class(&a), IDP_ADDR_METADATA);
	idp_netaddr_format(&a, text);
	ck_assert_str_eq(text, "169.254.169.254");
	ck_assert_int_eq(inet_pton(AF_INET6, "::ffff:10.1.2.3",
	    &sin6.sin6_addr), 1);
	ck_assert_int_eq(idp_netaddr_from_sockaddr((struct sockaddr *)&sin6,
	    sizeof(sin6), &a), 0);
	ck_assert_int_eq(idp_netaddr_class(&a), IDP_ADDR_PRIVATE);
	idp_netaddr_format(&a, text);
	ck_assert_str_eq(text, "::ffff:10.1.2.3");
	ck_assert_int_eq(idp_netaddr_from_sockaddr((struct sockaddr *)&sin,
	    sizeof(sin) - 1, &a), -1);
	ck_assert_int_eq(idp_netaddr_from_sockaddr((struct sockaddr *)&sin6,
	    sizeof(struct sockaddr_in), &a), -1);
	ck_assert_int_eq(idp_netaddr_from_sockaddr((struct sockaddr *)&un,
	    sizeof(un), &a), -1);
	ck_assert_int_eq(idp_netaddr_from_sockaddr(NULL, 0, &a), -1);
	a.family = AF_UNIX;
	ck_assert_int_eq(idp_netaddr_class(&a), IDP_ADDR_RESERVED);
}
END_TEST

START_TEST(class_names)
{
	const char *seen[IDP_ADDR_RESERVED + 1];

	for (int c = IDP_ADDR_PUBLIC; c <= IDP_ADDR_RESERVED; c++) {
		seen[c] = idp_addr_class_name(c);
		ck_assert_str_ne(seen[c], "");
		for (int d = 0; d < c; d++)
			ck_assert_str_ne(seen[c], seen[d]);
	}
	ck_assert_str_eq(idp_addr_class_name(IDP_ADDR_METADATA), "metadata");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("util_netaddr");
	TCase *tc;

	tc = unit_tcase(s, "ranges");
	tcase_add_test(tc, public_unicast);
	tcase_add_test(tc, loopback_in_every_form);
	tcase_add_test(tc, unspecified);
	tcase_add_test(tc, private_ranges);
	tcase_add_test(tc, link_local_and_shared);
	tcase_add_test(tc, cloud_metadata);
	tcase_add_test(tc, multicast_broadcast);
	tcase_add_test(tc, documentation_benchmark_reserved);
	tcase_add_test(tc, class_names);

	tc = unit_tcase(s, "parsing");
	tcase_add_test(tc, not_addresses);
	tcase_add_test(tc, agrees_with_getaddrinfo);
	tcase_add_test(tc, from_sockaddr);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}

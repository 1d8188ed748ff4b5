/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay: XCP-ng's static-routes text (valid lists, each malformed
 * form, all-or-nothing) and the next hop toward a remote by longest-prefix
 * match over the connected subnet, static routes and default gateway.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "eal_fixture.h"
#include "routes.h"

static uint32_t
ip(const char *s)
{
	uint32_t v = 0;

	assert_true(sl_ipv4_parse(s, &v));
	return v;
}

static void
test_valid_lists(void **state)
{
	struct sl_route r[4];
	struct sl_err err = { 0 };
	unsigned int n = 99;

	(void)state;
	assert_int_equal(sl_routes_parse("", r, 4, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(sl_routes_parse("10.88.0.0/14/10.88.113.193,10.0.0.0/24/192.168.1.1",
					 r, 4, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].prefix, ip("10.88.0.0"));
	assert_int_equal(r[0].len, 14);
	assert_int_equal(r[0].gateway, ip("10.88.113.193"));
	assert_int_equal(r[1].prefix, ip("10.0.0.0"));
	assert_int_equal(r[1].len, 24);
	assert_int_equal(r[1].gateway, ip("192.168.1.1"));
	assert_int_equal(sl_routes_parse("0.0.0.0/0/10.0.0.1,192.168.7.9/32/10.0.0.2",
					 r, 4, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].len, 0);
	assert_int_equal(r[1].len, 32);
}

static void
expect_bad(const char *text, const char *needle)
{
	struct sl_route r[4];
	struct sl_err err = { 0 };
	unsigned int n = 77;

	assert_int_equal(sl_routes_parse(text, r, 4, &n, &err), -1);
	assert_int_equal(err.code, SL_E_INVALID_VALUE);
	assert_int_equal(n, 0);	/* nothing of the list is taken */
	if (!strstr(err.msg, needle) || !strstr(err.msg, "no route was changed"))
		fail_msg("'%s': '%s' not in '%s'", text, needle, err.msg);
}

static void
test_malformed(void **state)
{
	(void)state;
	expect_bad("10.0.0.0/24", "entry 1 (10.0.0.0/24) is not network/prefix-length/gateway");
	expect_bad("10.0.0.0/24/1.1.1.1/5", "entry 1 (10.0.0.0/24/1.1.1.1/5) is not");
	expect_bad("10.0.0.0-24-1.1.1.1", "is not network/prefix-length/gateway");
	expect_bad("10.0.0.0/24/10.0.0.1,10.0.0/16/10.0.0.1", "entry 2 (10.0.0/16/10.0.0.1): 10.0.0 is not an IPv4 network");
	expect_bad("10.0.0.256/32/10.0.0.1", "10.0.0.256 is not an IPv4 network");
	expect_bad("10.0.0.0/33/10.0.0.1", "prefix length 33 is not 0..32");
	expect_bad("10.0.0.0/-1/10.0.0.1", "prefix length -1 is not 0..32");
	expect_bad("10.0.0.0//10.0.0.1", "prefix length  is not 0..32");
	expect_bad("10.0.0.0/2x/10.0.0.1", "prefix length 2x is not 0..32");
	expect_bad("10.0.0.1/24/10.0.0.1", "10.0.0.1 has bits past /24");
	expect_bad("10.0.0.0/24/gateway", "gateway gateway is not an IPv4 address");
	expect_bad("10.0.0.0/24/0.0.0.0", "gateway 0.0.0.0 is not an IPv4 address");
	expect_bad("10.0.0.0/24/", "gateway  is not an IPv4 address");
	expect_bad("10.0.0.0/24/10.0.0.1,", "entry 2 is empty");
	expect_bad(",10.0.0.0/24/10.0.0.1", "entry 1 is empty");
	expect_bad("1.0.0.0/8/2.2.2.2,2.0.0.0/8/2.2.2.2,3.0.0.0/8/2.2.2.2,"
		   "4.0.0.0/8/2.2.2.2,5.0.0.0/8/2.2.2.2", "more than 4 routes");
	expect_bad(" 10.0.0.0/24/10.0.0.1", "is not an IPv4 network");
}

static void
test_ipv4(void **state)
{
	uint32_t v;
	char text[SL_IPV4_STR_LEN];

	(void)state;
	assert_false(sl_ipv4_parse("1.2.3", &v));
	assert_false(sl_ipv4_parse("1.2.3.4.5", &v));
	assert_false(sl_ipv4_parse("1.2.3.0004", &v));
	assert_false(sl_ipv4_parse("1..3.4", &v));
	assert_false(sl_ipv4_parse("", &v));
	sl_ipv4_format(text, ip("192.168.100.254"));
	assert_string_equal(text, "192.168.100.254");
	assert_int_equal(sl_netmask_len(ip("255.255.255.0")), 24);
	assert_int_equal(sl_netmask_len(ip("0.0.0.0")), 0);
	assert_int_equal(sl_netmask_len(ip("255.255.255.255")), 32);
	assert_int_equal(sl_netmask_len(ip("255.0.255.0")), -1);
}

static void
expect_hop(const struct sl_ip_config *c, const struct sl_route *r,
	   unsigned int n, const char *remote, enum sl_next_hop_via via,
	   const char *hop)
{
	struct sl_next_hop nh;
	uint32_t addr = ip(remote);

	assert_int_equal(sl_next_hops(c, r, n, &addr, 1, &nh), 0);
	if (nh.via != via)
		fail_msg("%s: via %s, not %s", remote, sl_next_hop_via_name(nh.via),
			 sl_next_hop_via_name(via));
	if (hop)
		assert_int_equal(nh.ip, ip(hop));
}

static void
test_next_hop(void **state)
{
	struct sl_ip_config c = {
		.is_static = true, .ip = ip("10.88.113.10"),
		.netmask = ip("255.255.255.0"), .gateway = ip("10.88.113.1"),
	};
	struct sl_route r[3];
	struct sl_err err = { 0 };
	unsigned int n;

	(void)state;
	assert_int_equal(sl_routes_parse("10.88.0.0/14/10.88.113.193,10.90.1.0/24/10.88.113.194,"
					 "10.88.113.128/25/10.88.113.195",
					 r, 3, &n, &err), 0);
	/* on the subnet: the remote itself */
	expect_hop(&c, r, n, "10.88.113.20", SL_VIA_CONNECTED, "10.88.113.20");
	/* a longer static route inside the subnet wins over it */
	expect_hop(&c, r, n, "10.88.113.200", SL_VIA_STATIC, "10.88.113.195");
	/* /24 beats /14 */
	expect_hop(&c, r, n, "10.90.1.7", SL_VIA_STATIC, "10.88.113.194");
	expect_hop(&c, r, n, "10.89.0.1", SL_VIA_STATIC, "10.88.113.193");
	/* everything else: the gateway */
	expect_hop(&c, r, n, "172.16.0.1", SL_VIA_DEFAULT, "10.88.113.1");
	/* several remotes with one RIB: each its own answer */
	uint32_t many[3] = { ip("10.88.113.20"), ip("10.90.1.7"), ip("172.16.0.1") };
	struct sl_next_hop hops[3];

	assert_int_equal(sl_next_hops(&c, r, n, many, 3, hops), 0);
	assert_int_equal(hops[0].via, SL_VIA_CONNECTED);
	assert_int_equal(hops[1].via, SL_VIA_STATIC);
	assert_int_equal(hops[1].ip, ip("10.88.113.194"));
	assert_int_equal(hops[2].via, SL_VIA_DEFAULT);
	/* no gateway: no route */
	c.gateway = 0;
	expect_hop(&c, r, n, "172.16.0.1", SL_VIA_NONE, NULL);
	/* no address: nothing is reachable */
	c.is_static = false;
	expect_hop(&c, r, n, "10.88.113.20", SL_VIA_NONE, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_lists),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_next_hop),
	};

	if (sl_test_eal_init("routes") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sdncontroller plugin's arguments: every row of the reference's table
 * (../shared/reference/sdncontroller-rules.md), valid and invalid, with the
 * plugin's messages word for word; the parse order (the first failure
 * wins); cookie normalisation; the checks after parsing (codes 2 and 3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sl_cls_rule.h"
#include "sdn_args.h"

/* Arguments as "key=value" strings, NULL-terminated. */
struct kv {
	const char *const *pairs;
};

static const char *
kv_get(const void *ctx, const char *key)
{
	const struct kv *kv = ctx;
	size_t n = strlen(key);

	for (const char *const *p = kv->pairs; *p; p++)
		if (strncmp(*p, key, n) == 0 && (*p)[n] == '=')
			return *p + n + 1;
	return NULL;
}

/* A valid add_rule with one argument replaced (value NULL: removed). */
static int
add_with(const char *key, const char *value, struct sl_sdn_args *out,
	 struct sl_err *err)
{
	static const char *const base[][2] = {
		{ "bridge", "xenbr0" }, { "mac", "aa:bb:cc:dd:ee:ff" },
		{ "direction", "to" }, { "protocol", "tcp" },
		{ "ipRange", "192.168.1.0/24" }, { "port", "22" },
		{ "allow", "false" }, { "priority", "100" },
		{ "cookie", "0x1" },
	};
	static char bufs[10][256];
	const char *pairs[11];
	size_t n = 0;
	bool replaced = false;
	struct kv kv = { pairs };

	for (size_t i = 0; i < 9; i++) {
		const char *v = base[i][1];

		if (strcmp(base[i][0], key) == 0) {
			v = value;
			replaced = true;
		}
		if (!v)
			continue;
		snprintf(bufs[n], sizeof(bufs[n]), "%s=%s", base[i][0], v);
		pairs[n] = bufs[n];
		n++;
	}
	if (!replaced && value) {
		snprintf(bufs[n], sizeof(bufs[n]), "%s=%s", key, value);
		pairs[n] = bufs[n];
		n++;
	}
	pairs[n] = NULL;
	memset(err, 0, sizeof(*err));
	return sl_sdn_parse(SL_SDN_ADD_RULE, kv_get, &kv, out, err);
}

static void
expect_error(const char *key, const char *value, int code, const char *msg)
{
	struct sl_sdn_args a;
	struct sl_err err;

	assert_int_equal(add_with(key, value, &a, &err), -1);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
}

static void
expect_ok(const char *key, const char *value, struct sl_sdn_args *a)
{
	struct sl_err err;

	if (add_with(key, value, a, &err) != 0)
		fail_msg("%s=%s refused: %s", key, value ? value : "(none)",
			 err.msg);
}

#define P "add_rule: Failed to get parameters: "

static void
test_bridge(void **state)
{
	struct sl_sdn_args a;

	(void)state;
	expect_error("bridge", NULL, 1, P "bridge parameter is missing");
	expect_error("bridge", "xenbr", 1, P "'xenbr' is not a valid bridge name");
	expect_error("bridge", "0", 1, P "'0' is not a valid bridge name");
	expect_error("bridge", "br0x", 1, P "'br0x' is not a valid bridge name");
	expect_error("bridge", "", 1, P "'' is not a valid bridge name");
	expect_error("bridge", "-xenbr0", 1, P "'-xenbr0' is not a valid bridge name");
	expect_ok("bridge", "xenbr0", &a);
	assert_string_equal(a.bridge, "xenbr0");
	expect_ok("bridge", "xapi12", &a);
	expect_ok("bridge", "12", &a);		/* \w+\d+: digits are words too */
	expect_ok("bridge", "xenbr0.5", &a);	/* a word boundary after 0 */
}

static void
test_mac(void **state)
{
	struct sl_sdn_args a;

	(void)state;
	expect_ok("mac", NULL, &a);
	assert_false(a.has_mac);
	expect_ok("mac", "AA:bb:CC:dd:EE:0f", &a);
	assert_true(a.has_mac);
	assert_int_equal(a.mac.addr_bytes[0], 0xaa);
	assert_int_equal(a.mac.addr_bytes[5], 0x0f);
	expect_error("mac", "aa:bb:cc:dd:ee", 1, P "'aa:bb:cc:dd:ee' is not a valid MAC");
	expect_error("mac", "aa-bb-cc-dd-ee-ff", 1, P "'aa-bb-cc-dd-ee-ff' is not a valid MAC");
	expect_error("mac", "aa:bb:cc:dd:ee:fg", 1, P "'aa:bb:cc:dd:ee:fg' is not a valid MAC");
	expect_error("mac", "aa:bb:cc:dd:ee:ff\n", 1, P "'aa:bb:cc:dd:ee:ff\n' is not a valid MAC");
	expect_error("mac", "", 1, P "'' is not a valid MAC");
}

static void
test_direction(void **state)
{
	struct sl_sdn_args a;

	(void)state;
	expect_error("direction", NULL, 1, P "direction parameter is missing");
	expect_error("direction", "both", 1, P "'both' is not a valid direction");
	expect_error("direction", "", 1, P "'' is not a valid direction");
	expect_error("direction", "to-from", 1, P "'to-from' is not a valid direction");
	expect_ok("direction", "to", &a);
	assert_true(a.to && !a.from);
	expect_ok("direction", "FROM", &a);
	assert_true(!a.to && a.from);
	expect_ok("direction", "from/to", &a);
	assert_true(a.to && a.from);
	expect_ok("direction", "To/From", &a);
	assert_true(a.to && a.from);
}

static void
test_protocol(void **state)
{
	static const struct {
		const char *text;
		uint8_t proto;
	} ok[] = {
		{ "tcp", SL_CLS_TCP }, { "UDP", SL_CLS_UDP }, { "Icmp", SL_CLS_ICMP },
		{ "ip", SL_CLS_IP }, { "ARP", SL_CLS_ARP },
	};
	struct sl_sdn_args a;

	(void)state;
	expect_error("protocol", NULL, 1, P "protocol parameter is missing");
	/* the message shows the lower-cased value */
	expect_error("protocol", "SCTP", 1, P "'sctp' is not a supported protocol");
	expect_error("protocol", "", 1, P "'' is not a supported protocol");
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		/* port 22 is refused on ip/arp (code 3): leave it out there */
		struct sl_err err;
		const char *pairs[] = { "bridge=xenbr0", "direction=to",
					"ipRange=10.0.0.0/8", "allow=true",
					"port=22", NULL, NULL };
		char proto[32];
		struct kv kv = { pairs };

		snprintf(proto, sizeof(proto), "protocol=%s", ok[i].text);
		if (ok[i].proto == SL_CLS_IP || ok[i].proto == SL_CLS_ARP)
			pairs[4] = proto;
		else
			pairs[5] = proto;
		assert_int_equal(sl_sdn_parse(SL_SDN_ADD_RULE, kv_get, &kv, &a, &err), 0);
		assert_int_equal(a.proto, ok[i].proto);
	}
}

static void
test_iprange(void **state)
{
	struct sl_sdn_args a;

	(void)state;
	expect_error("ipRange", NULL, 1, P "ipRange parameter is missing");
	expect_error("ipRange", "256.0.0.1", 1, P "'256.0.0.1' is not a valid IP range");
	expect_error("ipRange", "10.0.0", 1, P "'10.0.0' is not a valid IP range");
	expect_error("ipRange", "10.0.0.1/", 1, P "'10.0.0.1/' is not a valid IP range");
	expect_error("ipRange", "10.0.0.1/123", 1, P "'10.0.0.1/123' is not a valid IP range");
	expect_error("ipRange", "10.0.0.0001", 1, P "'10.0.0.0001' is not a valid IP range");
	expect_error("ipRange", "::1", 1, P "'::1' is not a valid IP range");
	expect_ok("ipRange", "10.1.2.3", &a);	/* a bare address is /32 */
	assert_int_equal(a.addr, 0x0a010203);
	assert_int_equal(a.plen, 32);
	expect_ok("ipRange", "010.001.0.0/16", &a);	/* leading zeros: decimal */
	assert_int_equal(a.addr, 0x0a010000);
	assert_int_equal(a.plen, 16);
	expect_ok("ipRange", "0.0.0.0/0", &a);
	assert_int_equal(a.plen, 0);
	/* two digits pass the plugin; Open vSwitch refuses past 32 */
	expect_error("ipRange", "10.0.0.0/33", 3,
		     "add_rule: the switch refused the rule: prefix /33 is longer than 32");
}

static void
test_port(void **state)
{
	struct sl_sdn_args a;

	(void)state;
	expect_ok("port", "0", &a);
	assert_int_equal(a.port, 0);
	expect_ok("port", "65535", &a);
	assert_int_equal(a.port, 65535);
	expect_ok("port", " +22 ", &a);	/* Python's int() takes this */
	assert_int_equal(a.port, 22);
	expect_error("port", "65536", 1, P "'65536' is not a valid port");
	expect_error("port", "-1", 1, P "'-1' is not a valid port");
	expect_error("port", "ssh", 1, P "'ssh' is not a valid port");
	expect_error("port", "", 1, P "'' is not a valid port");
	expect_error("port", "2 2", 1, P "'2 2' is not a valid port");
	/* tcp and udp need one */
	expect_error("port", NULL, 2, "add_rule: No port provided, tcp and udp requires one");
}

static void
test_allow(void **state)
{
	struct sl_sdn_args a;

	(void)state;
	expect_error("allow", NULL, 1, P "allow parameter is missing");
	expect_error("allow", "yes", 1, P "allow parameter should be true or false, not 'yes'");
	expect_error("allow", "1", 1, P "allow parameter should be true or false, not '1'");
	expect_ok("allow", "TRUE", &a);
	assert_true(a.allow);
	expect_ok("allow", "False", &a);
	assert_false(a.allow);
}

static void
test_priority(void **state)
{
	struct sl_sdn_args a;

	(void)state;
	expect_ok("priority", NULL, &a);
	assert_int_equal(a.priority, 32768);
	expect_ok("priority", "0", &a);
	assert_int_equal(a.priority, 0);
	expect_ok("priority", "65535", &a);
	assert_int_equal(a.priority, 65535);
	expect_error("priority", "65536", 1, P "'65536' is not a valid priority");
	expect_error("priority", "high", 1, P "'high' is not a valid priority");
	expect_error("priority", "-5", 1, P "'-5' is not a valid priority");
}

static void
test_cookie(void **state)
{
	static const struct {
		const char *in, *norm;
	} ok[] = {
		{ "0x0", "0x0" }, { "0x00", "0x0" }, { "0x01Ff2", "0x1ff2" },
		{ "0xFFFFFFFFFFFFFFFF", "0xffffffffffffffff" },
		{ "0x0000ffffffffffffffff", "0xffffffffffffffff" },
	};
	struct sl_sdn_args a;
	char text[32];

	(void)state;
	expect_ok("cookie", NULL, &a);
	assert_true(a.cookie == 0);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		expect_ok("cookie", ok[i].in, &a);
		sl_sdn_cookie_text(a.cookie, text, sizeof(text));
		assert_string_equal(text, ok[i].norm);
	}
	expect_error("cookie", "1234", 1, P "'1234' is not a valid cookie");
	expect_error("cookie", "0X12", 1, P "'0X12' is not a valid cookie");
	expect_error("cookie", "0x", 1, P "'0x' is not a valid cookie");
	expect_error("cookie", "0x10000000000000000", 1,
		     P "'0x10000000000000000' is not a valid cookie");
	expect_error("cookie", "0xgg", 1, P "'0xgg' is not a valid cookie");
}

/* Every argument wrong at once: the plugin's order decides which is told. */
static void
test_parse_order(void **state)
{
	static const char *const order[] = {
		"bridge=!", "mac=x", "direction=x", "protocol=x", "ipRange=x",
		"port=x", "allow=x", "priority=x", "cookie=x",
	};
	static const char *const first[] = {
		"'!' is not a valid bridge name", "'x' is not a valid MAC",
		"'x' is not a valid direction", "'x' is not a supported protocol",
		"'x' is not a valid IP range", "'x' is not a valid port",
		"allow parameter should be true or false, not 'x'",
		"'x' is not a valid priority", "'x' is not a valid cookie",
	};
	static const char *const good[] = {
		"bridge=xenbr0", "mac=aa:bb:cc:dd:ee:ff", "direction=to",
		"protocol=tcp", "ipRange=1.2.3.4", "port=1", "allow=true",
		"priority=1", "cookie=0x1",
	};

	(void)state;
	/* arguments k.. bad, those before good: k is the one reported */
	for (size_t k = 0; k < 9; k++) {
		const char *pairs[10];
		struct kv kv = { pairs };
		struct sl_sdn_args a;
		struct sl_err err = { 0 };
		char want[256];

		/* listed in reverse, so the order is the parser's, not ours */
		for (size_t i = 0; i < 9; i++)
			pairs[8 - i] = i < k ? good[i] : order[i];
		pairs[9] = NULL;
		assert_int_equal(sl_sdn_parse(SL_SDN_ADD_RULE, kv_get, &kv, &a, &err), -1);
		snprintf(want, sizeof(want), P "%s", first[k]);
		assert_string_equal(err.msg, want);
	}
}

static void
test_del_and_dump(void **state)
{
	const char *del[] = { "bridge=xenbr0", "direction=from", "protocol=udp",
			      "ipRange=10.0.0.0/8", "allow=maybe", "priority=x",
			      NULL };
	const char *dump_bad[] = { "bridge=?", NULL };
	const char *dump_none[] = { NULL };
	struct kv kv = { del };
	struct sl_sdn_args a;
	struct sl_err err = { 0 };

	(void)state;
	/* del_rule reads neither allow nor priority; udp still needs a port */
	assert_int_equal(sl_sdn_parse(SL_SDN_DEL_RULE, kv_get, &kv, &a, &err), -1);
	assert_int_equal(err.code, 2);
	assert_string_equal(err.msg, "del_rule: No port provided, tcp and udp requires one");
	kv.pairs = dump_bad;
	memset(&err, 0, sizeof(err));
	assert_int_equal(sl_sdn_parse(SL_SDN_DUMP_FLOWS, kv_get, &kv, &a, &err), -1);
	assert_string_equal(err.msg,
			    "dump_flows: Failed to get parameters: '?' is not a valid bridge name");
	kv.pairs = dump_none;
	memset(&err, 0, sizeof(err));
	assert_int_equal(sl_sdn_parse(SL_SDN_DUMP_FLOWS, kv_get, &kv, &a, &err), -1);
	assert_string_equal(err.msg,
			    "dump_flows: Failed to get parameters: bridge parameter is missing");
}

static void
test_port_on_ip_refused(void **state)
{
	(void)state;
	expect_error("protocol", "ip", 3,
		     "add_rule: the switch refused the rule: a port needs protocol tcp, udp or icmp");
	expect_error("protocol", "arp", 3,
		     "add_rule: the switch refused the rule: a port needs protocol tcp, udp or icmp");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bridge),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_protocol),
		cmocka_unit_test(test_iprange),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_allow),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_parse_order),
		cmocka_unit_test(test_del_and_dump),
		cmocka_unit_test(test_port_on_ip_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
